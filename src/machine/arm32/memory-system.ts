// The memory system of one vCPU: virtual memory (flat while SCTLR.M is clear, short-descriptor
// translation when it is set), the CP15 registers and the generic timer.
import { Bus, BusError, type RamRegion } from '../bus';
import { Tlb, TLB_MASK } from './tlb';
import {
  Access, MemoryAbort, UndefinedInstruction, WatchKind,
  type Cp15, type VirtualMemory, type WatchpointSupport,
} from './contracts';

export interface GenericTimerApi {
  nextDeadline(): number; physLevel(): boolean; virtLevel(): boolean;
  /**
   * CNTVOFF, as the hypervisor (PL2) sets it: the guest's CNTVCT = CNTPCT - cntvoff, and the virtual
   * timer compares CNTV_CVAL with CNTVCT. Guests at PL1 cannot access it. 0 at reset (QEMU virt).
   */
  cntvoff: number;
}
export interface MemorySystem { cp15: Cp15; mem: VirtualMemory & WatchpointSupport; timer: GenericTimerApi }

const CNTFRQ = 62_500_000;

/** Fault status codes, short-descriptor format. */
const FS = { alignment: 0x01, sectionTranslation: 0x05, pageTranslation: 0x07, externalAbort: 0x08, sectionDomain: 0x09, pageDomain: 0x0b, sectionPermission: 0x0d, pagePermission: 0x0f, l1TranslationAbort: 0x0c, l2TranslationAbort: 0x0e } as const;

class Timer implements GenericTimerApi {
  pCtl = 0; vCtl = 0; pCval = 0; vCval = 0; kctl = 0; cntvoff = 0;
  /** CVALs as the guest wrote them, [low, high] words: the numbers above lose bits past 2^53. */
  pCvalWords: [number, number] = [0, 0]; vCvalWords: [number, number] = [0, 0];
  setCval(which: 'p' | 'v', low: number, high: number): void {
    const v = (high >>> 0) * 0x100000000 + (low >>> 0);
    if (which === 'p') { this.pCval = v; this.pCvalWords = [low >>> 0, high >>> 0]; }
    else { this.vCval = v; this.vCvalWords = [low >>> 0, high >>> 0]; }
  }
  constructor(private readonly counter: () => number) {}
  /** CNTVCT: the physical count minus CNTVOFF. */
  virtualCount(): number { return this.counter() - this.cntvoff; }
  private status(ctl: number, cval: number, now: number): boolean { return (ctl & 1) === 1 && now >= cval; }
  physLevel(): boolean { return this.status(this.pCtl, this.pCval, this.counter()) && (this.pCtl & 2) === 0; }
  virtLevel(): boolean { return this.status(this.vCtl, this.vCval, this.virtualCount()) && (this.vCtl & 2) === 0; }
  /** The physical count at which an enabled, unmasked timer next fires (virtual deadlines shifted by CNTVOFF). */
  nextDeadline(): number {
    let d = Infinity;
    if ((this.pCtl & 3) === 1) d = Math.min(d, this.pCval);
    if ((this.vCtl & 3) === 1) d = Math.min(d, this.vCval + this.cntvoff);
    return d;
  }
  ctl(which: 'p' | 'v'): number {
    if (which === 'p') return this.pCtl | (this.status(this.pCtl, this.pCval, this.counter()) ? 4 : 0);
    return this.vCtl | (this.status(this.vCtl, this.vCval, this.virtualCount()) ? 4 : 0);
  }
}

class Cp15Registers implements Cp15 {
  sctlr = 0x00c50078;
  vbar = 0; dfsr = 0; dfar = 0; ifsr = 0; ifar = 0; cpacr = 0;
  readonly nsacr = 0x00000c00;
  actlr = 0; ttbr0 = [0, 0]; ttbr1 = [0, 0]; ttbcr = 0; dacr = 0; par = [0, 0]; contextidr = 0;
  tpidrurw = 0; tpidruro = 0; tpidrprw = 0; prrr = 0x098aa4; nmrr = 0x44e048e0; amair0 = 0; amair1 = 0; csselr = 0;
  pmcr = 0x41023000;

  constructor(private readonly mpidr: number, private readonly timer: Timer, private readonly counter: () => number,
    private readonly changed: () => void, private readonly onTimerChange: () => void, private readonly ms: FlatMemory) {}

