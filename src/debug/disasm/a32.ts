// A32 (ARM state) disassembler producing GNU objdump's text for ARMv7-A with the Virtualization,
// Security and Multiprocessing extensions and VFPv4. Decoding follows the ARM ARM's A32 encoding
// tables (A5.*); the spelling of each instruction follows what objdump prints for it.
import {
  COND, reg, regList, popcount, shiftImm, shiftReg, shiftName, immWithComment, assemble, targetText, hex,
  type Disassembled, type Symbolizer,
} from './format';
import { disassembleVfp, isVfpCoproc } from './vfp';
import { disassembleCoprocessor } from './coproc';

const DP_OPS = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'tst', 'teq', 'cmp', 'cmn', 'orr', 'mov', 'bic', 'mvn'];
// objdump's names for barrier options (it keeps the old 'un'/'unst' for the non-shareable domain).
const BARRIER: Record<number, string> = { 15: 'sy', 14: 'st', 13: 'ld', 11: 'ish', 10: 'ishst', 9: 'ishld', 7: 'un', 6: 'unst', 5: 'nshld', 3: 'osh', 2: 'oshst', 1: 'oshld' };

function bits(w: number, hi: number, lo: number): number {
  return (w >>> lo) & ((1 << (hi - lo + 1)) - 1);
}

function ror32(v: number, n: number): number {
  n &= 31;
  return n === 0 ? v >>> 0 : ((v >>> n) | (v << (32 - n))) >>> 0;
}

/** Context for one instruction. */
interface Ctx {
  w: number;
  addr: number;
  cond: string;
  sym?: Symbolizer;
}

type Out = { text: string; target?: number };

const out = (mn: string, ops: string, comment?: string, target?: number): Out => ({ text: assemble(mn, ops, comment), target });
const undef = (w: number): Out => ({ text: `\t\t@ <UNDEFINED> instruction: 0x${hex(w).padStart(8, '0')}` });

/** The text of a pc-relative literal address comment: "1a4 <sym>". */
function literal(c: Ctx, target: number): { comment: string; target: number } {
  return { comment: targetText(target >>> 0, c.sym), target: target >>> 0 };
}

// ---- data processing ---------------------------------------------------------------------------

function dataProcessing(c: Ctx): Out {
  const w = c.w;
  const op = bits(w, 24, 21), s = bits(w, 20, 20), rn = bits(w, 19, 16), rd = bits(w, 15, 12);
  const isTest = op >= 8 && op <= 11;
  const isMove = op === 13 || op === 15;
  let operand2: string;
  let comment: string | undefined;
  if (bits(w, 25, 25)) {
    const value = ror32(bits(w, 7, 0), bits(w, 11, 8) * 2);
    const im = immWithComment(value);
    operand2 = im.text;
    comment = im.comment;
  } else if (bits(w, 4, 4)) {
    operand2 = reg(bits(w, 3, 0)) + shiftReg(bits(w, 6, 5), bits(w, 11, 8));
  } else {
    operand2 = reg(bits(w, 3, 0)) + shiftImm(bits(w, 6, 5), bits(w, 11, 7));
  }
  const sfx = (isTest ? '' : s ? 's' : '') + c.cond;
  if (op === 13 && !bits(w, 25, 25)) {
    // MOV with a shift is printed as the shift instruction (UAL).
    const rm = reg(bits(w, 3, 0)), type = bits(w, 6, 5);
    if (bits(w, 4, 4)) return out(shiftName(type) + sfx, `${reg(rd)}, ${rm}, ${reg(bits(w, 11, 8))}`);
    const amount = bits(w, 11, 7);
    if (type === 0 && amount === 0) {
      if (w === 0xe1a00000) return out('nop', '\t', '(mov r0, r0)');
      return out('mov' + sfx, `${reg(rd)}, ${rm}`);
    }
    if (type === 3 && amount === 0) return out('rrx' + sfx, `${reg(rd)}, ${rm}`);
    return out(shiftName(type) + sfx, `${reg(rd)}, ${rm}, #${amount === 0 ? 32 : amount}`);
  }
  if (isTest) return out(DP_OPS[op] + sfx, `${reg(rn)}, ${operand2}`, comment);
  if (isMove) return out(DP_OPS[op] + sfx, `${reg(rd)}, ${operand2}`, comment);
  return out(DP_OPS[op] + sfx, `${reg(rd)}, ${reg(rn)}, ${operand2}`, comment);
}

