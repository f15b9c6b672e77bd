// Parameters and local variables of a frame from DWARF: the function's DW_TAG_formal_parameter and
// DW_TAG_variable entries (and those of the lexical blocks holding the pc, by low/high pc or range
// lists), located by their location expression or the location-list entry for the pc, evaluated
// with the frame's registers (recovered through CFI for outer frames), its frame base and CFA.
// Entry values come from the caller's call-site parameters, as gdb finds them; what cannot be
// computed is shown "optimized out", as gdb shows it.
import { attr, DW_AT, DW_TAG, type Die } from '../dwarf/info';
import { dieRanges, locationAt, type ListSections } from '../dwarf/lists';
import { evaluateLocation, locationBytes, OptimizedOut, type Location, type LocationContext } from '../dwarf/location';
import type { ProgramInfo } from '../program';
import { Types } from '../expr';
import { diesByOffset, scalarType, type GlobalInfo } from './symbols';

export interface LocalInfo extends GlobalInfo {
  kind: 'parameter' | 'local';
  /** The value's bytes when it is not in memory (a register, a computed value, pieces). */
  value?: Uint8Array;
  /** Where the value is, for display: "r4", "r0:r1", "computed"… (memory: undefined). */
  where?: string;
  /** Why there is no value ("optimized out"), or why it is not shown as a scalar. */
  unavailable?: string;
}

/** The registers and CFA of a frame, and of its caller (for entry values). */
export interface FrameState {
  pc: number;
  regs: (number | undefined)[];
  cfa: number | undefined;
  caller?: { pc: number; regs: (number | undefined)[]; cfa: number | undefined };
}

const sectionCache = new WeakMap<ProgramInfo, ListSections>();

/** The list and address sections of the program's ELF (read once). */
export function listSections(program: ProgramInfo): ListSections {
  let s = sectionCache.get(program);
  if (!s) {
    const elf = program.elf;
    const sec = (name: string) => (elf.section(name) ? elf.sectionBytes(name) : undefined);
    s = { debugLoc: sec('.debug_loc'), debugLoclists: sec('.debug_loclists'), debugRanges: sec('.debug_ranges'), debugRnglists: sec('.debug_rnglists'), debugAddr: sec('.debug_addr') };
    sectionCache.set(program, s);
  }
  return s;
}

/** A DIE's attribute, looked up through DW_AT_abstract_origin (concrete instances of inlined or cloned functions). */
function originAttr(d: Die, name: number, byOffset: Map<number, Die>): ReturnType<typeof attr> {
  for (let k = 0, x: Die | undefined = d; x && k < 4; k++) {
    const v = attr(x, name);
    if (v !== undefined) return v;
    const o = attr(x, DW_AT.abstract_origin);
    x = typeof o === 'number' ? byOffset.get(o) : undefined;
  }
  return undefined;
}

function typed(d: Die, byOffset: Map<number, Die>) {
  for (let k = 0, x: Die | undefined = d; x && k < 4; k++) {
    if (attr(x, DW_AT.type) !== undefined) return scalarType(x, byOffset);
    const o = attr(x, DW_AT.abstract_origin);
    x = typeof o === 'number' ? byOffset.get(o) : undefined;
  }
  return undefined;
}

const hasType = (d: Die, byOffset: Map<number, Die>) => originAttr(d, DW_AT.type, byOffset) !== undefined;

/** The DW_AT_location expression that applies at pc: a block, a location-list entry, or none. */
function expressionAt(d: Die, pc: number, program: ProgramInfo): Uint8Array | undefined | 'none' {
  const a = d.attrs.find((x) => x.name === DW_AT.location);
  if (!a) return 'none';
  if (a.value instanceof Uint8Array) return a.value;
  return locationAt(d, pc, listSections(program));
}

/** Evaluation context of a frame of function `fn`. */
function frameContext(program: ProgramInfo, fn: Die, regs: (number | undefined)[], cfa: number | undefined, read: LocationContext['read'], entryValue?: LocationContext['entryValue']): LocationContext {
  const ctx: LocationContext = {
    reg: (n) => regs[n],
    cfa: () => cfa,
    read,
    entryValue,
    addrx: (i) => {
      const s = listSections(program);
      if (!s.debugAddr) throw new OptimizedOut('no .debug_addr');
      const u = fn.unit;
      const off = u.addrBase + i * u.addressSize;
      return (s.debugAddr[off] | (s.debugAddr[off + 1] << 8) | (s.debugAddr[off + 2] << 16) | (s.debugAddr[off + 3] << 24)) >>> 0;
    },
  };
  ctx.frameBase = () => {
    const fb = attr(fn, DW_AT.frame_base);
    if (!(fb instanceof Uint8Array)) return undefined;
    const loc = evaluateLocation(fb, { ...ctx, frameBase: undefined });
    const p = loc.pieces[0]?.place;
    if (!p) return undefined;
    if (p.kind === 'memory') return p.address;
    if (p.kind === 'register') return regs[p.reg];
    if (p.kind === 'value') return p.value;
    return undefined;
  };
  return ctx;
}

/**
 * DW_OP_entry_value(DW_OP_regN): the caller's call site for this return address names the value it
 * passed in rN (DW_AT_call_value, evaluated in the caller's frame).
 */
