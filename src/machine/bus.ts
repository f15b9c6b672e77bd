// The guest-physical address space: RAM regions plus MMIO devices, little-endian.
// Physical addresses are plain numbers (LPAE gives 40 bits, well inside 2^53).

/** A memory-mapped device. Offsets are relative to the region base; 64-bit accesses arrive as two 32-bit ones. */
export interface MmioDevice {
  read(offset: number, size: 1 | 2 | 4): number;
  write(offset: number, size: 1 | 2 | 4, value: number): void;
}

export interface RamRegion {
  readonly base: number;
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** The same bytes as 16- and 32-bit words, for aligned accesses on fast paths (hosts are little-endian). */
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
}

interface MmioRegion {
  readonly base: number;
  readonly size: number;
  readonly name: string;
  readonly device: MmioDevice;
}

export const PAGE_SHIFT = 12;

/** Thrown by the bus when nothing is mapped at a physical address (the CPU turns it into an external abort). */
export class BusError extends Error {
  constructor(readonly pa: number, readonly write: boolean) {
    super(`no RAM or device at physical address 0x${pa.toString(16)}`);
  }
}

export class Bus {
  readonly rams: RamRegion[] = [];
  private readonly mmio: MmioRegion[] = [];
  /**
   * Per 4 KiB page of each RAM region, the set of holders (one bit per vCPU) that keep decoded code from
   * it; writes to a page with any holder are reported through onCodeWrite.
   */
  private readonly codePages = new Map<RamRegion, Uint8Array>();
  /**
   * Called when a page marked as code is written: its physical page number and the written byte range
   * inside the page. The page stays marked until every holder releases it (releaseCode).
   */
  onCodeWrite: ((page: number, offset: number, length: number) => void) | null = null;
  /**
   * Called with the page's physical address when a page becomes code: memory systems drop the fast
   * write paths they keep to it, so later writes come through codeWritten.
   */
  readonly codeMarkListeners: ((pagePa: number) => void)[] = [];

  addRam(base: number, size: number): RamRegion {
    this.checkFree(base, size, 'RAM');
    const bytes = new Uint8Array(size);
    const region: RamRegion = {
      base, size, bytes, view: new DataView(bytes.buffer),
      u16: new Uint16Array(bytes.buffer, 0, size >>> 1), i32: new Int32Array(bytes.buffer, 0, size >>> 2),
    };
    this.rams.push(region);
    this.rams.sort((a, b) => a.base - b.base);
    this.codePages.set(region, new Uint8Array(Math.ceil(size / 4096)));
    return region;
  }

  addMmio(base: number, size: number, name: string, device: MmioDevice): void {
    this.checkFree(base, size, name);
    this.mmio.push({ base, size, name, device });
    this.mmio.sort((a, b) => a.base - b.base);
  }

  private checkFree(base: number, size: number, name: string): void {
    for (const r of [...this.rams, ...this.mmio]) {
      if (base < r.base + r.size && r.base < base + size) {
        throw new Error(`${name} at 0x${base.toString(16)} overlaps a region already mapped at 0x${r.base.toString(16)}`);
      }
    }
  }

  /** The RAM region holding [pa, pa+len), or undefined. */
  ramAt(pa: number, len = 1): RamRegion | undefined {
    for (const r of this.rams) if (pa >= r.base && pa + len <= r.base + r.size) return r;
    return undefined;
  }

  mmioAt(pa: number): { device: MmioDevice; offset: number; name: string } | undefined {
    for (const m of this.mmio) if (pa >= m.base && pa < m.base + m.size) return { device: m.device, offset: pa - m.base, name: m.name };
    return undefined;
  }

  /**
   * Marks the page holding pa as containing code decoded by `holder` (a bit mask, one bit per vCPU);
   * writes to it will call onCodeWrite.
   */
  markCode(pa: number, holder = 1): void {
    const r = this.ramAt(pa);
    if (!r) return;
    const flags = this.codePages.get(r)!, p = (pa - r.base) >>> PAGE_SHIFT;
    const was = flags[p];
    flags[p] = was | holder;
    if (was) return;
    const pagePa = r.base + p * 4096;
    for (const l of this.codeMarkListeners) l(pagePa);
  }