  read(crn: number, opc1: number, crm: number, opc2: number, priv: boolean): number {
    const key = (crn << 12) | (opc1 << 8) | (crm << 4) | opc2;
    if (!priv) {
      if (key === 0xd003) return this.tpidruro >>> 0;
      if (key === 0xd002) return this.tpidrurw >>> 0;
      if (crn === 14 && this.pl0Timer(key)) return this.timerRead(key);
      throw UndefinedInstruction.instance;
    }
    switch (key) {
      case 0x0000: return 0x414fc0f0; // MIDR: Cortex-A15 r4p0
      case 0x0001: return 0x8444c004; // CTR
      case 0x0002: case 0x0003: case 0x0006: case 0x0007: return 0;
      case 0x0005: return this.mpidr >>> 0;
      case 0x0010: return 0x00001131; // ID_PFR0
      case 0x0011: return 0x00010001; // ID_PFR1: no Security/Virtualization extensions visible (QEMU virt, no EL3) // ID_PFR1
      case 0x0012: return 0x02010555; // ID_DFR0
      case 0x0013: return 0;
      case 0x0014: return 0x10201105; // ID_MMFR0
      case 0x0015: return 0x20000000;
      case 0x0016: return 0x01240000;
      case 0x0017: return 0x02102211;
      case 0x0020: return 0x02101110; // ID_ISAR0
      case 0x0021: return 0x13112111;
      case 0x0022: return 0x21232041;
      case 0x0023: return 0x11112131;
      case 0x0024: return 0x10011142;
      case 0x0025: return 0;
      case 0x0100: return this.csselr & 1 ? 0xf03fe040 : 0x701fe00a; // CCSIDR
      case 0x0101: return 0x0a200023; // CLIDR
      case 0x0107: return 0; // AIDR
      case 0x0200: return this.csselr;
      case 0x1000: return this.sctlr >>> 0;
      case 0x1001: return this.actlr >>> 0;
      case 0x1002: return this.cpacr >>> 0;
      case 0x1112: return this.nsacr;
      case 0x3000: return this.dacr >>> 0;
      case 0x5000: return this.dfsr >>> 0;
      case 0x5001: return this.ifsr >>> 0;
      case 0x5010: case 0x5011: return 0; // ADFSR/AIFSR
      case 0x6000: return this.dfar >>> 0;
      case 0x6002: return this.ifar >>> 0;
      case 0x7040: return this.par[0] >>> 0;
      case 0x9c00: return this.pmcr;
      case 0xa020: return this.prrr >>> 0;
      case 0xa021: return this.nmrr >>> 0;
      case 0xa030: return this.amair0 >>> 0;
      case 0xa031: return this.amair1 >>> 0;
      case 0xc000: return this.vbar >>> 0;
      case 0xd001: return this.contextidr >>> 0;
      case 0xd000: return 0; // FCSEIDR
      case 0xd002: return this.tpidrurw >>> 0;
      case 0xd003: return this.tpidruro >>> 0;
      case 0xd004: return this.tpidrprw >>> 0;
      case 0xf400: return 0x2c000000; // CBAR
    }
    if (crn === 2 && opc1 === 0 && crm === 0) {
      if (opc2 === 0) return this.ttbr0[0] >>> 0;
      if (opc2 === 1) return this.ttbr1[0] >>> 0;
      if (opc2 === 2) return this.ttbcr >>> 0;
    }
    if (crn === 9 && crm >= 12) return 0; // performance monitors: present, counting nothing
    if (crn === 14) return this.timerRead(key);
    throw UndefinedInstruction.instance;
  }

  /**
   * Whether CNTKCTL lets PL0 reach a c14 register (ARM ARM B4.1.26 CNTKCTL; QEMU gt_*_access):
   * CNTFRQ if PL0PCTEN or PL0VCTEN, CNTP_* if PL0PTEN (bit 9), CNTV_* if PL0VTEN (bit 8).
   */
  private pl0Timer(key: number): boolean {
    const k = this.timer.kctl;
    if (key === 0xe000) return (k & 3) !== 0;
    if ((key & 0xfff0) === 0xe020) return (k & 0x200) !== 0;
    if ((key & 0xfff0) === 0xe030) return (k & 0x100) !== 0;
    return false;
  }

  /** The same for the 64-bit c14 registers by opc1: CNTPCT, CNTVCT, CNTP_CVAL, CNTV_CVAL. */
  private pl0Timer64(opc1: number): boolean {
    return opc1 <= 3 && ((this.timer.kctl >>> [0, 1, 9, 8][opc1]) & 1) === 1;
  }

  private timerRead(key: number): number {
    const t = this.timer;
    switch (key) {
      case 0xe000: return CNTFRQ;
      case 0xe010: return t.kctl;
      // TVAL = (CVAL - count)[31:0], from CVAL's exact low word.
      case 0xe020: return (t.pCvalWords[0] - this.counter() % 0x100000000) | 0;
      case 0xe021: return t.ctl('p');
      case 0xe030: return (t.vCvalWords[0] - t.virtualCount() % 0x100000000) | 0;
      case 0xe031: return t.ctl('v');
    }
    throw UndefinedInstruction.instance;
  }

