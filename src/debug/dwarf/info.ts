// .debug_info / .debug_abbrev (DWARF 2 to 5): decodes every unit into a tree of DIEs with their
// attributes, the raw material for functions, variables, types and scopes in the debugger.
import { Reader, DwarfError, stringAt } from './reader';
import { DW_TAG, DW_AT, DW_FORM } from './constants';

export type AttrValue = number | string | Uint8Array | boolean | bigint;

export interface Attribute {
  name: number;
  form: number;
  value: AttrValue;
}

export interface Die {
  offset: number;
  tag: number;
  attrs: Attribute[];
  children: Die[];
  parent: Die | null;
  unit: Unit;
}

export interface Unit {
  offset: number;
  version: number;
  unitType: number;
  addressSize: number;
  offsetSize: 4 | 8;
  root: Die | null;
  /** DW_AT_str_offsets_base, DW_AT_addr_base of the unit (DWARF 5). */
  strOffsetsBase: number;
  addrBase: number;
}

export interface InfoSections {
  debugInfo: Uint8Array;
  debugAbbrev: Uint8Array;
  debugStr?: Uint8Array;
  debugLineStr?: Uint8Array;
  debugStrOffsets?: Uint8Array;
  debugAddr?: Uint8Array;
}

interface AbbrevSpec { name: number; form: number; implicit?: number }
interface Abbrev { tag: number; hasChildren: boolean; specs: AbbrevSpec[] }

function readAbbrevs(section: Uint8Array, offset: number): Map<number, Abbrev> {
  const r = new Reader(section, offset);
  const table = new Map<number, Abbrev>();
  for (;;) {
    const code = r.uleb();
    if (code === 0) break;
    const tag = r.uleb();
    const hasChildren = r.u8() !== 0;
    const specs: AbbrevSpec[] = [];
    for (;;) {
      const name = r.uleb(), form = r.uleb();
      if (name === 0 && form === 0) break;
      specs.push(form === DW_FORM.implicit_const ? { name, form, implicit: r.sleb() } : { name, form });
    }
    table.set(code, { tag, hasChildren, specs });
  }
  return table;
}

/** A string or address that needs the unit's bases, resolved after the unit's root is read. */
type Deferred = { kind: 'strx' | 'addrx'; index: number };

function readValue(r: Reader, form: number, unit: Unit, s: InfoSections, implicit?: number): AttrValue | Deferred {
  const os = unit.offsetSize;
  switch (form) {
    case DW_FORM.addr: return r.uN(unit.addressSize);
    case DW_FORM.block2: return r.bytes.slice(r.pos, (r.pos += r.u16(), r.pos));
    case DW_FORM.block4: return r.bytes.slice(r.pos, (r.pos += r.u32(), r.pos));
    case DW_FORM.data1: return r.u8();
    case DW_FORM.data2: return r.u16();
    case DW_FORM.data4: return r.u32();
    case DW_FORM.data8: { const lo = r.u32(), hi = r.u32(); return (BigInt(hi) << 32n) | BigInt(lo); }
    case DW_FORM.data16: return r.bytes.slice(r.pos, (r.pos += 16, r.pos));
    case DW_FORM.string: return r.cstr();
    case DW_FORM.block: case DW_FORM.exprloc: { const n = r.uleb(); const b = r.bytes.slice(r.pos, r.pos + n); r.skip(n); return b; }
    case DW_FORM.block1: { const n = r.u8(); const b = r.bytes.slice(r.pos, r.pos + n); r.skip(n); return b; }
    case DW_FORM.flag: return r.u8() !== 0;
    case DW_FORM.flag_present: return true;
    case DW_FORM.sdata: return r.sleb();
    case DW_FORM.udata: return r.uleb();
    case DW_FORM.strp: return stringAt(s.debugStr, r.uN(os), '.debug_str');
    case DW_FORM.line_strp: return stringAt(s.debugLineStr, r.uN(os), '.debug_line_str');
    case DW_FORM.ref_addr: return r.uN(unit.version <= 2 ? unit.addressSize : os);
    case DW_FORM.ref1: return unit.offset + r.u8();
    case DW_FORM.ref2: return unit.offset + r.u16();
    case DW_FORM.ref4: return unit.offset + r.u32();
    case DW_FORM.ref8: return unit.offset + r.u64();
    case DW_FORM.ref_udata: return unit.offset + r.uleb();
    case DW_FORM.ref_sig8: { const lo = r.u32(), hi = r.u32(); return (BigInt(hi) << 32n) | BigInt(lo); }
    case DW_FORM.sec_offset: return r.uN(os);
    case DW_FORM.implicit_const: return implicit ?? 0;
    case DW_FORM.strx: case DW_FORM.strx1: case DW_FORM.strx2: case DW_FORM.strx3: case DW_FORM.strx4: {
      const index = form === DW_FORM.strx ? r.uleb() : form === DW_FORM.strx1 ? r.u8() : form === DW_FORM.strx2 ? r.u16() : form === DW_FORM.strx3 ? r.u24() : r.u32();
      return { kind: 'strx', index };
    }
    case DW_FORM.addrx: case DW_FORM.addrx1: case DW_FORM.addrx2: case DW_FORM.addrx3: case DW_FORM.addrx4: {
      const index = form === DW_FORM.addrx ? r.uleb() : form === DW_FORM.addrx1 ? r.u8() : form === DW_FORM.addrx2 ? r.u16() : form === DW_FORM.addrx3 ? r.u24() : r.u32();
      return { kind: 'addrx', index };
    }
    case DW_FORM.loclistx: case DW_FORM.rnglistx: return r.uleb();
    case DW_FORM.indirect: return readValue(r, r.uleb(), unit, s);
    default: throw new DwarfError(`unsupported attribute form 0x${form.toString(16)} at 0x${r.pos.toString(16)}`);
  }
}