// ---- miscellaneous (A5.2.12) and halfword multiplies -----------------------------------------

function psrFields(mask: number): string {
  return (mask & 8 ? 'f' : '') + (mask & 4 ? 's' : '') + (mask & 2 ? 'x' : '') + (mask & 1 ? 'c' : '');
}

const BANKED_NAMES: Record<number, string> = (() => {
  const m: Record<number, string> = {};
  const usr = ['R8_usr', 'R9_usr', 'R10_usr', 'R11_usr', 'R12_usr', 'SP_usr', 'LR_usr'];
  usr.forEach((n, i) => { m[i] = n; });
  const fiq = ['R8_fiq', 'R9_fiq', 'R10_fiq', 'R11_fiq', 'R12_fiq', 'SP_fiq', 'LR_fiq'];
  fiq.forEach((n, i) => { m[8 + i] = n; });
  m[16] = 'LR_irq'; m[17] = 'SP_irq'; m[18] = 'LR_svc'; m[19] = 'SP_svc'; m[20] = 'LR_abt'; m[21] = 'SP_abt';
  m[22] = 'LR_und'; m[23] = 'SP_und'; m[28] = 'LR_mon'; m[29] = 'SP_mon'; m[30] = 'ELR_hyp'; m[31] = 'SP_hyp';
  // SPSRs (R = 1)
  m[32 + 14] = 'SPSR_fiq'; m[32 + 16] = 'SPSR_irq'; m[32 + 18] = 'SPSR_svc'; m[32 + 20] = 'SPSR_abt';
  m[32 + 22] = 'SPSR_und'; m[32 + 28] = 'SPSR_mon'; m[32 + 30] = 'SPSR_hyp';
  return m;
})();

function bankedName(w: number): string | undefined {
  const sysm = (bits(w, 8, 8) << 4) | bits(w, 19, 16);
  return BANKED_NAMES[(bits(w, 22, 22) << 5) | sysm];
}

function miscellaneous(c: Ctx): Out {
  const w = c.w;
  const op = bits(w, 22, 21), op2 = bits(w, 6, 4);
  switch (op2) {
    case 0: {
      if (bits(w, 9, 9)) {
        const name = bankedName(w);
        if (!name) return undef(w);
        return op & 1 ? out('msr' + c.cond, `${name}, ${reg(bits(w, 3, 0))}`) : out('mrs' + c.cond, `${reg(bits(w, 15, 12))}, ${name}`);
      }
      if (op & 1) {
        const mask = bits(w, 19, 16);
        return out('msr' + c.cond, `${op & 2 ? 'SPSR' : 'CPSR'}_${psrFields(mask)}, ${reg(bits(w, 3, 0))}`);
      }
      return out('mrs' + c.cond, `${reg(bits(w, 15, 12))}, ${op & 2 ? 'SPSR' : 'CPSR'}`);
    }
    case 1:
      if (op === 1) return out('bx' + c.cond, reg(bits(w, 3, 0)));
      if (op === 3) return out('clz' + c.cond, `${reg(bits(w, 15, 12))}, ${reg(bits(w, 3, 0))}`);
      return undef(w);
    case 2: return op === 1 ? out('bxj' + c.cond, reg(bits(w, 3, 0))) : undef(w);
    case 3: return op === 1 ? out('blx' + c.cond, reg(bits(w, 3, 0))) : undef(w);
    case 5: return out(['qadd', 'qsub', 'qdadd', 'qdsub'][op] + c.cond, `${reg(bits(w, 15, 12))}, ${reg(bits(w, 3, 0))}, ${reg(bits(w, 19, 16))}`);
    case 6: return op === 3 ? out('eret' + c.cond, '') : undef(w);
    case 7: {
      const imm16 = (bits(w, 19, 8) << 4) | bits(w, 3, 0);
      if (op === 1) return out('bkpt', `0x${hex(imm16).padStart(4, '0')}`);
      if (op === 2) { const im = immWithComment(imm16); return out('hvc', String(imm16), im.comment); }
      // objdump shows SMC's whole 16-bit field, as for HVC.
      if (op === 3) { const im = immWithComment(imm16); return out('smc' + c.cond, String(imm16), im.comment); }
      return undef(w);
    }
  }
  return undef(w);
}

