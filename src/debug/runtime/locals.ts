// Parameters and local variables of a frame from DWARF: the function's DW_TAG_formal_parameter and
// DW_TAG_variable entries (and those of the lexical blocks holding the pc), located with the simple
// expressions GCC emits for unoptimised code: DW_OP_fbreg from a frame base of DW_OP_call_frame_cfa
// or a register, DW_OP_breg, DW_OP_addr. Variables in registers or location lists are listed as
// not available rather than guessed.
import { attr, pcRange, DW_AT, DW_TAG, type Die } from '../dwarf/info';
import type { ProgramInfo } from '../program';
import { Types } from '../expr';
import { diesByOffset, scalarType, type GlobalInfo } from './symbols';

function sleb(b: Uint8Array, i: number): [number, number] {
  let result = 0, shift = 0, byte: number;
  do { byte = b[i++]; result |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80 && shift < 35);
  if (shift < 32 && (byte & 0x40)) result |= -1 << shift;
  return [result, i];
}

/** Evaluates a one-operation location; undefined when it is something else. */
function simpleLocation(e: Uint8Array, frameBase: () => number | undefined, regs: (number | undefined)[]): number | undefined {
  if (e.length === 0) return undefined;
  const op = e[0];
  if (op === 0x03 && e.length === 5) return (e[1] | (e[2] << 8) | (e[3] << 16) | (e[4] << 24)) >>> 0; // DW_OP_addr
  if (op === 0x91) { const fb = frameBase(); return fb === undefined ? undefined : (fb + sleb(e, 1)[0]) >>> 0; } // DW_OP_fbreg
  if (op >= 0x70 && op <= 0x8f) { const r = regs[op - 0x70]; return r === undefined ? undefined : (r + sleb(e, 1)[0]) >>> 0; } // DW_OP_bregN
  return undefined;
}

export interface LocalInfo extends GlobalInfo {
  kind: 'parameter' | 'local';
  /** Why there is no address (register or location-list variables). */
  unavailable?: string;
}

/** Variables visible at `pc` in the frame whose registers and CFA are given. */
export function localsAt(program: ProgramInfo, pc: number, regs: (number | undefined)[], cfa: number | undefined): LocalInfo[] {
  const fn = program.functionAt(pc);
  if (!fn?.die) return [];
  const byOffset = diesByOffset(program);
  const fbExpr = attr(fn.die, DW_AT.frame_base);
  const frameBase = () => {
    if (!(fbExpr instanceof Uint8Array) || fbExpr.length === 0) return undefined;
    if (fbExpr[0] === 0x9c) return cfa; // DW_OP_call_frame_cfa
    if (fbExpr[0] >= 0x50 && fbExpr[0] <= 0x6f) return regs[fbExpr[0] - 0x50]; // DW_OP_regN
    return simpleLocation(fbExpr, () => undefined, regs);
  };
  const out: LocalInfo[] = [];
  const visit = (scope: Die) => {
    for (const d of scope.children) {
      if (d.tag === DW_TAG.lexical_block) {
        const r = pcRange(d);
        if (r && pc >= r[0] && pc < r[1]) visit(d);
        continue;
      }
      if (d.tag !== DW_TAG.formal_parameter && d.tag !== DW_TAG.variable) continue;
      const name = attr(d, DW_AT.name);
      if (typeof name !== 'string') continue;
      const t = scalarType(d, byOffset);
      const loc = attr(d, DW_AT.location);
      const info: LocalInfo = { name, address: 0, size: t ? t.type.bits / 8 : 4, type: t?.type ?? Types.uint, typeName: t?.name ?? '?', kind: d.tag === DW_TAG.formal_parameter ? 'parameter' : 'local' };
      if (loc instanceof Uint8Array) {
        const a = simpleLocation(loc, frameBase, regs);
        if (a === undefined) info.unavailable = 'kept in a register or computed (not supported yet)';
        else info.address = a;
      } else info.unavailable = loc === undefined ? 'optimised out' : 'location list (optimised code): not supported yet';
      if (!t) info.unavailable ??= 'aggregate type: use a memory view';
      out.push(info);
    }
  };
  visit(fn.die);
  return out;
}