function resolveDeferred(d: Deferred, unit: Unit, s: InfoSections): AttrValue {
  const os = unit.offsetSize;
  if (d.kind === 'strx') {
    if (!s.debugStrOffsets) throw new DwarfError('DW_FORM_strx without .debug_str_offsets');
    const off = new Reader(s.debugStrOffsets, unit.strOffsetsBase + d.index * os).uN(os);
    return stringAt(s.debugStr, off, '.debug_str');
  }
  if (!s.debugAddr) throw new DwarfError('DW_FORM_addrx without .debug_addr');
  return new Reader(s.debugAddr, unit.addrBase + d.index * unit.addressSize).uN(unit.addressSize);
}

/** Decodes every unit of .debug_info. Throws DwarfError naming the offset on malformed data. */
export function decodeInfo(s: InfoSections): Unit[] {
  const units: Unit[] = [];
  const abbrevCache = new Map<number, Map<number, Abbrev>>();
  for (let off = 0; off < s.debugInfo.length; ) {
    const r = new Reader(s.debugInfo, off);
    const { unitEnd, offsetSize } = r.initialLength();
    if (unitEnd > s.debugInfo.length) throw new DwarfError(`unit at 0x${off.toString(16)} runs past the end of .debug_info`);
    const version = r.u16();
    let unitType = 1, addressSize: number, abbrevOffset: number;
    if (version >= 5) {
      unitType = r.u8();
      addressSize = r.u8();
      abbrevOffset = r.uN(offsetSize);
      if (unitType === 2 || unitType === 6) r.skip(8 + offsetSize); // type units: signature, type offset
      else if (unitType === 4 || unitType === 5) r.skip(8); // skeleton/split: dwo id
    } else if (version >= 2) {
      abbrevOffset = r.uN(offsetSize);
      addressSize = r.u8();
    } else throw new DwarfError(`unsupported DWARF version ${version} in unit at 0x${off.toString(16)}`);
    let abbrevs = abbrevCache.get(abbrevOffset);
    if (!abbrevs) { abbrevs = readAbbrevs(s.debugAbbrev, abbrevOffset); abbrevCache.set(abbrevOffset, abbrevs); }
    const unit: Unit = { offset: off, version, unitType, addressSize, offsetSize, root: null, strOffsetsBase: 8, addrBase: 8 };
    const pending: { attr: Attribute; d: Deferred }[] = [];
    const stack: Die[] = [];
    while (r.pos < unitEnd) {
      const dieOffset = r.pos;
      const code = r.uleb();
      if (code === 0) { stack.pop(); if (stack.length === 0 && unit.root) break; continue; }
      const ab = abbrevs.get(code);
      if (!ab) throw new DwarfError(`unknown abbreviation ${code} at 0x${dieOffset.toString(16)}`);
      const die: Die = { offset: dieOffset, tag: ab.tag, attrs: [], children: [], parent: stack[stack.length - 1] ?? null, unit };
      for (const spec of ab.specs) {
        const v = readValue(r, spec.form, unit, s, spec.implicit);
        const attr: Attribute = { name: spec.name, form: spec.form, value: 0 };
        if (typeof v === 'object' && v !== null && 'kind' in v) pending.push({ attr, d: v });
        else attr.value = v;
        die.attrs.push(attr);
      }
      if (!unit.root) {
        unit.root = die;
        for (const a of die.attrs) {
          if (a.name === DW_AT.str_offsets_base) unit.strOffsetsBase = Number(a.value);
          if (a.name === DW_AT.addr_base) unit.addrBase = Number(a.value);
        }
      } else die.parent?.children.push(die);
      if (ab.hasChildren) stack.push(die);
      else if (stack.length === 0) break;
    }
    for (const p of pending) p.attr.value = resolveDeferred(p.d, unit, s);
    units.push(unit);
    off = unitEnd;
  }
  return units;
}

export function attr(die: Die, name: number): AttrValue | undefined {
  return die.attrs.find((a) => a.name === name)?.value;
}

/** The address range of a DIE from DW_AT_low_pc/high_pc (high_pc as an offset when it is a constant). */
export function pcRange(die: Die): [number, number] | undefined {
  const low = die.attrs.find((a) => a.name === DW_AT.low_pc);
  const high = die.attrs.find((a) => a.name === DW_AT.high_pc);
  if (!low || !high || typeof low.value !== 'number') return undefined;
  const hv = Number(high.value);
  const isAddress = high.form === DW_FORM.addr || high.form === DW_FORM.addrx || (high.form >= DW_FORM.addrx1 && high.form <= DW_FORM.addrx4);
  return [low.value, isAddress ? hv : low.value + hv];
}

export function* walk(die: Die): Generator<Die> {
  yield die;
  for (const c of die.children) yield* walk(c);
}

export { DW_TAG, DW_AT, DW_FORM };