  write(crn: number, opc1: number, crm: number, opc2: number, value: number, priv: boolean): void {
    const key = (crn << 12) | (opc1 << 8) | (crm << 4) | opc2;
    if (!priv) {
      if (key === 0xd002) { this.tpidrurw = value; return; }
      if (key === 0x7054 || key === 0x70a4 || key === 0x70a5) return; // CP15ISB/DSB/DMB
      // Timer registers CNTKCTL opens to PL0 are written by the PL1 code below; CNTFRQ never is.
      if (!(crn === 14 && key !== 0xe000 && this.pl0Timer(key))) throw UndefinedInstruction.instance;
    }
    const t = this.timer;
    switch (key) {
      case 0x1000: { // RES1 bits stay set
        const old = this.sctlr;
        this.sctlr = (value | 0x00c50078) >>> 0;
        if (old !== this.sctlr) this.ms.flushAll();
        return;
      }
      case 0x1001: this.actlr = value; return;
      case 0x1002: this.cpacr = value & 0x00f00000; return;
      case 0x2000: this.ttbr0[0] = value; this.ms.contextChanged(); return;
      case 0x2001: this.ttbr1[0] = value; this.ms.contextChanged(); return;
      case 0x2002: this.ttbcr = value; this.ms.flushAll(); return;
      case 0x3000: { const old = this.dacr; this.dacr = value; this.ms.dacrChanged(old, value); return; }
      case 0x5000: this.dfsr = value; return;
      case 0x5001: this.ifsr = value; return;
      case 0x5010: case 0x5011: return;
      case 0x6000: this.dfar = value; return;
      case 0x6002: this.ifar = value; return;
      case 0x7040: this.par[0] = value; return;
      case 0xa020: this.prrr = value; return;
      case 0xa021: this.nmrr = value; return;
      case 0xa030: this.amair0 = value; return;
      case 0xa031: this.amair1 = value; return;
      case 0xc000: this.vbar = value & ~31; return;
      case 0xd001: this.contextidr = value; this.ms.contextChanged(); return;
      case 0xd000: return;
      case 0xd002: this.tpidrurw = value; return;
      case 0xd003: this.tpidruro = value; return;
      case 0xd004: this.tpidrprw = value; return;
      case 0xe000: return; // CNTFRQ is written by firmware only; ignored here
      case 0xe010: t.kctl = value; return;
      case 0xe020: { const v = this.counter() + (value | 0); t.setCval('p', v % 0x100000000, Math.floor(v / 0x100000000)); this.onTimerChange(); return; }
      case 0xe021: t.pCtl = value & 3; this.onTimerChange(); return;
      case 0xe030: { const v = t.virtualCount() + (value | 0); t.setCval('v', v % 0x100000000, Math.floor(v / 0x100000000)); this.onTimerChange(); return; }
      case 0xe031: t.vCtl = value & 3; this.onTimerChange(); return;
    }
    if (crn === 7) {
      // Cache maintenance: no caches are modelled; I-cache invalidation drops decoded code.
      if (crm === 8) { this.translateOp(opc2, value); return; }
      if (crm === 5 && (opc2 === 0 || opc2 === 1)) { this.changed(); return; }
      // ICIALLUIS / BPIALLIS reach every vCPU of the inner-shareable domain (the whole board).
      if (crm === 1 && (opc2 === 0 || opc2 === 6)) { for (const m of this.ms.shareable()) m.generation++; return; }
      return;
    }
    if (crn === 8) { this.ms.tlbMaintenance(opc1, crm, opc2, value >>> 0); return; }
    if (crn === 9) return; // performance monitors
    if (crn === 0 && opc1 === 2 && crm === 0 && opc2 === 0) { this.csselr = value; return; }
    if (crn === 15) return;
    throw UndefinedInstruction.instance;
  }

  /**
   * ATS1C* / ATS12NSO*: PAR in the short-descriptor format as QEMU gives it to a non-secure guest:
   * the page address with NS set, or FS[3:0] << 1 | FS[4] << 6 | F on a fault.
   */
  private translateOp(opc2: number, va: number): void {
    const write = (opc2 & 1) === 1, user = (opc2 & 2) === 2;
    const r = this.ms.walkFor(va >>> 0, write ? Access.Write : Access.Read, user);
    if ('pa' in r) this.par = [r.par >>> 0, this.ms.lastParHigh >>> 0];
    else this.par = [r.par >>> 0, 0];
    this.ms.lastParHigh = 0;
  }

  read64(opc1: number, crm: number, priv: boolean): [number, number] {
    const t = this.timer;
    if (crm === 14) {
      if (!priv && !this.pl0Timer64(opc1)) throw UndefinedInstruction.instance;
      const now = this.counter();
      const split = (v: number): [number, number] => [v % 0x100000000 >>> 0, Math.floor(v / 0x100000000) >>> 0];
      if (opc1 === 0) return split(now);
      if (opc1 === 1) return split(now - t.cntvoff);
      if (opc1 === 2) return [...t.pCvalWords];
      if (opc1 === 3) return [...t.vCvalWords];
    }
    if (!priv) throw UndefinedInstruction.instance;
    if (crm === 2 && opc1 === 0) return [this.ttbr0[0] >>> 0, this.ttbr0[1] >>> 0];
    if (crm === 2 && opc1 === 1) return [this.ttbr1[0] >>> 0, this.ttbr1[1] >>> 0];
    if (crm === 7 && opc1 === 0) return [this.par[0] >>> 0, this.par[1] >>> 0];
    throw UndefinedInstruction.instance;
  }

