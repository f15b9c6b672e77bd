// The software TLB of one vCPU: six direct-mapped tables of 4 KiB virtual pages, one per access kind
// (read, write, fetch) and privilege (PL1, PL0). A hit gives the RAM region and the page's byte offset
// in it (or the physical page for MMIO and fetches), so a load or store is a tag compare plus a typed-array
// access. An entry is only filled after the full walk and permission check passed for that kind and
// privilege, so a hit needs no further check.
//
// Invariant: the tables hold global entries and non-global entries of the current ASID only. A context
// switch (new ASID, or a TTBR write) drops the non-global entries and keeps the global ones (the kernel's),
// so it never costs a full flush. Each entry remembers its short-descriptor domain so a DACR write can drop
// exactly the entries of the domains whose access type changed (Linux's PAN toggles the user domain on
// every uaccess), and the size of the block it came from so TLBIMVA drops every 4 KiB slice of a section.
import type { RamRegion } from '../bus';

export const TLB_BITS = 10;
export const TLB_SIZE = 1 << TLB_BITS;
export const TLB_MASK = TLB_SIZE - 1;

/** One table: the arrays are indexed by vpage & TLB_MASK. */
export class TlbTable {
  /** Virtual page number (va >>> 12) of the entry, or -1. */
  readonly tag = new Int32Array(TLB_SIZE).fill(-1);
  /** Byte offset of the page inside `ram[i]` (valid when ram[i] is set). */
  readonly off = new Int32Array(TLB_SIZE);
  /** The RAM region backing the page, or null for MMIO / nothing (fetch tables keep those too). */
  readonly ram: (RamRegion | null)[] = new Array<RamRegion | null>(TLB_SIZE).fill(null);
  /** Physical address of the page (40-bit with LPAE, hence a double). */
  readonly pa = new Float64Array(TLB_SIZE);
  /** ASID of a non-global entry, or -1 for a global one. */
  readonly asid = new Int16Array(TLB_SIZE);
  /** Short-descriptor domain, or -1 (LPAE, MMU off). */
  readonly dom = new Int8Array(TLB_SIZE);
  /** log2 of the size of the translation the entry was cut from (12 page … 30 LPAE level-1 block). */
  readonly span = new Uint8Array(TLB_SIZE);
}

/** Index of a table: (user ? 3 : 0) + access (0 read, 1 write, 2 fetch). */
export class Tlb {
  readonly tables: TlbTable[] = Array.from({ length: 6 }, () => new TlbTable());
  /** Largest span any live entry has (so TLBIMVA scans only when blocks are cached). */
  private maxSpan = 12;
  /** Entries filled per domain since the domain's last invalidation: (table << TLB_BITS) | index. */
  private readonly domEntries: number[][] = Array.from({ length: 16 }, () => []);
  private domOverflow = 0;
  /** Counts for tests and the benchmark. */
  fills = 0;
  flushes = 0;

  fill(table: number, vpage: number, pa: number, ram: RamRegion | null, off: number, asid: number, dom: number, span: number): void {
    const t = this.tables[table], i = vpage & TLB_MASK;
    t.tag[i] = vpage; t.pa[i] = pa; t.ram[i] = ram; t.off[i] = off; t.asid[i] = asid; t.dom[i] = dom; t.span[i] = span;
    if (span > this.maxSpan) this.maxSpan = span;
    if (dom >= 0) {
      const list = this.domEntries[dom];
      if (list.length < 4 * TLB_SIZE) list.push((table << TLB_BITS) | i);
      else this.domOverflow |= 1 << dom;
    }
    this.fills++;
  }

  flushAll(): void {
    for (const t of this.tables) t.tag.fill(-1);
    for (const l of this.domEntries) l.length = 0;
    this.domOverflow = 0;
    this.maxSpan = 12;
    this.flushes++;
  }

  /** Drops every non-global entry (context switch: they belong to the previous ASID or tables). */
  flushNonGlobal(): void {
    for (const t of this.tables) {
      for (let i = 0; i < TLB_SIZE; i++) if (t.asid[i] >= 0) t.tag[i] = -1;
    }
  }

  /**
   * Drops the entries covering virtual page `vpage`: all of them when `globalToo`, and of the non-global
   * ones only when `asidMatches` (TLBIMVA with another ASID leaves the current ASID's entries alone).
   */
  invalidatePage(vpage: number, asidMatches: boolean, globalToo = true): void {
    for (const t of this.tables) {
      if (this.maxSpan === 12) {
        const i = vpage & TLB_MASK;
        if (t.tag[i] === vpage && (t.asid[i] < 0 ? globalToo : asidMatches)) t.tag[i] = -1;
        continue;
      }
      for (let i = 0; i < TLB_SIZE; i++) {
        const tag = t.tag[i];
        if (tag < 0) continue;
        const shift = t.span[i] - 12;
        if (tag >>> shift === vpage >>> shift && (t.asid[i] < 0 ? globalToo : asidMatches)) t.tag[i] = -1;
      }
    }
  }

  /** Drops the entries of the domains set in `mask` (their DACR access type changed). */
  invalidateDomains(mask: number): void {
    if (mask & this.domOverflow) {
      for (const t of this.tables) for (let i = 0; i < TLB_SIZE; i++) if (t.dom[i] >= 0 && (mask >>> t.dom[i]) & 1) t.tag[i] = -1;
      this.domOverflow &= ~mask;
    }
    for (let d = 0; d < 16; d++) {
      if (!((mask >>> d) & 1)) continue;
      const list = this.domEntries[d];
      for (const e of list) {
        const t = this.tables[e >>> TLB_BITS], i = e & TLB_MASK;
        if (t.dom[i] === d) t.tag[i] = -1;
      }
      list.length = 0;
    }
  }

  /** Drops write entries whose physical page is `pa` (the page now holds decoded code). */
  invalidateWritesTo(pa: number): void {
    for (const k of [1, 4]) {
      const t = this.tables[k];
      for (let i = 0; i < TLB_SIZE; i++) if (t.tag[i] >= 0 && t.pa[i] === pa) t.tag[i] = -1;
    }
  }
}
