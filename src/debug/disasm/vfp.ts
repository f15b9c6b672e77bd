// VFPv4 instructions (coprocessors 10 and 11) as objdump prints them. The encoding is the same in
// A32 and T32 apart from the top byte, so both disassemblers hand the word here with their own
// condition text and pc offset (8 in ARM state, 4 in Thumb).
import { reg, assemble, targetText, hex, type Symbolizer } from './format';

export function isVfpCoproc(coproc: number): boolean {
  return coproc === 10 || coproc === 11;
}

function bits(w: number, hi: number, lo: number): number {
  return (w >>> lo) & ((1 << (hi - lo + 1)) - 1);
}

const sreg = (n: number) => `s${n}`;
const dreg = (n: number) => `d${n}`;
/** Single: Vx:X; double: X:Vx. */
function vd(w: number, dbl: boolean): string {
  return dbl ? dreg((bits(w, 22, 22) << 4) | bits(w, 15, 12)) : sreg((bits(w, 15, 12) << 1) | bits(w, 22, 22));
}
function vn(w: number, dbl: boolean): string {
  return dbl ? dreg((bits(w, 7, 7) << 4) | bits(w, 19, 16)) : sreg((bits(w, 19, 16) << 1) | bits(w, 7, 7));
}
function vm(w: number, dbl: boolean): string {
  return dbl ? dreg((bits(w, 5, 5) << 4) | bits(w, 3, 0)) : sreg((bits(w, 3, 0) << 1) | bits(w, 5, 5));
}

/** VFPExpandImm for 32 bits: objdump shows the single-precision pattern even for .f64. */
function expandImm32(imm8: number): number {
  const sign = imm8 >>> 7, b6 = (imm8 >>> 6) & 1;
  const exp = ((b6 ^ 1) << 7) | (b6 ? 0x7c : 0) | ((imm8 >>> 4) & 3);
  return ((sign << 31) | (exp << 23) | ((imm8 & 15) << 19)) >>> 0;
}

/** The value with 1, 3 or 7 decimals, whichever first shows it exactly; a space stands for "+". */
function floatText(bitsValue: number): string {
  const f = new DataView(new ArrayBuffer(4));
  f.setUint32(0, bitsValue);
  const v = f.getFloat32(0);
  let s = '';
  for (const d of [1, 3, 7]) {
    s = Math.abs(v).toFixed(d);
    if (Number(s) === Math.abs(v)) break;
  }
  return (v < 0 ? '-' : ' ') + s;
}

const VMRS_REGS: Record<number, string> = { 0: 'fpsid', 1: 'fpscr', 5: 'mvfr2', 6: 'mvfr1', 7: 'mvfr0', 8: 'fpexc', 9: 'fpinst', 10: 'fpinst2' };

function regRange(first: number, count: number, dbl: boolean): string {
  const name = dbl ? dreg : sreg;
  return count <= 1 ? `{${name(first)}}` : `{${name(first)}-${name(first + count - 1)}}`;
}

/**
 * Disassembles a VFP instruction. `pcOffset` is how far ahead of the instruction the pc reads
 * (8 ARM, 4 Thumb); literal addresses use Align(pc, 4). Returns undefined when the word is not a
 * VFP instruction.
 */
