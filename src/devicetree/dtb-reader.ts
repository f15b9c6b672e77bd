// Flattened device tree reader (dtc's dt_from_blob): versions 1-17, FDT_NOP skipped, and every
// malformed blob rejected with dtc's message plus the byte offset where reading stopped. Iterative, so
// a deeply nested or hostile blob cannot overflow the stack or loop: every step consumes input.
import type { DeviceTree, Node, ReserveEntry } from './model';
import { newNode } from './model';
import { newProperty } from './livetree';
import { copyBytes } from './byte-arena';
import { FDT_MAGIC, FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END } from './fdt-format';

export class DtbError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'DtbError';
  }
}

export interface DtbReadResult {
  tree: DeviceTree;
  /** dtc's non-fatal warnings (subnodes before a property, NOP in an old version). */
  warnings: string[];
}

/** Deeper trees are not real hardware descriptions; the limit keeps every later (recursive) pass safe. */
const MAX_DEPTH = 1024;

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

export function readDtb(bytes: Uint8Array, source = '<dtb>'): DtbReadResult {
  const warnings: string[] = [];
  if (bytes.length < 4) throw new DtbError('EOF reading DT blob magic number', bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== FDT_MAGIC) throw new DtbError('Blob has incorrect magic number', 0);
  if (bytes.length < 8) throw new DtbError('EOF reading DT blob size', bytes.length);
  const totalsize = view.getUint32(4);
  if (totalsize < 28) throw new DtbError(`DT blob size (${totalsize | 0}) is too small`, 4);
  if (bytes.length < totalsize) throw new DtbError(`EOF before reading ${totalsize | 0} bytes of DT blob`, bytes.length);
  const u32 = (o: number): number => view.getUint32(o);
  const offDt = u32(8);
  const offStr = u32(12);
  const offRsv = u32(16);
  const version = u32(20);
  const bootCpuid = totalsize >= 32 ? u32(28) : 0;
  if (offRsv >= totalsize) throw new DtbError('Mem Reserve structure offset exceeds total size', 16);
  if (offDt >= totalsize) throw new DtbError('DT structure offset exceeds total size', 8);
  if (offStr > totalsize) throw new DtbError('String table offset exceeds total size', 12);
  let strLimit = totalsize;
  if (version >= 3) {
    const sizeStr = u32(32);
    if (offStr + sizeStr > totalsize) throw new DtbError('String table extends past total size', 32);
    strLimit = offStr + sizeStr;
  }
  if (version >= 17) {
    const sizeDt = u32(36);
    if (offDt + sizeDt > totalsize) throw new DtbError('Structure block extends past total size', 36);
  }
  const fullpath = version < 16;
  const limit = totalsize;
  const premature = (at: number): DtbError => new DtbError('Premature end of data parsing flat device tree', at);

  // Memory reservation map, terminated by an entry of size 0.
  const reserveMap: ReserveEntry[] = [];
  for (let o = offRsv; ; o += 16) {
    if (o + 16 > limit) throw premature(o);
    const address = view.getBigUint64(o);
    const size = view.getBigUint64(o + 8);
    if (size === 0n) break;
    reserveMap.push({ address, size, labels: [] });
  }

  let p = offDt;
  const word = (): number => {
    if (p + 4 > limit) throw premature(p);
    const v = u32(p);
    p += 4;
    return v;
  };
  const realign = (a: number): void => {
    p = Math.ceil(p / a) * a;
    if (p > limit) throw premature(p);
  };
  const cstring = (): string => {
    const start = p;
    let e = start;
    while (e < limit && bytes[e] !== 0) e++;
    if (e >= limit) throw premature(e);
    const s = latin1(bytes, start, e);
    p = e + 1;
    realign(4);
    return s;
  };
  // Property names repeat (a blob shares them in its strings block): decode each offset once.
  const names = new Map<number, string>();
  const tableString = (off: number): string => {
    const known = names.get(off);
    if (known !== undefined) return known;
    const at = offStr + (off | 0);
    let e = at;
    for (;;) {
      if (e >= strLimit || e < offStr) throw new DtbError(`String offset ${off | 0} overruns string table`, p - 4);
      if (bytes[e] === 0) break;
      e++;
    }
    const s = latin1(bytes, at, e);
    names.set(off, s);
    return s;
  };

  const first = word();
  if (first !== FDT_BEGIN_NODE) throw new DtbError(`Device tree blob doesn't begin with FDT_BEGIN_NODE (begins with 0x${hex8(first)})`, p - 4);
  const rootFlat = cstring();
  const root = newNode(fullpath ? nodeNameFromPath('', rootFlat, p) : rootFlat);
  const stack: { node: Node; flat: string }[] = [{ node: root, flat: rootFlat }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const at = p;
    const tag = word();
    switch (tag) {
      case FDT_PROP: {
        if (top.node.children.length) warnings.push('Warning: Flat tree input has subnodes preceding a property.');
        const len = word();
        const nameoff = word();
        const name = tableString(nameoff);
        if (fullpath && len >= 8) realign(8);
        if (len > limit - p) throw premature(p);
        const val = copyBytes(bytes, p, len);
        p += len;
        if (len) realign(4);
        top.node.properties.push(newProperty(name, { bytes: val, markers: [] }));
        break;
      }
      case FDT_BEGIN_NODE: {
        const flat = cstring();
        if (stack.length >= MAX_DEPTH) throw new DtbError(`Device tree blob nests nodes deeper than ${MAX_DEPTH} levels`, at);
        const child = newNode(fullpath ? nodeNameFromPath(top.flat, flat, at) : flat, top.node);
        top.node.children.push(child);
        stack.push({ node: child, flat });
        break;
      }
      case FDT_END_NODE:
        stack.pop();
        break;
      case FDT_END:
        throw new DtbError('Premature FDT_END in device tree blob', at);
      case FDT_NOP:
        if (fullpath) warnings.push('Warning: NOP tag found in flat tree version <16');
        break;
      default:
        throw new DtbError(`Invalid opcode word ${hex8(tag)} in device tree blob`, at);
    }
  }
  const endAt = p;
  if (word() !== FDT_END) throw new DtbError("Device tree blob doesn't end with FDT_END", endAt);
  // Old versions carry "name" properties; dtc keeps them (the name_properties check removes correct ones).
  return { tree: { v1: true, plugin: false, reserveMap, root, bootCpuidPhys: bootCpuid, source }, warnings };
}

function nodeNameFromPath(ppath: string, cpath: string, at: number): string {
  if (!cpath.startsWith(ppath)) throw new DtbError(`Path "${cpath}" is not valid as a child of "${ppath}"`, at);
  return cpath.slice(ppath === '/' ? ppath.length : ppath.length + 1);
}

function latin1(b: Uint8Array, s: number, e: number): string {
  if (e - s <= 32) {
    // Names are short: one call, no spread of a subarray.
    switch (e - s) {
      case 0: return '';
      case 1: return String.fromCharCode(b[s]!);
    }
    const codes: number[] = [];
    for (let i = s; i < e; i++) codes.push(b[i]!);
    return String.fromCharCode.apply(null, codes);
  }
  let r = '';
  for (let i = s; i < e; i += 8192) r += String.fromCharCode(...b.subarray(i, Math.min(e, i + 8192)));
  return r;
}
