// Call stacks: each frame's registers recovered from its callee's with DWARF call-frame information
// (.debug_frame or .eh_frame), and without it the heuristics gdb falls back on for ARM code:
// the link register for the innermost frame, then the APCS frame-pointer chain (fp -> saved fp, lr).
import { rowAt, type FrameTable } from '../dwarf/frame';
import { unwindExidx, type ExidxEntry } from './exidx';

export interface UnwoundFrame {
  pc: number;
  /** Known register values of this frame (undefined = not recoverable). */
  regs: (number | undefined)[];
  /** Canonical frame address (the caller's sp at the call), when CFI gave it. */
  cfa?: number;
  /** How this frame was found. */
  how: 'cpu' | 'cfi' | 'exidx' | 'lr' | 'fp';
}

export interface UnwindSources {
  tables: FrameTable[];
  readU32(address: number): number | undefined;
  /** Start of the function holding an address (for the link-register heuristic). */
  functionStart(address: number): number | undefined;
  /** Is this a plausible code address (inside a known function, symbol or line-table range)? */
  isCode(address: number): boolean;
  /** The ARM frame set-up at a function's start, when its prologue is the APCS shape GCC emits. */
  prologue?(address: number): Prologue | undefined;
  /** The .ARM.exidx entry covering an address (ARM EHABI unwind tables). */
  exidx?(address: number): ExidxEntry | undefined;
}

/**
 * `push {regs}` then `add fp, sp, #fpOffset`: where the registers were saved relative to fp. `done`
 * is the address after the `add`, from which fp is valid.
 */
export interface Prologue {
  pushed: number[];
  fpOffset: number;
  done: number;
}

/** Reads an APCS prologue from the disassembly of a function's first two instructions. */
export function parsePrologue(first: string | undefined, second: string | undefined, start: number): Prologue | undefined {
  const names: Record<string, number> = { sl: 10, fp: 11, ip: 12, sp: 13, lr: 14, pc: 15 };
  const reg = (n: string) => (n in names ? names[n] : /^r(\d+)$/.test(n) ? Number(n.slice(1)) : -1);
  const push = first && /^(?:push|stmdb\tsp!,|stmfd\tsp!,)\t?\{([^}]*)\}/.exec(first.split('\t@')[0].replace(/^(stm(?:db|fd))\tsp!, /, '$1\tsp!,'));
  const add = second && /^add\tfp, sp, #(\d+)$/.exec(second.split('\t@')[0]);
  if (!push || !add) return undefined;
  const pushed = push[1].split(',').map((x) => reg(x.trim()));
  if (pushed.some((r) => r < 0) || !pushed.includes(11)) return undefined;
  return { pushed, fpOffset: Number(add[1]), done: start + 8 };
}

function row(tables: FrameTable[], pc: number) {
  for (const t of tables) {
    const r = rowAt(t, pc);
    if (r) return r;
  }
  return undefined;
}

/** Unwinds up to `max` frames from the vCPU's current registers. */
export function unwind(regs0: number[], src: UnwindSources, max = 64): UnwoundFrame[] {
  const frames: UnwoundFrame[] = [{ pc: regs0[15] >>> 0, regs: regs0.map((v) => v >>> 0), how: 'cpu' }];
  while (frames.length < max) {
    const f = frames[frames.length - 1];
    const inner = frames.length === 1;
    // The caller's pc is inside the call instruction: look it up at pc - 1 for outer frames.
    const lookup = inner ? f.pc : (f.pc - 1) >>> 0;
    const next = unwindCfi(f, row(src.tables, lookup), src) ?? exidxFrame(f, inner, lookup, src) ?? fallback(f, inner, src);
    if (!next) break;
    next.pc = (next.pc & ~1) >>> 0;
    if (next.pc === 0) break;
    const sp = next.regs[13], fsp = f.regs[13];
    // A caller's frame lies above its callee's: anything else is a corrupt or finished chain.
    if (sp !== undefined && fsp !== undefined && (sp < fsp || (sp === fsp && next.pc === f.pc))) break;
    frames.push(next);
  }
  return frames;
}

