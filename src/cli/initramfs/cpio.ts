// Writes "newc" cpio archives (the format the Linux kernel unpacks as an initramfs).
// Entries are written in the order given; timestamps and owners are fixed so output is reproducible.

export type CpioEntry =
  | { kind: 'file'; path: string; data: Uint8Array; mode?: number }
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000, S_IFREG = 0o100000, S_IFLNK = 0o120000, S_IFCHR = 0o020000;

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function pad4(len: number): number {
  return (4 - (len % 4)) % 4;
}

export function writeCpio(entries: CpioEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const enc = new TextEncoder();
  let ino = 1;
  const emit = (name: string, mode: number, data: Uint8Array, rdevMajor = 0, rdevMinor = 0, nlink = 1) => {
    const nameBytes = enc.encode(name + '\0');
    const header =
      '070701' + hex8(ino++) + hex8(mode) + hex8(0) + hex8(0) + hex8(nlink) + hex8(0) + hex8(data.length) +
      hex8(0) + hex8(0) + hex8(rdevMajor) + hex8(rdevMinor) + hex8(nameBytes.length) + hex8(0);
    chunks.push(enc.encode(header), nameBytes, new Uint8Array(pad4(110 + nameBytes.length)));
    chunks.push(data, new Uint8Array(pad4(data.length)));
  };
  for (const e of entries) {
    const path = e.path.replace(/^\/+/, '');
    if (!path) continue;
    switch (e.kind) {
      case 'dir': emit(path, S_IFDIR | (e.mode ?? 0o755), new Uint8Array(0), 0, 0, 2); break;
      case 'file': emit(path, S_IFREG | (e.mode ?? 0o644), e.data); break;
      case 'symlink': emit(path, S_IFLNK | 0o777, enc.encode(e.target)); break;
      case 'chardev': emit(path, S_IFCHR | (e.mode ?? 0o600), new Uint8Array(0), e.major, e.minor); break;
    }
  }
  ino = 0;
  emit('TRAILER!!!', 0, new Uint8Array(0), 0, 0, 1);
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.length; }
  return out;
}

/** Parses a newc archive back into entries (for tests and for `xenarm initramfs --list`). */
export function readCpio(bytes: Uint8Array): { path: string; mode: number; size: number; data: Uint8Array; rdev: [number, number] }[] {
  const dec = new TextDecoder();
  const out: { path: string; mode: number; size: number; data: Uint8Array; rdev: [number, number] }[] = [];
  let off = 0;
  for (;;) {
    if (off + 110 > bytes.length) throw new Error(`cpio archive truncated at byte ${off}`);
    const h = dec.decode(bytes.subarray(off, off + 110));
    if (!h.startsWith('070701') && !h.startsWith('070702')) throw new Error(`bad cpio magic at byte ${off}`);
    const field = (i: number) => parseInt(h.slice(6 + i * 8, 14 + i * 8), 16);
    const mode = field(1), size = field(6), namesize = field(11);
    const nameStart = off + 110;
    if (nameStart + namesize > bytes.length) throw new Error(`cpio name runs past the end at byte ${off}`);
    const path = dec.decode(bytes.subarray(nameStart, nameStart + namesize - 1));
    const dataStart = nameStart + namesize + pad4(110 + namesize);
    if (dataStart + size > bytes.length) throw new Error(`cpio data of ${path} runs past the end`);
    if (path === 'TRAILER!!!') return out;
    out.push({ path, mode, size, data: bytes.subarray(dataStart, dataStart + size), rdev: [field(9), field(10)] });
    off = dataStart + size + pad4(size);
  }
}
