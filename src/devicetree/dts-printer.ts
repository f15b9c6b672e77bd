// DTS printer, byte-identical to dtc's dt_to_source (treesource.c): values printed by their type
// markers (as written in the source) or, for blobs, by dtc's guess (string, cells or bytes), with
// labels inside values, dtc's string escapes (a byte >= 0x80 prints as \xffffffNN, as dtc's signed
// char does) and its "0x%02x" cells.
import type { DeviceTree, Marker, Node, Property } from './model';
import { MarkerType } from './model';

function isPrint(c: number): boolean {
  return c >= 0x20 && c < 0x7f;
}

function isStringChar(c: number): boolean {
  return isPrint(c) || c === 0 || c === 7 || c === 8 || c === 9 || c === 10 || c === 11 || c === 12 || c === 13;
}

const ESC: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\', 34: '\\"', 0: '\\0' };

/** Bytes [s, e) as a string, one char per byte, in chunks small enough for fromCharCode's arguments. */
function chars(b: Uint8Array, s: number, e: number): string {
  let r = '';
  for (let i = s; i < e; i += 4096) r += String.fromCharCode.apply(null, b.subarray(i, Math.min(e, i + 4096)) as unknown as number[]);
  return r;
}

function writeString(out: string[], b: Uint8Array, start: number, len: number): void {
  if (!len) return;
  let s = '"';
  const end = start + len - 1; // the last byte is the terminating NUL
  // Runs of printable bytes are copied whole; only escapes are built one by one.
  let run = start;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    const e = ESC[c];
    if (!e && isPrint(c)) continue;
    if (i > run) s += chars(b, run, i);
    run = i + 1;
    s += e ?? '\\x' + (c >= 0x80 ? (0xffffff00 | c) >>> 0 : c).toString(16).padStart(2, '0');
  }
  if (end > run) s += chars(b, run, end);
  out.push(s + '"');
}

function writeInts(out: string[], b: Uint8Array, start: number, len: number, width: number): void {
  const parts: string[] = [];
  for (let p = start; p + width <= start + len; p += width) {
    if (width === 1) parts.push(HEX2[b[p]!]!);
    else if (width === 2) parts.push('0x' + ((b[p]! << 8) | b[p + 1]!).toString(16).padStart(2, '0'));
    else {
      // "0x%02x" of a 32-bit cell, or of a 64-bit one as two halves (no BigInt per cell).
      const w = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
      if (width === 4) parts.push('0x' + (w < 16 ? '0' + w.toString(16) : w.toString(16)));
      else {
        const lo = ((b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!) >>> 0;
        parts.push('0x' + (w === 0 ? lo.toString(16).padStart(2, '0') : w.toString(16) + lo.toString(16).padStart(8, '0')));
      }
    }
  }
  out.push(parts.join(' '));
}

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function isTyped(t: MarkerType): boolean {
  return t === MarkerType.TypeUint8 || t === MarkerType.TypeUint16 || t === MarkerType.TypeUint32 || t === MarkerType.TypeUint64 || t === MarkerType.TypeString;
}

const START: Partial<Record<MarkerType, string>> = {
  [MarkerType.TypeUint8]: '[', [MarkerType.TypeUint16]: '/bits/ 16 <', [MarkerType.TypeUint32]: '<', [MarkerType.TypeUint64]: '/bits/ 64 <', [MarkerType.TypeString]: '',
};
const END: Partial<Record<MarkerType, string>> = {
  [MarkerType.TypeUint8]: ']', [MarkerType.TypeUint16]: '>', [MarkerType.TypeUint32]: '>', [MarkerType.TypeUint64]: '>', [MarkerType.TypeString]: '',
};

/** guess_value_type. */
export function guessValueType(p: Property): MarkerType {
  const b = p.value.bytes;
  const len = b.length;
  let notString = 0;
  let nul = 0;
  for (let i = 0; i < len; i++) {
    const c = b[i]!;
    if (!isStringChar(c)) notString++;
    if (c === 0) nul++;
  }
  let notStringLbl = 0;
  let notCellLbl = 0;
  for (const m of p.value.markers) {
    if (m.type !== MarkerType.Label) continue;
    if (m.offset > 0 && b[m.offset - 1] !== 0) notStringLbl++;
    if (m.offset % 4 !== 0) notCellLbl++;
  }
  if (b[len - 1] === 0 && notString === 0 && nul <= len - nul && notStringLbl === 0) return MarkerType.TypeString;
  if (len % 4 === 0 && notCellLbl === 0) return MarkerType.TypeUint32;
  return MarkerType.TypeUint8;
}

function writePropval(out: string[], p: Property): void {
  const b = p.value.bytes;
  const len = b.length;
  if (len === 0) {
    out.push(';\n');
    return;
  }
  out.push(' =');
  let markers: Marker[] = p.value.markers;
  if (!markers.some((m) => isTyped(m.type))) markers = [{ type: guessValueType(p), offset: 0 }, ...markers];
  let emit: MarkerType | undefined;
  for (let i = 0; i < markers.length; i++) {
    const m = markers[i]!;
    const next = markers[i + 1];
    const chunkLen = (next ? next.offset : len) - m.offset;
    let nextTyped: Marker | undefined;
    for (let j = i + 1; j < markers.length; j++) {
      if (isTyped(markers[j]!.type)) {
        nextTyped = markers[j];
        break;
      }
    }
    const tml = nextTyped ? nextTyped.offset - m.offset : 0;
    const dataLen = tml || len - m.offset;
    if (isTyped(m.type)) {
      emit = m.type;
      out.push(' ' + START[emit]!);
    } else if (m.type === MarkerType.Label) out.push(` ${m.ref}:`);
    else if (m.offset) out.push(' ');
    if (emit === undefined) continue;
    switch (emit) {
      case MarkerType.TypeUint16: writeInts(out, b, m.offset, chunkLen, 2); break;
      case MarkerType.TypeUint32: writeInts(out, b, m.offset, chunkLen, 4); break;
      case MarkerType.TypeUint64: writeInts(out, b, m.offset, chunkLen, 8); break;
      case MarkerType.TypeString: writeString(out, b, m.offset, chunkLen); break;
      default: writeInts(out, b, m.offset, chunkLen, 1);
    }
    if (chunkLen === dataLen) {
      const pos = m.offset + chunkLen;
      out.push(END[emit]! + (pos === len ? '' : ','));
      emit = undefined;
    }
  }
  out.push(';\n');
}

function writeNode(out: string[], n: Node, level: number): void {
  const tabs = '\t'.repeat(level);
  out.push(tabs);
  for (const l of n.labels) out.push(`${l}: `);
  out.push(n.name ? `${n.name} {\n` : '/ {\n');
  for (const p of n.properties) {
    if (p.deleted) continue;
    out.push(tabs + '\t');
    for (const l of p.labels) out.push(`${l}: `);
    out.push(p.name);
    writePropval(out, p);
  }
  for (const c of n.children) {
    if (c.deleted) continue;
    out.push('\n');
    writeNode(out, c, level + 1);
  }
  out.push(tabs + '};\n');
}

/** The whole tree as dtc prints it (`-O dts`). Strings are binary: one char per byte. */
export function writeDts(tree: DeviceTree): string {
  const out: string[] = ['/dts-v1/;\n\n'];
  for (const r of tree.reserveMap) {
    for (const l of r.labels) out.push(`${l}: `);
    out.push(`/memreserve/\t0x${r.address.toString(16).padStart(16, '0')} 0x${r.size.toString(16).padStart(16, '0')};\n`);
  }
  writeNode(out, tree.root, 0);
  return out.join('');
}
