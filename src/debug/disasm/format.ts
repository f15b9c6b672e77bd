// Operand formatting shared by the A32, T32 and VFP disassemblers, following the text GNU objdump
// prints (registers r0–r12, sp, lr, pc; immediates as signed decimal with a hex comment when large).

export const REG = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'sl', 'fp', 'ip', 'sp', 'lr', 'pc'];
export const COND = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', '', ''];
const SHIFT = ['lsl', 'lsr', 'asr', 'ror'];

export function reg(n: number): string {
  return REG[n & 15];
}

/** Register list of LDM/STM/PUSH/POP: each register named, in order. */
export function regList(mask: number): string {
  const names: string[] = [];
  for (let i = 0; i < 16; i++) if (mask & (1 << i)) names.push(REG[i]);
  return `{${names.join(', ')}}`;
}

export function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

/** Immediate-shift operand suffix (", lsl #3", ", rrx", "" for lsl #0). */
export function shiftImm(type: number, amount: number): string {
  if (type === 0 && amount === 0) return '';
  if (type === 3 && amount === 0) return ', rrx';
  return `, ${SHIFT[type]} #${amount === 0 ? 32 : amount}`;
}

export function shiftReg(type: number, rs: number): string {
  return `, ${SHIFT[type]} ${reg(rs)}`;
}

export const shiftName = (type: number) => SHIFT[type];

export function hex(n: number): string {
  return (n >>> 0).toString(16);
}

/** objdump's rule for an immediate: "#<signed decimal>", with "\t@ 0x<hex>" when it is above 32. */
export function immWithComment(value: number): { text: string; comment?: string } {
  const u = value >>> 0;
  return { text: `#${value | 0}`, comment: u > 32 ? `0x${hex(u)}` : undefined };
}

/** A finished instruction: mnemonic, operands and an optional comment, joined as objdump does. */
export interface Disassembled {
  /** The objdump text: "mnemonic\toperands[\t@ comment]". */
  text: string;
  /** Branch or literal target, for symbolisation and navigation. */
  target?: number;
  /** Size in bytes. */
  size: 2 | 4;
}

/** Symbolizer: returns "<name+0xoff>" text for an address, or undefined. */
export type Symbolizer = (address: number) => string | undefined;

export function assemble(mnemonic: string, operands: string, comment?: string): string {
  let s = operands ? `${mnemonic}\t${operands}` : mnemonic;
  if (comment !== undefined) s += `\t@ ${comment}`;
  return s;
}

/** An address as objdump prints a target: "1a4 <sym+0x10>" when a symbol is known, else "0x1a4". */
export function targetText(address: number, sym?: Symbolizer): string {
  const s = sym?.(address >>> 0);
  return s ? `${hex(address)} ${s}` : `0x${hex(address)}`;
}
