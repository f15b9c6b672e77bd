// Seeded generator of VFP instruction sequences for the QEMU differential test. Each step optionally
// sets FPSCR (rounding mode, FZ, DN, AHP, NZCV; flags cleared so each instruction's flags show), loads
// source registers from a table of edge-case and random operands, runs one VFP instruction, and
// records FPSCR and the double register holding the destination. At the end every register is dumped.
// The same assembly runs on QEMU and on xenarm; vfp_main.c prints the records.
import { xorshift32 } from '../../support/xorshift';

export type Isa = 'arm' | 'thumb';

function rng(seed: number): () => number {
  return xorshift32(seed * 0x9e3779b1);
}

/** Single-precision (and 32-bit integer) edge cases: zeros, denormals, normal bounds, infinities, NaNs, integer limits, half-precision limits. */
const SPECIAL32 = [
  0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000, 0x00400000, 0x00800001,
  0x7f7fffff, 0xff7fffff, 0x7f000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f812345, 0xff800001,
  0x3f800000, 0xbf800000, 0x3f800001, 0x3f7fffff, 0x3fffffff, 0x3f000000, 0x3fc00000, 0x40200000, 0xbfc00000, 0x3eaaaaab,
  0x4b800000, 0x4b7fffff, 0x4f000000, 0x4f800000, 0xcf000000, 0xcf000001, 0x4effffff, 0x4f7fffff, 0x5f800000, 0x1f800000,
  0x477fe000, 0x477ff000, 0x477fefff, 0x38800000, 0x387fe000, 0x33800000, 0x33000000, 0x33000001, 0xc77fe000, 0x0d800000,
  0x00007fff, 0x00008000, 0xffff8000, 0x7fffffff, 0xffffffff, 0x00010000, 0x00000003, 0xfffffffd, 0x7c007e00, 0x7d00fc00,
  0x000103ff, 0x04007bff, 0x80018400, 0x3c00bc00, 0x7fff0001, 0xfe000200,
];

const SPECIAL64: [number, number][] = [ // [hi, lo]
  [0, 0], [0x80000000, 0], [0, 1], [0x80000000, 1], [0x000fffff, 0xffffffff], [0x800fffff, 0xffffffff], [0x00100000, 0],
  [0x80100000, 0], [0x00080000, 0], [0x7fefffff, 0xffffffff], [0xffefffff, 0xffffffff], [0x7ff00000, 0], [0xfff00000, 0],
  [0x7ff80000, 0], [0xfff80000, 0], [0x7ff80000, 0x12345678], [0x7ff01234, 0x5678], [0xfff00000, 1], [0x3ff00000, 0],
  [0xbff00000, 0], [0x3ff00000, 1], [0x3fefffff, 0xffffffff], [0x3fe00000, 0], [0x3ff80000, 0], [0x40040000, 0],
  [0x3fd55555, 0x55555555], [0x41dfffff, 0xffc00000], [0x41dfffff, 0xffe00000], [0x41e00000, 0], [0xc1e00000, 0],
  [0xc1e00000, 0x00100000], [0x41efffff, 0xffe00000], [0x41f00000, 0], [0x47efffff, 0xe0000000], [0x47efffff, 0xf0000000],
  [0x36a00000, 0], [0x380fffff, 0xffffffff], [0x38100000, 0], [0x36a00000, 1], [0x43300000, 1], [0x3ca00000, 0], [0x7fe00000, 0],
  [0x47effff, 0xf0000000],
];

export interface Step { text: string[]; /** The instruction under test (last line of text). */ insn: string }

export interface Program { source: string; steps: Step[]; singles: number[]; doubles: [number, number][]; fpscrs: number[] }

const OPS3 = ['vadd', 'vsub', 'vmul', 'vnmul', 'vdiv', 'vmla', 'vmls', 'vnmla', 'vnmls', 'vfma', 'vfms', 'vfnma', 'vfnms'];
const IMMS = ['1.0', '-2.5', '0.125', '31.0', '-0.1875', '16.0', '0.5', '-1.75'];

