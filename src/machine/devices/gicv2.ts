// A GICv2 (distributor + banked CPU interfaces) without the Security Extensions, as QEMU's arm_gic
// models it for the `virt` board: 8 priority bits, SGIs permanently enabled and edge-triggered,
// PPIs/SPIs configurable edge/level, 1-of-N delivery for SPIs, EOImode split (GICC_DIR), running
// priority kept as a set of active group priorities (GICC_APR0). Register-level facts were checked
// against QEMU 7.2 with test/guests/probe.c (TYPER, IIDRs, ID registers, reset values, RAZ/WI bits).
// Interrupt groups as a GICv2 without the Security Extensions has them (QEMU's arm_gic, checked with
// test/guests/fiq.c): GICD_IGROUPR, EnableGrp0/1 in GICD_CTLR and GICC_CTLR, group 0 signalled as FIQ
// when GICC_CTLR.FIQEn is set, GICC_IAR/HPPIR giving 1022 for a group 1 interrupt unless AckCtl,
// group 1 preemption by GICC_ABPR unless CBPR.
//
// The MMIO interface has no notion of "which CPU is accessing": the board sets `currentCpu` before
// running each vCPU's slice (the scheduler runs one vCPU at a time), and banked registers use it.
import type { MmioDevice } from '../bus';

/** What the GIC drives on each CPU (Arm32Cpu implements it). */
export interface IrqSink {
  setIrqLine(level: boolean): void;
  /** The FIQ input (group 0 interrupts with GICC_CTLR.FIQEn); sinks without one never get FIQs. */
  setFiqLine?(level: boolean): void;
}

const SPURIOUS = 1023;
const NR_SGI = 16;
const NR_INTERNAL = 32;

/** Interrupt IDs of the architected generic-timer PPIs. */
export const PPI = { HYP_TIMER: 26, VIRT_TIMER: 27, SEC_PHYS_TIMER: 29, PHYS_TIMER: 30 } as const;

interface CpuIf {
  ctlr: number;
  pmr: number;
  bpr: number;
  abpr: number;
  /** Active group priorities (preemption levels) in APR order; running priority is the lowest. */
  apr: bigint;
  /** The IRQ and FIQ line levels last driven to the CPU (only changes are signalled). */
  lastLine: boolean;
  lastFiq: boolean;
}

export class GicV2 {
  /** The vCPU whose accesses the MMIO interfaces are currently serving (banked registers). */
  currentCpu = 0;
  readonly numIrq: number;
  readonly distributor: MmioDevice;
  readonly cpuInterface: MmioDevice;

  private ctlr = 0;
  // Per-interrupt state. IDs < 32 are banked: index cpu * 32 + id in the *Priv arrays.
  private readonly enabled: Uint8Array;
  private readonly enabledPriv: Uint8Array;
  private readonly pendingLatch: Uint8Array;
  private readonly pendingPriv: Uint8Array;
  /** SGI pending state: one bit per source CPU, index target * 16 + sgi. */
  private readonly sgiSources: Uint8Array;
  private readonly active: Uint8Array;
  private readonly activePriv: Uint8Array;
  private readonly level: Uint8Array;
  private readonly levelPriv: Uint8Array;
  private readonly edge: Uint8Array;
  private readonly edgePriv: Uint8Array;
  private readonly priority: Uint8Array;
  private readonly priorityPriv: Uint8Array;
  private readonly targets: Uint8Array;
  /** GICD_IGROUPR bits: 0 group 0 (reset), 1 group 1. */
  private readonly group: Uint8Array;
  private readonly groupPriv: Uint8Array;
  private readonly cpuIfs: CpuIf[] = [];