function unwindCfi(f: UnwoundFrame, r: ReturnType<typeof row>, src: UnwindSources): UnwoundFrame | undefined {
  if (!r || r.row.cfa.kind !== 'regOffset') return undefined;
  const base = f.regs[r.row.cfa.reg];
  if (base === undefined) return undefined;
  const cfa = (base + r.row.cfa.offset) >>> 0;
  const regs: (number | undefined)[] = f.regs.slice();
  for (let n = 0; n < 16; n++) {
    const rule = r.row.regs.get(n);
    if (!rule) continue;
    switch (rule.kind) {
      case 'undefined': regs[n] = undefined; break;
      case 'same': break;
      case 'offset': regs[n] = src.readU32((cfa + rule.offset) >>> 0); break;
      case 'valOffset': regs[n] = (cfa + rule.offset) >>> 0; break;
      case 'register': regs[n] = f.regs[rule.reg]; break;
      default: regs[n] = undefined;
    }
  }
  const ra = r.fde.cie.raReg;
  const pc = r.row.regs.has(ra) ? regs[ra] : f.regs[ra];
  if (pc === undefined) return undefined;
  regs[13] = cfa;
  regs[15] = pc;
  return { pc, regs, cfa, how: 'cfi' };
}

/** The caller through the EHABI table; at a function's first instruction nothing is saved yet: lr. */
function exidxFrame(f: UnwoundFrame, inner: boolean, lookup: number, src: UnwindSources): UnwoundFrame | undefined {
  const e = src.exidx?.(lookup);
  if (!e) return undefined;
  if (inner && f.pc === e.fn && !e.cantUnwind) {
    const lr = f.regs[14];
    if (lr === undefined) return undefined;
    const regs = f.regs.slice();
    regs[15] = lr;
    return { pc: lr, regs, how: 'exidx' };
  }
  const regs = unwindExidx(e, f.regs, src.readU32);
  if (!regs || regs[15] === undefined) return undefined;
  return { pc: regs[15], regs, cfa: regs[13], how: 'exidx' };
}

function fallback(f: UnwoundFrame, inner: boolean, src: UnwindSources): UnwoundFrame | undefined {
  const fp = f.regs[11], lr = f.regs[14];
  // GCC's ARM frame (push {…, fp[, lr]}; add fp, sp, #n): saved registers found from fp.
  const start = src.functionStart(f.pc);
  const pro = start !== undefined ? src.prologue?.(start) : undefined;
  if (pro && fp !== undefined && f.pc >= pro.done) {
    const base = (fp - pro.fpOffset) >>> 0; // sp right after the push
    const regs = f.regs.slice();
    for (const [k, r] of pro.pushed.entries()) regs[r] = src.readU32((base + 4 * k) >>> 0);
    regs[13] = (base + 4 * pro.pushed.length) >>> 0;
    // A leaf frame does not save lr: only the innermost frame still has it in the register.
    const ret = pro.pushed.includes(14) ? regs[14] : inner ? lr : undefined;
    if (ret !== undefined && src.isCode((ret & ~1) >>> 0)) {
      regs[15] = ret;
      return { pc: ret, regs, how: 'fp' };
    }
  }
  // Innermost frame without CFI (assembly, or code built without it): a leaf routine returns to lr.
  // This is right at a function's first instructions and for leaf assembly, which is where a
  // debugger usually stops without CFI; lr must point at code.
  if (inner && lr !== undefined && src.isCode((lr & ~1) >>> 0)) {
    const regs = f.regs.slice();
    regs[15] = lr;
    return { pc: lr, regs, how: 'lr' };
  }
  // GCC's ARM frame (APCS): fp points at the saved lr, with the caller's fp just below it.
  if (fp !== undefined && fp !== 0 && (fp & 3) === 0) {
    const savedLr = src.readU32(fp), savedFp = src.readU32((fp - 4) >>> 0);
    if (savedLr !== undefined && savedFp !== undefined && src.isCode((savedLr & ~1) >>> 0)) {
      const regs = f.regs.slice();
      regs[11] = savedFp; regs[13] = (fp + 4) >>> 0; regs[15] = savedLr; regs[14] = undefined;
      return { pc: savedLr, regs, how: 'fp' };
    }
  }
  void src.functionStart;
  return undefined;
}