export function generate(seed: number, isa: Isa, count: number): Program {
  const next = rng(seed);
  const int = (n: number) => next() % n;
  const chance = (p: number) => next() / 4294967296 < p;
  const pick = <T>(a: readonly T[]): T => a[int(a.length)];

  const rand32 = (): number => {
    switch (int(7)) {
      case 0: return pick(SPECIAL32);
      case 1: return next();
      case 2: { // short mantissa: exact results and ties are frequent
        const e = 127 + int(61) - 30;
        return ((int(2) << 31) | (e << 23) | ((next() >>> 28) << 19) | (chance(0.3) ? 0x7ffff : 0)) >>> 0;
      }
      case 3: return ((int(2) << 31) | (int(4) << 23) | (next() & 0x7fffff)) >>> 0; // denormal or near the normal bound
      case 4: return ((int(2) << 31) | ((251 + int(4)) << 23) | (next() & 0x7fffff)) >>> 0; // near overflow
      case 5: return (next() % 200000) - 100000 >>> 0; // small integers
      default: return (((112 + int(32)) << 23) | (next() & 0x7fffff) | (int(2) << 31)) >>> 0; // half-precision range
    }
  };
  const rand64 = (): [number, number] => {
    switch (int(6)) {
      case 0: return pick(SPECIAL64);
      case 1: return [next(), next()];
      case 2: { const e = 1023 + int(121) - 60; return [((int(2) << 31) | (e << 20) | ((next() >>> 28) << 16) | (chance(0.3) ? 0xffff : 0)) >>> 0, chance(0.3) ? 0xffffffff : 0]; }
      case 3: return [((int(2) << 31) | (int(3) << 20) | (next() & 0xfffff)) >>> 0, next()];
      case 4: return [((int(2) << 31) | ((2044 + int(3)) << 20) | (next() & 0xfffff)) >>> 0, next()];
      default: return [((int(2) << 31) | ((1023 - 160 + int(320)) << 20) | (next() & 0xfffff)) >>> 0, next() & 0xfff00000]; // single range, often exact as single
    }
  };
  const singles = Array.from({ length: 64 }, rand32);
  const doubles = Array.from({ length: 64 }, rand64);
  const fpscrs = Array.from({ length: 16 }, (_, i) => {
    // Entries 0-6: round to nearest without flush-to-zero (the unit's fast path); then every mode.
    const rmode = i < 7 ? 0 : i < 10 ? i - 6 : int(4);
    const fz = i >= 10 && chance(0.4) ? 1 : 0, dn = i >= 4 && chance(0.35) ? 1 : 0, ahp = chance(0.25) ? 1 : 0;
    return ((int(16) << 28) | (ahp << 26) | (dn << 25) | (fz << 24) | (rmode << 22) | (chance(0.1) ? 0x9f : 0)) >>> 0;
  });

  const sReg = () => int(32);
  const dReg = () => int(32);
  const steps: Step[] = [];
  for (let i = 0; i < count; i++) {
    const text: string[] = [];
    if (chance(0.7)) text.push(`ldr r0, [r10, #${768 + 4 * int(16)}]`, 'vmsr fpscr, r0');
    const loadS = (s: number) => { if (chance(0.6)) text.push(`vldr s${s}, [r10, #${4 * int(64)}]`); return `s${s}`; };
    const loadD = (d: number) => { if (chance(0.6)) text.push(`vldr d${d}, [r10, #${256 + 8 * int(64)}]`); return `d${d}`; };
    const dbl = chance(0.5);
    const T = dbl ? 'f64' : 'f32';
    const src = () => (dbl ? loadD(dReg()) : loadS(sReg()));
    const dst = () => (dbl ? `d${dReg()}` : `s${sReg()}`);
    let insn: string;
    switch (int(13)) {
      case 0: case 1: case 2: case 3: {
        const op = pick(OPS3);
        // Accumulating forms read the destination: load it too.
        const d = /vml|vnml|vf/.test(op) ? src() : dst();
        // Sometimes conditional on the flags of a compare (an IT block in Thumb, added by the assembler).
        let cond = '';
        if (chance(0.15)) { text.push(`vcmp.${T} ${src()}, ${src()}`, 'vmrs APSR_nzcv, fpscr'); cond = pick(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'vs', 'vc', 'hi', 'ls', 'mi', 'pl']); }
        insn = `${op}${cond}.${T} ${d}, ${src()}, ${src()}`;
        break;
      }
      case 4: insn = `${pick(['vabs', 'vneg', 'vsqrt', 'vsqrt', 'vmov'])}.${T} ${dst()}, ${src()}`; break;
      case 5:
        if (chance(0.2)) {
          // Any encodable immediate: ±(16..31)/16 · 2^(-3..4), written exactly in decimal.
          const imm = (int(2) ? -1 : 1) * ((16 + int(16)) / 16) * 2 ** (int(8) - 3);
          insn = `vmov.${T} ${dst()}, #${chance(0.1) ? pick(IMMS) : String(imm)}`;
        } else {
          insn = `${pick(['vcmp', 'vcmpe'])}.${T} ${src()}, ${chance(0.3) ? '#0' : src()}`;
          // Sometimes copy the flags to APSR and record them in a register.
          if (chance(0.3)) { text.push(insn, 'vmrs APSR_nzcv, fpscr', 'mrs r0, apsr', 'and r0, r0, #0xf0000000'); insn = `vmov s${sReg()}, r0`; }
        }
        break;
      case 6: insn = dbl ? `vcvt.f32.f64 s${sReg()}, ${src()}` : `vcvt.f64.f32 d${dReg()}, ${src()}`; break;
      case 7: insn = `${pick(['vcvt', 'vcvtr'])}.${pick(['s32', 'u32'])}.${T} s${sReg()}, ${src()}`; break;
      case 8: insn = `vcvt.${T}.${pick(['s32', 'u32'])} ${dst()}, ${loadS(sReg())}`; break;
      case 9: { // fixed point, in place
        const d = src(), ty = pick(['s16', 'u16', 's32', 'u32']), size = Number(ty.slice(1));
        const fb = chance(0.2) ? size : 1 + int(size);
        insn = chance(0.5) ? `vcvt.${ty}.${T} ${d}, ${d}, #${fb}` : `vcvt.${T}.${ty} ${d}, ${d}, #${fb}`;
        break;
      }
      case 10: {
        const b = pick(['vcvtb', 'vcvtt']);
        insn = chance(0.5) ? `${b}.f16.f32 s${sReg()}, ${loadS(sReg())}` : `${b}.f32.f16 s${sReg()}, ${loadS(sReg())}`;
        break;
      }
      case 12: { // transfers through core registers and memory; the destination is recorded, the rest at the end
        const a = dReg(), b = int(28), k = 1 + int(4);
        const sa = sReg(), sb = sReg();
        switch (int(7)) {
          case 0: text.push(`vmov r0, r1, d${a}`); insn = `vmov d${b}, r1, r0`; break;
          case 1: text.push(`vmov r0, s${sa}`); insn = `vmov s${sb}, r0`; break;
          case 2: text.push(`vmov.32 r0, d${a}[${int(2)}]`); insn = `vmov.32 d${b}[${int(2)}], r0`; break;
          case 3: text.push(`vpush {d${Math.min(a, 31 - k)}-d${Math.min(a, 31 - k) + k}}`); insn = `vpop {d${b}-d${b + k}}`; break;
          case 4: { const s0 = Math.min(sa, 31 - k), s1 = Math.min(sb, 31 - k);
            text.push(`vstmdb sp!, {s${s0}-s${s0 + k}}`); insn = `vldmia sp!, {s${s1}-s${s1 + k}}`; break; }
          case 5: text.push(`vstr d${a}, [sp, #-8]`, `vstr s${sa}, [sp, #-12]`); insn = chance(0.5) ? `vldr d${b}, [sp, #-8]` : `vldr s${sb}, [sp, #-12]`; break;
          default: { const s0 = Math.min(sa, 30); text.push(`vmov r0, r1, s${s0}, s${s0 + 1}`); insn = `vmov s${Math.min(sb, 30)}, s${Math.min(sb, 30) + 1}, r1, r0`; }
        }
        break;
      }
      default: { // idioms: fused multiply-add cancelling a rounded product (exposes its rounding error), chained ops
        const a = loadD(int(8)), b = loadD(8 + int(8)), c = 16 + int(8);
        if (dbl) { text.push(`vmul.f64 d${c}, ${a}, ${b}`, `vneg.f64 d${c}, d${c}`); insn = `${pick(['vfma', 'vfnms'])}.f64 d${c}, ${a}, ${b}`; }
        else { const sa = loadS(int(8)), sb = loadS(8 + int(8)); text.push(`vmul.f32 s${c}, ${sa}, ${sb}`); insn = `${pick(['vfms', 'vfnma'])}.f32 s${c}, ${sa}, ${sb}`; }
      }
    }
    text.push(insn);
    steps.push({ text, insn });
  }
  return { source: assemble(isa, steps, singles, doubles, fpscrs), steps, singles, doubles, fpscrs };
}

