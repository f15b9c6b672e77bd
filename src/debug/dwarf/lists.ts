// Location lists and range lists, where optimised code puts a variable's changing locations and a
// scope's scattered address ranges: DWARF 4's .debug_loc / .debug_ranges (address pairs, base
// address selection entries) and DWARF 5's .debug_loclists / .debug_rnglists (DW_LLE_* / DW_RLE_*
// entries, base addresses, indices into .debug_addr, DW_FORM_loclistx / rnglistx offsets tables).
import { Reader, DwarfError } from './reader';
import { attr, DW_AT, DW_FORM, type Die, type Unit } from './info';

export interface ListSections {
  debugLoc?: Uint8Array;
  debugLoclists?: Uint8Array;
  debugRanges?: Uint8Array;
  debugRnglists?: Uint8Array;
  debugAddr?: Uint8Array;
}

export interface LocEntry { low: number; high: number; expr: Uint8Array }

function unitBase(unit: Unit): number {
  const low = unit.root ? attr(unit.root, DW_AT.low_pc) : undefined;
  return typeof low === 'number' ? low : 0;
}

function addrIndex(s: ListSections, unit: Unit, index: number): number {
  if (!s.debugAddr) throw new DwarfError('address index without .debug_addr');
  return new Reader(s.debugAddr, unit.addrBase + index * unit.addressSize).uN(unit.addressSize);
}

/** Section offset of a list from an attribute: sec_offset directly, loclistx/rnglistx through the unit's offsets table. */
function listOffset(unit: Unit, a: { form: number; value: unknown }, section: Uint8Array | undefined, baseAttr: number): number {
  const v = Number(a.value);
  if (a.form !== DW_FORM.loclistx && a.form !== DW_FORM.rnglistx) return v;
  if (!section) throw new DwarfError('list index without its section');
  // Default base: just past the first list table's header (12 bytes for 32-bit DWARF).
  const b = unit.root ? attr(unit.root, baseAttr) : undefined;
  const base = typeof b === 'number' ? b : unit.offsetSize === 8 ? 20 : 12;
  return base + new Reader(section, base + v * unit.offsetSize).uN(unit.offsetSize);
}

/**
 * Walks a DWARF 4 list (.debug_loc or .debug_ranges) from `offset`: address pairs relative to the base
 * address, a pair whose first address is all ones selecting a new base, (0, 0) ending the list.
 * `entry` gets each pair as absolute addresses and reads whatever the section puts after it.
 */
function walkPairList(sec: Uint8Array, offset: number, unit: Unit, base: number, entry: (low: number, high: number, r: Reader) => void): void {
  const r = new Reader(sec, offset);
  const all = unit.addressSize === 8 ? 2 ** 64 - 1 : 0xffffffff;
  for (;;) {
    const lo = r.uN(unit.addressSize), hi = r.uN(unit.addressSize);
    if (lo === 0 && hi === 0) return;
    if (lo === all) { base = hi; continue; }
    entry((base + lo) >>> 0, (base + hi) >>> 0, r);
  }
}

