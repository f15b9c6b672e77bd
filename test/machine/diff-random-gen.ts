// Seeded generator of valid A32 / T32 instruction sequences for the random differential test, and the
// assembly harness around them: the harness loads r0-r12, APSR, FPSCR, d0-d15 and a 256-byte scratch
// area from seeded data, runs the sequence, stores everything back, and the C side (rand_main.c in
// test/guests/rt) prints it all through semihosting.
//
// Register use inside a sequence: r0-r10 are operands, r11 always points at the scratch area, r12 is
// a temporary for computed offsets; sp, lr and pc are never touched.

export type Isa = 'arm' | 'thumb';

/** mulberry32: a small, well-mixed 32-bit PRNG (same sequence on every platform). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const SPECIAL32 = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x80000001, 0xfffffffe, 0x0000ffff, 0xffff0000, 0x00007fff, 0x00008000, 0x7f7f7f7f, 0x80808080, 31, 32, 33];
const SPECIAL_F32 = [0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0x00000001, 0x807fffff, 0x7f7fffff, 0x00800000, 0x4f000000, 0xcf000000, 0x3eaaaaab, 0x4b7fffff];

export class Gen {
  private readonly r: () => number;
  constructor(seed: number, readonly isa: Isa, readonly withVfp = true) { this.r = rng(seed); }
  int(n: number): number { return this.r() % n; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  chance(p: number): boolean { return this.r() / 2 ** 32 < p; }
  word(): number { return this.chance(0.3) ? this.pick(SPECIAL32) : this.chance(0.3) ? this.int(256) : this.r(); }
  f32(): number { return this.chance(0.5) ? this.pick(SPECIAL_F32) : this.r(); }
  reg(): string { return `r${this.int(11)}`; }

  /** A modified immediate valid in this instruction set. */
  imm(): number {
    if (this.chance(0.4)) return this.int(256);
    if (this.isa === 'arm') { const rot = 2 * this.int(16); const v = this.int(256); return ((v >>> rot) | (v << (32 - rot))) >>> 0; }
    const k = this.int(4);
    const b = this.int(256);
    if (k === 0) return (b | (b << 16)) >>> 0;
    if (k === 1) return ((b << 8) | (b << 24)) >>> 0;
    if (k === 2) return (b * 0x01010101) >>> 0;
    return ((0x80 | this.int(128)) << (1 + this.int(24))) >>> 0;
  }

  private operand2(allowRegShift: boolean): string {
    const k = this.int(allowRegShift && this.isa === 'arm' ? 5 : 4);
    if (k === 0) return `#0x${this.imm().toString(16)}`;
    if (k === 1) return this.reg();
    if (k === 2) {
      const sh = this.pick(['lsl', 'lsr', 'asr', 'ror']);
      const n = sh === 'lsl' || sh === 'ror' ? 1 + this.int(31) : 1 + this.int(32);
      return `${this.reg()}, ${sh} #${n}`;
    }
    if (k === 3) return `${this.reg()}, rrx`;
    return `${this.reg()}, ${this.pick(['lsl', 'lsr', 'asr', 'ror'])} ${this.reg()}`;
  }

  private cond(): string {
    return this.isa === 'arm' && this.chance(0.25) ? this.pick(['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le']) : '';
  }

  /** One instruction (or a short group that must stay together, e.g. an offset computation + load). */
  insn(): string[] {
    const c = this.cond();
    const d = this.reg(), n = this.reg(), m = this.reg(), a = this.reg();
    switch (this.int(10)) {
      case 0: case 1: case 2: {
        const ops = this.isa === 'arm' ? ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'orr', 'bic'] : ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'orr', 'bic', 'orn'];
        let op = this.pick(ops);
        const s = this.chance(0.5) ? 's' : '';
        if (this.isa === 'thumb' && op === 'rsb' && this.chance(0.5)) return [`rsb${s} ${d}, ${n}, #${this.imm() & 0xff}`];
        if (this.isa === 'thumb' && (op === 'rsb')) op = 'sub';
        return [`${op}${s}${c} ${d}, ${n}, ${this.operand2(true)}`];
      }
      case 3: {
        const k = this.int(3);
        if (k === 0) return [`${this.pick(['cmp', 'cmn', 'tst', 'teq'])}${c} ${n}, ${this.operand2(true)}`];
        if (k === 1) return [`${this.pick(['mov', 'mvn'])}${this.chance(0.5) ? 's' : ''}${c} ${d}, ${this.operand2(false)}`];
        if (this.isa === 'arm') return [`${this.pick(['mov', 'movs'])}${c} ${d}, ${m}, ${this.pick(['lsl', 'lsr', 'asr', 'ror'])} ${n}`];
        return [`${this.pick(['lsl', 'lsr', 'asr', 'ror'])}${this.chance(0.5) ? 's' : ''} ${d}, ${m}, ${n}`];
      }
      case 4: {
        let lo = this.reg(), hi = this.reg();
        while (hi === lo) hi = this.reg();
        const k = this.int(6);
        if (k === 0) return [`${this.pick(['mul', 'sdiv', 'udiv', 'smmul', 'smmulr', 'smuad', 'smusdx', 'smulbb', 'smultb', 'smulwt', 'usad8'])}${c} ${d}, ${n}, ${m}`];
        if (k === 1) return [`${this.pick(['mla', 'mls', 'smmla', 'smmlsr', 'smlad', 'smlsdx', 'smlabt', 'smlawb', 'usada8'])}${c} ${d}, ${n}, ${m}, ${a}`];
        if (k === 2) return [`${this.pick(['umull', 'smull', 'umlal', 'smlal', 'umaal', 'smlalbt', 'smlaldx', 'smlsld'])}${c} ${lo}, ${hi}, ${n}, ${m}`];
        if (k === 3 && this.isa === 'arm') return [this.chance(0.5) ? `muls${c} ${d}, ${n}, ${m}` : `mlas${c} ${d}, ${n}, ${m}, ${a}`];
        return [`${this.pick(['smulbt', 'smultt', 'smulwb'])}${c} ${d}, ${n}, ${m}`];
      }
      case 5: {
        const k = this.int(4);
        if (k === 0) {
          const p = this.pick(['s', 'q', 'sh', 'u', 'uq', 'uh']);
          return [`${p}${this.pick(['add16', 'sub16', 'add8', 'sub8', 'asx', 'sax'])}${c} ${d}, ${n}, ${m}`];
        }
        if (k === 1) return [`${this.pick(['qadd', 'qsub', 'qdadd', 'qdsub', 'sel'])}${c} ${d}, ${n}, ${m}`];
        if (k === 2) {
          const sat = this.pick(['ssat', 'usat']);
          const bits = sat === 'ssat' ? 1 + this.int(32) : this.int(32);
          return [`${sat}${c} ${d}, #${bits}, ${n}${this.chance(0.5) ? `, ${this.pick(['lsl', 'asr'])} #${1 + this.int(31)}` : ''}`];
        }
        return [`${this.pick(['ssat16', 'usat16'])}${c} ${d}, #${1 + this.int(15)}, ${n}`];
      }
      case 6: {
        const lsb = this.int(32), w = 1 + this.int(32 - lsb);
        const k = this.int(5);
        if (k === 0) return [`${this.pick(['bfi'])}${c} ${d}, ${n}, #${lsb}, #${w}`];
        if (k === 1) return [`${this.pick(['ubfx', 'sbfx'])}${c} ${d}, ${n}, #${lsb}, #${w}`, ...(this.chance(0.3) ? [`bfc${c} ${d}, #${lsb}, #${w}`] : [])];
        if (k === 2) return [`${this.pick(['clz', 'rbit', 'rev', 'rev16', 'revsh'])}${c} ${d}, ${n}`];
        if (k === 3) return [`${this.pick(['sxtb', 'sxth', 'uxtb', 'uxth', 'sxtb16', 'uxtb16'])}${c} ${d}, ${n}, ror #${8 * this.int(4)}`];
        return [`${this.pick(['sxtab', 'sxtah', 'uxtab', 'uxtah', 'sxtab16', 'uxtab16', 'pkhbt'])}${c} ${d}, ${n}, ${m}`.replace(/^pkhbt(.*)$/, `pkhbt$1, lsl #${this.int(32)}`)];
      }
      case 7: case 8: return this.memory(c, d);
      default: return this.withVfp ? this.vfp(c) : this.memory(c, d);
    }
  }

  private memory(c: string, d: string): string[] {
    const k = this.int(6);
    if (k === 0) {
      const sz = this.pick([['ldr', 4], ['str', 4], ['ldrb', 1], ['strb', 1], ['ldrh', 2], ['strh', 2], ['ldrsb', 1], ['ldrsh', 2]] as const);
      const off = Math.floor(this.int(252) / sz[1]) * sz[1];
      return [`${sz[0]}${c} ${d}, [r11, #${off}]`];
    }
    if (k === 1) {
      // Register offset: r12 = small multiple of 4 computed from a random register.
      const op = this.pick(['ldr', 'str', 'ldrh', 'strb', 'ldrsh']);
      return [`and${c} r12, ${this.reg()}, #0x7c`, `${op}${c} ${d}, [r11, r12${this.isa === 'thumb' || /h/.test(op) || this.chance(0.5) ? '' : ', lsl #1'}]`];
    }
    if (k === 2) {
      // Unaligned word / halfword access (allowed with SCTLR.A = 0).
      const off = 1 + this.int(240);
      return [`${this.pick(['ldr', 'str', 'ldrh', 'strh'])}${c} ${d}, [r11, #${off}]`];
    }
    if (k === 3) {
      let t = this.int(5) * 2;
      const t2 = t + 1;
      if (this.isa === 'thumb') { t = this.int(11); }
      const rt2 = this.isa === 'thumb' ? (t + 1 + this.int(9)) % 11 : t2;
      const off = 8 * this.int(30);
      return [`${this.pick(['ldrd', 'strd'])}${c} r${t}, r${rt2}, [r11, #${off}]`];
    }
    if (k === 4) {
      const regs = [...new Set(Array.from({ length: 1 + this.int(6) }, () => this.int(11)))].sort((x, y) => x - y);
      const mode = this.isa === 'arm' ? this.pick(['ia', 'ib', 'da', 'db']) : this.pick(['ia', 'db']);
      const base = mode === 'ia' || mode === 'ib' ? 0 : 128;
      return [`add${c} r12, r11, #${base + 4 * this.int(8)}`, `${this.pick(['ldm', 'stm'])}${mode}${c} r12, {${regs.map((r) => `r${r}`).join(', ')}}`];
    }
    // Exclusive pair on an aligned scratch word: always succeeds, status in a register.
    let st = this.reg();
    while (st === d) st = this.reg();
    const off = 4 * this.int(60);
    return [`add r12, r11, #${off}`, `ldrex ${d}, [r12]`, `strex ${st}, ${d}, [r12]`];
  }

  private vfp(c: string): string[] {
    const s = () => `s${this.int(16)}`;
    const dd = () => `d${8 + this.int(8)}`;
    const k = this.int(7);
    if (k === 0) return [`${this.pick(['vadd', 'vsub', 'vmul', 'vdiv', 'vnmul', 'vmla', 'vmls', 'vnmla', 'vnmls', 'vfma', 'vfms', 'vfnma', 'vfnms'])}${c}.f32 ${s()}, ${s()}, ${s()}`];
    if (k === 1) return [`${this.pick(['vadd', 'vsub', 'vmul', 'vdiv', 'vfma', 'vmla'])}${c}.f64 ${dd()}, ${dd()}, ${dd()}`];
    if (k === 2) return [`${this.pick(['vsqrt', 'vabs', 'vneg'])}${c}.${this.chance(0.5) ? `f32 ${s()}, ${s()}` : `f64 ${dd()}, ${dd()}`}`];
    if (k === 3) return [`vmov${c} ${s()}, ${this.reg()}`];
    if (k === 4) return [`vmov${c} ${this.reg()}, ${s()}`];
    if (k === 5) {
      const cv = this.pick(['vcvt.s32.f32', 'vcvt.u32.f32', 'vcvtr.s32.f32', 'vcvt.f32.s32', 'vcvt.f32.u32', 'vcvt.f64.f32', 'vcvt.f32.f64', 'vcvt.s32.f64', 'vcvtb.f16.f32', 'vcvtt.f32.f16']);
      const src = cv.endsWith('f64') ? dd() : s();
      const dst = cv.startsWith('vcvt.f64') ? dd() : s();
      return [`${cv.replace(/^(vcvt[rbt]?)/, `$1${c}`)} ${dst}, ${src}`];
    }
    return [`${this.pick(['vcmp', 'vcmpe'])}${c}.f32 ${s()}, ${s()}`, `vmrs${c} APSR_nzcv, fpscr`];
  }

  /** A whole sequence of `count` instruction groups; T32 wraps some groups in IT blocks. */
  sequence(count: number): string[][] {
    const out: string[][] = [];
    for (let i = 0; i < count; i++) {
      const g = this.insn();
      if (this.isa === 'thumb' && this.chance(0.2) && g.length === 1 && !/^(bfc|ldrex|vmrs|it)/.test(g[0])) {
        // An IT block of 1-3 instructions (all simple ones) with a random pattern.
        const n = 1 + this.int(3);
        const cond = this.pick(['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le']);
        const inv: Record<string, string> = { eq: 'ne', ne: 'eq', cs: 'cc', cc: 'cs', mi: 'pl', pl: 'mi', vs: 'vc', vc: 'vs', hi: 'ls', ls: 'hi', ge: 'lt', lt: 'ge', gt: 'le', le: 'gt' };
        let pattern = '';
        const conds = [cond];
        for (let j = 1; j < n; j++) { const t = this.chance(0.5); pattern += t ? 't' : 'e'; conds.push(t ? cond : inv[cond]); }
        const body: string[] = [];
        for (const cc of conds) {
          let ins = this.insn();
          while (ins.length !== 1 || /^(bfc|ldrex|vmrs|it|[a-z0-9]+\.[fsu])/.test(ins[0]) || /^v/.test(ins[0])) ins = this.insn();
          body.push(ins[0].replace(/^([a-z0-9]+?)(s?)( )/, (_m, op: string, s: string) => `${op}${s}${cc} `));
        }
        out.push([`it${pattern} ${cond}`, ...body]);
      } else out.push(g);
    }
    return out;
  }
}

