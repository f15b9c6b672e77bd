// Probing and placing the dom0 kernel as Xen's kernel.c and domain_build.c do: uImage (U-Boot legacy
// header), gzip (decompressed first), arm64 Image (recognised, refused: the core is 32-bit), zImage
// (with an appended tree counted as part of it) and ELF (`vmlinux`, so users boot the file that
// carries their symbols). Then the tree and initrd are placed by Xen's place_modules rules.
import { gunzipSync } from 'node:zlib';
import { readArmElf, ElfError } from '../machine/elf';
import { FDT_MAGIC } from '../devicetree/index';
import { Dom0Error } from './errors';

export type ImageKind = 'zImage' | 'uImage' | 'ELF' | 'Image';

export interface KernelSegment { pa: number; bytes: Uint8Array; /** bytes to zero after the data (bss) */ zero: number }

export interface PlacedKernel {
  kind: ImageKind;
  /** Whether the image was gzip-compressed (inside a uImage or as a whole). */
  compressed: boolean;
  loadAddress: number;
  /** First byte after the loaded image (bss included). */
  end: number;
  /** Entry point (bit 0 set for a Thumb entry, ELF only). */
  entry: number;
  segments: KernelSegment[];
  /** uImage header name, ELF or zImage details for the boot record. */
  description: string;
}

const MiB = 1024 * 1024;
const ZIMAGE_MAGIC = 0x016f2818;
const UIMAGE_MAGIC = 0x27051956;
const IH_ARCH_ARM = 2, IH_ARCH_ARM64 = 22;
const IH_TYPE_KERNEL = 2, IH_TYPE_KERNEL_NOLOAD = 14;
const IH_COMP_NONE = 0, IH_COMP_GZIP = 1;

const hex = (n: number) => '0x' + (n >>> 0).toString(16);
const be32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const le32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

export interface RamBank { base: number; size: number }

/** Kernel load address for a position-independent image (kernel_zimage_place with start == 0). */
function pieLoadAddress(ram: RamBank, len: number): number {
  const loadEnd = Math.min(ram.base + 128 * MiB, ram.base + ram.size);
  const addr = loadEnd - len;
  if (addr < ram.base) return -1;
  return addr - (addr % (2 * MiB));
}

function fits(ram: RamBank, pa: number, len: number): boolean {
  return pa >= ram.base && pa + len <= ram.base + ram.size;
}

function tooLarge(name: string, what: string, pa: number, len: number, ram: RamBank): Dom0Error {
  return new Dom0Error(`${name}: ${what} (${len} bytes at ${hex(pa)}..${hex(pa + len)}) does not fit in RAM ${hex(ram.base)}..${hex(ram.base + ram.size)} (${ram.size / MiB} MiB; use --memory to enlarge it)`);
}

