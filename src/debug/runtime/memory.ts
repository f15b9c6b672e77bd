// Guest memory as the debugger sees it: virtual addresses translated by a vCPU's current MMU state
// (side-effect free: no TLB fill, no fault recorded), or physical addresses with the "phys:" prefix.
// Only RAM is read or written: device registers can have side effects, so they read as unreadable.
import { Access, type CpuApi } from '../../machine/arm32/contracts';
import type { Bus } from '../../machine/bus';

export interface MemoryRef {
  address: number;
  physical: boolean;
}

/** Parses "0x40001000", "1073745920" or "phys:0x40000000" (plus an offset). */
export function parseMemoryReference(ref: string, offset = 0): MemoryRef | undefined {
  const m = /^\s*(phys:)?\s*(0x[0-9a-f]+|\d+)\s*$/i.exec(ref);
  if (!m) return undefined;
  const base = Number(m[2]);
  if (!Number.isSafeInteger(base) || base > 0xffffffff) return undefined;
  return { address: (base + offset) >>> 0, physical: !!m[1] };
}

export function memoryReference(address: number, physical = false): string {
  return (physical ? 'phys:' : '') + '0x' + (address >>> 0).toString(16).padStart(8, '0');
}

export class GuestMemory {
  constructor(private readonly bus: Bus, private readonly cpu: () => CpuApi) {}

  /** Physical address of a byte, or -1 when it does not map (for `access`) or is not RAM. */
  private pa(address: number, physical: boolean, access: Access): number {
    const pa = physical ? address >>> 0 : this.cpu().mem.probe(address >>> 0, access, false);
    if (pa < 0 || !this.bus.ramAt(pa)) return -1;
    return pa;
  }

  /**
   * Reads up to `length` bytes. Returns the readable prefix and how many unreadable bytes follow it
   * (up to the next readable page or the end of the request), as DAP's readMemory reports them.
   */
  read(address: number, length: number, physical = false): { data: Uint8Array; unreadable: number } {
    const out: number[] = [];
    let i = 0;
    for (; i < length; ) {
      const pa = this.pa(address + i, physical, Access.Read);
      if (pa < 0) break;
      // Copy to the end of the page (translation is per 4 KiB page at the smallest).
      const n = Math.min(length - i, 0x1000 - ((address + i) & 0xfff));
      const bytes = this.bus.peek(pa, n) ?? this.bytewise(pa, n);
      if (!bytes) break;
      for (const b of bytes) out.push(b);
      i += bytes.length;
      if (bytes.length < n) break;
    }
    let unreadable = 0;
    while (i + unreadable < length && this.pa(address + i + unreadable, physical, Access.Read) < 0) {
      unreadable += Math.min(length - i - unreadable, 0x1000 - ((address + i + unreadable) & 0xfff));
    }
    return { data: Uint8Array.from(out), unreadable };
  }

  private bytewise(pa: number, n: number): Uint8Array | null {
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      const b = this.bus.peek(pa + k, 1);
      if (!b) break;
      out.push(b[0]);
    }
    return out.length ? Uint8Array.from(out) : null;
  }

  /** Reads exactly `size` bytes, or undefined when any of them is unreadable. */
  readExact(address: number, size: number, physical = false): Uint8Array | undefined {
    const r = this.read(address, size, physical);
    return r.data.length === size ? r.data : undefined;
  }

  readU32(address: number, physical = false): number | undefined {
    const b = this.readExact(address, 4, physical);
    return b ? (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0 : undefined;
  }

  /** Writes bytes; returns how many were written before the first unwritable one. */
  write(address: number, data: Uint8Array, physical = false): number {
    let i = 0;
    while (i < data.length) {
      const pa = this.pa(address + i, physical, Access.Write);
      if (pa < 0) break;
      const n = Math.min(data.length - i, 0x1000 - ((address + i) & 0xfff));
      const ram = this.bus.ramAt(pa, n);
      if (!ram) {
        // The page ends RAM part way: write what is RAM byte by byte.
        let k = 0;
        while (k < n && this.bus.ramAt(pa + k)) { this.bus.write(pa + k, 1, data[i + k]); k++; }
        return i + k;
      }
      this.bus.load(pa, data.subarray(i, i + n));
      i += n;
    }
    return i;
  }
}
