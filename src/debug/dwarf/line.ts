// The DWARF line-number program (.debug_line), versions 2 to 5: decodes each unit's header and runs
// its state machine into rows of (address, file, line, column, flags), as readelf's
// --debug-dump=decodedline shows them.
import { Reader, DwarfError, stringAt } from './reader';

export interface LineFile {
  name: string;
  /** The directory, already resolved from the directory table ('' when none). */
  dir: string;
}

export interface LineRow {
  address: number;
  /** Index into the unit's `files`. */
  file: number;
  line: number;
  column: number;
  isStmt: boolean;
  endSequence: boolean;
  prologueEnd: boolean;
  discriminator: number;
}

export interface LineUnit {
  offset: number;
  version: number;
  /** Indexed as the program indexes files: from 0 in DWARF 5, from 1 before (slot 0 then empty). */
  files: (LineFile | undefined)[];
  rows: LineRow[];
}

export interface LineSections {
  debugLine: Uint8Array;
  debugLineStr?: Uint8Array;
  debugStr?: Uint8Array;
}

const DW_LNCT_path = 1, DW_LNCT_directory_index = 2;
const DW_FORM = { block: 0x09, block1: 0x0a, data1: 0x0b, data2: 0x05, data4: 0x06, data8: 0x07, data16: 0x1e, string: 0x08, strp: 0x0e, line_strp: 0x1f, udata: 0x0f, sdata: 0x0d, strx: 0x1a, strx1: 0x25, strx2: 0x26, strx3: 0x27, strx4: 0x28 } as const;

/** Reads one attribute of a DWARF 5 entry format: a string or a number. */
function readForm(r: Reader, form: number, offsetSize: number, s: LineSections): string | number {
  switch (form) {
    case DW_FORM.string: return r.cstr();
    case DW_FORM.line_strp: return stringAt(s.debugLineStr, r.uN(offsetSize), '.debug_line_str');
    case DW_FORM.strp: return stringAt(s.debugStr, r.uN(offsetSize), '.debug_str');
    case DW_FORM.udata: return r.uleb();
    case DW_FORM.sdata: return r.sleb();
    case DW_FORM.data1: return r.u8();
    case DW_FORM.data2: return r.u16();
    case DW_FORM.data4: return r.u32();
    case DW_FORM.data8: return r.u64();
    case DW_FORM.data16: r.skip(16); return 0;
    case DW_FORM.block: r.skip(r.uleb()); return 0;
    case DW_FORM.block1: r.skip(r.u8()); return 0;
    default: throw new DwarfError(`unsupported form 0x${form.toString(16)} in a line table header`);
  }
}

function readEntries(r: Reader, offsetSize: number, s: LineSections): { path: string; dirIndex: number }[] {
  const formatCount = r.u8();
  const formats: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) formats.push([r.uleb(), r.uleb()]);
  const count = r.uleb();
  const out: { path: string; dirIndex: number }[] = [];
  for (let i = 0; i < count; i++) {
    let path = '', dirIndex = 0;
    for (const [type, form] of formats) {
      const v = readForm(r, form, offsetSize, s);
      if (type === DW_LNCT_path) path = String(v);
      else if (type === DW_LNCT_directory_index) dirIndex = Number(v);
    }
    out.push({ path, dirIndex });
  }
  return out;
}

function decodeUnit(s: LineSections, offset: number): { unit: LineUnit; next: number } {
  const r = new Reader(s.debugLine, offset);
  const { unitEnd, offsetSize } = r.initialLength();
  if (unitEnd > s.debugLine.length) throw new DwarfError(`line unit at 0x${offset.toString(16)} runs past the end of .debug_line`);
  const version = r.u16();
  if (version < 2 || version > 5) throw new DwarfError(`unsupported line table version ${version} at 0x${offset.toString(16)}`);
  if (version >= 5) { r.u8(); r.u8(); /* address size (DW_LNE_set_address carries its own), segment selector size */ }
  const headerLength = r.uN(offsetSize);
  const programStart = r.pos + headerLength;
  const minInstLength = r.u8();
  if (version >= 4) r.u8(); // maximum operations per instruction: 1 on ARM
  const defaultIsStmt = r.u8() !== 0;
  const lineBase = r.i8();
  const lineRange = r.u8();
  const opcodeBase = r.u8();
  if (lineRange === 0) throw new DwarfError(`line unit at 0x${offset.toString(16)} has line_range 0`);
  const opLengths = [0];
  for (let i = 1; i < opcodeBase; i++) opLengths.push(r.u8());

  const files: (LineFile | undefined)[] = [];
  if (version >= 5) {
    const dirs = readEntries(r, offsetSize, s).map((d) => d.path);
    for (const f of readEntries(r, offsetSize, s)) files.push({ name: f.path, dir: dirs[f.dirIndex] ?? '' });
  } else {
    const dirs = [''];
    for (let d = r.cstr(); d !== ''; d = r.cstr()) dirs.push(d);
    files.push(undefined);
    for (let name = r.cstr(); name !== ''; name = r.cstr()) {
      const dirIndex = r.uleb();
      r.uleb(); r.uleb(); // modification time, length
      files.push({ name, dir: dirs[dirIndex] ?? '' });
    }
  }

  r.pos = programStart;
  const rows: LineRow[] = [];
  let address = 0, file = 1, line = 1, column = 0, isStmt = defaultIsStmt, prologueEnd = false, discriminator = 0;
  const reset = () => { address = 0; file = 1; line = 1; column = 0; isStmt = defaultIsStmt; prologueEnd = false; discriminator = 0; };
  const emit = (endSequence: boolean) => {
    rows.push({ address, file, line, column, isStmt, endSequence, prologueEnd, discriminator });
    prologueEnd = false;
    discriminator = 0;
  };
  while (r.pos < unitEnd) {
    const op = r.u8();
    if (op >= opcodeBase) {
      const adjusted = op - opcodeBase;
      address += Math.floor(adjusted / lineRange) * minInstLength;
      line += lineBase + (adjusted % lineRange);
      emit(false);
      continue;
    }
    switch (op) {
      case 0: {
        const len = r.uleb();
        const end = r.pos + len;
        if (len === 0) break;
        const sub = r.u8();
        if (sub === 1) { emit(true); reset(); }
        else if (sub === 2) address = r.uN(len - 1);
        else if (sub === 3) {
          const name = r.cstr(); r.uleb(); r.uleb(); r.uleb();
          files.push({ name, dir: '' });
        } else if (sub === 4) discriminator = r.uleb();
        r.pos = end;
        break;
      }
      case 1: emit(false); break;
      case 2: address += r.uleb() * minInstLength; break;
      case 3: line += r.sleb(); break;
      case 4: file = r.uleb(); break;
      case 5: column = r.uleb(); break;
      case 6: isStmt = !isStmt; break;
      case 7: break;
      case 8: address += Math.floor((255 - opcodeBase) / lineRange) * minInstLength; break;
      case 9: address += r.u16(); break;
      case 10: prologueEnd = true; break;
      case 11: break;
      case 12: r.uleb(); break;
      default: for (let i = 0; i < opLengths[op]; i++) r.uleb();
    }
  }
  return { unit: { offset, version, files, rows }, next: unitEnd };
}

/** Decodes every unit of .debug_line. Throws DwarfError (with the offset) on malformed data. */
export function decodeLineTables(s: LineSections): LineUnit[] {
  const units: LineUnit[] = [];
  for (let off = 0; off < s.debugLine.length; ) {
    const { unit, next } = decodeUnit(s, off);
    units.push(unit);
    off = next;
  }
  return units;
}