/** Probes `image` and decides where it goes in `ram`. Throws Dom0Error for anything it cannot boot. */
export function placeKernel(image: Uint8Array, name: string, ram: RamBank, compressed = false): PlacedKernel {
  if (image.length === 0) throw new Dom0Error(`${name}: the kernel image is empty`);
  if (image.length >= 64 && be32(image, 0) === UIMAGE_MAGIC) return placeUImage(image, name, ram);
  if (image.length >= 2 && image[0] === 0x1f && image[1] === 0x8b) {
    if (compressed) throw new Dom0Error(`${name}: gzip inside gzip is not a kernel image`);
    let inner: Uint8Array;
    try {
      inner = gunzipSync(image);
    } catch (e) {
      throw new Dom0Error(`${name}: gzip-compressed, but it does not decompress: ${(e as Error).message}`);
    }
    return { ...placeKernel(inner, name, ram, true), compressed: true };
  }
  if (image.length >= 64 && le32(image, 56) === 0x644d5241) {
    throw new Dom0Error(`${name}: is an arm64 Image (text_offset ${hex(le32(image, 8))}); xenarm boots 32-bit ARM kernels (zImage, uImage, ELF)`);
  }
  if (image.length >= 0x30 && le32(image, 0x24) === ZIMAGE_MAGIC) return placeZImage(image, name, ram, compressed);
  if (image.length >= 4 && image[0] === 0x7f && image[1] === 0x45 && image[2] === 0x4c && image[3] === 0x46) return placeElf(image, name, ram, compressed);
  const head = Array.from(image.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Dom0Error(`${name}: unknown kernel format (not a zImage, uImage, gzip, arm64 Image or ELF; first bytes ${head})`);
}

function placeZImage(image: Uint8Array, name: string, ram: RamBank, compressed: boolean): PlacedKernel {
  const start = le32(image, 0x28);
  let end = le32(image, 0x2c);
  if (end < start || end - start > image.length) {
    throw new Dom0Error(`${name}: zImage header says start ${hex(start)} end ${hex(end)}, but the file has ${image.length} bytes`);
  }
  // An appended device tree (CONFIG_ARM_APPENDED_DTB) is part of the image.
  const off = end - start;
  if (off + 8 <= image.length && be32(image, off) === FDT_MAGIC) {
    end += be32(image, off + 4);
    if (end - start > image.length) throw new Dom0Error(`${name}: the tree appended to the zImage runs past the end of the file`);
  }
  const len = end - start;
  const load = start === 0 ? pieLoadAddress(ram, len) : start;
  if (load < 0 || !fits(ram, load, len)) throw tooLarge(name, 'zImage', load < 0 ? ram.base : load, len, ram);
  return {
    kind: 'zImage', compressed, loadAddress: load, end: load + len, entry: load,
    segments: [{ pa: load, bytes: image.subarray(0, len), zero: 0 }],
    description: start === 0 ? 'position-independent zImage' : `zImage linked at ${hex(start)}`,
  };
}

function placeUImage(image: Uint8Array, name: string, ram: RamBank): PlacedKernel {
  const size = be32(image, 12), load = be32(image, 16), ep = be32(image, 20);
  const arch = image[29], type = image[30], comp = image[31];
  let label = '';
  for (let i = 32; i < 64 && image[i]; i++) label += String.fromCharCode(image[i]);
  if (size > image.length - 64) throw new Dom0Error(`${name}: uImage header says ${size} data bytes, but the file has ${image.length - 64} after the header`);
  if (arch === IH_ARCH_ARM64) throw new Dom0Error(`${name}: is an arm64 uImage; xenarm boots 32-bit ARM kernels`);
  if (arch !== IH_ARCH_ARM) throw new Dom0Error(`${name}: uImage for architecture ${arch}, not ARM (${IH_ARCH_ARM})`);
  if (type !== IH_TYPE_KERNEL && type !== IH_TYPE_KERNEL_NOLOAD) throw new Dom0Error(`${name}: uImage of type ${type} is not a kernel (type ${IH_TYPE_KERNEL})`);
  let data = image.subarray(64, 64 + size);
  if (comp === IH_COMP_GZIP) {
    try { data = gunzipSync(data); } catch (e) { throw new Dom0Error(`${name}: gzip-compressed uImage that does not decompress: ${(e as Error).message}`); }
  } else if (comp !== IH_COMP_NONE) {
    throw new Dom0Error(`${name}: uImage compression ${comp} is not supported (only none and gzip, as Xen)`);
  }
  // Load address 0 means position independent: placed like a zImage (Xen 4.17), entry at the load address.
  const pie = load === 0 || type === IH_TYPE_KERNEL_NOLOAD;
  const at = pie ? pieLoadAddress(ram, data.length) : load;
  if (at < 0 || !fits(ram, at, data.length)) throw tooLarge(name, 'uImage payload', at < 0 ? ram.base : at, data.length, ram);
  const entry = pie ? at + (type === IH_TYPE_KERNEL_NOLOAD ? ep : 0) : ep;
  if (!fits(ram, entry, 4)) throw new Dom0Error(`${name}: uImage entry point ${hex(entry)} is outside RAM ${hex(ram.base)}..${hex(ram.base + ram.size)}`);
  return {
    kind: 'uImage', compressed: comp === IH_COMP_GZIP, loadAddress: at, end: at + data.length, entry,
    segments: [{ pa: at, bytes: data, zero: 0 }], description: `uImage '${label}'`,
  };
}

function placeElf(image: Uint8Array, name: string, ram: RamBank, compressed: boolean): PlacedKernel {
  let elf;
  try { elf = readArmElf(image, name); } catch (e) {
    if (e instanceof ElfError) throw new Dom0Error(e.message);
    throw e;
  }
  const segs = elf.loadSegments().filter((p) => p.memsz > 0);
  const low = Math.min(...segs.map((p) => p.paddr));
  const high = Math.max(...segs.map((p) => p.paddr + p.memsz));
  // Physical addresses inside RAM are used as they are (as QEMU -kernel does). A kernel linked for
  // another physical base (Linux's vmlinux has paddr 0xc0008000 or 0x8000) is moved so that its offset
  // within a 128 MiB window is kept: Linux finds its physical base from where it runs.
  const delta = fits(ram, low, high - low) ? 0 : ram.base + (low % (128 * MiB)) - low;
  const segments: KernelSegment[] = [];
  for (const [i, p] of segs.entries()) {
    if (p.filesz > p.memsz) throw new Dom0Error(`${name}: ELF segment ${i} has file size ${p.filesz} larger than its memory size ${p.memsz}`);
    const pa = p.paddr + delta;
    if (!fits(ram, pa, p.memsz)) throw tooLarge(name, `ELF segment ${i}`, pa, p.memsz, ram);
    segments.push({ pa, bytes: elf.segmentBytes(p), zero: p.memsz - p.filesz });
  }
  let entry = elf.entry;
  for (const p of segs) {
    const e = (entry & ~1) >>> 0;
    if (e >= p.vaddr && e < p.vaddr + p.memsz) { entry = (e - p.vaddr + p.paddr + delta) | (entry & 1); break; }
  }
  if (!fits(ram, (entry & ~1) >>> 0, 2)) throw new Dom0Error(`${name}: ELF entry point ${hex(elf.entry)} is not inside a loaded segment`);
  return {
    kind: 'ELF', compressed, loadAddress: low + delta, end: high + delta, entry: entry >>> 0, segments,
    description: delta ? `ELF moved by ${hex(delta)} to RAM` : 'ELF at its physical addresses',
  };
}

const roundUp = (n: number, a: number) => Math.ceil(n / a) * a;

/**
 * Xen's place_modules: tree and initrd (each rounded up to 2 MiB) go at RAM + 128 MiB when RAM allows and
 * the kernel ends below it, else at the end of RAM, else just below the kernel. The initrd follows the tree.
 */
export function placeModules(ram: RamBank, kernBase: number, kernEnd: number, dtbSize: number, initrdSize: number, name: string): { dtb: number; initrd: number } {
  const initrdLen = roundUp(initrdSize, 2 * MiB);
  const dtbLen = roundUp(dtbSize, 2 * MiB);
  const modsize = initrdLen + dtbLen;
  const ramEnd = ram.base + ram.size;
  const kernSize = roundUp(kernEnd, 2 * MiB) - kernBase;
  const ram128 = ram.base + 128 * MiB;
  if (modsize + kernSize > ram.size) {
    throw new Dom0Error(`${name}: not enough memory for the kernel (${kernSize} bytes with 2 MiB rounding), tree and initrd (${modsize} bytes, likewise) in ${ram.size / MiB} MiB of RAM (use --memory to enlarge it)`);
  }
  let base: number;
  if (ramEnd >= ram128 + modsize && kernEnd < ram128) base = ram128;
  else if (ramEnd - modsize > roundUp(kernEnd, 2 * MiB)) base = ramEnd - modsize;
  else if (kernBase - ram.base > modsize) base = kernBase - modsize;
  else throw new Dom0Error(`${name}: no room for the tree and initrd (${modsize} bytes) beside the kernel at ${hex(kernBase)}..${hex(kernEnd)} (use --memory to enlarge RAM)`);
  return { dtb: base, initrd: base + dtbLen };
}
