// T32 (Thumb-2) disassembler producing GNU objdump's text. Thumb output depends on the IT state
// (condition suffixes, and whether 16-bit data-processing forms print their "s"), so the caller
// threads an ItState through consecutive instructions, as objdump does.
import {
  COND, reg, regList, shiftName, assemble, targetText, hex, type Disassembled, type Symbolizer,
} from './format';
import { disassembleVfp, isVfpCoproc } from './vfp';
import { disassembleCoprocessor } from './coproc';

/** ITSTATE as the architecture keeps it: firstcond[7:4] and mask[3:0]; 0 outside an IT block. */
export type ItState = number;

export interface T32Result extends Disassembled {
  /** IT state for the next instruction. */
  nextIt: ItState;
}

function bits(w: number, hi: number, lo: number): number {
  return (w >>> lo) & ((1 << (hi - lo + 1)) - 1);
}

function advanceIt(it: number): number {
  if ((it & 7) === 0) return 0;
  return (it & 0xe0) | ((it << 1) & 0x1f);
}

/** Is a 16-bit halfword the first half of a 32-bit instruction? */
export function isT32Wide(hw1: number): boolean {
  return (hw1 >>> 11) >= 0x1d;
}

interface Ctx {
  addr: number;
  /** Condition suffix inside an IT block ('' outside or for AL). */
  cond: string;
  inIt: boolean;
  sym?: Symbolizer;
}

type Out = { text: string; target?: number; it?: number };
const out = (mn: string, ops: string, comment?: string, target?: number): Out => ({ text: assemble(mn, ops, comment), target });

/** Thumb immediates print unsigned, with the hex comment above 32 (objdump's %d/%lu of the value). */
function immU(v: number): { text: string; comment?: string } {
  const u = v >>> 0;
  return { text: `#${u}`, comment: u > 32 ? `0x${hex(u)}` : undefined };
}

function undefined16(hw: number): Out {
  return { text: `\t\t@ <UNDEFINED> instruction: 0x${hex(hw).padStart(4, '0')}` };
}
function undefined32(w: number): Out {
  return { text: `\t\t@ <UNDEFINED> instruction: 0x${hex(w).padStart(8, '0')}` };
}

// ---- 16-bit --------------------------------------------------------------------------------------

const DP16 = ['and', 'eor', 'lsl', 'lsr', 'asr', 'adc', 'sbc', 'ror', 'tst', 'neg', 'cmp', 'cmn', 'orr', 'mul', 'bic', 'mvn'];