  write64(opc1: number, crm: number, low: number, high: number, priv: boolean): void {
    if (!priv && !(crm === 14 && opc1 >= 2 && this.pl0Timer64(opc1))) throw UndefinedInstruction.instance;
    const t = this.timer;
    if (crm === 14 && opc1 === 2) { t.setCval('p', low, high); this.onTimerChange(); return; }
    if (crm === 14 && opc1 === 3) { t.setCval('v', low, high); this.onTimerChange(); return; }
    if (crm === 2 && opc1 === 0) { this.ttbr0 = [low, high]; this.ms.contextChanged(); return; }
    if (crm === 2 && opc1 === 1) { this.ttbr1 = [low, high]; this.ms.contextChanged(); return; }
    if (crm === 7 && opc1 === 0) { this.par = [low, high]; return; }
    throw UndefinedInstruction.instance;
  }
}

/** A translation fault: the FSR value (without WnR) and the PAR value for ATS operations. */
interface Fault { fsr: number; par: number }

/** Long-descriptor fault status codes (DFSR.STATUS with the LPAE bit 9). */
const LS = { translation: 0x04, accessFlag: 0x08, permission: 0x0c, walkAbort: 0x14, alignment: 0x21, external: 0x10 } as const;

class FlatMemory implements VirtualMemory, WatchpointSupport {
  generation = 0;
  cp15!: Cp15Registers;
  onWatch: WatchpointSupport['onWatch'] = null;
  private readonly watches = new Map<number, { va: number; len: number; kind: WatchKind }>();
  private nextWatch = 1;
  private ram: RamRegion | undefined;

  constructor(private readonly bus: Bus) {}

  private mmuOn(): boolean { return (this.cp15.sctlr & 1) === 1; }

  addWatchpoint(va: number, length: number, kind: WatchKind): number {
    const id = this.nextWatch++;
    this.watches.set(id, { va: va >>> 0, len: length, kind });
    this.flushAll(); // watched pages must leave the fast paths
    return id;
  }
  removeWatchpoint(id: number): void { this.watches.delete(id); }

  private watch(va: number, size: number, write: boolean): void {
    for (const [id, w] of this.watches) {
      if ((w.kind & (write ? WatchKind.Write : WatchKind.Read)) && va < w.va + w.len && w.va < va + size) this.onWatch?.(va, size, write, id);
    }
  }

  private longFormat(): boolean { return (this.cp15.ttbcr & 0x80000000) !== 0; }

  /** FSR value of an alignment fault or external abort in the current format. */
  private simpleFault(kind: 'alignment' | 'external'): number {
    if (this.longFormat()) return (kind === 'alignment' ? LS.alignment : LS.external) | 0x200;
    return kind === 'alignment' ? FS.alignment : FS.externalAbort;
  }

  checkAlignment(va: number, size: number, write: boolean): void {
    if (va % size !== 0) throw new MemoryAbort(false, this.simpleFault('alignment') | (write ? 0x800 : 0), va);
  }

  probe(va: number, access: Access, user: boolean): number {
    va >>>= 0;
    if (!this.mmuOn()) return va;
    const r = this.walkAny(va, access, user);
    return typeof r === 'number' ? r : -1;
  }

  /** The walk's result for ATS operations: the physical address (or PAR success value) or the fault. */
  walkFor(va: number, access: Access, user: boolean): { pa: number; par: number } | Fault {
    if (!this.mmuOn()) return { pa: va, par: this.longFormat() ? (va & 0xfffff000) | 0x800 | 0x200 : ((va & 0xfffff000) | 0x200) >>> 0 };
    const r = this.walkAny(va, access, user, true);
    if (typeof r === 'number') return { pa: r, par: this.lastPar };
    return r;
  }

  /** PAR success value of the last walk made for an ATS operation. */
  private lastPar = 0;

  private walkAny(va: number, access: Access, user: boolean, forPar = false): number | Fault {
    if (this.longFormat()) return this.walkLong(va, access, user, forPar);
    const r = this.walk(va, access, user);
    // PAR as QEMU fills it: the page address with NS, or for a supersection PA[31:24] with SS (bit 1).
    if (typeof r === 'number') { if (forPar) this.lastPar = ((r & (this.wSpan === 24 ? 0xff000000 : 0xfffff000)) | (this.wSpan === 24 ? 2 : 0) | (1 << 9)) >>> 0; return r; }
    return { fsr: r.fs | (r.domain << 4), par: ((r.fs & 0xf) << 1) | (((r.fs >> 4) & 1) << 6) | 1 };
  }

