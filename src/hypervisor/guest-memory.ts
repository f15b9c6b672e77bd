// Reading and writing guest memory for hypercall arguments. Pointers in hypercall arguments are guest
// *virtual* addresses, translated through the calling vCPU's current stage-1 tables (as Xen's
// copy_from_guest does with the hardware's AT instructions); an address that does not map, or maps to
// something other than RAM, is a GuestFault, which the dispatcher turns into -EFAULT.
import { Access, type CpuApi } from '../machine/arm32/contracts';
import type { Bus } from '../machine/bus';

/** A guest pointer that does not translate to RAM. */
export class GuestFault {
  constructor(readonly va: number, readonly write: boolean) {}
}

export class GuestMemory {
  constructor(private readonly cpu: CpuApi, private readonly bus: Bus) {}

  /** Guest-physical address of `va` for this access, or throws GuestFault. */
  private pa(va: number, write: boolean): number {
    const pa = this.cpu.mem.probe(va >>> 0, write ? Access.Write : Access.Read, false);
    if (pa < 0 || !this.bus.ramAt(pa)) throw new GuestFault(va >>> 0, write);
    return pa;
  }

  read(va: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const a = (va + done) >>> 0;
      const chunk = Math.min(len - done, 4096 - (a & 0xfff));
      const pa = this.pa(a, false);
      const bytes = this.bus.peek(pa, chunk);
      if (!bytes) throw new GuestFault(a, false);
      out.set(bytes, done);
      done += chunk;
    }
    return out;
  }

  write(va: number, data: Uint8Array): void {
    // Translate every page first so a fault part-way leaves memory untouched.
    const pas: number[] = [];
    for (let done = 0; done < data.length; ) {
      const a = (va + done) >>> 0;
      const chunk = Math.min(data.length - done, 4096 - (a & 0xfff));
      pas.push(this.pa(a, true));
      if (!this.bus.ramAt(pas[pas.length - 1], chunk)) throw new GuestFault(a, true);
      done += chunk;
    }
    for (let done = 0, i = 0; done < data.length; i++) {
      const a = (va + done) >>> 0;
      const chunk = Math.min(data.length - done, 4096 - (a & 0xfff));
      this.bus.load(pas[i], data.subarray(done, done + chunk));
      done += chunk;
    }
  }

  u8(va: number): number { return this.read(va, 1)[0]; }
  u16(va: number): number { const b = this.read(va, 2); return b[0] | (b[1] << 8); }
  u32(va: number): number { const b = this.read(va, 4); return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0; }
  /** A 64-bit field as a number (the values the ABI carries fit in 53 bits: frame numbers, handles). */
  u64(va: number): number { const b = this.read(va, 8); return readU64(b, 0); }

  setU8(va: number, v: number): void { this.write(va, Uint8Array.of(v & 0xff)); }
  setU16(va: number, v: number): void { this.write(va, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff)); }
  setU32(va: number, v: number): void { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v >>> 0, true); this.write(va, b); }
  setU64(va: number, v: number | bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
    this.write(va, b);
  }

  /** A NUL-terminated string of at most `max` bytes (for diagnostics only). */
  cString(va: number, max = 256): string {
    let s = '';
    for (let i = 0; i < max; i++) {
      const c = this.u8(va + i);
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  }
}

export function readU64(b: Uint8Array, off: number): number {
  const lo = (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
  const hi = (b[off + 4] | (b[off + 5] << 8) | (b[off + 6] << 16) | (b[off + 7] << 24)) >>> 0;
  return hi * 0x100000000 + lo;
}

/** Physical-memory helpers for pages the hypervisor owns inside guest RAM (shared_info, vcpu_info). */
export class PhysMemory {
  constructor(private readonly bus: Bus) {}
  isRam(pa: number, len = 1): boolean { return !!this.bus.ramAt(pa, len); }
  u8(pa: number): number { return this.bus.read(pa, 1); }
  u32(pa: number): number { return this.bus.read(pa, 4) >>> 0; }
  setU8(pa: number, v: number): void { this.bus.write(pa, 1, v); }
  setU32(pa: number, v: number): void { this.bus.write(pa, 4, v); }
  /** 64-bit word as [lo, hi]. */
  u64(pa: number): [number, number] { return [this.u32(pa), this.u32(pa + 4)]; }
  setU64(pa: number, lo: number, hi: number): void { this.setU32(pa, lo); this.setU32(pa + 4, hi); }
  fill(pa: number, len: number, v = 0): void { this.bus.load(pa, new Uint8Array(len).fill(v)); }
}