function thumb16(hw: number, c: Ctx): Out {
  const s = c.inIt ? '' : 's';
  const cs = s + c.cond; // flag-setting suffix outside IT, condition inside
  const op = hw >>> 10;
  if ((hw >>> 14) === 0) {
    const op5 = bits(hw, 13, 11);
    const rd = reg(bits(hw, 2, 0)), rm = reg(bits(hw, 5, 3));
    if (op5 < 3) {
      const imm = bits(hw, 10, 6);
      if (op5 === 0 && imm === 0) return out(c.inIt ? 'mov' + c.cond : 'movs', `${rd}, ${rm}`);
      return out(['lsl', 'lsr', 'asr'][op5] + cs, `${rd}, ${rm}, #${imm === 0 ? 32 : imm}`);
    }
    if (op5 === 3) {
      const sub = bits(hw, 9, 9), immForm = bits(hw, 10, 10);
      const third = immForm ? `#${bits(hw, 8, 6)}` : reg(bits(hw, 8, 6));
      return out((sub ? 'sub' : 'add') + cs, `${rd}, ${rm}, ${third}`);
    }
    const rdn = reg(bits(hw, 10, 8)), imm = immU(bits(hw, 7, 0));
    switch (bits(hw, 12, 11)) {
      case 0: return out('mov' + cs, `${rdn}, ${imm.text}`, imm.comment);
      case 1: return out('cmp' + c.cond, `${rdn}, ${imm.text}`, imm.comment);
      case 2: return out('add' + cs, `${rdn}, ${imm.text}`, imm.comment);
      default: return out('sub' + cs, `${rdn}, ${imm.text}`, imm.comment);
    }
  }
  if (op === 0x10) {
    const opc = bits(hw, 9, 6), rdn = reg(bits(hw, 2, 0)), rm = reg(bits(hw, 5, 3));
    const name = DP16[opc];
    if (opc === 8 || opc === 10 || opc === 11) return out(name + c.cond, `${rdn}, ${rm}`);
    if (opc === 13) return out('mul' + cs, `${rdn}, ${rm}`);
    return out(name + cs, `${rdn}, ${rm}`);
  }
  if (op === 0x11) {
    const opc = bits(hw, 9, 8);
    const rdn = reg((bits(hw, 7, 7) << 3) | bits(hw, 2, 0)), rm = reg(bits(hw, 6, 3));
    if (opc === 0) return out('add' + c.cond, `${rdn}, ${rm}`);
    if (opc === 1) return out('cmp' + c.cond, `${rdn}, ${rm}`);
    if (opc === 2) return out('mov' + c.cond, `${rdn}, ${rm}`);
    return out((bits(hw, 7, 7) ? 'blx' : 'bx') + c.cond, rm);
  }
  if ((hw >>> 11) === 0x09) {
    const imm = bits(hw, 7, 0) * 4;
    const target = (((c.addr + 4) & ~3) + imm) >>> 0;
    return out('ldr' + c.cond, `${reg(bits(hw, 10, 8))}, [pc, #${imm}]`, `(${targetText(target, c.sym)})`, target);
  }
  if ((hw >>> 12) === 0x5) {
    const names = ['str', 'strh', 'strb', 'ldrsb', 'ldr', 'ldrh', 'ldrb', 'ldrsh'];
    return out(names[bits(hw, 11, 9)] + c.cond, `${reg(bits(hw, 2, 0))}, [${reg(bits(hw, 5, 3))}, ${reg(bits(hw, 8, 6))}]`);
  }
  if ((hw >>> 13) === 0x3 || (hw >>> 12) === 0x8) {
    const l = bits(hw, 11, 11);
    let name: string, scale: number;
    if ((hw >>> 12) === 0x8) { name = l ? 'ldrh' : 'strh'; scale = 2; }
    else if (bits(hw, 12, 12)) { name = l ? 'ldrb' : 'strb'; scale = 1; }
    else { name = l ? 'ldr' : 'str'; scale = 4; }
    const imm = immU(bits(hw, 10, 6) * scale);
    return out(name + c.cond, `${reg(bits(hw, 2, 0))}, [${reg(bits(hw, 5, 3))}, ${imm.text}]`, imm.comment);
  }
  if ((hw >>> 12) === 0x9) {
    const imm = immU(bits(hw, 7, 0) * 4);
    return out((bits(hw, 11, 11) ? 'ldr' : 'str') + c.cond, `${reg(bits(hw, 10, 8))}, [sp, ${imm.text}]`, imm.comment);
  }
  if ((hw >>> 11) === 0x14) {
    const imm = bits(hw, 7, 0) * 4, rd = reg(bits(hw, 10, 8));
    const target = (((c.addr + 4) & ~3) + imm) >>> 0;
    return out('add' + c.cond, `${rd}, pc, #${imm}`, `(adr ${rd}, ${targetText(target, c.sym)})`, target);
  }
  if ((hw >>> 11) === 0x15) {
    const imm = immU(bits(hw, 7, 0) * 4);
    return out('add' + c.cond, `${reg(bits(hw, 10, 8))}, sp, ${imm.text}`, imm.comment);
  }
  if ((hw >>> 12) === 0xb) return misc16(hw, c);
  if ((hw >>> 12) === 0xc) {
    const l = bits(hw, 11, 11), rn = bits(hw, 10, 8), list = bits(hw, 7, 0);
    const wb = l ? (list & (1 << rn)) === 0 : true;
    return out((l ? 'ldmia' : 'stmia') + c.cond, `${reg(rn)}${wb ? '!' : ''}, ${regList(list)}`);
  }
  if ((hw >>> 12) === 0xd) {
    const cond = bits(hw, 11, 8);
    if (cond === 14) { const im = immU(bits(hw, 7, 0)); return out('udf', im.text, im.comment); }
    if (cond === 15) { const v = bits(hw, 7, 0); return out('svc' + c.cond, String(v), v > 32 ? `0x${hex(v)}` : undefined); }
    const target = (c.addr + 4 + ((bits(hw, 7, 0) << 24) >> 23)) >>> 0;
    return out(`b${COND[cond]}.n`, targetText(target, c.sym), undefined, target);
  }
  if ((hw >>> 11) === 0x1c) {
    const target = (c.addr + 4 + ((bits(hw, 10, 0) << 21) >> 20)) >>> 0;
    return out(`b${c.cond}.n`, targetText(target, c.sym), undefined, target);
  }
  return undefined16(hw);
}

const IT_HINTS: Record<number, string> = { 0: 'nop', 1: 'yield', 2: 'wfe', 3: 'wfi', 4: 'sev' };

function misc16(hw: number, c: Ctx): Out {
  const op = bits(hw, 11, 5);
  if ((op & 0x7c) === 0x00) return out('add' + c.cond, `sp, #${bits(hw, 6, 0) * 4}`, bits(hw, 6, 0) * 4 > 32 ? `0x${hex(bits(hw, 6, 0) * 4)}` : undefined);
  if ((op & 0x7c) === 0x04) return out('sub' + c.cond, `sp, #${bits(hw, 6, 0) * 4}`, bits(hw, 6, 0) * 4 > 32 ? `0x${hex(bits(hw, 6, 0) * 4)}` : undefined);
  if ((op & 0x28) === 0x08) {
    const imm = (bits(hw, 9, 9) << 6) | (bits(hw, 7, 3) << 1);
    const target = (c.addr + 4 + imm) >>> 0;
    return out((bits(hw, 11, 11) ? 'cbnz' : 'cbz') + c.cond, `${reg(bits(hw, 2, 0))}, ${targetText(target, c.sym)}`, undefined, target);
  }
  if ((op & 0x78) === 0x10) {
    const names = ['sxth', 'sxtb', 'uxth', 'uxtb'];
    return out(names[bits(hw, 7, 6)] + c.cond, `${reg(bits(hw, 2, 0))}, ${reg(bits(hw, 5, 3))}`);
  }
  if ((op & 0x70) === 0x20) return out('push' + c.cond, regList(bits(hw, 7, 0) | (bits(hw, 8, 8) << 14)));
  if ((op & 0x70) === 0x60) return out('pop' + c.cond, regList(bits(hw, 7, 0) | (bits(hw, 8, 8) << 15)));
  if (op === 0x32) return out('setend', bits(hw, 3, 3) ? 'be' : 'le');
  if (op === 0x33) {
    const flags = (bits(hw, 2, 2) ? 'a' : '') + (bits(hw, 1, 1) ? 'i' : '') + (bits(hw, 0, 0) ? 'f' : '');
    return out(bits(hw, 4, 4) ? 'cpsid' : 'cpsie', flags);
  }
  if ((op & 0x78) === 0x50) {
    const names = ['rev', 'rev16', undefined, 'revsh'];
    const name = names[bits(hw, 7, 6)];
    if (!name) return undefined16(hw);
    return out(name + c.cond, `${reg(bits(hw, 2, 0))}, ${reg(bits(hw, 5, 3))}`);
  }
  if ((op & 0x78) === 0x70) return out('bkpt', `0x${hex(bits(hw, 7, 0)).padStart(4, '0')}`);
  if ((op & 0x78) === 0x78) {
    const firstcond = bits(hw, 7, 4), mask = bits(hw, 3, 0);
    if (mask === 0) {
      const name = IT_HINTS[firstcond];
      return name ? out(name + c.cond, '') : out('nop' + c.cond, `{${firstcond}}`);
    }
    // IT: the letters after "it" say, for each further instruction, then (t) or else (e).
    let letters = '';
    const tz = mask & -mask;
    for (let b = 3; (1 << b) > tz; b--) letters += ((mask >> b) & 1) === (firstcond & 1) ? 't' : 'e';
    return { text: assemble('it' + letters, COND[firstcond] || 'al'), it: (firstcond << 4) | mask };
  }
  return undefined16(hw);
}