function halfwordMultiply(c: Ctx): Out {
  const w = c.w;
  const op = bits(w, 22, 21), x = bits(w, 5, 5) ? 't' : 'b', y = bits(w, 6, 6) ? 't' : 'b';
  const rd = reg(bits(w, 19, 16)), ra = reg(bits(w, 15, 12)), rm = reg(bits(w, 11, 8)), rn = reg(bits(w, 3, 0));
  switch (op) {
    case 0: return out(`smla${x}${y}${c.cond}`, `${rd}, ${rn}, ${rm}, ${ra}`);
    case 1: return bits(w, 5, 5) ? out(`smulw${y}${c.cond}`, `${rd}, ${rn}, ${rm}`) : out(`smlaw${y}${c.cond}`, `${rd}, ${rn}, ${rm}, ${ra}`);
    case 2: return out(`smlal${x}${y}${c.cond}`, `${ra}, ${rd}, ${rn}, ${rm}`);
    default: return out(`smul${x}${y}${c.cond}`, `${rd}, ${rn}, ${rm}`);
  }
}

function multiply(c: Ctx): Out {
  const w = c.w;
  const op = bits(w, 23, 21), s = bits(w, 20, 20) ? 's' : '';
  const rd = reg(bits(w, 19, 16)), ra = reg(bits(w, 15, 12)), rm = reg(bits(w, 11, 8)), rn = reg(bits(w, 3, 0));
  switch (op) {
    case 0: return out('mul' + s + c.cond, `${rd}, ${rn}, ${rm}`);
    case 1: return out('mla' + s + c.cond, `${rd}, ${rn}, ${rm}, ${ra}`);
    case 2: return s ? undef(w) : out('umaal' + c.cond, `${ra}, ${rd}, ${rn}, ${rm}`);
    case 3: return s ? undef(w) : out('mls' + c.cond, `${rd}, ${rn}, ${rm}, ${ra}`);
    default: return out(['umull', 'umlal', 'smull', 'smlal'][op - 4] + s + c.cond, `${ra}, ${rd}, ${rn}, ${rm}`);
  }
}

function synchronization(c: Ctx): Out {
  const w = c.w;
  const op = bits(w, 23, 20), rn = reg(bits(w, 19, 16)), rt = reg(bits(w, 15, 12)), rt2 = reg(bits(w, 3, 0));
  if ((op & 0xb) === 0) return out((op & 4 ? 'swpb' : 'swp') + c.cond, `${rt}, ${rt2}, [${rn}]`);
  const names: Record<number, string> = { 8: 'strex', 9: 'ldrex', 10: 'strexd', 11: 'ldrexd', 12: 'strexb', 13: 'ldrexb', 14: 'strexh', 15: 'ldrexh' };
  const name = names[op];
  if (!name) return undef(w);
  // objdump spells LDREX's destination as r<n> (ldrex r12, not ip).
  if (op === 9) return out(name + c.cond, `r${bits(w, 15, 12)}, [${rn}]`);
  if (op & 1) return out(name + c.cond, `${rt}, [${rn}]`);
  return out(name + c.cond, `${rt}, ${rt2}, [${rn}]`);
}

/** Addressing-mode text for immediate offsets: [rn], [rn, #imm], [rn, #imm]!, [rn], #imm. */
function addrImm(rn: number, imm: number, p: number, u: number, wb: number, alwaysShowZero = false): string {
  const off = `#${u ? '' : '-'}${imm}`;
  if (!p) return `[${reg(rn)}], ${off}`;
  if (imm === 0 && u && !wb && !alwaysShowZero) return `[${reg(rn)}]`;
  return `[${reg(rn)}, ${off}]${wb ? '!' : ''}`;
}

