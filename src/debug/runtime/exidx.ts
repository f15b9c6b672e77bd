// ARM EHABI unwind tables (.ARM.exidx, with .ARM.extab): what ARM gcc emits by default instead of
// .eh_frame, and what Debian's kernel and user space carry. Each entry names a function start and
// either "cannot unwind", or a short bytecode (compact models 0-2, inline or in .ARM.extab) that pops
// the registers the prologue saved and adjusts the virtual sp. ("Exception Handling ABI for the Arm
// Architecture", section 10.) Entries with a generic personality routine are kept but not run.
import type { ElfFile } from '../../machine/elf';

export interface ExidxEntry {
  /** Function start (prel31-decoded). */
  fn: number;
  cantUnwind: boolean;
  /** Compact model index (0-2), or -1 for a generic personality routine. */
  model: number;
  /** The unwinding instructions, padding "finish" bytes included (readelf prints them too). */
  ops: number[];
  personality?: number;
}

const prel31 = (word: number, at: number) => (at + ((word << 1) >> 1)) >>> 0;

/** Decodes a .ARM.exidx section; `read32` reads a word of the image (for .ARM.extab entries). */
export function decodeExidx(section: Uint8Array, address: number, read32: (a: number) => number | undefined): ExidxEntry[] {
  const dv = new DataView(section.buffer, section.byteOffset, section.byteLength);
  const out: ExidxEntry[] = [];
  for (let off = 0; off + 8 <= section.length; off += 8) {
    const at = (address + off) >>> 0;
    const fn = prel31(dv.getUint32(off, true), at);
    const w = dv.getUint32(off + 4, true);
    if (w === 1) { out.push({ fn, cantUnwind: true, model: 0, ops: [] }); continue; }
    let first: number | undefined = w, extab = -1;
    if (!(w & 0x80000000)) { extab = prel31(w, (at + 4) >>> 0); first = read32(extab); }
    if (first === undefined) { out.push({ fn, cantUnwind: true, model: 0, ops: [] }); continue; }
    if (!(first & 0x80000000)) { out.push({ fn, cantUnwind: false, model: -1, ops: [], personality: prel31(first, extab) }); continue; }
    const model = (first >>> 24) & 0xf;
    const ops: number[] = [];
    if (model === 0) ops.push((first >>> 16) & 0xff, (first >>> 8) & 0xff, first & 0xff);
    else if (model === 1 || model === 2) {
      const more = extab >= 0 ? (first >>> 16) & 0xff : 0;
      ops.push((first >>> 8) & 0xff, first & 0xff);
      for (let k = 1; k <= more; k++) {
        const x = read32((extab + 4 * k) >>> 0);
        if (x === undefined) break;
        ops.push(x >>> 24, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff);
      }
    }
    out.push({ fn, cantUnwind: false, model, ops });
  }
  return out.sort((a, b) => a.fn - b.fn);
}