// ---- 32-bit --------------------------------------------------------------------------------------

/** ThumbExpandImm: the modified immediate of T32 data-processing instructions. */
function thumbExpandImm(imm12: number): number {
  if ((imm12 >>> 10) === 0) {
    const b = imm12 & 0xff;
    switch ((imm12 >>> 8) & 3) {
      case 0: return b;
      case 1: return (b << 16 | b) >>> 0;
      case 2: return ((b << 24) | (b << 8)) >>> 0;
      default: return ((b << 24) | (b << 16) | (b << 8) | b) >>> 0;
    }
  }
  const unrot = 0x80 | (imm12 & 0x7f), rot = imm12 >>> 7;
  return ((unrot >>> rot) | (unrot << (32 - rot))) >>> 0;
}

const DP32 = ['and', 'bic', 'orr', 'orn', 'eor', undefined, 'pkh', undefined, 'add', undefined, 'adc', 'sbc', undefined, 'sub', 'rsb', undefined];
/** Data-processing ops that have a 16-bit encoding too, so their 32-bit form prints ".w". */
const HAS_NARROW = new Set(['and', 'bic', 'orr', 'eor', 'add', 'adc', 'sbc', 'sub', 'mov', 'mvn', 'cmp', 'cmn', 'tst']);

function dataProcessing32(w: number, c: Ctx, immediate: boolean): Out {
  const op = bits(w, 24, 21), s = bits(w, 20, 20), rn = bits(w, 19, 16), rd = bits(w, 11, 8);
  let operand: string, comment: string | undefined;
  if (immediate) {
    const imm12 = (bits(w, 26, 26) << 11) | (bits(w, 14, 12) << 8) | bits(w, 7, 0);
    const im = immU(thumbExpandImm(imm12));
    operand = im.text; comment = im.comment;
  } else {
    const type = bits(w, 5, 4), amount = (bits(w, 14, 12) << 2) | bits(w, 7, 6);
    let sh = '';
    if (type === 3 && amount === 0) sh = ', rrx';
    else if (!(type === 0 && amount === 0)) sh = `, ${shiftName(type)} #${amount === 0 ? 32 : amount}`;
    operand = reg(bits(w, 3, 0)) + sh;
  }
  const sfx = (s ? 's' : '') + c.cond;
  const wide = (name: string) => (HAS_NARROW.has(name) ? '.w' : '');
  if (op === 0 && rd === 15 && s) return out('tst' + c.cond + wide('tst'), `${reg(rn)}, ${operand}`, comment);
  if (op === 4 && rd === 15 && s) return out('teq' + c.cond, `${reg(rn)}, ${operand}`, comment);
  if (op === 8 && rd === 15 && s) return out('cmn' + c.cond + wide('cmn'), `${reg(rn)}, ${operand}`, comment);
  if (op === 13 && rd === 15 && s) return out('cmp' + c.cond + wide('cmp'), `${reg(rn)}, ${operand}`, comment);
  if (op === 2 && rn === 15) {
    if (!immediate) {
      const type = bits(w, 5, 4), amount = (bits(w, 14, 12) << 2) | bits(w, 7, 6);
      // objdump prints register moves with a shift as mov.w with the shift operand.
      void type; void amount;
    }
    return out('mov' + sfx + wide('mov'), `${reg(rd)}, ${operand}`, comment);
  }
  if (op === 3 && rn === 15) return out('mvn' + sfx + wide('mvn'), `${reg(rd)}, ${operand}`, comment);
  if (op === 6 && !immediate) {
    const tb = bits(w, 5, 5), amount = (bits(w, 14, 12) << 2) | bits(w, 7, 6);
    if (tb) return out('pkhtb' + c.cond, `${reg(rd)}, ${reg(rn)}, ${reg(bits(w, 3, 0))}, asr #${amount === 0 ? 32 : amount}`);
    return out('pkhbt' + c.cond, `${reg(rd)}, ${reg(rn)}, ${reg(bits(w, 3, 0))}${amount ? `, lsl #${amount}` : ''}`);
  }
  const name = DP32[op];
  if (!name || name === 'pkh') return undefined32(w);
  return out(name + sfx + wide(name), `${reg(rd)}, ${reg(rn)}, ${operand}`, comment);
}

function plainImmediate(w: number, c: Ctx): Out {
  const op = bits(w, 24, 20), rn = bits(w, 19, 16), rd = bits(w, 11, 8);
  const imm12 = (bits(w, 26, 26) << 11) | (bits(w, 14, 12) << 8) | bits(w, 7, 0);
  switch (op) {
    case 0: case 10: {
      if (rn === 15) {
        const target = (((c.addr + 4) & ~3) + (op === 0 ? imm12 : -imm12)) >>> 0;
        return out((op === 0 ? 'addw' : 'subw') + c.cond, `${reg(rd)}, pc, #${imm12}`, `${targetText(target, c.sym)}`, target);
      }
      const im = immU(imm12);
      return out((op === 0 ? 'addw' : 'subw') + c.cond, `${reg(rd)}, ${reg(rn)}, ${im.text}`, im.comment);
    }
    case 4: case 12: {
      const im = immU((bits(w, 19, 16) << 12) | imm12);
      return out((op === 4 ? 'movw' : 'movt') + c.cond, `${reg(rd)}, ${im.text}`, im.comment);
    }
    case 16: case 18: case 24: case 26: {
      const sat = bits(w, 4, 0), sh = bits(w, 21, 21), amount = (bits(w, 14, 12) << 2) | bits(w, 7, 6);
      const unsigned = op >= 24;
      if (sh && amount === 0) {
        return out((unsigned ? 'usat16' : 'ssat16') + c.cond, `${reg(rd)}, #${unsigned ? sat : sat + 1}, ${reg(rn)}`);
      }
      const shift = sh ? `, asr #${amount}` : amount ? `, lsl #${amount}` : '';
      return out((unsigned ? 'usat' : 'ssat') + c.cond, `${reg(rd)}, #${unsigned ? sat : sat + 1}, ${reg(rn)}${shift}`);
    }
    case 20: case 28: {
      const lsb = (bits(w, 14, 12) << 2) | bits(w, 7, 6), width = bits(w, 4, 0) + 1;
      return out((op === 20 ? 'sbfx' : 'ubfx') + c.cond, `${reg(rd)}, ${reg(rn)}, #${lsb}, #${width}`);
    }
    case 22: {
      const lsb = (bits(w, 14, 12) << 2) | bits(w, 7, 6), msb = bits(w, 4, 0);
      if (rn === 15) return out('bfc' + c.cond, `${reg(rd)}, #${lsb}, #${msb - lsb + 1}`);
      return out('bfi' + c.cond, `${reg(rd)}, ${reg(rn)}, #${lsb}, #${msb - lsb + 1}`);
    }
  }
  return undefined32(w);
}

const BARRIER: Record<number, string> = { 15: 'sy', 14: 'st', 13: 'ld', 11: 'ish', 10: 'ishst', 9: 'ishld', 7: 'un', 6: 'unst', 5: 'nshld', 3: 'osh', 2: 'oshst', 1: 'oshld' };

function bankedName(r: number, sysm: number): string | undefined {
  const usr = ['R8_usr', 'R9_usr', 'R10_usr', 'R11_usr', 'R12_usr', 'SP_usr', 'LR_usr', undefined, 'R8_fiq', 'R9_fiq', 'R10_fiq', 'R11_fiq', 'R12_fiq', 'SP_fiq', 'LR_fiq', undefined,
    'LR_irq', 'SP_irq', 'LR_svc', 'SP_svc', 'LR_abt', 'SP_abt', 'LR_und', 'SP_und', undefined, undefined, undefined, undefined, 'LR_mon', 'SP_mon', 'ELR_hyp', 'SP_hyp'];
  const spsr: Record<number, string> = { 14: 'SPSR_fiq', 16: 'SPSR_irq', 18: 'SPSR_svc', 20: 'SPSR_abt', 22: 'SPSR_und', 28: 'SPSR_mon', 30: 'SPSR_hyp' };
  return r ? spsr[sysm] : usr[sysm];
}

function branchesAndMisc(w: number, c: Ctx): Out {
  const op1 = bits(w, 14, 12), op = bits(w, 26, 20);
  if ((op1 & 5) === 0) {
    if ((op & 0x38) !== 0x38) {
      // conditional branch B<c>.W
      const imm = ((bits(w, 26, 26) << 20) | (bits(w, 11, 11) << 19) | (bits(w, 13, 13) << 18) | (bits(w, 21, 16) << 12) | (bits(w, 10, 0) << 1));
      const target = (c.addr + 4 + ((imm << 11) >> 11)) >>> 0;
      return out(`b${COND[bits(w, 25, 22)]}.w`, targetText(target, c.sym), undefined, target);
    }
    if ((op & 0x7e) === 0x38) {
      const rn = bits(w, 19, 16);
      if (bits(w, 5, 5)) {
        const sysm = (bits(w, 4, 4) << 4) | bits(w, 11, 8);
        const name = bankedName(bits(w, 20, 20), sysm);
        return name ? out('msr' + c.cond, `${name}, ${reg(rn)}`) : undefined32(w);
      }
      const mask = bits(w, 11, 8);
      const fields = (mask & 8 ? 'f' : '') + (mask & 4 ? 's' : '') + (mask & 2 ? 'x' : '') + (mask & 1 ? 'c' : '');
      return out('msr' + c.cond, `${bits(w, 20, 20) ? 'SPSR' : 'CPSR'}_${fields}, ${reg(rn)}`);
    }
    if (op === 0x3a) {
      const op1b = bits(w, 10, 8), op2 = bits(w, 7, 0);
      if (op1b === 0) {
        const names: Record<number, string> = { 0: 'nop', 1: 'yield', 2: 'wfe', 3: 'wfi', 4: 'sev', 0x14: 'csdb' };
        if (names[op2]) return out(names[op2] + c.cond + '.w', '');
        if ((op2 & 0xf0) === 0xf0) return out('dbg' + c.cond, `#${op2 & 15}`);
        return out('nop' + c.cond + '.w', `{${op2}}`);
      }
      const imod = bits(w, 10, 9), m = bits(w, 8, 8);
      const flags = (bits(w, 7, 7) ? 'a' : '') + (bits(w, 6, 6) ? 'i' : '') + (bits(w, 5, 5) ? 'f' : '');
      if (imod >= 2) return out(imod === 2 ? 'cpsie' : 'cpsid', m ? `${flags}, #${bits(w, 4, 0)}` : `${flags}.w`);
      if (m) return out('cps', `#${bits(w, 4, 0)}`);
      return undefined32(w);
    }
    if (op === 0x3b) {
      const opc = bits(w, 7, 4), opt = bits(w, 3, 0);
      switch (opc) {
        case 2: return out('clrex' + c.cond, '');
        case 4: return out('dsb' + c.cond, opt === 0 ? '#0' : BARRIER[opt] ?? `#${opt}`);
        case 5: return out('dmb' + c.cond, BARRIER[opt] ?? `#${opt}`);
        case 6: return out('isb' + c.cond, opt === 15 ? 'sy' : `#${opt}`);
      }
      return undefined32(w);
    }
    if (op === 0x3c) return out('bxj' + c.cond, reg(bits(w, 19, 16)));
    if (op === 0x3d) return out('subs' + c.cond, `pc, lr, #${bits(w, 7, 0)}`);
    if ((op & 0x7e) === 0x3e) {
      if (bits(w, 5, 5)) {
        const sysm = (bits(w, 4, 4) << 4) | bits(w, 19, 16);
        const name = bankedName(bits(w, 20, 20), sysm);
        return name ? out('mrs' + c.cond, `${reg(bits(w, 11, 8))}, ${name}`) : undefined32(w);
      }
      return out('mrs' + c.cond, `${reg(bits(w, 11, 8))}, ${bits(w, 20, 20) ? 'SPSR' : 'CPSR'}`);
    }
    if (op === 0x7e && op1 === 0) {
      const imm16 = (bits(w, 19, 16) << 12) | bits(w, 11, 0);
      const im = immU(imm16);
      return out('hvc', im.text, im.comment);
    }
    if (op === 0x7f && op1 === 0) return out('smc' + c.cond, `#${bits(w, 19, 16)}`);
    if (op === 0x7f && op1 === 2) {
      const im = immU((bits(w, 19, 16) << 12) | bits(w, 11, 0));
      return out('udf.w', im.text, im.comment);
    }
    return undefined32(w);
  }
  // B.W, BL, BLX (immediate)
  const sBit = bits(w, 26, 26), j1 = bits(w, 13, 13), j2 = bits(w, 11, 11);
  const i1 = 1 - (j1 ^ sBit), i2 = 1 - (j2 ^ sBit);
  const imm = (sBit << 24) | (i1 << 23) | (i2 << 22) | (bits(w, 25, 16) << 12) | (bits(w, 10, 0) << 1);
  const offset = (imm << 7) >> 7;
  if ((op1 & 5) === 1) {
    const target = (c.addr + 4 + offset) >>> 0;
    return out(`b${c.cond}.w`, targetText(target, c.sym), undefined, target);
  }
  if ((op1 & 5) === 5) {
    const target = (c.addr + 4 + offset) >>> 0;
    return out('bl' + c.cond, targetText(target, c.sym), undefined, target);
  }
  const target = (((c.addr + 4) & ~3) + (offset & ~3)) >>> 0;
  return out('blx' + c.cond, targetText(target, c.sym), undefined, target);
}

function loadStoreMultiple(w: number, c: Ctx): Out {
  const op = bits(w, 24, 23), wb = bits(w, 21, 21), l = bits(w, 20, 20), rn = bits(w, 19, 16), list = bits(w, 15, 0);
  if (op === 0 || op === 3) {
    if (l) return out('rfe' + (op === 0 ? 'db' : 'ia') + c.cond, `${reg(rn)}${wb ? '!' : ''}`);
    return out('srs' + (op === 0 ? 'db' : 'ia') + c.cond, `sp${wb ? '!' : ''}, #${bits(w, 4, 0)}`);
  }
  if (op === 1) {
    const name = l ? 'ldmia' : 'stmia';
    return out(name + c.cond + '.w', `${reg(rn)}${wb ? '!' : ''}, ${regList(list)}`);
  }
  return out((l ? 'ldmdb' : 'stmdb') + c.cond, `${reg(rn)}${wb ? '!' : ''}, ${regList(list)}`);
}

function loadStoreDualExclusive(w: number, c: Ctx): Out {
  const op1 = bits(w, 24, 23), op2 = bits(w, 21, 20), op3 = bits(w, 7, 4);
  const rn = bits(w, 19, 16), rt = bits(w, 15, 12), rt2 = bits(w, 11, 8), rd = bits(w, 3, 0);
  if (op1 === 0 && op2 === 0) {
    const imm = bits(w, 7, 0) * 4;
    return out('strex' + c.cond, `${reg(rt2)}, ${reg(rt)}, [${reg(rn)}${imm ? `, #${imm}` : ''}]`);
  }
  if (op1 === 0 && op2 === 1) {
    const imm = bits(w, 7, 0) * 4;
    return out('ldrex' + c.cond, `${reg(rt)}, [${reg(rn)}${imm ? `, #${imm}` : ''}]`);
  }
  if (op1 === 1 && op2 === 0) {
    if (op3 === 4) return out('strexb' + c.cond, `${reg(rd)}, ${reg(rt)}, [${reg(rn)}]`);
    if (op3 === 5) return out('strexh' + c.cond, `${reg(rd)}, ${reg(rt)}, [${reg(rn)}]`);
    if (op3 === 7) return out('strexd' + c.cond, `${reg(rd)}, ${reg(rt)}, ${reg(rt2)}, [${reg(rn)}]`);
    return undefined32(w);
  }
  if (op1 === 1 && op2 === 1) {
    if (op3 === 0) return out('tbb' + c.cond, `[${reg(rn)}, ${reg(rd)}]`);
    if (op3 === 1) return out('tbh' + c.cond, `[${reg(rn)}, ${reg(rd)}, lsl #1]`);
    if (op3 === 4) return out('ldrexb' + c.cond, `${reg(rt)}, [${reg(rn)}]`);
    if (op3 === 5) return out('ldrexh' + c.cond, `${reg(rt)}, [${reg(rn)}]`);
    if (op3 === 7) return out('ldrexd' + c.cond, `${reg(rt)}, ${reg(rt2)}, [${reg(rn)}]`);
    return undefined32(w);
  }
  // LDRD / STRD (immediate)
  const p = bits(w, 24, 24), u = bits(w, 23, 23), wb = bits(w, 21, 21), l = bits(w, 20, 20);
  const imm = bits(w, 7, 0) * 4;
  const off = `#${u ? '' : '-'}${imm}`;
  let addr: string;
  if (!p) addr = `[${reg(rn)}], ${off}`;
  else if (imm === 0 && u && !wb) addr = `[${reg(rn)}]`;
  else addr = `[${reg(rn)}, ${off}]${wb ? '!' : ''}`;
  const ops = `${reg(rt)}, ${reg(rt2)}, ${addr}`;
  if (rn === 15 && p && !wb) {
    const target = (((c.addr + 4) & ~3) + (u ? imm : -imm)) >>> 0;
    return out((l ? 'ldrd' : 'strd') + c.cond, ops, targetText(target, c.sym), target);
  }
  // objdump's comment here is the offset's magnitude, whatever its sign.
  return out((l ? 'ldrd' : 'strd') + c.cond, ops, imm > 32 ? `0x${hex(imm)}` : undefined);
}

/** Loads and stores of single registers, and memory hints. */
function loadStoreSingle(w: number, c: Ctx): Out {
  const size = bits(w, 22, 21), l = bits(w, 20, 20), signed = bits(w, 24, 24), rn = bits(w, 19, 16), rt = bits(w, 15, 12);
  const base = ['b', 'h', '', ''][size];
  if (size === 3) return undefined32(w);
  let name = (l ? 'ldr' : 'str') + (signed ? 's' : '') + base;
  if (!l && signed) return undefined32(w);
  const hint = l && rt === 15 && size !== 2;
  if (hint) name = signed ? 'pli' : size === 0 ? 'pld' : 'pldw';
  const narrow = !signed || size !== 2; // ldr/str/ldrb/strb/ldrh/strh/ldrsb/ldrsh have 16-bit forms
  const wide = hint ? '' : narrow ? '.w' : '';
  const rtText = hint ? '' : `${reg(rt)}, `;
  const mn = (s: string) => name + c.cond + s;
  if (rn === 15) {
    const u = bits(w, 23, 23), imm = bits(w, 11, 0);
    const target = (((c.addr + 4) & ~3) + (u ? imm : -imm)) >>> 0;
    return out(mn(wide), `${rtText}[pc, #${u ? '' : '-'}${imm}]`, targetText(target, c.sym), target);
  }
  if (bits(w, 23, 23)) {
    const imm = bits(w, 11, 0);
    if (imm === 0) return out(mn(wide), `${rtText}[${reg(rn)}]`);
    const im = immU(imm);
    return out(mn(wide), `${rtText}[${reg(rn)}, ${im.text}]`, im.comment);
  }
  const op2 = bits(w, 11, 6);
  if (op2 === 0) {
    const sh = bits(w, 5, 4);
    return out(mn(wide), `${rtText}[${reg(rn)}, ${reg(bits(w, 3, 0))}${sh ? `, lsl #${sh}` : ''}]`);
  }
  const imm8 = bits(w, 7, 0), p = bits(w, 10, 10), u = bits(w, 9, 9), wb = bits(w, 8, 8);
  if ((op2 & 0x3c) === 0x38) {
    // unprivileged: LDRT etc.
    return out(name.replace(/^(ldr|str)(s?[bh]?)$/, '$1$2t') + c.cond, `${rtText}[${reg(rn)}${imm8 ? `, #${imm8}` : ''}]`);
  }
  if ((op2 & 0x3c) === 0x30 && !wb) {
    return out(mn(wide), `${rtText}[${reg(rn)}, #-${imm8}]`);
  }
  if ((op2 & 0x24) === 0x24) {
    const off = `#${u ? '' : '-'}${imm8}`;
    if (!p) return out(mn(wide), `${rtText}[${reg(rn)}], ${off}`);
    return out(mn(wide), `${rtText}[${reg(rn)}, ${off}]!`);
  }
  return undefined32(w);
}

const PAR_PREFIX = ['s', 'q', 'sh', undefined, 'u', 'uq', 'uh', undefined];
const PAR_OP = ['add8', 'add16', 'asx', undefined, 'sub8', 'sub16', 'sax', undefined];

function dataProcessingRegister(w: number, c: Ctx): Out {
  const op1 = bits(w, 23, 20), op2 = bits(w, 7, 4), rn = bits(w, 19, 16), rd = bits(w, 11, 8), rm = bits(w, 3, 0);
  if ((op1 & 8) === 0 && op2 === 0) {
    const name = shiftName(bits(w, 22, 21));
    return out(name + (bits(w, 20, 20) ? 's' : '') + c.cond + '.w', `${reg(rd)}, ${reg(rn)}, ${reg(rm)}`);
  }
  if ((op1 & 8) === 0 && (op2 & 8) === 8) {
    const names = ['sxtah', 'uxtah', 'sxtab16', 'uxtab16', 'sxtab', 'uxtab'];
    const name = names[op1];
    if (!name) return undefined32(w);
    const rot = bits(w, 5, 4) * 8;
    const rotText = rot ? `, ror #${rot}` : '';
    if (rn === 15) {
      const short = name.replace('xta', 'xt');
      const wide = (short === 'sxth' || short === 'uxth' || short === 'sxtb' || short === 'uxtb') ? '.w' : '';
      return out(short + c.cond + wide, `${reg(rd)}, ${reg(rm)}${rotText}`);
    }
    return out(name + c.cond, `${reg(rd)}, ${reg(rn)}, ${reg(rm)}${rotText}`);
  }
  if ((op1 & 8) === 8 && (op2 & 8) === 0) {
    const prefix = PAR_PREFIX[(bits(w, 6, 6) << 2) | bits(w, 5, 4)], op = PAR_OP[op1 & 7];
    if (!prefix || !op) return undefined32(w);
    return out(prefix + op + c.cond, `${reg(rd)}, ${reg(rn)}, ${reg(rm)}`);
  }
  if ((op1 & 0xc) === 8 && (op2 & 0xc) === 8) {
    const sel = ((op1 & 3) << 2) | (op2 & 3);
    switch (sel) {
      case 0: return out('qadd' + c.cond, `${reg(rd)}, ${reg(rm)}, ${reg(rn)}`);
      case 1: return out('qdadd' + c.cond, `${reg(rd)}, ${reg(rm)}, ${reg(rn)}`);
      case 2: return out('qsub' + c.cond, `${reg(rd)}, ${reg(rm)}, ${reg(rn)}`);
      case 3: return out('qdsub' + c.cond, `${reg(rd)}, ${reg(rm)}, ${reg(rn)}`);
      case 4: return out('rev' + c.cond + '.w', `${reg(rd)}, ${reg(rm)}`);
      case 5: return out('rev16' + c.cond + '.w', `${reg(rd)}, ${reg(rm)}`);
      case 6: return out('rbit' + c.cond, `${reg(rd)}, ${reg(rm)}`);
      case 7: return out('revsh' + c.cond + '.w', `${reg(rd)}, ${reg(rm)}`);
      case 8: return out('sel' + c.cond, `${reg(rd)}, ${reg(rn)}, ${reg(rm)}`);
      case 12: return out('clz' + c.cond, `${reg(rd)}, ${reg(rm)}`);
    }
  }
  return undefined32(w);
}

function multiply32(w: number, c: Ctx): Out {
  const op1 = bits(w, 22, 20), op2 = bits(w, 5, 4), rn = reg(bits(w, 19, 16)), raN = bits(w, 15, 12), ra = reg(raN), rd = reg(bits(w, 11, 8)), rm = reg(bits(w, 3, 0));
  const acc = raN !== 15;
  switch (op1) {
    case 0:
      if (op2 === 0) return acc ? out('mla' + c.cond, `${rd}, ${rn}, ${rm}, ${ra}`) : out('mul' + c.cond + '.w', `${rd}, ${rn}, ${rm}`);
      if (op2 === 1) return out('mls' + c.cond, `${rd}, ${rn}, ${rm}, ${ra}`);
      break;
    case 1: {
      const xy = (bits(w, 5, 5) ? 't' : 'b') + (bits(w, 4, 4) ? 't' : 'b');
      return acc ? out(`smla${xy}${c.cond}`, `${rd}, ${rn}, ${rm}, ${ra}`) : out(`smul${xy}${c.cond}`, `${rd}, ${rn}, ${rm}`);
    }
    case 2: case 4: {
      if (op2 > 1) break;
      const x = op2 ? 'x' : '';
      const base = op1 === 2 ? 'sm' + (acc ? 'lad' : 'uad') : 'sm' + (acc ? 'lsd' : 'usd');
      return acc ? out(base + x + c.cond, `${rd}, ${rn}, ${rm}, ${ra}`) : out(base + x + c.cond, `${rd}, ${rn}, ${rm}`);
    }
    case 3: {
      if (op2 > 1) break;
      const y = op2 ? 't' : 'b';
      return acc ? out(`smlaw${y}${c.cond}`, `${rd}, ${rn}, ${rm}, ${ra}`) : out(`smulw${y}${c.cond}`, `${rd}, ${rn}, ${rm}`);
    }
    case 5: {
      if (op2 > 1) break;
      const r = op2 ? 'r' : '';
      return acc ? out(`smmla${r}${c.cond}`, `${rd}, ${rn}, ${rm}, ${ra}`) : out(`smmul${r}${c.cond}`, `${rd}, ${rn}, ${rm}`);
    }
    case 6: {
      if (op2 > 1) break;
      return out(`smmls${op2 ? 'r' : ''}${c.cond}`, `${rd}, ${rn}, ${rm}, ${ra}`);
    }
    case 7:
      if (op2 === 0) return acc ? out('usada8' + c.cond, `${rd}, ${rn}, ${rm}, ${ra}`) : out('usad8' + c.cond, `${rd}, ${rn}, ${rm}`);
      break;
  }
  return undefined32(w);
}

function longMultiply(w: number, c: Ctx): Out {
  const op1 = bits(w, 22, 20), op2 = bits(w, 7, 4);
  const rn = reg(bits(w, 19, 16)), rdlo = reg(bits(w, 15, 12)), rdhi = reg(bits(w, 11, 8)), rm = reg(bits(w, 3, 0));
  const four = (mn: string) => out(mn + c.cond, `${rdlo}, ${rdhi}, ${rn}, ${rm}`);
  switch (op1) {
    case 0: if (op2 === 0) return four('smull'); break;
    case 1: if (op2 === 15) return out('sdiv' + c.cond, `${reg(bits(w, 11, 8))}, ${rn}, ${rm}`); break;
    case 2: if (op2 === 0) return four('umull'); break;
    case 3: if (op2 === 15) return out('udiv' + c.cond, `${reg(bits(w, 11, 8))}, ${rn}, ${rm}`); break;
    case 4:
      if (op2 === 0) return four('smlal');
      if ((op2 & 0xc) === 8) return four(`smlal${op2 & 2 ? 't' : 'b'}${op2 & 1 ? 't' : 'b'}`);
      if ((op2 & 0xe) === 0xc) return four(`smlald${op2 & 1 ? 'x' : ''}`);
      break;
    case 5: if ((op2 & 0xe) === 0xc) return four(`smlsld${op2 & 1 ? 'x' : ''}`); break;
    case 6:
      if (op2 === 0) return four('umlal');
      if (op2 === 6) return four('umaal');
      break;
  }
  return undefined32(w);
}

function coprocessor32(w: number, c: Ctx): Out {
  const two = bits(w, 28, 28) === 1;
  if (!two && isVfpCoproc(bits(w, 11, 8))) return disassembleVfp(w, c.addr, 4, c.cond, c.sym) ?? undefined32(w);
  return disassembleCoprocessor(w, c.addr, 4, two, c.cond, c.sym) ?? undefined32(w);
}

function thumb32(w: number, c: Ctx): Out {
  const op1 = bits(w, 28, 27), op2 = bits(w, 26, 20), op = bits(w, 15, 15);
  if (op1 === 1) {
    if ((op2 & 0x64) === 0x00) return loadStoreMultiple(w, c);
    if ((op2 & 0x64) === 0x04) return loadStoreDualExclusive(w, c);
    if ((op2 & 0x60) === 0x20) return bits(w, 15, 15) ? undefined32(w) : dataProcessing32(w, c, false);
    return coprocessor32(w, c);
  }
  if (op1 === 2) {
    if (op) return branchesAndMisc(w, c);
    if ((op2 & 0x20) === 0) return dataProcessing32(w, c, true);
    return plainImmediate(w, c);
  }
  if ((op2 & 0x71) === 0x00 || (op2 & 0x67) === 0x01 || (op2 & 0x67) === 0x03 || (op2 & 0x67) === 0x05) return loadStoreSingle(w, c);
  if ((op2 & 0x70) === 0x20) return dataProcessingRegister(w, c);
  if ((op2 & 0x78) === 0x30) return multiply32(w, c);
  if ((op2 & 0x78) === 0x38) return longMultiply(w, c);
  if ((op2 & 0x40) === 0x40) return coprocessor32(w, c);
  return undefined32(w);
}

/**
 * Disassembles one T32 instruction. `hw2` is only used when hw1 starts a 32-bit instruction.
 * `it` is the IT state before this instruction (0 outside IT blocks).
 */
export function disassembleT32(hw1: number, hw2: number, addr: number, it: ItState = 0, sym?: Symbolizer): T32Result {
  const inIt = (it & 0xf) !== 0;
  const cond = inIt ? COND[(it >>> 4) & 0xf] : '';
  const c: Ctx = { addr: addr >>> 0, cond, inIt, sym };
  if (isT32Wide(hw1)) {
    const w = ((hw1 << 16) | hw2) >>> 0;
    const o = thumb32(w, c);
    return { text: o.text, target: o.target, size: 4, nextIt: inIt ? advanceIt(it) : 0 };
  }
  const o = thumb16(hw1, c);
  const nextIt = o.it !== undefined ? o.it : inIt ? advanceIt(it) : 0;
  return { text: o.text, target: o.target, size: 2, nextIt };
}