/** objdump's comment for an immediate offset: shown when above 32 or below -16. */
function offsetComment(signed: number): string | undefined {
  return signed > 32 || signed < -16 ? `0x${hex(signed)}` : undefined;
}

function addrReg(rn: number, rm: string, p: number, u: number, wb: number): string {
  const r = `${u ? '' : '-'}${rm}`;
  if (!p) return `[${reg(rn)}], ${r}`;
  return `[${reg(rn)}, ${r}]${wb ? '!' : ''}`;
}

function extraLoadStore(c: Ctx): Out {
  const w = c.w;
  const p = bits(w, 24, 24), u = bits(w, 23, 23), immForm = bits(w, 22, 22), wb = bits(w, 21, 21), l = bits(w, 20, 20);
  const rn = bits(w, 19, 16), rt = bits(w, 15, 12), op2 = bits(w, 6, 5);
  let name: string;
  if (op2 === 1) name = l ? 'ldrh' : 'strh';
  else if (op2 === 2) name = l ? 'ldrsb' : 'ldrd';
  else name = l ? 'ldrsh' : 'strd';
  const unpriv = !p && wb;
  if (unpriv) {
    if (name === 'ldrd' || name === 'strd') return undef(w);
    name += 't';
  }
  const mn = name + c.cond;
  if (immForm) {
    const imm = (bits(w, 11, 8) << 4) | bits(w, 3, 0);
    const text = addrImm(rn, imm, p, u, unpriv ? 0 : wb);
    if (rn === 15 && p && !wb) {
      const lit = literal(c, c.addr + 8 + (u ? imm : -imm));
      return out(mn, `${reg(rt)}, ${text}`, lit.comment, lit.target);
    }
    return out(mn, `${reg(rt)}, ${text}`, offsetComment(u ? imm : -imm));
  }
  return out(mn, `${reg(rt)}, ${addrReg(rn, reg(bits(w, 3, 0)), p, u, unpriv ? 0 : wb)}`);
}

function dataProcessingAndMisc(c: Ctx): Out {
  const w = c.w;
  const op = bits(w, 25, 25), op1 = bits(w, 24, 20), op2 = bits(w, 7, 4);
  if (!op) {
    if ((op1 & 0x19) !== 0x10 && (op2 & 1) === 0) return dataProcessing(c);
    if ((op1 & 0x19) !== 0x10 && (op2 & 9) === 1) return dataProcessing(c);
    if ((op1 & 0x19) === 0x10 && (op2 & 8) === 0) return miscellaneous(c);
    if ((op1 & 0x19) === 0x10 && (op2 & 9) === 8) return halfwordMultiply(c);
    if ((op1 & 0x10) === 0 && op2 === 9) return multiply(c);
    if ((op1 & 0x10) === 0x10 && op2 === 9) return synchronization(c);
    if (op2 === 0xb || op2 === 0xd || op2 === 0xf) return extraLoadStore(c);
    return undef(w);
  }
  if ((op1 & 0x1b) === 0x10) {
    // MOVW / MOVT
    const imm = (bits(w, 19, 16) << 12) | bits(w, 11, 0);
    const im = immWithComment(imm);
    return out((op1 & 4 ? 'movt' : 'movw') + c.cond, `${reg(bits(w, 15, 12))}, ${im.text}`, im.comment);
  }
  if ((op1 & 0x1b) === 0x12) {
    // MSR immediate and hints
    const mask = bits(w, 19, 16);
    if (!bits(w, 22, 22) && mask === 0) {
      const hint = bits(w, 7, 0);
      const names: Record<number, string> = { 1: 'yield', 2: 'wfe', 3: 'wfi', 4: 'sev', 0x14: 'csdb' };
      if (names[hint]) return out(names[hint] + c.cond, '');
      if ((hint & 0xf0) === 0xf0) return out('dbg' + c.cond, `#${hint & 15}`);
      return out('nop' + c.cond, `{${hint}}`);
    }
    const im = immWithComment(ror32(bits(w, 7, 0), bits(w, 11, 8) * 2));
    return out('msr' + c.cond, `${bits(w, 22, 22) ? 'SPSR' : 'CPSR'}_${psrFields(mask)}, ${im.text}`, im.comment);
  }
  return dataProcessing(c);
}