  constructor(private readonly sinks: IrqSink[], numIrq = 288) {
    if (numIrq % 32 !== 0 || numIrq < 32 || numIrq > 1020) throw new Error(`GICv2: ${numIrq} interrupts is not a multiple of 32 in 32..1020`);
    if (sinks.length < 1 || sinks.length > 8) throw new Error(`GICv2 supports 1..8 CPUs, not ${sinks.length}`);
    this.numIrq = numIrq;
    const n = sinks.length;
    this.enabled = new Uint8Array(numIrq); this.enabledPriv = new Uint8Array(n * 32);
    this.pendingLatch = new Uint8Array(numIrq); this.pendingPriv = new Uint8Array(n * 32);
    this.sgiSources = new Uint8Array(n * 16);
    this.active = new Uint8Array(numIrq); this.activePriv = new Uint8Array(n * 32);
    this.level = new Uint8Array(numIrq); this.levelPriv = new Uint8Array(n * 32);
    this.edge = new Uint8Array(numIrq); this.edgePriv = new Uint8Array(n * 32);
    this.priority = new Uint8Array(numIrq); this.priorityPriv = new Uint8Array(n * 32);
    this.targets = new Uint8Array(numIrq);
    this.group = new Uint8Array(numIrq); this.groupPriv = new Uint8Array(n * 32);
    for (let c = 0; c < n; c++) {
      for (let i = 0; i < NR_SGI; i++) { this.enabledPriv[c * 32 + i] = 1; this.edgePriv[c * 32 + i] = 1; }
      this.cpuIfs.push({ ctlr: 0, pmr: 0, bpr: 0, abpr: 1, apr: 0n, lastLine: false, lastFiq: false });
    }
    this.distributor = { read: (o, s) => this.distRead(o, s), write: (o, s, v) => this.distWrite(o, s, v) };
    this.cpuInterface = { read: (o, s) => this.cpuRead(o, s), write: (o, s, v) => this.cpuWrite(o, s, v) };
  }

  get numCpus(): number { return this.sinks.length; }

  // ---- inputs from devices ----

  /** Drives a private peripheral interrupt (16..31) of one CPU. */
  setPpi(cpu: number, id: number, level: boolean): void {
    if (id < NR_SGI || id >= NR_INTERNAL) throw new Error(`PPI id ${id} is not in 16..31`);
    const k = cpu * 32 + id;
    const lv = level ? 1 : 0;
    if (this.levelPriv[k] === lv) return;
    this.levelPriv[k] = lv;
    if (lv && this.edgePriv[k]) this.pendingPriv[k] = 1;
    this.update();
  }

  /** Drives a shared peripheral interrupt line (32..numIrq-1). */
  setSpi(id: number, level: boolean): void {
    if (id < NR_INTERNAL || id >= this.numIrq) throw new Error(`SPI id ${id} is not in 32..${this.numIrq - 1}`);
    const lv = level ? 1 : 0;
    if (this.level[id] === lv) return;
    this.level[id] = lv;
    if (lv && this.edge[id]) this.pendingLatch[id] = 1;
    this.update();
  }

  // ---- per-interrupt state as seen by one CPU ----

  private isPending(cpu: number, id: number): boolean {
    if (id < NR_SGI) return this.sgiSources[cpu * 16 + id] !== 0;
    if (id < NR_INTERNAL) {
      const k = cpu * 32 + id;
      return this.pendingPriv[k] === 1 || (!this.edgePriv[k] && this.levelPriv[k] === 1);
    }
    return this.pendingLatch[id] === 1 || (!this.edge[id] && this.level[id] === 1);
  }
  private isEnabled(cpu: number, id: number): boolean {
    return (id < NR_INTERNAL ? this.enabledPriv[cpu * 32 + id] : this.enabled[id]) === 1;
  }
  private isActive(cpu: number, id: number): boolean {
    return (id < NR_INTERNAL ? this.activePriv[cpu * 32 + id] : this.active[id]) === 1;
  }
  private setActive(cpu: number, id: number, on: boolean): void {
    if (id < NR_INTERNAL) this.activePriv[cpu * 32 + id] = on ? 1 : 0; else this.active[id] = on ? 1 : 0;
  }
  private prio(cpu: number, id: number): number {
    return id < NR_INTERNAL ? this.priorityPriv[cpu * 32 + id] : this.priority[id];
  }
  private targetMask(id: number): number {
    return this.numCpus === 1 ? 1 : this.targets[id];
  }
  private groupOf(cpu: number, id: number): number {
    return id < NR_INTERNAL ? this.groupPriv[cpu * 32 + id] : this.group[id];
  }

  /**
   * Group priority of a priority value under this CPU's binary point (preemption compares these):
   * GICC_BPR for group 0, GICC_ABPR - 1 for group 1 unless GICC_CTLR.CBPR.
   */
  private groupPrio(cpu: number, p: number, group = 0): number {
    const ifc = this.cpuIfs[cpu];
    const bpr = group && !(ifc.ctlr & 0x10) ? ifc.abpr - 1 : ifc.bpr;
    return p & (0xff << (bpr + 1)) & 0xff;
  }

