// Pages Xen shares with the guest: shared_info (event bitmaps, wall clock) and each vCPU's vcpu_info.
// In Xen they are Xen's own memory, there before the guest maps them; here each lives in a shadow
// buffer until the guest places it (add_to_physmap / register_vcpu_info), then in guest RAM at that
// address, where the guest reads and writes it with plain loads and stores.
import type { PhysMemory } from './guest-memory';

export class SharedArea {
  private shadow: Uint8Array;
  /** Guest-physical address once placed, else null. */
  pa: number | null = null;

  constructor(private readonly phys: PhysMemory, readonly size: number) {
    this.shadow = new Uint8Array(size);
  }

  /** Moves the area to guest-physical `pa`, keeping its contents (as Xen maps the same page there). */
  place(pa: number): void {
    const bytes = this.snapshot();
    this.pa = pa;
    for (let i = 0; i < bytes.length; i++) this.phys.setU8(pa + i, bytes[i]);
  }

  snapshot(): Uint8Array {
    if (this.pa === null) return this.shadow.slice();
    const out = new Uint8Array(this.size);
    for (let i = 0; i < this.size; i += 4) new DataView(out.buffer).setUint32(i, this.phys.u32(this.pa + i), true);
    return out;
  }

  u8(off: number): number { return this.pa === null ? this.shadow[off] : this.phys.u8(this.pa + off); }
  setU8(off: number, v: number): void { if (this.pa === null) this.shadow[off] = v; else this.phys.setU8(this.pa + off, v); }
  u32(off: number): number {
    if (this.pa !== null) return this.phys.u32(this.pa + off);
    return new DataView(this.shadow.buffer).getUint32(off, true);
  }
  setU32(off: number, v: number): void {
    if (this.pa !== null) this.phys.setU32(this.pa + off, v);
    else new DataView(this.shadow.buffer).setUint32(off, v >>> 0, true);
  }

  testBit(off: number, bit: number): boolean { return (this.u8(off + (bit >> 3)) & (1 << (bit & 7))) !== 0; }
  /** Sets a bit of a little-endian bitmap at `off`; returns its previous value. */
  testAndSetBit(off: number, bit: number): boolean {
    const a = off + (bit >> 3), m = 1 << (bit & 7), v = this.u8(a);
    if (v & m) return true;
    this.setU8(a, v | m);
    return false;
  }
  testAndClearBit(off: number, bit: number): boolean {
    const a = off + (bit >> 3), m = 1 << (bit & 7), v = this.u8(a);
    if (!(v & m)) return false;
    this.setU8(a, v & ~m);
    return true;
  }
}