/** The entry covering pc: the last one starting at or below it. */
export function exidxFor(entries: ExidxEntry[], pc: number): ExidxEntry | undefined {
  let lo = 0, hi = entries.length - 1, best: ExidxEntry | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid].fn <= pc) { best = entries[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return best;
}

const regList = (regs: number[]) => `{${regs.map((r) => `r${r}`).join(', ')}}`;

/** One instruction of the bytecode at ops[i]: its length and readelf's wording of it. */
export function describeOp(ops: number[], i: number): { size: number; text: string } {
  const op = ops[i];
  if (op < 0x40) return { size: 1, text: `vsp = vsp + ${((op & 0x3f) << 2) + 4}` };
  if (op < 0x80) return { size: 1, text: `vsp = vsp - ${((op & 0x3f) << 2) + 4}` };
  if (op < 0x90) {
    const mask = ((op & 0xf) << 8) | (ops[i + 1] ?? 0);
    if (mask === 0) return { size: 2, text: 'Refuse to unwind' };
    return { size: 2, text: `pop ${regList([...Array(12).keys()].filter((k) => mask & (1 << k)).map((k) => k + 4))}` };
  }
  if (op < 0xa0) return { size: 1, text: (op & 0xf) === 13 || (op & 0xf) === 15 ? '[Reserved]' : `vsp = r${op & 0xf}` };
  if (op < 0xb0) {
    const regs = [...Array((op & 7) + 1).keys()].map((k) => k + 4);
    if (op & 8) regs.push(14);
    return { size: 1, text: `pop ${regList(regs)}` };
  }
  if (op === 0xb0) return { size: 1, text: 'finish' };
  if (op === 0xb1) {
    const m = ops[i + 1] ?? 0;
    return { size: 2, text: m === 0 || m & 0xf0 ? '[Spare]' : `pop ${regList([0, 1, 2, 3].filter((k) => m & (1 << k)))}` };
  }
  if (op === 0xb2) {
    let v = 0, shift = 0, n = 1;
    for (;;) { const b = ops[i + n++] ?? 0; v += (b & 0x7f) * 2 ** shift; shift += 7; if (!(b & 0x80)) break; }
    return { size: n, text: `vsp = vsp + ${0x204 + v * 4}` };
  }
  const dRange = (first: number, count: number) => (count === 1 ? `{D${first}}` : `{D${first}-D${first + count - 1}}`);
  if (op === 0xb3) { const b = ops[i + 1] ?? 0; return { size: 2, text: `pop ${dRange(b >> 4, (b & 0xf) + 1)}` }; }
  if (op >= 0xb8 && op <= 0xbf) return { size: 1, text: `pop ${dRange(8, (op & 7) + 1)}` };
  if (op === 0xc8) { const b = ops[i + 1] ?? 0; return { size: 2, text: `pop ${dRange(16 + (b >> 4), (b & 0xf) + 1)}` }; }
  if (op === 0xc9) { const b = ops[i + 1] ?? 0; return { size: 2, text: `pop ${dRange(b >> 4, (b & 0xf) + 1)}` }; }
  if (op >= 0xd0 && op <= 0xd7) return { size: 1, text: `pop ${dRange(8, (op & 7) + 1)}` };
  if (op >= 0xc0 && op <= 0xc7) return { size: op === 0xc6 || op === 0xc7 ? 2 : 1, text: '[iWMMXt]' };
  return { size: 1, text: '[Spare]' };
}

/**
 * Runs an entry's bytecode on a frame's registers: the caller's registers (sp = the final vsp, pc =
 * the popped pc or else lr), or undefined when the entry cannot unwind.
 */
export function unwindExidx(e: ExidxEntry, regs: (number | undefined)[], readU32: (a: number) => number | undefined): (number | undefined)[] | undefined {
  if (e.cantUnwind || e.model < 0) return undefined;
  const out = regs.slice();
  let vsp = out[13];
  if (vsp === undefined) return undefined;
  let pcSet = false;
  const pop = (list: number[]): boolean => {
    for (const r of list) {
      const v = readU32(vsp!);
      if (v === undefined) return false;
      out[r] = v;
      vsp = (vsp! + 4) >>> 0;
      if (r === 15) pcSet = true;
    }
    if (list.includes(13)) vsp = out[13];
    return true;
  };
  const ops = e.ops;
  for (let i = 0; i < ops.length; ) {
    const op = ops[i];
    const { size } = describeOp(ops, i);
    if (op < 0x40) vsp = (vsp + ((op & 0x3f) << 2) + 4) >>> 0;
    else if (op < 0x80) vsp = (vsp - ((op & 0x3f) << 2) - 4) >>> 0;
    else if (op < 0x90) {
      const mask = ((op & 0xf) << 8) | (ops[i + 1] ?? 0);
      if (mask === 0) return undefined;
      if (!pop([...Array(12).keys()].filter((k) => mask & (1 << k)).map((k) => k + 4))) return undefined;
    } else if (op < 0xa0) {
      const r = op & 0xf;
      if (r === 13 || r === 15) return undefined;
      vsp = out[r];
      if (vsp === undefined) return undefined;
    } else if (op < 0xb0) {
      const list = [...Array((op & 7) + 1).keys()].map((k) => k + 4);
      if (op & 8) list.push(14);
      if (!pop(list)) return undefined;
    } else if (op === 0xb0) break;
    else if (op === 0xb1) {
      const m = ops[i + 1] ?? 0;
      if (m === 0 || m & 0xf0) return undefined;
      if (!pop([0, 1, 2, 3].filter((k) => m & (1 << k)))) return undefined;
    } else if (op === 0xb2) {
      let v = 0, shift = 0;
      for (let n = 1; n < size; n++) { v += (ops[i + n] & 0x7f) * 2 ** shift; shift += 7; }
      vsp = (vsp + 0x204 + v * 4) >>> 0;
    } else if (op === 0xb3) vsp = (vsp + 8 * ((ops[i + 1] & 0xf) + 1) + 4) >>> 0; // FSTMFDX: one extra word
    else if (op >= 0xb8 && op <= 0xbf) vsp = (vsp + 8 * ((op & 7) + 1) + 4) >>> 0;
    else if (op === 0xc8 || op === 0xc9) vsp = (vsp + 8 * ((ops[i + 1] & 0xf) + 1)) >>> 0;
    else if (op >= 0xd0 && op <= 0xd7) vsp = (vsp + 8 * ((op & 7) + 1)) >>> 0;
    else return undefined; // iWMMXt and spare encodings: not on the cores we run
    i += size;
  }
  out[13] = vsp;
  if (!pcSet) out[15] = out[14];
  return out;
}

/** Every SHT_ARM_EXIDX section of an ELF file decoded (.ARM.extab words read from the file). */
export function armExidx(elf: ElfFile, warnings: string[]): ExidxEntry[] {
  const read32 = (a: number) => {
    const sec = elf.sections.find((x) => x.type !== 8 && x.addr !== 0 && a >= x.addr && a + 4 <= x.addr + x.size);
    if (!sec) return undefined;
    const o = sec.offset + (a - sec.addr);
    const b = elf.bytes;
    return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
  };
  const out: ExidxEntry[] = [];
  for (const sec of elf.sections) {
    if (sec.type !== 0x70000001) continue; // SHT_ARM_EXIDX
    try {
      out.push(...decodeExidx(elf.sectionBytes(sec), sec.addr, read32));
    } catch (e) {
      warnings.push(`${sec.name}: ${(e as Error).message}`);
    }
  }
  return out.sort((a, b) => a.fn - b.fn);
}