  /** The running priority: the highest active group priority, or 0x100 when idle (RPR reads 0xff). */
  private running(cpu: number): number {
    const apr = this.cpuIfs[cpu].apr;
    if (apr === 0n) return 0x100;
    let bit = 0;
    while (((apr >> BigInt(bit)) & 1n) === 0n) bit++;
    return bit << 1;
  }

  /** The highest-priority pending, enabled, not-active interrupt targeting this CPU: [id, prio], or [1023, 0x100]. */
  private best(cpu: number): [number, number] {
    let bestId = SPURIOUS, bestPrio = 0x100;
    if (!(this.ctlr & 3)) return [bestId, bestPrio];
    for (let id = 0; id < this.numIrq; id++) {
      if (id >= NR_INTERNAL && !(this.targetMask(id) & (1 << cpu))) continue;
      if (!this.isEnabled(cpu, id) || !this.isPending(cpu, id) || this.isActive(cpu, id)) continue;
      const p = this.prio(cpu, id);
      if (p < bestPrio) { bestPrio = p; bestId = id; }
    }
    return [bestId, bestPrio];
  }

  /** The SGI source CPU reported with an SGI id (lowest-numbered pending source). */
  private sgiSource(cpu: number, id: number): number {
    const s = this.sgiSources[cpu * 16 + id];
    return s ? 31 - Math.clz32(s & -s) : 0;
  }

  /** Recomputes every CPU's IRQ line. */
  update(): void {
    for (let cpu = 0; cpu < this.numCpus; cpu++) {
      const ifc = this.cpuIfs[cpu];
      let line = false, fiq = false;
      if (ifc.ctlr & 3) {
        const [id, p] = this.best(cpu);
        const g = id === SPURIOUS ? 0 : this.groupOf(cpu, id);
        if (id !== SPURIOUS && p < ifc.pmr && this.groupPrio(cpu, p, g) < this.running(cpu) && (this.ctlr & ifc.ctlr & (1 << g))) {
          if (g === 0 && (ifc.ctlr & 8)) fiq = true; else line = true;
        }
      }
      if (line !== ifc.lastLine) {
        ifc.lastLine = line;
        this.sinks[cpu].setIrqLine(line);
      }
      if (fiq !== ifc.lastFiq) {
        ifc.lastFiq = fiq;
        this.sinks[cpu].setFiqLine?.(fiq);
      }
    }
  }

  // ---- CPU interface ----

  private acknowledge(cpu: number): number {
    const ifc = this.cpuIfs[cpu];
    const [id, p] = this.best(cpu);
    if (!(ifc.ctlr & 3) || id === SPURIOUS || p >= ifc.pmr) return SPURIOUS;
    const g = this.groupOf(cpu, id);
    // A group 1 interrupt is acknowledged only with AckCtl (as a Secure access would be).
    if (g === 1 && !(ifc.ctlr & 4)) return 1022;
    if (this.groupPrio(cpu, p, g) >= this.running(cpu)) return SPURIOUS;
    let value = id;
    if (id < NR_SGI) {
      const src = this.sgiSource(cpu, id);
      this.sgiSources[cpu * 16 + id] &= ~(1 << src);
      value |= src << 10;
    } else if (id < NR_INTERNAL) this.pendingPriv[cpu * 32 + id] = 0;
    else this.pendingLatch[id] = 0;
    this.setActive(cpu, id, true);
    ifc.apr |= 1n << BigInt(this.groupPrio(cpu, p, g) >> 1);
    this.update();
    return value;
  }

  /** Priority drop: clears the highest active priority (the architecture requires EOIs in acknowledge order). */
  private priorityDrop(cpu: number): void {
    const ifc = this.cpuIfs[cpu];
    if (ifc.apr !== 0n) ifc.apr &= ifc.apr - 1n;
  }

  /**
   * GICC_EOIR as QEMU does it: with no active priority it is ignored; otherwise the highest active
   * priority is dropped (whatever ID is written) and, unless EOImode is 1, the written ID is
   * deactivated (test/guests/gic.c shows both on QEMU 7.2).
   */
  private endOfInterrupt(cpu: number, value: number): void {
    const id = value & 0x3ff;
    if (id >= this.numIrq || this.cpuIfs[cpu].apr === 0n) return;
    this.priorityDrop(cpu);
    if (!(this.cpuIfs[cpu].ctlr & 0x200)) this.setActive(cpu, id, false);
    this.update();
  }