/** Every entry of a DIE's location list (addresses absolute). */
export function locationList(die: Die, s: ListSections): LocEntry[] {
  const a = die.attrs.find((x) => x.name === DW_AT.location);
  if (!a) return [];
  const unit = die.unit;
  const out: LocEntry[] = [];
  let base = unitBase(unit);
  if (unit.version >= 5) {
    const sec = s.debugLoclists;
    if (!sec) throw new DwarfError('location list without .debug_loclists');
    const r = new Reader(sec, listOffset(unit, a, sec, DW_AT.loclists_base));
    const expr = () => { const n = r.uleb(); const e = sec.slice(r.pos, r.pos + n); r.skip(n); return e; };
    for (;;) {
      const kind = r.u8();
      if (kind === 0) break; // DW_LLE_end_of_list
      switch (kind) {
        case 1: base = addrIndex(s, unit, r.uleb()); break; // base_addressx
        case 2: { const lo = addrIndex(s, unit, r.uleb()), hi = addrIndex(s, unit, r.uleb()); out.push({ low: lo, high: hi, expr: expr() }); break; } // startx_endx
        case 3: { const lo = addrIndex(s, unit, r.uleb()), n = r.uleb(); out.push({ low: lo, high: lo + n, expr: expr() }); break; } // startx_length
        case 4: { const lo = r.uleb(), hi = r.uleb(); out.push({ low: (base + lo) >>> 0, high: (base + hi) >>> 0, expr: expr() }); break; } // offset_pair
        case 5: out.push({ low: 0, high: 0x100000000, expr: expr() }); break; // default_location
        case 6: base = r.uN(unit.addressSize); break; // base_address
        case 7: { const lo = r.uN(unit.addressSize), hi = r.uN(unit.addressSize); out.push({ low: lo, high: hi, expr: expr() }); break; } // start_end
        case 8: { const lo = r.uN(unit.addressSize), n = r.uleb(); out.push({ low: lo, high: lo + n, expr: expr() }); break; } // start_length
        default: throw new DwarfError(`unknown location list entry kind ${kind} at 0x${(r.pos - 1).toString(16)} of .debug_loclists`);
      }
    }
    return out;
  }
  const sec = s.debugLoc;
  if (!sec) throw new DwarfError('location list without .debug_loc');
  walkPairList(sec, Number(a.value), unit, base, (low, high, r) => {
    const n = r.u16();
    out.push({ low, high, expr: sec.slice(r.pos, r.pos + n) });
    r.skip(n);
  });
  return out;
}

/** The expression of a location list that applies at pc, or undefined (the variable has no location there). */
export function locationAt(die: Die, pc: number, s: ListSections): Uint8Array | undefined {
  for (const e of locationList(die, s)) if (pc >= e.low && pc < e.high) return e.expr;
  return undefined;
}

/** The address ranges of a DIE: DW_AT_low_pc/high_pc, or DW_AT_ranges through the range list sections. */
export function dieRanges(die: Die, s: ListSections): [number, number][] {
  const low = die.attrs.find((a) => a.name === DW_AT.low_pc);
  const high = die.attrs.find((a) => a.name === DW_AT.high_pc);
  if (low && high && typeof low.value === 'number') {
    const hv = Number(high.value);
    const isAddress = high.form === DW_FORM.addr || high.form === DW_FORM.addrx || (high.form >= DW_FORM.addrx1 && high.form <= DW_FORM.addrx4);
    return [[low.value, isAddress ? hv : low.value + hv]];
  }
  const a = die.attrs.find((x) => x.name === DW_AT.ranges);
  if (!a) return [];
  const unit = die.unit;
  let base = unitBase(unit);
  const out: [number, number][] = [];
  if (unit.version >= 5) {
    const sec = s.debugRnglists;
    if (!sec) throw new DwarfError('range list without .debug_rnglists');
    const r = new Reader(sec, listOffset(unit, a, sec, DW_AT.rnglists_base));
    for (;;) {
      const kind = r.u8();
      if (kind === 0) break;
      switch (kind) {
        case 1: base = addrIndex(s, unit, r.uleb()); break;
        case 2: { const lo = addrIndex(s, unit, r.uleb()), hi = addrIndex(s, unit, r.uleb()); out.push([lo, hi]); break; }
        case 3: { const lo = addrIndex(s, unit, r.uleb()); out.push([lo, lo + r.uleb()]); break; }
        case 4: { const lo = r.uleb(), hi = r.uleb(); out.push([(base + lo) >>> 0, (base + hi) >>> 0]); break; }
        case 5: base = r.uN(unit.addressSize); break;
        case 6: { const lo = r.uN(unit.addressSize); out.push([lo, r.uN(unit.addressSize)]); break; }
        case 7: { const lo = r.uN(unit.addressSize); out.push([lo, lo + r.uleb()]); break; }
        default: throw new DwarfError(`unknown range list entry kind ${kind} at 0x${(r.pos - 1).toString(16)} of .debug_rnglists`);
      }
    }
    return out;
  }
  const sec = s.debugRanges;
  if (!sec) throw new DwarfError('range list without .debug_ranges');
  walkPairList(sec, Number(a.value), unit, base, (low, high) => out.push([low, high]));
  return out;
}