/** The destination's double register: the one recorded after the step. */
export function destDouble(insn: string): number {
  const m = (/\{([sd])(\d+)/.exec(insn) ?? /^\S+\s+([sd])(\d+)/.exec(insn))!;
  if (/^vcmp/.test(insn)) return 0;
  return m[1] === 'd' ? Number(m[2]) : Number(m[2]) >> 1;
}

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

function assemble(isa: Isa, steps: Step[], singles: number[], doubles: [number, number][], fpscrs: number[]): string {
  const out: string[] = [
    '\t.syntax unified', '\t.arch armv7ve', '\t.fpu vfpv4', isa === 'arm' ? '\t.arm' : '\t.thumb', '\t.text', '\t.align 2',
    '\t.global vfp_seq', '\t.type vfp_seq, %function', 'vfp_seq:',
    '\tpush {r4-r11, lr}', '\tmov r11, r0', '\tldr r10, =vfp_table', '\tvldm r10, {d0-d15}', '\tadd r0, r10, #128', '\tvldm r0, {d16-d31}',
  ];
  steps.forEach((s, i) => {
    out.push(`@ step ${i}`, ...s.text.map((t) => `\t${t}`));
    out.push('\tvmrs r0, fpscr', '\tstr r0, [r11], #4', `\tvstr d${destDouble(s.insn)}, [r11]`, '\tadd r11, r11, #8');
    if (i % 64 === 63) out.push('\tb 1f', '\t.ltorg', '1:');
  });
  out.push('\tvmrs r0, fpscr', '\tstr r0, [r11], #4', '\tvstm r11!, {d0-d15}', '\tvstm r11!, {d16-d31}',
    `\tldr r0, =${steps.length}`, '\tpop {r4-r11, pc}', '\t.ltorg', '\t.data', '\t.align 3', 'vfp_table:');
  for (let i = 0; i < 64; i += 8) out.push(`\t.word ${singles.slice(i, i + 8).map(hex).join(', ')}`);
  for (const [hi, lo] of doubles) out.push(`\t.word ${hex(lo)}, ${hex(hi)}`);
  out.push(`\t.word ${fpscrs.map(hex).join(', ')}`);
  return out.join('\n') + '\n';
}
