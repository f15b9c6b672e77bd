// Disassembly of guest memory for the debugger's disassembly view: ARM or Thumb chosen per address
// (the vCPU's state at its pc, ELF mapping symbols elsewhere), IT blocks followed, text as objdump
// prints it (src/debug/disasm), with symbols and source lines from the program's debug information.
import { disassembleA32 } from '../disasm/a32';
import { disassembleT32, isT32Wide } from '../disasm/t32';
import type { ProgramInfo } from '../program';

export interface DisassembledLine {
  address: number;
  /** Bytes as objdump shows them: one word for ARM, halfwords for Thumb ("f7ff fffe"). */
  bytes: string;
  /** objdump's text, or undefined when the memory is unreadable. */
  text?: string;
  thumb: boolean;
  symbol?: string;
  path?: string;
  line?: number;
}

export interface DisassemblyContext {
  program?: ProgramInfo;
  read(address: number, size: number): Uint8Array | undefined;
  /** The current pc, its state and ITSTATE (from the CPSR), so code at pc decodes as the CPU sees it. */
  pc: number;
  thumbAtPc: boolean;
  itAtPc: number;
}

function isThumbAt(ctx: DisassemblyContext, address: number): boolean {
  if (ctx.program && (ctx.program.symbolAt(address) || ctx.program.functionAt(address))) return ctx.program.isThumb(address);
  return ctx.thumbAtPc;
}

/** Decodes one instruction; `it` is the IT state in effect (Thumb). */
function decodeOne(ctx: DisassemblyContext, address: number, thumb: boolean, it: number): { line: DisassembledLine; size: number; nextIt: number } {
  const sym = (a: number) => ctx.program?.symbolize(a);
  const loc = ctx.program?.locate(address);
  const s = ctx.program?.symbolAt(address);
  const base: DisassembledLine = { address, bytes: '', thumb, path: loc?.path, line: loc?.line, symbol: s && (s.value & ~1) === address ? s.name : undefined };
  if (thumb) {
    const h = ctx.read(address, 2);
    if (!h) return { line: { ...base, bytes: '????' }, size: 2, nextIt: 0 };
    const hw1 = h[0] | (h[1] << 8);
    let hw2 = 0, size = 2;
    if (isT32Wide(hw1)) {
      const h2 = ctx.read(address + 2, 2);
      if (!h2) return { line: { ...base, bytes: hw1.toString(16).padStart(4, '0') + ' ????' }, size: 4, nextIt: 0 };
      hw2 = h2[0] | (h2[1] << 8);
      size = 4;
    }
    const d = disassembleT32(hw1, hw2, address, it, sym);
    const bytes = size === 4 ? `${hw1.toString(16).padStart(4, '0')} ${hw2.toString(16).padStart(4, '0')}` : hw1.toString(16).padStart(4, '0');
    return { line: { ...base, bytes, text: d.text }, size: d.size, nextIt: d.nextIt };
  }
  const b = ctx.read(address, 4);
  if (!b) return { line: { ...base, bytes: '????????' }, size: 4, nextIt: 0 };
  const w = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  const d = disassembleA32(w, address, sym);
  return { line: { ...base, bytes: w.toString(16).padStart(8, '0'), text: d.text }, size: 4, nextIt: 0 };
}

/** Decodes forward from `start`; the IT state is taken from the CPU when the walk passes its pc. */
function decodeForward(ctx: DisassemblyContext, start: number, count: number, stopAt?: number): DisassembledLine[] {
  const out: DisassembledLine[] = [];
  let a = start >>> 0, it = 0;
  while (out.length < count && (stopAt === undefined || a < stopAt)) {
    const thumb = a === ctx.pc ? ctx.thumbAtPc : isThumbAt(ctx, a);
    if (a === ctx.pc) it = ctx.itAtPc;
    const r = decodeOne(ctx, a, thumb, thumb ? it : 0);
    out.push(r.line);
    it = r.nextIt;
    a = (a + r.size) >>> 0;
    if (a === 0) break;
  }
  return out;
}

/**
 * `count` instructions starting `offset` instructions from `address` (negative: before it). Going
 * backwards in Thumb code decodes forward from the enclosing function's start (or a nearby anchor),
 * so instruction boundaries are those the code really has.
 */
export function disassemble(ctx: DisassemblyContext, address: number, offset: number, count: number): DisassembledLine[] {
  address >>>= 0;
  let before: DisassembledLine[] = [];
  if (offset < 0) {
    const want = -offset;
    const thumb = address === ctx.pc ? ctx.thumbAtPc : isThumbAt(ctx, address);
    if (!thumb) {
      const start = Math.max(0, address - 4 * want);
      before = decodeForward(ctx, start, want, address);
    } else {
      // Decode from a known instruction boundary: the start of the function (or symbol) holding the
      // address 4 bytes per wanted instruction back; without one, 2 bytes per instruction back.
      const back = Math.max(0, address - 4 * want);
      const known = ctx.program?.functionAt(back)?.low ?? ctx.program?.symbolAt(back)?.value;
      const anchor = known !== undefined && known <= address ? (known & ~1) >>> 0 : Math.max(0, address - 2 * want);
      const all = decodeForward(ctx, anchor, (address - anchor) / 2 + 1, address);
      before = all.slice(-want);
    }
    // Pad with unreadable placeholders so the client gets exactly what it asked for.
    while (before.length < want) {
      const first = before[0]?.address ?? address;
      before.unshift({ address: (first - (thumb ? 2 : 4)) >>> 0, bytes: '', thumb });
    }
  }
  const need = count - before.length;
  let start = address;
  if (offset > 0) {
    const skip = decodeForward(ctx, address, offset);
    const last = skip[skip.length - 1];
    start = last ? (last.address + (last.bytes.replace(/ /g, '').length / 2 || 4)) >>> 0 : address;
  }
  return [...before, ...(need > 0 ? decodeForward(ctx, start, need) : [])].slice(0, count);
}
