// Call stacks: each frame's registers recovered from its callee's with DWARF call-frame information
// (.debug_frame or .eh_frame), and without it the heuristics gdb falls back on for ARM code:
// the link register for the innermost frame, then the APCS frame-pointer chain (fp -> saved fp, lr).
import { rowAt, type FrameTable } from '../dwarf/frame';

export interface UnwoundFrame {
  pc: number;
  /** Known register values of this frame (undefined = not recoverable). */
  regs: (number | undefined)[];
  /** Canonical frame address (the caller's sp at the call), when CFI gave it. */
  cfa?: number;
  /** How this frame was found. */
  how: 'cpu' | 'cfi' | 'lr' | 'fp';
}

export interface UnwindSources {
  tables: FrameTable[];
  readU32(address: number): number | undefined;
  /** Start of the function holding an address (for the link-register heuristic). */
  functionStart(address: number): number | undefined;
  /** Is this a plausible code address (inside a known function, symbol or line-table range)? */
  isCode(address: number): boolean;
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
    const next = unwindCfi(f, row(src.tables, lookup), src) ?? fallback(f, inner, src);
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

function fallback(f: UnwoundFrame, inner: boolean, src: UnwindSources): UnwoundFrame | undefined {
  const fp = f.regs[11], lr = f.regs[14];
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