  /**
   * Long-descriptor (LPAE) walk: TTBR0/TTBR1 region by T0SZ/T1SZ, levels 1–3 with 1 GiB and 2 MiB
   * blocks and 4 KiB pages, hierarchical APTable/XNTable/PXNTable, AF, AP[2:1], XN/PXN; 40-bit output
   * addresses (above 4 GiB there is nothing on this bus, so they fault as external aborts).
   */
  private walkLong(va: number, access: Access, user: boolean, forPar: boolean): number | Fault {
    const cp = this.cp15;
    const t0sz = cp.ttbcr & 7, t1sz = (cp.ttbcr >>> 16) & 7;
    const fault = (status: number): Fault => ({ fsr: status | 0x200, par: (status << 1) | 0x800 | 1 });
    let ttbr: number[], tsz: number;
    if (t0sz === 0 && t1sz === 0) { ttbr = cp.ttbr0; tsz = 0; }
    else if (t0sz !== 0 && va < 2 ** (32 - t0sz)) { ttbr = cp.ttbr0; tsz = t0sz; if (cp.ttbcr & 0x80) return fault(LS.translation + 1); }
    else if (t1sz === 0 ? t0sz !== 0 && va >= 2 ** (32 - t0sz) : va >= 2 ** 32 - 2 ** (32 - t1sz)) { ttbr = cp.ttbr1; tsz = t1sz; if (cp.ttbcr & 0x800000) return fault(LS.translation + 1); }
    else if (t0sz === 0) { ttbr = cp.ttbr0; tsz = 0; }
    else return fault(LS.translation + 1);
    if (ttbr === cp.ttbr0 && (cp.ttbcr & 0x80) && tsz === 0 && t1sz === 0) return fault(LS.translation + 1);
    let level = tsz < 2 ? 1 : 2;
    const baseBits = level === 1 ? 5 - tsz : 14 - tsz;
    let table = (ttbr[1] & 0xff) * 0x100000000 + ((ttbr[0] >>> 0) & ~((1 << baseBits) - 1) >>> 0);
    let apTable = 0, xnTable = 0, pxnTable = 0;
    for (;;) {
      const index = level === 1 ? (va >>> 30) & (tsz ? (1 << (2 - tsz)) - 1 : 3) : level === 2 ? (va >>> 21) & 0x1ff : (va >>> 12) & 0x1ff;
      const addr = table + index * 8;
      let lo: number, hi: number;
      try { lo = this.bus.read32(addr); hi = this.bus.read32(addr + 4); } catch { return fault(LS.walkAbort + level); }
      const type = lo & 3;
      if (level < 3 && type === 3) {
        table = (hi & 0xff) * 0x100000000 + ((lo & 0xfffff000) >>> 0);
        apTable |= (hi >>> 29) & 3; xnTable |= (hi >>> 28) & 1; pxnTable |= (hi >>> 27) & 1;
        level++;
        continue;
      }
      if ((level < 3 && type !== 1) || (level === 3 && type !== 3)) return fault(LS.translation + level);
      if (!(lo & 0x400)) return fault(LS.accessFlag + level);
      const ap = (lo >>> 6) & 3;
      const xn = ((hi >>> 22) & 1) | xnTable, pxn = ((hi >>> 21) & 1) | pxnTable;
      const readOnly = (ap & 2) !== 0 || (apTable & 2) !== 0;
      const el0 = (ap & 1) !== 0 && (apTable & 1) === 0;
      const write = access === Access.Write;
      let ok = user ? el0 && !(write && readOnly) : !(write && readOnly);
      if (access === Access.Fetch && (xn || (!user && pxn))) ok = false;
      if (!ok) return fault(LS.permission + level);
      const blockBits = level === 1 ? 30 : level === 2 ? 21 : 12;
      const outHi = hi & 0xff, outLo = (lo >>> 0) & ~((2 ** blockBits) - 1) >>> 0;
      const pa = outHi * 0x100000000 + (outLo >>> 0) + (va & ((2 ** blockBits) - 1));
      this.wNg = (lo >>> 11) & 1; this.wDom = -1; this.wSpan = blockBits;
      if (forPar) {
        const attrIndx = (lo >>> 2) & 7;
        const mair = attrIndx < 4 ? (cp.prrr >>> (attrIndx * 8)) & 0xff : (cp.nmrr >>> ((attrIndx - 4) * 8)) & 0xff;
        const sh = (lo >>> 8) & 3;
        this.lastPar = ((pa % 0x100000000) & 0xfffff000 | 0x800 | (1 << 9) | (sh << 7)) >>> 0;
        this.lastParHigh = (Math.floor(pa / 0x100000000) & 0xff) | (mair << 24);
      }
      return pa;
    }
  }

  /** High word of the 64-bit PAR of the last ATS walk (long format). */
  lastParHigh = 0;

