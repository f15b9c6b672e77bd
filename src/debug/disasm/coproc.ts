// Generic coprocessor instructions (other than VFP): CDP, MCR/MRC, MCRR/MRRC and LDC/STC, and their
// "2" forms. A32 and T32 share the encoding of the low 28 bits, so both disassemblers use this.
import { reg, assemble, targetText, hex, type Symbolizer } from './format';

function bits(w: number, hi: number, lo: number): number {
  return (w >>> lo) & ((1 << (hi - lo + 1)) - 1);
}

/** objdump's comment on a coprocessor offset: shown when above 32 or below -16. */
function offsetComment(signed: number): string | undefined {
  return signed > 32 || signed < -16 ? `0x${hex(signed)}` : undefined;
}

/**
 * `two`: the unconditional "2" form; `cond`: the condition text otherwise; `pcOffset`: 8 in ARM state,
 * 4 in Thumb. Returns undefined for encodings that are not coprocessor instructions.
 */
export function disassembleCoprocessor(w: number, addr: number, pcOffset: number, two: boolean, cond: string, sym?: Symbolizer): { text: string; target?: number } | undefined {
  const coproc = bits(w, 11, 8), op1 = bits(w, 25, 20);
  const sfx = two ? '2' : cond;
  if ((op1 & 0x3e) === 0x04) {
    const name = (op1 & 1 ? 'mrrc' : 'mcrr') + sfx;
    return { text: assemble(name, `${coproc}, ${bits(w, 7, 4)}, ${reg(bits(w, 15, 12))}, ${reg(bits(w, 19, 16))}, cr${bits(w, 3, 0)}`) };
  }
  if ((op1 & 0x30) === 0x20) {
    if (bits(w, 4, 4) === 0) {
      return { text: assemble('cdp' + sfx, `${coproc}, ${bits(w, 23, 20)}, cr${bits(w, 15, 12)}, cr${bits(w, 19, 16)}, cr${bits(w, 3, 0)}, {${bits(w, 7, 5)}}`) };
    }
    const l = bits(w, 20, 20), rt = bits(w, 15, 12);
    // Only the plain MRC spells r15 as APSR_nzcv.
    const rtName = l && rt === 15 && !two ? 'APSR_nzcv' : reg(rt);
    return { text: assemble((l ? 'mrc' : 'mcr') + sfx, `${coproc}, ${bits(w, 23, 21)}, ${rtName}, cr${bits(w, 19, 16)}, cr${bits(w, 3, 0)}, {${bits(w, 7, 5)}}`) };
  }
  if ((op1 & 0x20) !== 0 || (op1 & 0x3a) === 0) return undefined;
  const p = bits(w, 24, 24), u = bits(w, 23, 23), d = bits(w, 22, 22), wb = bits(w, 21, 21), l = bits(w, 20, 20);
  const rn = bits(w, 19, 16), imm8 = bits(w, 7, 0), offset = u ? imm8 * 4 : -imm8 * 4;
  const name = (l ? 'ldc' : 'stc') + (two ? '2' : '') + (d ? 'l' : '') + (two ? '' : cond);
  let address: string, comment: string | undefined, target: number | undefined;
  if (!p && !wb) {
    address = `[${reg(rn)}], {${imm8}}`;
    comment = imm8 > 32 ? `0x${hex(imm8)}` : undefined;
  } else if (!p) {
    address = `[${reg(rn)}], #${u ? '' : '-'}${imm8 * 4}`;
    comment = offsetComment(offset);
  } else {
    address = imm8 === 0 && u && !wb ? `[${reg(rn)}]` : `[${reg(rn)}, #${u ? '' : '-'}${imm8 * 4}]${wb ? '!' : ''}`;
    if (rn === 15) {
      target = (((addr + pcOffset) & ~3) + offset) >>> 0;
      comment = targetText(target, sym);
    } else comment = offsetComment(offset);
  }
  return { text: assemble(name, `${coproc}, cr${bits(w, 15, 12)}, ${address}`, comment), target };
}
