// Flattened device tree writer, byte-identical to dtc's dt_to_blob (flattree.c): header for versions
// 16 and 17 (and the old 1-3 layouts), memory reservation map with -R spare slots, struct block,
// strings block where a name reuses any earlier occurrence of itself (suffix sharing, first match),
// and -S / -p / -a padding.
import type { DeviceTree, Node } from './model';
import { FDT_MAGIC, FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_END, FDT_VERSIONS, FTF_BOOTCPUID, FTF_FULLPATH, FTF_NAMEPROPS, FTF_STRTABSIZE, FTF_STRUCTSIZE, FTF_VARALIGN } from './fdt-format';

export interface DtbWriteOptions {
  /** -V: 17 by default; 16, 3, 2, 1 as dtc supports. */
  version?: number;
  /** -R: extra empty reservation slots. */
  reserve?: number;
  /** -S: minimum blob size. */
  space?: number;
  /** -p: padding bytes. */
  padding?: number;
  /** -a: align the total size (a power of two). */
  align?: number;
  /** An existing strings block to start from (libfdt keeps a blob's strings and appends new ones). */
  strings?: string;
  /** Called with dtc's warning when -S is smaller than the blob. */
  warn?: (message: string) => void;
}



export class DtbWriteError extends Error {}

/** A growable big-endian byte buffer. */
class Buf {
  b = new Uint8Array(1024);
  len = 0;
  private grow(n: number): void {
    if (this.len + n <= this.b.length) return;
    let size = this.b.length * 2;
    while (size < this.len + n) size *= 2;
    const nb = new Uint8Array(size);
    nb.set(this.b.subarray(0, this.len));
    this.b = nb;
  }
  u32(v: number): void {
    this.grow(4);
    const b = this.b;
    const l = this.len;
    b[l] = v >>> 24;
    b[l + 1] = (v >>> 16) & 0xff;
    b[l + 2] = (v >>> 8) & 0xff;
    b[l + 3] = v & 0xff;
    this.len += 4;
  }
  bytes(d: Uint8Array): void {
    this.grow(d.length);
    this.b.set(d, this.len);
    this.len += d.length;
  }
  latin1(s: string): void {
    this.grow(s.length + 1);
    for (let i = 0; i < s.length; i++) this.b[this.len++] = s.charCodeAt(i) & 0xff;
    this.b[this.len++] = 0;
  }
  align(a: number): void {
    const n = (a - (this.len % a)) % a;
    this.grow(n);
    this.b.fill(0, this.len, this.len + n);
    this.len += n;
  }
  result(): Uint8Array {
    return this.b.subarray(0, this.len);
  }
}

/** dtc's stringtable_insert: the first offset where `name` followed by NUL already occurs, else appended. */
class StringTable {
  constructor(public text = '') {}
  private cache = new Map<string, number>();
  insert(name: string): number {
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit;
    let off = this.text.indexOf(name + '\0');
    if (off < 0) {
      off = this.text.length;
      this.text += name + '\0';
    }
    // A later insertion cannot create an earlier occurrence, so the first match is stable.
    this.cache.set(name, off);
    return off;
  }
}

function basenameLen(name: string): number {
  const at = name.indexOf('@');
  return at >= 0 ? at : name.length;
}

function flatten(node: Node, path: string, out: Buf, strs: StringTable, flags: number): void {
  if (node.deleted) return;
  out.u32(FDT_BEGIN_NODE);
  out.latin1(flags & FTF_FULLPATH ? path : node.name);
  out.align(4);
  let seenName = false;
  for (const p of node.properties) {
    if (p.deleted) continue;
    if (p.name === 'name') seenName = true;
    const nameoff = strs.insert(p.name);
    out.u32(FDT_PROP);
    out.u32(p.value.bytes.length);
    out.u32(nameoff);
    if (flags & FTF_VARALIGN && p.value.bytes.length >= 8) out.align(8);
    out.bytes(p.value.bytes);
    out.align(4);
  }
  if (flags & FTF_NAMEPROPS && !seenName) {
    const bl = basenameLen(node.name);
    out.u32(FDT_PROP);
    out.u32(bl + 1);
    out.u32(strs.insert('name'));
    if (flags & FTF_VARALIGN && bl + 1 >= 8) out.align(8);
    out.latin1(node.name.slice(0, bl));
    out.align(4);
  }
  for (const c of node.children) {
    if (c.deleted) continue;
    flatten(c, path === '/' ? `/${c.name}` : `${path}/${c.name}`, out, strs, flags);
  }
  out.u32(FDT_END_NODE);
}

export function writeDtb(tree: DeviceTree, opts: DtbWriteOptions = {}): Uint8Array {
  const version = opts.version ?? 17;
  const vi = FDT_VERSIONS[version];
  if (!vi) throw new DtbWriteError(`Unknown device tree blob version ${version}`);
  const dt = new Buf();
  const strs = new StringTable(opts.strings ?? '');
  // The root's full path is "/" (join_path("", "")).
  flatten(tree.root, '/', dt, strs, vi.flags);
  dt.u32(FDT_END);

  const reserveEntries = tree.reserveMap.length + (opts.reserve ?? 0);
  const reservesize = reserveEntries * 16 + 16;
  const strBytes = strs.text.length;
  const reserveOff = (vi.hdr + 7) & ~7;
  const offStruct = reserveOff + reservesize;
  const offStrings = offStruct + dt.len;
  let totalsize = offStrings + strBytes;

  let padlen = 0;
  const space = opts.space ?? 0;
  const padding = opts.padding ?? 0;
  const align = opts.align ?? 0;
  if (space > 0) {
    padlen = space - totalsize;
    if (padlen < 0) {
      padlen = 0;
      opts.warn?.(`Warning: blob size ${totalsize} >= minimum size ${space}`);
    }
  }
  if (padding > 0) padlen = padding;
  if (align > 0) padlen = Math.ceil((totalsize + padlen) / align) * align - totalsize;
  if (padlen > 0) totalsize += padlen;

  const out = new Uint8Array(offStrings + strBytes + Math.max(padlen, 0));
  const v = new DataView(out.buffer);
  // Header: dtc fills the struct with 0xff first, then sets the fields this version has.
  const hdr = new Uint8Array(40).fill(0xff);
  const hv = new DataView(hdr.buffer);
  hv.setUint32(0, FDT_MAGIC);
  hv.setUint32(4, totalsize >>> 0);
  hv.setUint32(8, offStruct);
  hv.setUint32(12, offStrings);
  hv.setUint32(16, reserveOff);
  hv.setUint32(20, version);
  hv.setUint32(24, vi.last);
  if (vi.flags & FTF_BOOTCPUID) hv.setUint32(28, tree.bootCpuidPhys >>> 0);
  if (vi.flags & FTF_STRTABSIZE) hv.setUint32(32, strBytes);
  if (vi.flags & FTF_STRUCTSIZE) hv.setUint32(36, dt.len);
  out.set(hdr.subarray(0, vi.hdr), 0);
  let o = reserveOff;
  for (const r of tree.reserveMap) {
    v.setBigUint64(o, r.address & 0xffffffffffffffffn);
    v.setBigUint64(o + 8, r.size & 0xffffffffffffffffn);
    o += 16;
  }
  o += (opts.reserve ?? 0) * 16 + 16;
  out.set(dt.result(), offStruct);
  for (let i = 0; i < strBytes; i++) out[offStrings + i] = strs.text.charCodeAt(i);
  return out;
}