  private walk(va: number, access: Access, user: boolean): number | { fs: number; domain: number } {
    const cp = this.cp15;
    if (cp.ttbcr & 0x80000000) return { fs: FS.sectionTranslation, domain: 0 }; // LPAE not modelled here
    const n = cp.ttbcr & 7;
    const useTtbr1 = n !== 0 && (va >>> (32 - n)) !== 0;
    const base = useTtbr1 ? cp.ttbr1[0] & 0xffffc000 : cp.ttbr0[0] & (0xffffffff << (14 - n));
    const l1addr = ((base >>> 0) | ((va >>> 20) << 2) & (useTtbr1 ? 0x3ffc : (0x3ffc >>> n))) >>> 0;
    let l1: number;
    try { l1 = this.bus.read32(l1addr); } catch { return { fs: FS.l1TranslationAbort, domain: 0 }; }
    const type = l1 & 3;
    if (type === 0) return { fs: FS.sectionTranslation, domain: 0 };
    const super_ = type !== 1 && (l1 & (1 << 18)) !== 0;
    // A supersection has no domain field (bits [8:5] are extended base address bits): domain 0.
    const domain = super_ ? 0 : (l1 >>> 5) & 15;
    const dacr = (cp.dacr >>> (domain * 2)) & 3;
    let pa: number, ap: number, xn: number;
    // PXN (LPAE implementations): bit 0 of a section (type 0b11), bit 2 of a page-table descriptor.
    const pxn = type === 1 ? (l1 >>> 2) & 1 : l1 & 1;
    if (type !== 1) {
      if (dacr === 0 || dacr === 2) return { fs: FS.sectionDomain, domain };
      // Supersection: PA[31:24] from bits [31:24], PA[35:32] from [23:20], PA[39:36] from [8:5].
      if (super_) pa = (((l1 & 0xff000000) | (va & 0x00ffffff)) >>> 0) + (((l1 >>> 20) & 15) + ((l1 >>> 5) & 15) * 16) * 0x100000000;
      else pa = ((l1 & 0xfff00000) | (va & 0x000fffff)) >>> 0;
      ap = ((l1 >>> 10) & 3) | ((l1 >>> 13) & 4);
      xn = (l1 >>> 4) & 1;
      if (dacr === 1 && (!this.permitted(ap, access, user, xn) || (pxn && !user && access === Access.Fetch))) return { fs: FS.sectionPermission, domain };
      this.wNg = (l1 >>> 17) & 1; this.wDom = domain; this.wSpan = l1 & (1 << 18) ? 24 : 20;
      return pa;
    }
    const l2addr = ((l1 & 0xfffffc00) | ((va >>> 10) & 0x3fc)) >>> 0;
    let l2: number;
    try { l2 = this.bus.read32(l2addr); } catch { return { fs: FS.l2TranslationAbort, domain }; }
    if ((l2 & 3) === 0) return { fs: FS.pageTranslation, domain };
    if (dacr === 0 || dacr === 2) return { fs: FS.pageDomain, domain };
    if ((l2 & 3) === 1) { pa = ((l2 & 0xffff0000) | (va & 0xffff)) >>> 0; xn = (l2 >>> 15) & 1; }
    else { pa = ((l2 & 0xfffff000) | (va & 0xfff)) >>> 0; xn = l2 & 1; }
    ap = ((l2 >>> 4) & 3) | ((l2 >>> 7) & 4);
    if (dacr === 1 && (!this.permitted(ap, access, user, xn) || (pxn && !user && access === Access.Fetch))) return { fs: FS.pagePermission, domain };
    this.wNg = (l2 >>> 11) & 1; this.wDom = domain; this.wSpan = (l2 & 3) === 1 ? 16 : 12;
    return pa;
  }

  private permitted(ap: number, access: Access, user: boolean, xn: number): boolean {
    if (access === Access.Fetch && xn) return false;
    const write = access === Access.Write;
    switch (ap) {
      case 0: return false;
      case 1: return !user;
      case 2: return !user || !write;
      case 3: return true;
      case 5: return !user && !write;
      case 6: case 7: return !write;
      default: return false;
    }
  }

  // ---- the software TLB ------------------------------------------------------------------------

  readonly tlb = new Tlb();
  /** Walk results besides the address: nG bit, short-descriptor domain (-1 LPAE) and log2 block size. */
  private wNg = 0;
  private wDom = -1;
  private wSpan = 12;
  /** ASID of the current context (CONTEXTIDR, or the TTBR selected by TTBCR.A1 with LPAE). */
  private asid = 0;

  /** Drops every cached translation (TLBIALL, SCTLR, TTBCR, watchpoints). */
  flushAll(): void {
    this.tlb.flushAll();
    this.asid = this.currentAsid();
    this.generation++;
  }

  private currentAsid(): number {
    const cp = this.cp15;
    if (this.longFormat()) return ((cp.ttbcr & 0x400000 ? cp.ttbr1[1] : cp.ttbr0[1]) >>> 16) & 0xff;
    return cp.contextidr & 0xff;
  }

  /**
   * TTBR or CONTEXTIDR written: the non-global entries belonged to the old context. Global ones stay
   * valid until TLB maintenance says otherwise (architecturally they may be used after the switch).
   */
  contextChanged(): void {
    this.tlb.flushNonGlobal();
    this.asid = this.currentAsid();
    this.generation++;
  }

  /** DACR written: entries of domains whose access type changed are dropped at once, without TLB maintenance. */
  dacrChanged(old: number, value: number): void {
    const diff = (old ^ value) >>> 0;
    if (!diff) return;
    let mask = 0;
    for (let d = 0; d < 16; d++) if ((diff >>> (2 * d)) & 3) mask |= 1 << d;
    this.tlb.invalidateDomains(mask);
    this.generation++;
  }

  /**
   * MCR p15, opc1, Rt, c8, CRm, opc2: TLBIALL / TLBIMVA / TLBIASID / TLBIMVAA and their IS, I and D forms.
   * The IS forms (CRm = 3) act on every vCPU of the board: ID_MMFR3 says maintenance is broadcast, so an
   * SMP Linux relies on it and sends no IPI to flush the other vCPUs' TLBs.
   */
  tlbMaintenance(opc1: number, crm: number, opc2: number, value: number): void {
    if (opc1 === 0 && crm === 3) { for (const m of this.shareable()) m.tlbOp(opc2, value); return; }
    const known = opc1 === 0 && (crm === 5 || crm === 6 || crm === 7);
    if (!known) { this.flushAll(); return; }
    this.tlbOp(opc2, value);
  }