  /** A holder dropped all its decoded code from physical page `page`. */
  releaseCode(page: number, holder = 1): void {
    const pa = page * 4096, r = this.ramAt(pa);
    if (r) this.codePages.get(r)![(pa - r.base) >>> PAGE_SHIFT] &= ~holder;
  }

  private noteWrite(r: RamRegion, pa: number, len: number): void {
    const flags = this.codePages.get(r)!;
    const first = (pa - r.base) >>> PAGE_SHIFT, last = (pa + len - 1 - r.base) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) {
      if (flags[p]) {
        const pageStart = r.base + p * 4096;
        const lo = Math.max(pa, pageStart), hi = Math.min(pa + len, pageStart + 4096);
        this.onCodeWrite?.(Math.floor(pageStart / 4096), lo - pageStart, hi - lo);
      }
    }
  }

  /** Is this RAM page flagged as holding cached code (for fast paths that write RAM directly)? */
  isCodePage(r: RamRegion, offset: number): boolean {
    return this.codePages.get(r)![offset >>> PAGE_SHIFT] !== 0;
  }

  /** Fast paths that write RAM directly must call this when isCodePage is true. */
  codeWritten(r: RamRegion, offset: number, len: number): void {
    this.noteWrite(r, r.base + offset, len);
  }

  read(pa: number, size: 1 | 2 | 4): number {
    const r = this.ramAt(pa, size);
    if (r) {
      const o = pa - r.base;
      return size === 4 ? r.view.getUint32(o, true) : size === 2 ? r.view.getUint16(o, true) : r.bytes[o];
    }
    const m = this.mmioAt(pa);
    if (!m) throw new BusError(pa, false);
    return m.device.read(m.offset, size) >>> 0;
  }

  write(pa: number, size: 1 | 2 | 4, value: number): void {
    const r = this.ramAt(pa, size);
    if (r) {
      const o = pa - r.base;
      if (size === 4) r.view.setUint32(o, value >>> 0, true);
      else if (size === 2) r.view.setUint16(o, value & 0xffff, true);
      else r.bytes[o] = value & 0xff;
      this.noteWrite(r, pa, size);
      return;
    }
    const m = this.mmioAt(pa);
    if (!m) throw new BusError(pa, true);
    m.device.write(m.offset, size, value >>> 0);
  }

  read8(pa: number): number { return this.read(pa, 1); }
  read16(pa: number): number { return this.read(pa, 2); }
  read32(pa: number): number { return this.read(pa, 4); }
  write8(pa: number, v: number): void { this.write(pa, 1, v); }
  write16(pa: number, v: number): void { this.write(pa, 2, v); }
  write32(pa: number, v: number): void { this.write(pa, 4, v); }
  read64(pa: number): bigint {
    return BigInt(this.read32(pa)) | (BigInt(this.read32(pa + 4)) << 32n);
  }
  write64(pa: number, v: bigint): void {
    this.write32(pa, Number(v & 0xffffffffn));
    this.write32(pa + 4, Number((v >> 32n) & 0xffffffffn));
  }

  /** Copies bytes into RAM (loaders). Throws when the range is not wholly inside one RAM region. */
  load(pa: number, data: Uint8Array): void {
    const r = this.ramAt(pa, data.length);
    if (!r) throw new BusError(pa, true);
    r.bytes.set(data, pa - r.base);
    this.noteWrite(r, pa, data.length || 1);
  }

  /**
   * Side-effect-free read for debuggers: RAM only (MMIO reads can have side effects).
   * Returns null for bytes outside RAM.
   */
  peek(pa: number, len: number): Uint8Array | null {
    const r = this.ramAt(pa, len);
    return r ? r.bytes.slice(pa - r.base, pa - r.base + len) : null;
  }
}