export function disassembleVfp(w: number, addr: number, pcOffset: number, cond: string, sym?: Symbolizer): { text: string; target?: number } | undefined {
  const dbl = bits(w, 8, 8) === 1;
  const ty = dbl ? '.f64' : '.f32';
  const op = bits(w, 27, 24);
  const out = (mn: string, ops: string, comment?: string, target?: number) => ({ text: assemble(mn, ops, comment), target });

  if (op === 0xe && bits(w, 4, 4) === 0) {
    // data processing
    const opc1 = bits(w, 23, 20) & 0xb, opc2 = bits(w, 19, 16), opc3 = bits(w, 7, 6), o6 = bits(w, 6, 6);
    const three = (mn: string) => out(mn + cond + ty, `${vd(w, dbl)}, ${vn(w, dbl)}, ${vm(w, dbl)}`);
    switch (opc1) {
      case 0x0: return three(o6 ? 'vmls' : 'vmla');
      case 0x1: return three(o6 ? 'vnmla' : 'vnmls');
      case 0x2: return three(o6 ? 'vnmul' : 'vmul');
      case 0x3: return three(o6 ? 'vsub' : 'vadd');
      case 0x8: return o6 ? undefined : three('vdiv');
      case 0x9: return three(o6 ? 'vfnma' : 'vfnms');
      case 0xa: return three(o6 ? 'vfms' : 'vfma');
      case 0xb: break;
      default: return undefined;
    }
    if ((opc3 & 1) === 0) {
      const imm8 = (bits(w, 19, 16) << 4) | bits(w, 3, 0);
      const b = expandImm32(imm8);
      return out('vmov' + cond + ty, `${vd(w, dbl)}, #${imm8}`, `0x${hex(b).padStart(8, '0')} ${floatText(b)}`);
    }
    const two = (mn: string, t = ty) => out(mn + cond + t, `${vd(w, dbl)}, ${vm(w, dbl)}`);
    switch (opc2) {
      case 0: return two(opc3 === 1 ? 'vmov' : 'vabs');
      case 1: return two(opc3 === 1 ? 'vneg' : 'vsqrt');
      case 2: case 3: {
        if (dbl) return undefined;
        const t = bits(w, 7, 7) ? 'vcvtt' : 'vcvtb';
        return out(t + cond + (opc2 === 3 ? '.f16.f32' : '.f32.f16'), `${vd(w, false)}, ${vm(w, false)}`);
      }
      case 4: case 5: {
        const e = bits(w, 7, 7) ? 'vcmpe' : 'vcmp';
        if (opc2 === 5) return out(e + cond + ty, `${vd(w, dbl)}, #0.0`);
        return two(e);
      }
      case 7:
        if (opc3 !== 3) return undefined;
        return dbl ? out('vcvt' + cond + '.f32.f64', `${vd(w, false)}, ${vm(w, true)}`) : out('vcvt' + cond + '.f64.f32', `${vd(w, true)}, ${vm(w, false)}`);
      case 8: {
        const src = bits(w, 7, 7) ? '.s32' : '.u32';
        return out('vcvt' + cond + ty + src, `${vd(w, dbl)}, ${vm(w, false)}`);
      }
      case 12: case 13: {
        const dst = opc2 === 13 ? '.s32' : '.u32';
        const mn = bits(w, 7, 7) ? 'vcvt' : 'vcvtr';
        return out(mn + cond + dst + ty, `${vd(w, false)}, ${vm(w, dbl)}`);
      }
      case 10: case 11: case 14: case 15: {
        const toFixed = bits(w, 18, 18) === 1, unsigned = bits(w, 16, 16) === 1, sx = bits(w, 7, 7);
        const size = sx ? 32 : 16;
        const imm = (bits(w, 3, 0) << 1) | bits(w, 5, 5);
        const fbits = size - imm;
        const fx = `.${unsigned ? 'u' : 's'}${size}`;
        const types = toFixed ? fx + ty : ty + fx;
        return out('vcvt' + cond + types, `${vd(w, dbl)}, ${vd(w, dbl)}, #${fbits}`);
      }
      default: return undefined;
    }
  }

  if (op === 0xe && bits(w, 4, 4) === 1) {
    const l = bits(w, 20, 20), opA = bits(w, 23, 21), rt = bits(w, 15, 12);
    if (!dbl) {
      if (opA === 0) {
        const s = sreg((bits(w, 19, 16) << 1) | bits(w, 7, 7));
        return l ? out('vmov' + cond, `${reg(rt)}, ${s}`) : out('vmov' + cond, `${s}, ${reg(rt)}`);
      }
      if (opA === 7) {
        const r = bits(w, 19, 16);
        const name = VMRS_REGS[r] ?? `<impl def 0x${hex(r)}>`;
        const comment = r === 9 || r === 10 ? 'Impl def' : undefined;
        if (l) return out('vmrs' + cond, `${rt === 15 && r === 1 ? 'APSR_nzcv' : reg(rt)}, ${name}`, comment);
        return out('vmsr' + cond, `${name}, ${reg(rt)}`, comment);
      }
      return undefined;
    }
    // scalar transfers: VMOV Dd[x], Rt and VMOV Rt, Dn[x]
    const opc1 = bits(w, 22, 21), opc2 = bits(w, 6, 5), u = bits(w, 23, 23);
    const d = dreg((bits(w, 7, 7) << 4) | bits(w, 19, 16));
    let size: string, index: number;
    if (opc1 & 2) { size = '8'; index = ((opc1 & 1) << 2) | opc2; }
    else if (opc2 & 1) { size = '16'; index = ((opc1 & 1) << 1) | (opc2 >> 1); }
    else if (opc2 === 0) { size = '32'; index = opc1 & 1; }
    else return undefined;
    if (l) {
      const t = size === '32' ? '.32' : `.${u ? 'u' : 's'}${size}`;
      return out('vmov' + cond + t, `${reg(rt)}, ${d}[${index}]`);
    }
    if (u) return undefined;
    return out('vmov' + cond + '.' + size, `${d}[${index}], ${reg(rt)}`);
  }

  if ((op & 0xe) === 0xc) {
    const p = bits(w, 24, 24), u = bits(w, 23, 23), wb = bits(w, 21, 21), l = bits(w, 20, 20), rn = bits(w, 19, 16), imm8 = bits(w, 7, 0);
    if (!p && !u && !wb) {
      if (bits(w, 22, 22) === 0) return undefined;
      // 64-bit transfers between two core registers and a double or two singles
      const rt = reg(bits(w, 15, 12)), rt2 = reg(bits(w, 19, 16));
      if (dbl) {
        const m = dreg((bits(w, 5, 5) << 4) | bits(w, 3, 0));
        return l ? out('vmov' + cond, `${rt}, ${rt2}, ${m}`) : out('vmov' + cond, `${m}, ${rt}, ${rt2}`);
      }
      const m = (bits(w, 3, 0) << 1) | bits(w, 5, 5);
      if (m === 31) return undefined;
      return l ? out('vmov' + cond, `${rt}, ${rt2}, ${sreg(m)}, ${sreg(m + 1)}`) : out('vmov' + cond, `${sreg(m)}, ${sreg(m + 1)}, ${rt}, ${rt2}`);
    }
    if (p && !wb) {
      // VLDR / VSTR
      const offset = imm8 * 4;
      const mn = (l ? 'vldr' : 'vstr') + cond;
      const base = offset === 0 && u ? `[${reg(rn)}]` : `[${reg(rn)}, #${u ? '' : '-'}${offset}]`;
      const ops = `${vd(w, dbl)}, ${base}`;
      if (rn === 15) {
        const target = (((addr + pcOffset) & ~3) + (u ? offset : -offset)) >>> 0;
        return out(mn, ops, targetText(target, sym), target);
      }
      const signed = u ? offset : -offset;
      return out(mn, ops, signed > 32 || signed < -16 ? `0x${hex(signed)}` : undefined);
    }
    if ((p && u) || (p && !wb)) return undefined;
    // VLDM / VSTM / VPUSH / VPOP / FLDMX / FSTMX
    const first = dbl ? (bits(w, 22, 22) << 4) | bits(w, 15, 12) : (bits(w, 15, 12) << 1) | bits(w, 22, 22);
    const x = dbl && (imm8 & 1) === 1;
    const count = dbl ? imm8 >> 1 : imm8;
    const list = regRange(first, count, dbl);
    if (x) return out(`f${l ? 'ldm' : 'stm'}${p ? 'db' : 'ia'}x${cond}`, `${reg(rn)}${wb ? '!' : ''}, ${list}`, 'Deprecated');
    if (rn === 13 && wb && !l && p) return out('vpush' + cond, list);
    if (rn === 13 && wb && l && !p) return out('vpop' + cond, list);
    return out(`v${l ? 'ldm' : 'stm'}${p ? 'db' : 'ia'}${cond}`, `${reg(rn)}${wb ? '!' : ''}, ${list}`);
  }
  return undefined;
}
