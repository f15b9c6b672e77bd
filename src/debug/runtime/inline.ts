// Inlined calls as frames, as gdb shows them: the DW_TAG_inlined_subroutine entries whose ranges
// hold a pc, each a frame of its own named after the inlined function (DW_AT_abstract_origin), its
// caller's position being the call's DW_AT_call_file / DW_AT_call_line.
import { attr, DW_AT, DW_FORM, DW_TAG, type Die } from '../dwarf/info';
import { dieRanges } from '../dwarf/lists';
import type { ProgramInfo } from '../program';
import { diesByOffset } from './symbols';
import { listSections } from './locals';

export interface InlinedCall {
  die: Die;
  name: string;
  /** Where the inlined code is entered (DW_AT_entry_pc, else its lowest address). */
  entry?: number;
  /** Where the call is, in the frame that holds this one. */
  callPath?: string;
  callLine?: number;
}

function originName(d: Die, byOffset: Map<number, Die>): string {
  for (let k = 0, x: Die | undefined = d; x && k < 4; k++) {
    const n = attr(x, DW_AT.name);
    if (typeof n === 'string') return n;
    const o: unknown = attr(x, DW_AT.abstract_origin) ?? attr(x, DW_AT.specification);
    x = typeof o === 'number' ? byOffset.get(o) : undefined;
  }
  return '??';
}

/** The inlined calls holding pc inside its function, outermost first (empty for none). */
export function inlinedCallsAt(program: ProgramInfo, pc: number): InlinedCall[] {
  const fn = program.functionAt(pc)?.die;
  if (!fn) return [];
  const lists = listSections(program);
  const byOffset = diesByOffset(program);
  const holds = (d: Die) => { try { return dieRanges(d, lists).some(([lo, hi]) => pc >= lo && pc < hi); } catch { return false; } };
  const out: InlinedCall[] = [];
  let scope: Die | undefined = fn;
  while (scope) {
    let next: Die | undefined;
    for (const c of scope.children) {
      if ((c.tag === DW_TAG.lexical_block || c.tag === DW_TAG.inlined_subroutine) && holds(c)) { next = c; break; }
    }
    if (next?.tag === DW_TAG.inlined_subroutine) {
      const file = attr(next, DW_AT.call_file), line = attr(next, DW_AT.call_line);
      let entry: number | undefined;
      const e = next.attrs.find((a) => a.name === DW_AT.entry_pc);
      if (e && typeof e.value === 'number') entry = e.form === DW_FORM.addr || e.form === DW_FORM.addrx ? e.value : undefined;
      if (entry === undefined) { try { entry = Math.min(...dieRanges(next, lists).map(([lo]) => lo)); } catch { entry = undefined; } }
      out.push({ die: next, name: originName(next, byOffset), entry, callPath: typeof file === 'number' ? program.filePath(next.unit, file) : undefined, callLine: typeof line === 'number' ? line : undefined });
    }
    scope = next;
  }
  return out;
}

/**
 * gdb's rule for the innermost frame (skip_inline_frames): stopped where an inlined call's code is
 * entered (its entry pc, or an address whose predecessor lies outside the call's ranges), the call
 * has not "happened" yet: the frame shows the caller at the call's line. A user breakpoint there
 * keeps the inlined frame.
 */
export function visibleInlinedCalls(program: ProgramInfo, calls: InlinedCall[], pc: number, userBreakpointHere: boolean): InlinedCall[] {
  if (userBreakpointHere) return calls;
  const lists = listSections(program);
  const entered = (c: InlinedCall) => {
    if (c.entry === pc) return true;
    try { return !dieRanges(c.die, lists).some(([lo, hi]) => pc - 1 >= lo && pc - 1 < hi); } catch { return false; }
  };
  let n = calls.length;
  while (n > 0 && entered(calls[n - 1])) n--;
  return calls.slice(0, n);
}