  /** The memory systems of every vCPU on this bus (this one included): the inner-shareable domain. */
  shareable(): readonly FlatMemory[] { return shareableDomains.get(this.bus) ?? [this]; }

  /** One local TLB operation by opc2 (0 all, 1 by VA and ASID, 2 by ASID, 3 by VA in any ASID). */
  private tlbOp(opc2: number, value: number): void {
    if (opc2 === 0) { this.flushAll(); return; }
    const vpage = value >>> 12, asid = value & 0xff;
    switch (opc2) {
      case 1: this.tlb.invalidatePage(vpage, asid === this.asid); break; // TLBIMVA: this VA, this ASID or global
      case 2: if (asid === this.asid) this.tlb.flushNonGlobal(); break; // TLBIASID
      case 3: this.tlb.invalidatePage(vpage, true); break; // TLBIMVAA: this VA, any ASID
      default: this.tlb.flushAll();
    }
    this.generation++;
  }

  /** Is any byte of the 4 KiB page at va watched? Such pages never get a fast entry. */
  private pageWatched(va: number): boolean {
    const lo = va & ~0xfff;
    for (const w of this.watches.values()) if (w.va < lo + 4096 && lo < w.va + w.len) return true;
    return false;
  }

  /**
   * The translation of va for one access kind, with full checks (throws MemoryAbort), filling the TLB
   * entry for its page on the way. Returns the physical address.
   */
  private translateFill(va: number, access: Access, user: boolean): number {
    va >>>= 0;
    let pa: number;
    if (!this.mmuOn()) {
      pa = va; this.wNg = 0; this.wDom = -1; this.wSpan = 12;
    } else {
      const r = this.walkAny(va, access, user);
      if (typeof r !== 'number') throw new MemoryAbort(access === Access.Fetch, r.fsr | (access === Access.Write ? 0x800 : 0), va);
      pa = r;
    }
    if (this.watches.size && this.pageWatched(va)) return pa;
    const pagePa = pa - (va & 0xfff);
    let ram: RamRegion | null = this.bus.ramAt(pagePa, 4096) ?? null;
    if (ram && (ram.base & 0xfff) !== 0) ram = null;
    if (ram && access === Access.Write && this.bus.isCodePage(ram, pagePa - ram.base)) ram = null;
    if (ram || access === Access.Fetch) {
      this.tlb.fill((user ? 3 : 0) + access, va >>> 12, pagePa, ram, ram ? pagePa - ram.base : 0, this.wNg ? this.asid : -1, this.wDom, this.wSpan);
    }
    return pa;
  }

  /** Short-descriptor or LPAE translation (flat with the MMU off), through the TLB. */
  translate(va: number, access: Access, user: boolean): number {
    const vp = va >>> 12, i = vp & TLB_MASK, t = this.tlb.tables[(user ? 3 : 0) + access];
    if (t.tag[i] === vp) return t.pa[i] + (va & 0xfff);
    return this.translateFill(va, access, user);
  }

  private pa(va: number, access: Access, user: boolean, size: number): number {
    if (this.watches.size) this.watch(va >>> 0, size, access === Access.Write);
    return this.translate(va, access, user);
  }

  private ramFor(pa: number, size: number): RamRegion | undefined {
    const r = this.ram;
    if (r && pa >= r.base && pa + size <= r.base + r.size) return r;
    this.ram = this.bus.ramAt(pa, size);
    return this.ram;
  }

  /** The slow path: unaligned accesses, TLB misses, MMIO, watched pages. */
  private load(va: number, size: 1 | 2 | 4, user: boolean, access: Access): number {
    if (size > 1 && va % size !== 0) {
      if ((this.cp15.sctlr & 2) || access === Access.Fetch) throw new MemoryAbort(access === Access.Fetch, this.simpleFault('alignment'), va >>> 0);
      let v = 0;
      for (let i = 0; i < size; i++) v |= this.load((va + i) >>> 0, 1, user, access) << (8 * i);
      return v >>> 0;
    }
    const pa = this.pa(va, access, user, size);
    const r = this.ramFor(pa, size);
    if (r) {
      const o = pa - r.base;
      return size === 4 ? r.view.getUint32(o, true) : size === 2 ? r.view.getUint16(o, true) : r.bytes[o];
    }
    try {
      return this.bus.read(pa, size);
    } catch (e) {
      if (e instanceof BusError) throw new MemoryAbort(access === Access.Fetch, this.simpleFault('external'), va >>> 0);
      throw e;
    }
  }