// ---- loads and stores of words and bytes ------------------------------------------------------

function loadStoreWordByte(c: Ctx): Out {
  const w = c.w;
  const regForm = bits(w, 25, 25), p = bits(w, 24, 24), u = bits(w, 23, 23), b = bits(w, 22, 22), wb = bits(w, 21, 21), l = bits(w, 20, 20);
  const rn = bits(w, 19, 16), rt = bits(w, 15, 12);
  const unpriv = !p && wb;
  const name = (l ? 'ldr' : 'str') + (b ? 'b' : '') + (unpriv ? 't' : '') + c.cond;
  if (!regForm) {
    const imm = bits(w, 11, 0);
    // Single-register push and pop are printed as such, with the real instruction as a comment.
    if (rn === 13 && !b && !unpriv) {
      if (!l && p && !u && wb && imm === 4) return out('push' + c.cond, `{${reg(rt)}}\t`, `(str${c.cond} ${reg(rt)}, [sp, #-4]!)`);
      if (l && !p && u && !wb && imm === 4) return out('pop' + c.cond, `{${reg(rt)}}\t`, `(ldr${c.cond} ${reg(rt)}, [sp], #4)`);
    }
    const text = addrImm(rn, imm, p, u, unpriv ? 0 : wb);
    if (rn === 15 && p && !wb) {
      const lit = literal(c, c.addr + 8 + (u ? imm : -imm));
      return out(name, `${reg(rt)}, ${text}`, lit.comment, lit.target);
    }
    return out(name, `${reg(rt)}, ${text}`, offsetComment(u ? imm : -imm));
  }
  const rm = reg(bits(w, 3, 0)) + shiftImm(bits(w, 6, 5), bits(w, 11, 7));
  return out(name, `${reg(rt)}, ${addrReg(rn, rm, p, u, unpriv ? 0 : wb)}`);
}

// ---- media instructions (A5.4) ----------------------------------------------------------------

function media(c: Ctx): Out {
  const w = c.w;
  const op1 = bits(w, 24, 20), op2 = bits(w, 7, 5);
  const rd = bits(w, 15, 12), rn = bits(w, 19, 16), rm = bits(w, 3, 0);
  if ((op1 & 0x18) === 0x00) {
    // parallel add/subtract
    const prefix = [undefined, 's', 'q', 'sh', undefined, 'u', 'uq', 'uh'][op1 & 7];
    const op = ['add16', 'asx', 'sax', 'sub16', 'add8', undefined, undefined, 'sub8'][op2];
    if (!prefix || !op) return undef(w);
    return out(prefix + op + c.cond, `${reg(rd)}, ${reg(rn)}, ${reg(rm)}`);
  }
  if ((op1 & 0x18) === 0x08) return packing(c);
  if ((op1 & 0x18) === 0x10) return signedMultiply(c);
  if (op1 === 0x18 && op2 === 0) {
    const ra = bits(w, 15, 12);
    const rdd = bits(w, 19, 16), rmm = bits(w, 11, 8);
    if (ra === 15) return out('usad8' + c.cond, `${reg(rdd)}, ${reg(rm)}, ${reg(rmm)}`);
    return out('usada8' + c.cond, `${reg(rdd)}, ${reg(rm)}, ${reg(rmm)}, ${reg(ra)}`);
  }
  if ((op1 & 0x1a) === 0x1a && (op2 & 3) === 2) {
    const lsb = bits(w, 11, 7), widthm1 = bits(w, 20, 16);
    return out((op1 & 4 ? 'ubfx' : 'sbfx') + c.cond, `${reg(rd)}, ${reg(rm)}, #${lsb}, #${widthm1 + 1}`);
  }
  if ((op1 & 0x1e) === 0x1c && (op2 & 3) === 0) {
    const lsb = bits(w, 11, 7), msb = bits(w, 20, 16);
    if (rm === 15) return out('bfc' + c.cond, `${reg(rd)}, #${lsb}, #${msb - lsb + 1}`);
    return out('bfi' + c.cond, `${reg(rd)}, ${reg(rm)}, #${lsb}, #${msb - lsb + 1}`);
  }
  if (op1 === 0x1f && op2 === 7) {
    const imm16 = (bits(w, 19, 8) << 4) | bits(w, 3, 0);
    const im = immWithComment(imm16);
    return out('udf', im.text, im.comment);
  }
  return undef(w);
}