  private cpuRead(off: number, size: number): number {
    const cpu = this.currentCpu, ifc = this.cpuIfs[cpu];
    if (size !== 4) return 0;
    switch (off) {
      case 0x00: return ifc.ctlr;
      case 0x04: return ifc.pmr;
      case 0x08: return ifc.bpr;
      case 0x0c: return this.acknowledge(cpu);
      case 0x14: return this.running(cpu) === 0x100 ? 0xff : this.running(cpu);
      case 0x18: {
        const [id, p] = this.best(cpu);
        if (id === SPURIOUS || !(ifc.ctlr & 3) || p >= ifc.pmr) return SPURIOUS;
        if (this.groupOf(cpu, id) === 1 && !(ifc.ctlr & 4)) return 1022;
        return id < NR_SGI ? id | (this.sgiSource(cpu, id) << 10) : id;
      }
      case 0x1c: return ifc.abpr;
      // GICC_APRn read as zero on QEMU virt's GIC (test/guests/gic.c); the state lives in `apr`.
      case 0xfc: return 0x0002043b;
      default: return 0;
    }
  }

  private cpuWrite(off: number, size: number, v: number): void {
    const cpu = this.currentCpu, ifc = this.cpuIfs[cpu];
    if (size !== 4) return;
    switch (off) {
      case 0x00: ifc.ctlr = v & 0x21f; break; // EnableGrp0/1, AckCtl, FIQEn, CBPR, EOImode
      case 0x04: ifc.pmr = v & 0xff; break;
      case 0x08: ifc.bpr = v & 7; break;
      case 0x10: this.endOfInterrupt(cpu, v); return;
      case 0x1c: ifc.abpr = Math.max(v & 7, 1); break;
      case 0x1000: { // GICC_DIR: deactivate (meaningful with EOImode=1)
        const id = v & 0x3ff;
        if (id < this.numIrq) this.setActive(cpu, id, false);
        break;
      }
      default: return;
    }
    this.update();
  }

  // ---- distributor (byte-granular like QEMU: wider accesses are composed of byte accesses) ----

  private distRead(off: number, size: number): number {
    let v = 0;
    for (let i = 0; i < size; i++) v |= this.distReadByte(off + i) << (8 * i);
    return v >>> 0;
  }

  private distWrite(off: number, size: number, value: number): void {
    if (off >= 0xf00 && off < 0xf04) { // GICD_SGIR is a word register
      if (size === 4) this.sendSgi(value);
      return;
    }
    for (let i = 0; i < size; i++) this.distWriteByte(off + i, (value >>> (8 * i)) & 0xff);
    this.update();
  }

