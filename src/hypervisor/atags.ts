// The legacy ARM boot protocol early Xen on ARM used: an ATAGS list (Documentation/arm/booting.rst,
// arch/arm/include/uapi/asm/setup.h) with a machine number in r1, in place of a device tree.
const ATAG_NONE = 0x00000000, ATAG_CORE = 0x54410001, ATAG_MEM = 0x54410002, ATAG_INITRD2 = 0x54420005, ATAG_CMDLINE = 0x54410009;

/** Offset from the start of RAM where the list goes (the conventional 0x100). */
export const ATAGS_OFFSET = 0x100;

export function buildAtags(o: { ramBase: number; ramSize: number; initrd?: { start: number; size: number }; cmdline?: string }): Uint8Array {
  const words: number[] = [];
  const tag = (type: number, body: number[]) => words.push(body.length + 2, type, ...body);
  tag(ATAG_CORE, [1, 4096, 0]); // flags: read-only root; page size; root device 0
  tag(ATAG_MEM, [o.ramSize >>> 0, o.ramBase >>> 0]);
  if (o.initrd) tag(ATAG_INITRD2, [o.initrd.start >>> 0, o.initrd.size >>> 0]);
  if (o.cmdline !== undefined && o.cmdline.length) {
    const bytes = new TextEncoder().encode(o.cmdline + '\0');
    const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
    padded.set(bytes);
    const dv = new DataView(padded.buffer);
    tag(ATAG_CMDLINE, Array.from({ length: padded.length / 4 }, (_, i) => dv.getUint32(i * 4, true)));
  }
  words.push(0, ATAG_NONE);
  const out = new Uint8Array(words.length * 4);
  const dv = new DataView(out.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  return out;
}