export interface Harness {
  /** Assembly source for the sequence with only its first `prefix` groups. */
  source(prefix: number): string;
  groups: string[][];
}

/** Builds the harness assembly for a seed: initial state from the seed, then the sequence. */
export function makeHarness(seed: number, isa: Isa, count: number, withVfp = true): Harness {
  const g = new Gen(seed, isa, withVfp);
  const regs = Array.from({ length: 13 }, () => g.word());
  const apsr = (g.int(16) << 28) | (g.chance(0.3) ? 1 << 27 : 0) | (g.int(16) << 16);
  const fpscr = (g.int(4) << 22) | (g.chance(0.3) ? 1 << 24 : 0) | (g.chance(0.3) ? 1 << 25 : 0) | (g.chance(0.2) ? 1 << 26 : 0) | (g.int(16) << 28);
  const vfp = Array.from({ length: 32 }, () => g.f32());
  const scratch = Array.from({ length: 64 }, () => g.word());
  const groups = g.sequence(count);
  const words = (xs: number[]) => xs.map((x) => `0x${(x >>> 0).toString(16)}`).join(', ');
  return {
    groups,
    source(prefix: number) {
      const body = groups.slice(0, prefix).map((grp, i) => `@ group ${i}\n\t${grp.join('\n\t')}`).join('\n');
      return `\t.syntax unified
\t.${isa === 'arm' ? 'arm' : 'thumb'}
\t.fpu vfpv4
\t.text
\t.global test_seq
\t.type test_seq, %function
test_seq:
\tpush {r4-r11, lr}
\tldr lr, =state_in
\tldr r0, [lr, #52]
\tmsr APSR_nzcvqg, r0
\tldr r0, [lr, #56]
\tvmsr fpscr, r0
\tadd r1, lr, #64
\tvldm r1, {s0-s31}
\tldr r12, [lr, #48]
\tldm lr, {r0-r10}
\tldr r11, =scratch
${body}
\tldr lr, =state_out
\tstm lr, {r0-r12}
\tmrs r0, APSR
\tstr r0, [lr, #52]
\tvmrs r0, fpscr
\tstr r0, [lr, #56]
\tadd r1, lr, #64
\tvstm r1, {s0-s31}
\tpop {r4-r11, pc}
\t.ltorg
\t.data
\t.balign 8
\t.global state_in, state_out, scratch
state_in:
\t.word ${words(regs)}
\t.word ${words([apsr, fpscr, 0])}
\t.word ${words(vfp)}
state_out:
\t.space 192
\t.balign 8
scratch:
\t.word ${words(scratch)}
`;
    },
  };
}