function entryValueFrom(program: ProgramInfo, state: FrameState, read: LocationContext['read']): ((sub: Uint8Array) => number) | undefined {
  const caller = state.caller;
  if (!caller) return undefined;
  return (sub) => {
    let reg: number | undefined;
    if (sub.length === 1 && sub[0] >= 0x50 && sub[0] <= 0x6f) reg = sub[0] - 0x50;
    else if (sub.length === 2 && sub[0] === 0x90) reg = sub[1];
    if (reg === undefined) throw new OptimizedOut('entry value of a memory location');
    const callerFn = program.functionAt((caller.pc - 1) >>> 0)?.die;
    if (!callerFn) throw new OptimizedOut('caller has no debug information');
    const ret = caller.pc >>> 0;
    const visit = (d: Die): Die | undefined => {
      for (const c of d.children) {
        if (c.tag === DW_TAG.call_site || c.tag === DW_TAG.GNU_call_site) {
          const rp = attr(c, DW_AT.call_return_pc) ?? attr(c, DW_AT.low_pc);
          if (rp === ret || (typeof rp === 'number' && (rp & ~1) >>> 0 === ret)) return c;
        } else if (c.tag === DW_TAG.lexical_block || c.tag === DW_TAG.inlined_subroutine) {
          const f = visit(c);
          if (f) return f;
        }
      }
      return undefined;
    };
    const site = visit(callerFn);
    if (!site) throw new OptimizedOut('no call site for the return address');
    for (const p of site.children) {
      if (p.tag !== DW_TAG.call_site_parameter && p.tag !== DW_TAG.GNU_call_site_parameter) continue;
      const loc = attr(p, DW_AT.location);
      if (!(loc instanceof Uint8Array) || !(loc.length === 1 && loc[0] === 0x50 + reg) && !(loc.length === 2 && loc[0] === 0x90 && loc[1] === reg)) continue;
      const value = attr(p, DW_AT.call_value) ?? attr(p, DW_AT.GNU_call_site_value);
      if (!(value instanceof Uint8Array)) break;
      const ctx = frameContext(program, callerFn, caller.regs, caller.cfa, read);
      const l = evaluateLocation(value, ctx, 1);
      // DW_AT_call_value is a DWARF expression whose result is the value (not a location).
      const place = l.pieces[0]?.place;
      if (place?.kind === 'memory') return place.address;
      if (place?.kind === 'value') return place.value;
      if (place?.kind === 'register') { const v = caller.regs[place.reg]; if (v !== undefined) return v; }
      break;
    }
    throw new OptimizedOut('entry value unknown');
  };
}

function describe(loc: Location): string | undefined {
  const names = loc.pieces.map((p) => (p.place.kind === 'register' ? `r${p.place.reg}` : p.place.kind === 'memory' ? undefined : 'computed'));
  if (names.every((n) => n === undefined)) return undefined;
  return names.map((n) => n ?? 'memory').join(':');
}

/** Variables visible at `pc` in the frame whose registers and CFA are given. */
export function localsAt(program: ProgramInfo, state: FrameState, read: LocationContext['read'], scope?: Die): LocalInfo[] {
  const pc = state.pc;
  const fn = program.functionAt(pc)?.die;
  if (!fn) return [];
  const byOffset = diesByOffset(program);
  const ctx = frameContext(program, fn, state.regs, state.cfa, read, entryValueFrom(program, state, read));
  const lists = listSections(program);
  const out: LocalInfo[] = [];
  const visit = (scope: Die) => {
    for (const d of scope.children) {
      if (d.tag === DW_TAG.lexical_block) {
        let inside = false;
        try { inside = dieRanges(d, lists).some(([lo, hi]) => pc >= lo && pc < hi); } catch { inside = false; }
        if (inside) visit(d);
        continue;
      }
      if (d.tag !== DW_TAG.formal_parameter && d.tag !== DW_TAG.variable) continue;
      const name = originAttr(d, DW_AT.name, byOffset);
      if (typeof name !== 'string') continue;
      const t = typed(d, byOffset);
      const info: LocalInfo = { name, address: 0, size: t ? t.type.bits / 8 : 4, type: t?.type ?? Types.uint, typeName: t?.name ?? '?', kind: d.tag === DW_TAG.formal_parameter ? 'parameter' : 'local' };
      out.push(info);
      // A constant the compiler folded away: DW_AT_const_value instead of a location.
      const cv = d.attrs.find((a) => a.name === DW_AT.const_value)?.value;
      if (cv !== undefined && !d.attrs.some((a) => a.name === DW_AT.location)) {
        if (!t) { info.unavailable = 'aggregate constant: not shown'; continue; }
        const bytes = new Uint8Array(info.size);
        if (cv instanceof Uint8Array) bytes.set(cv.subarray(0, info.size));
        else if (typeof cv === 'number' || typeof cv === 'bigint') {
          let v = BigInt.asUintN(64, BigInt(cv));
          for (let k = 0; k < info.size; k++) { bytes[k] = Number(v & 0xffn); v >>= 8n; }
        } else { info.unavailable = 'constant of an unsupported form'; continue; }
        info.value = bytes;
        info.where = 'constant';
        continue;
      }
      let expr: Uint8Array | undefined | 'none';
      try { expr = expressionAt(d, pc, program); } catch (e) { info.unavailable = (e as Error).message; continue; }
      if (expr === 'none' || expr === undefined) { info.unavailable = 'optimized out'; continue; }
      try {
        const loc = evaluateLocation(expr, ctx);
        const only = loc.pieces.length === 1 && loc.pieces[0].size === undefined ? loc.pieces[0].place : undefined;
        if (only?.kind === 'memory') {
          info.address = only.address;
          if (!t) info.unavailable = hasType(d, byOffset) ? 'aggregate type: use a memory view' : 'no type';
          continue;
        }
        if (!t) { info.unavailable = 'aggregate in registers: not shown'; continue; }
        info.where = describe(loc);
        info.value = locationBytes(loc, info.size, ctx);
      } catch (e) {
        info.unavailable = e instanceof OptimizedOut ? 'optimized out' : (e as Error).message;
      }
    }
  };
  // An inlined call's frame: its own parameters and locals (the function's frame base still applies).
  visit(scope ?? fn);
  return out;
}
