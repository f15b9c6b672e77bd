// Property values as views into shared 64 KiB chunks instead of one ArrayBuffer each: a tree has one
// value per property (hundreds of thousands in a large one), and V8's garbage collector pays for every
// ArrayBuffer it tracks, which made small buffers the largest cost of parsing. Views are ordinary
// Uint8Arrays; code that reads `.buffer` must honour `byteOffset` (all of ours does).

const CHUNK = 64 * 1024;
/** Larger values get their own buffer (few of them, and they would waste chunk space). */
const LARGEST = 4096;

let chunk = new Uint8Array(CHUNK);
let used = 0;

/** A zero-filled value of `len` bytes. */
export function allocBytes(len: number): Uint8Array {
  if (len > LARGEST) return new Uint8Array(len);
  if (used + len > CHUNK) {
    chunk = new Uint8Array(CHUNK);
    used = 0;
  }
  const b = chunk.subarray(used, used + len);
  used += len;
  return b;
}

/** A copy of `src[start, start + len)`. */
export function copyBytes(src: Uint8Array, start: number, len: number): Uint8Array {
  const b = allocBytes(len);
  b.set(src.subarray(start, start + len));
  return b;
}

/** A value holding the numbers of `list` (each 0-255). */
export function bytesOf(list: readonly number[]): Uint8Array {
  const b = allocBytes(list.length);
  for (let i = 0; i < list.length; i++) b[i] = list[i]!;
  return b;
}