  private store(va: number, size: 1 | 2 | 4, value: number, user: boolean): void {
    if (size > 1 && va % size !== 0) {
      if (this.cp15.sctlr & 2) throw new MemoryAbort(false, this.simpleFault('alignment') | 0x800, va >>> 0);
      for (let i = 0; i < size; i++) this.store((va + i) >>> 0, 1, value >>> (8 * i), user);
      return;
    }
    const pa = this.pa(va, Access.Write, user, size);
    const r = this.ramFor(pa, size);
    if (r) {
      const o = pa - r.base;
      if (size === 4) r.view.setUint32(o, value >>> 0, true); else if (size === 2) r.view.setUint16(o, value & 0xffff, true); else r.bytes[o] = value & 0xff;
      if (this.bus.isCodePage(r, o)) this.bus.codeWritten(r, o, size);
      return;
    }
    try {
      this.bus.write(pa, size, value);
    } catch (e) {
      if (e instanceof BusError) throw new MemoryAbort(false, this.simpleFault('external') | 0x800, va >>> 0);
      throw e;
    }
  }

  // Fast paths: a TLB hit on a RAM page with a naturally aligned address is one typed-array access.
  read8(va: number, user: boolean): number {
    const vp = va >>> 12, i = vp & TLB_MASK, t = user ? this.tUR : this.tPR;
    if (t.tag[i] === vp) { const ram = t.ram[i]; if (ram !== null) return ram.bytes[t.off[i] + (va & 0xfff)]; }
    return this.load(va, 1, user, Access.Read);
  }
  read16(va: number, user: boolean): number {
    const vp = va >>> 12, i = vp & TLB_MASK, t = user ? this.tUR : this.tPR;
    if (t.tag[i] === vp && (va & 1) === 0) { const ram = t.ram[i]; if (ram !== null) return ram.u16[(t.off[i] + (va & 0xfff)) >> 1]; }
    return this.load(va, 2, user, Access.Read);
  }
  read32(va: number, user: boolean): number {
    const vp = va >>> 12, i = vp & TLB_MASK, t = user ? this.tUR : this.tPR;
    if (t.tag[i] === vp && (va & 3) === 0) { const ram = t.ram[i]; if (ram !== null) return ram.i32[(t.off[i] + (va & 0xfff)) >> 2] >>> 0; }
    return this.load(va, 4, user, Access.Read);
  }
  write8(va: number, v: number, user: boolean): void {
    const vp = va >>> 12, i = vp & TLB_MASK, t = user ? this.tUW : this.tPW;
    if (t.tag[i] === vp) { const ram = t.ram[i]; if (ram !== null) { ram.bytes[t.off[i] + (va & 0xfff)] = v; return; } }
    this.store(va, 1, v, user);
  }
  write16(va: number, v: number, user: boolean): void {
    const vp = va >>> 12, i = vp & TLB_MASK, t = user ? this.tUW : this.tPW;
    if (t.tag[i] === vp && (va & 1) === 0) { const ram = t.ram[i]; if (ram !== null) { ram.u16[(t.off[i] + (va & 0xfff)) >> 1] = v; return; } }
    this.store(va, 2, v, user);
  }
  write32(va: number, v: number, user: boolean): void {
    const vp = va >>> 12, i = vp & TLB_MASK, t = user ? this.tUW : this.tPW;
    if (t.tag[i] === vp && (va & 3) === 0) { const ram = t.ram[i]; if (ram !== null) { ram.i32[(t.off[i] + (va & 0xfff)) >> 2] = v; return; } }
    this.store(va, 4, v, user);
  }
  fetch16(va: number, user: boolean): number {
    const vp = va >>> 12, i = vp & TLB_MASK, t = user ? this.tUX : this.tPX;
    if (t.tag[i] === vp && (va & 1) === 0) { const ram = t.ram[i]; if (ram !== null) return ram.u16[(t.off[i] + (va & 0xfff)) >> 1]; }
    return this.load(va, 2, user, Access.Fetch);
  }
  fetch32(va: number, user: boolean): number {
    const vp = va >>> 12, i = vp & TLB_MASK, t = user ? this.tUX : this.tPX;
    if (t.tag[i] === vp && (va & 3) === 0) { const ram = t.ram[i]; if (ram !== null) return ram.i32[(t.off[i] + (va & 0xfff)) >> 2] >>> 0; }
    return this.load(va, 4, user, Access.Fetch);
  }

  private readonly tPR = this.tlb.tables[0];
  private readonly tPW = this.tlb.tables[1];
  private readonly tPX = this.tlb.tables[2];
  private readonly tUR = this.tlb.tables[3];
  private readonly tUW = this.tlb.tables[4];
  private readonly tUX = this.tlb.tables[5];
}

/** Memory systems per bus: the vCPUs of one board, which broadcast TLB and I-cache maintenance to each other. */
const shareableDomains = new WeakMap<Bus, FlatMemory[]>();

export function createMemorySystem(bus: Bus, opts: { mpidr: number; counter: () => number; onTimerChange?: () => void }): MemorySystem {
  const timer = new Timer(opts.counter);
  const mem = new FlatMemory(bus);
  const cp15 = new Cp15Registers(opts.mpidr, timer, opts.counter, () => { mem.generation++; }, opts.onTimerChange ?? (() => {}), mem);
  mem.cp15 = cp15;
  bus.codeMarkListeners.push((pagePa) => mem.tlb.invalidateWritesTo(pagePa));
  const domain = shareableDomains.get(bus) ?? [];
  domain.push(mem);
  shareableDomains.set(bus, domain);
  return { cp15, mem, timer };
}