  private static readonly ID = [0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

  private distReadByte(off: number): number {
    const cpu = this.currentCpu;
    if (off < 0x100) {
      if (off === 0) return this.ctlr;
      if (off >= 4 && off < 8) return (((this.numIrq / 32 - 1) | ((this.numCpus - 1) << 5)) >>> (8 * (off - 4))) & 0xff;
      if (off >= 8 && off < 12) return (0x43b >>> (8 * (off - 8))) & 0xff;
      if (off >= 0x80 && off < 0x80 + this.numIrq / 8) {
        let v = 0;
        for (let i = 0; i < 8; i++) if (this.groupOf(cpu, (off - 0x80) * 8 + i)) v |= 1 << i;
        return v;
      }
      return 0;
    }
    if (off < 0x380 + this.numIrq / 8 && off >= 0x100 && off < 0x400) {
      const kind = (off - 0x100) >> 7; // 0 set-en, 1 clr-en, 2 set-pend, 3 clr-pend, 4 set-act, 5 clr-act
      const base = ((off - 0x100) & 0x7f) * 8;
      let v = 0;
      for (let i = 0; i < 8; i++) {
        const id = base + i;
        if (id >= this.numIrq) break;
        const bit = kind < 2 ? this.isEnabled(cpu, id) : kind < 4 ? this.isPending(cpu, id) : this.isActive(cpu, id);
        if (bit) v |= 1 << i;
      }
      return v;
    }
    if (off >= 0x400 && off < 0x400 + this.numIrq) return this.prio(cpu, off - 0x400);
    if (off >= 0x800 && off < 0x800 + this.numIrq) {
      const id = off - 0x800;
      if (this.numCpus === 1) return 0;
      return id < NR_INTERNAL ? 1 << cpu : this.targets[id];
    }
    if (off >= 0xc00 && off < 0xc00 + this.numIrq / 4) {
      const base = (off - 0xc00) * 4;
      let v = 0;
      for (let i = 0; i < 4; i++) {
        const id = base + i;
        const e = id < NR_INTERNAL ? this.edgePriv[cpu * 32 + id] : this.edge[id];
        if (e) v |= 2 << (2 * i);
      }
      return v;
    }
    if (off >= 0xf10 && off < 0xf30) { // CPENDSGIR / SPENDSGIR: one byte of source bits per SGI
      return this.sgiSources[cpu * 16 + ((off - 0xf10) & 0xf)];
    }
    if (off >= 0xfd0 && off < 0x1000 && (off & 3) === 0) return GicV2.ID[(off - 0xfd0) >> 2];
    return 0;
  }

  private distWriteByte(off: number, v: number): void {
    const cpu = this.currentCpu;
    if (off < 0x100) {
      if (off === 0) this.ctlr = v & 3; // EnableGrp0, EnableGrp1
      if (off >= 0x80 && off < 0x80 + this.numIrq / 8) {
        for (let i = 0; i < 8; i++) {
          const id = (off - 0x80) * 8 + i, bit = (v >> i) & 1;
          if (id < NR_INTERNAL) this.groupPriv[cpu * 32 + id] = bit; else this.group[id] = bit;
        }
      }
      return;
    }
    if (off >= 0x100 && off < 0x400) {
      const kind = (off - 0x100) >> 7;
      const base = ((off - 0x100) & 0x7f) * 8;
      for (let i = 0; i < 8; i++) {
        const id = base + i;
        if (id >= this.numIrq || !(v & (1 << i))) continue;
        const priv = id < NR_INTERNAL, k = cpu * 32 + id;
        switch (kind) {
          case 0: if (priv) this.enabledPriv[k] = 1; else this.enabled[id] = 1; break;
          case 1: if (id >= NR_SGI) { if (priv) this.enabledPriv[k] = 0; else this.enabled[id] = 0; } break;
          case 2: // set pending; SGIs are set through GICD_SPENDSGIR instead
            if (id < NR_SGI) break;
            if (priv) this.pendingPriv[k] = 1; else this.pendingLatch[id] = 1; break;
          case 3:
            if (id < NR_SGI) break;
            if (priv) this.pendingPriv[k] = 0; else this.pendingLatch[id] = 0; break;
          case 4: this.setActive(cpu, id, true); break;
          case 5: this.setActive(cpu, id, false); break;
        }
      }
      return;
    }
    if (off >= 0x400 && off < 0x400 + this.numIrq) {
      const id = off - 0x400;
      if (id < NR_INTERNAL) this.priorityPriv[cpu * 32 + id] = v; else this.priority[id] = v;
      return;
    }
    if (off >= 0x800 && off < 0x800 + this.numIrq) {
      const id = off - 0x800;
      if (id >= NR_INTERNAL && this.numCpus > 1) this.targets[id] = v & ((1 << this.numCpus) - 1);
      return;
    }
    if (off >= 0xc00 && off < 0xc00 + this.numIrq / 4) {
      const base = (off - 0xc00) * 4;
      for (let i = 0; i < 4; i++) {
        const id = base + i;
        if (id < NR_SGI) continue;
        const e = (v >> (2 * i + 1)) & 1;
        if (id < NR_INTERNAL) this.edgePriv[cpu * 32 + id] = e; else this.edge[id] = e;
      }
      return;
    }
    if (off >= 0xf10 && off < 0xf30) {
      const k = cpu * 16 + ((off - 0xf10) & 0xf);
      if (off < 0xf20) this.sgiSources[k] &= ~v; else this.sgiSources[k] |= v & ((1 << this.numCpus) - 1);
    }
  }

  private sendSgi(value: number): void {
    const id = value & 0xf, filter = (value >>> 24) & 3, src = this.currentCpu;
    const all = (1 << this.numCpus) - 1;
    const mask = filter === 0 ? (value >>> 16) & 0xff & all : filter === 1 ? all & ~(1 << src) : filter === 2 ? 1 << src : 0;
    for (let c = 0; c < this.numCpus; c++) if (mask & (1 << c)) this.sgiSources[c * 16 + id] |= 1 << src;
    this.update();
  }
}