function packing(c: Ctx): Out {
  const w = c.w;
  const op1 = bits(w, 22, 20), op2 = bits(w, 7, 5);
  const rd = reg(bits(w, 15, 12)), rn = bits(w, 19, 16), rm = reg(bits(w, 3, 0));
  if (op1 === 0 && (op2 & 1) === 0) {
    const tb = bits(w, 6, 6), imm = bits(w, 11, 7);
    if (tb) return out('pkhtb' + c.cond, `${rd}, ${reg(rn)}, ${rm}, asr #${imm === 0 ? 32 : imm}`);
    return out('pkhbt' + c.cond, `${rd}, ${reg(rn)}, ${rm}${imm ? `, lsl #${imm}` : ''}`);
  }
  if ((op1 & 2) === 2 && (op2 & 1) === 0) {
    const sat = bits(w, 20, 16), sh = bits(w, 6, 6), imm = bits(w, 11, 7);
    const shift = sh ? `, asr #${imm === 0 ? 32 : imm}` : imm ? `, lsl #${imm}` : '';
    if (op1 & 4) return out('usat' + c.cond, `${rd}, #${sat}, ${rm}${shift}`);
    return out('ssat' + c.cond, `${rd}, #${sat + 1}, ${rm}${shift}`);
  }
  if (op1 === 2 && op2 === 1) return out('ssat16' + c.cond, `${rd}, #${bits(w, 19, 16) + 1}, ${rm}`);
  if (op1 === 6 && op2 === 1) return out('usat16' + c.cond, `${rd}, #${bits(w, 19, 16)}, ${rm}`);
  if (op2 === 3) {
    const base = ['sxtb16', undefined, 'sxtb', 'sxth', 'uxtb16', undefined, 'uxtb', 'uxth'][op1];
    if (!base) return undef(w);
    const rot = bits(w, 11, 10) * 8;
    const rotText = rot ? `, ror #${rot}` : '';
    if (rn === 15) return out(base + c.cond, `${rd}, ${rm}${rotText}`);
    return out(base.replace('xt', 'xta') + c.cond, `${rd}, ${reg(rn)}, ${rm}${rotText}`);
  }
  if (op1 === 0 && op2 === 5) return out('sel' + c.cond, `${rd}, ${reg(rn)}, ${rm}`);
  if (op1 === 3 && op2 === 1) return out('rev' + c.cond, `${rd}, ${rm}`);
  if (op1 === 3 && op2 === 5) return out('rev16' + c.cond, `${rd}, ${rm}`);
  if (op1 === 7 && op2 === 1) return out('rbit' + c.cond, `${rd}, ${rm}`);
  if (op1 === 7 && op2 === 5) return out('revsh' + c.cond, `${rd}, ${rm}`);
  return undef(w);
}

function signedMultiply(c: Ctx): Out {
  const w = c.w;
  const op1 = bits(w, 22, 20), op2 = bits(w, 7, 5);
  const rd = reg(bits(w, 19, 16)), raN = bits(w, 15, 12), ra = reg(raN), rm = reg(bits(w, 11, 8)), rn = reg(bits(w, 3, 0));
  const x = op2 & 1 ? 'x' : '';
  if (op1 === 0) {
    if ((op2 & 6) === 0) return raN === 15 ? out(`smuad${x}${c.cond}`, `${rd}, ${rn}, ${rm}`) : out(`smlad${x}${c.cond}`, `${rd}, ${rn}, ${rm}, ${ra}`);
    if ((op2 & 6) === 2) return raN === 15 ? out(`smusd${x}${c.cond}`, `${rd}, ${rn}, ${rm}`) : out(`smlsd${x}${c.cond}`, `${rd}, ${rn}, ${rm}, ${ra}`);
  }
  if (op1 === 1 && op2 === 0) return out('sdiv' + c.cond, `${rd}, ${rn}, ${rm}`);
  if (op1 === 3 && op2 === 0) return out('udiv' + c.cond, `${rd}, ${rn}, ${rm}`);
  if (op1 === 4) {
    if ((op2 & 6) === 0) return out(`smlald${x}${c.cond}`, `${ra}, ${rd}, ${rn}, ${rm}`);
    if ((op2 & 6) === 2) return out(`smlsld${x}${c.cond}`, `${ra}, ${rd}, ${rn}, ${rm}`);
  }
  if (op1 === 5) {
    const r = op2 & 1 ? 'r' : '';
    if ((op2 & 6) === 0) return raN === 15 ? out(`smmul${r}${c.cond}`, `${rd}, ${rn}, ${rm}`) : out(`smmla${r}${c.cond}`, `${rd}, ${rn}, ${rm}, ${ra}`);
    if ((op2 & 6) === 6) return out(`smmls${r}${c.cond}`, `${rd}, ${rn}, ${rm}, ${ra}`);
  }
  return undef(w);
}

// ---- branches and block transfers ------------------------------------------------------------

function blockTransfer(c: Ctx): Out {
  const w = c.w;
  const p = bits(w, 24, 24), u = bits(w, 23, 23), s = bits(w, 22, 22), wb = bits(w, 21, 21), l = bits(w, 20, 20);
  const rn = bits(w, 19, 16), list = bits(w, 15, 0);
  const caret = s ? '^' : '';
  if (rn === 13 && wb && !s) {
    if (!l && p && !u) return popcount(list) === 1 ? out('stmfd' + c.cond, `sp!, ${regList(list)}`) : out('push' + c.cond, regList(list));
    if (l && !p && u) return popcount(list) === 1 ? out('ldmfd' + c.cond, `sp!, ${regList(list)}`) : out('pop' + c.cond, regList(list));
  }
  const mode = ['da', 'ia', 'db', 'ib'][(p << 1) | u];
  let name: string;
  if (l) name = mode === 'ia' ? 'ldm' : 'ldm' + mode;
  else name = mode === 'ia' && !wb && !s ? 'stm' : 'stm' + mode;
  return out(name + c.cond, `${reg(rn)}${wb ? '!' : ''}, ${regList(list)}${caret}`);
}

function branch(c: Ctx): Out {
  const w = c.w;
  const imm = (bits(w, 23, 0) << 8) >> 6;
  const target = (c.addr + 8 + imm) >>> 0;
  return out((bits(w, 24, 24) ? 'bl' : 'b') + c.cond, targetText(target, c.sym), undefined, target);
}

// ---- coprocessor and supervisor call -----------------------------------------------------------

function coprocessor(c: Ctx, two: boolean): Out {
  const w = c.w;
  if (!two && isVfpCoproc(bits(w, 11, 8))) return disassembleVfp(w, c.addr, 8, c.cond, c.sym) ?? undef(w);
  if (!two && bits(w, 25, 24) === 3) return out('svc' + c.cond, `0x${hex(bits(w, 23, 0)).padStart(8, '0')}`);
  return disassembleCoprocessor(w, c.addr, 8, two, c.cond, c.sym) ?? undef(w);
}

// ---- unconditional space (cond = 1111) --------------------------------------------------------

function unconditional(c: Ctx): Out {
  const w = c.w;
  const op1 = bits(w, 27, 20);
  if ((op1 & 0x80) === 0) return memoryHintsAndMisc(c);
  if ((op1 & 0xe5) === 0x84) {
    const p = bits(w, 24, 24), u = bits(w, 23, 23), wb = bits(w, 21, 21);
    return out('srs' + ['da', 'ia', 'db', 'ib'][(p << 1) | u], `sp${wb ? '!' : ''}, #${bits(w, 4, 0)}`);
  }
  if ((op1 & 0xe5) === 0x81) {
    const p = bits(w, 24, 24), u = bits(w, 23, 23), wb = bits(w, 21, 21);
    return out('rfe' + ['da', 'ia', 'db', 'ib'][(p << 1) | u], `${reg(bits(w, 19, 16))}${wb ? '!' : ''}`);
  }
  if ((op1 & 0xe0) === 0xa0) {
    const imm = ((bits(w, 23, 0) << 8) >> 6) | (bits(w, 24, 24) << 1);
    const target = (c.addr + 8 + imm) >>> 0;
    return out('blx', targetText(target, c.sym), undefined, target);
  }
  if ((op1 & 0xe0) === 0xc0 || (op1 & 0xf0) === 0xe0) return coprocessor(c, true);
  return undef(w);
}

function memoryHintsAndMisc(c: Ctx): Out {
  const w = c.w;
  const op1 = bits(w, 26, 20), op2 = bits(w, 7, 4), rn = bits(w, 19, 16);
  if (op1 === 0x10 && (op2 & 2) === 0 && (rn & 1) === 0) {
    const imod = bits(w, 19, 18), m = bits(w, 17, 17);
    const flags = (bits(w, 8, 8) ? 'a' : '') + (bits(w, 7, 7) ? 'i' : '') + (bits(w, 6, 6) ? 'f' : '');
    const mode = `#${bits(w, 4, 0)}`;
    if (imod === 2 || imod === 3) {
      const mn = imod === 2 ? 'cpsie' : 'cpsid';
      return out(mn, m ? `${flags},${mode}` : flags);
    }
    if (m) return out('cps', mode);
    return undef(w);
  }
  if (op1 === 0x10 && op2 === 0 && rn === 1) return out('setend', bits(w, 9, 9) ? 'be' : 'le');
  if (op1 === 0x57) {
    const opt = bits(w, 3, 0);
    switch (op2) {
      case 1: return out('clrex', '');
      case 4: {
        if (opt === 0) return out('ssbb', '');
        if (opt === 4) return out('pssbb', '');
        return out('dsb', BARRIER[opt] ?? `#${opt}`);
      }
      case 5: return out('dmb', BARRIER[opt] ?? `#${opt}`);
      case 6: return out('isb', opt === 15 ? 'sy' : `#${opt}`);
    }
    return undef(w);
  }
  // PLD / PLDW / PLI: op1 = 1 0 P U R 0 1 (P: register form), see the ARM ARM's table A5-22.
  const hi3 = bits(w, 26, 24), u = bits(w, 23, 23), r = bits(w, 22, 22);
  if (hi3 >= 4 && bits(w, 21, 20) === 1) {
    const isReg = hi3 >= 6, isPld = (hi3 & 1) === 1;
    if ((isReg && bits(w, 4, 4)) || (!isPld && !r)) return undef(w);
    const name = isPld ? (r ? 'pld' : 'pldw') : 'pli';
    if (!isReg) {
      const imm = bits(w, 11, 0);
      const text = imm === 0 && u ? `[${reg(rn)}]` : `[${reg(rn)}, #${u ? '' : '-'}${imm}]`;
      if (rn === 15) {
        const lit = literal(c, c.addr + 8 + (u ? imm : -imm));
        return out(name, text, lit.comment, lit.target);
      }
      return out(name, text, offsetComment(u ? imm : -imm));
    }
    const rm = `${u ? '' : '-'}${reg(bits(w, 3, 0))}${shiftImm(bits(w, 6, 5), bits(w, 11, 7))}`;
    return out(name, `[${reg(rn)}, ${rm}]`);
  }
  return undef(w);
}

/** Disassembles one A32 instruction word at `addr`. */
export function disassembleA32(word: number, addr: number, sym?: Symbolizer): Disassembled {
  const w = word >>> 0;
  const condField = w >>> 28;
  const c: Ctx = { w, addr: addr >>> 0, cond: COND[condField], sym };
  let o: Out;
  if (condField === 15) o = unconditional(c);
  else {
    const op1 = bits(w, 27, 25);
    switch (op1) {
      case 0: case 1: o = dataProcessingAndMisc(c); break;
      case 2: o = loadStoreWordByte(c); break;
      case 3: o = bits(w, 4, 4) ? media(c) : loadStoreWordByte(c); break;
      case 4: o = blockTransfer(c); break;
      case 5: o = branch(c); break;
      default: o = coprocessor(c, false);
    }
  }
  return { text: o.text, target: o.target, size: 4 };
}
