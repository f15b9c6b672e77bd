// dom0's state inside the hypervisor and the HVC/SMC trap: shared_info and vcpu_info pages, event
// channels, the grant table, vCPU power (PSCI), the PV console queues, shutdown, and the event stream
// (every hypercall and SMCCC call, decoded, before and after it runs) with the debugger's stop hook.
import { TrapResult, type CpuApi } from '../machine/arm32/contracts';
import type { Board } from '../machine/board';
import {
  E, GUEST, HYPERCALL_NAMES, PAGE_SIZE, SHARED_INFO, SHUTDOWN_NAMES, VCPU_INFO, VIRQ_CONSOLE, XEN_HYPERCALL_TAG,
  BOOT_CPSR, BOOT_SCTLR, HVM_NR_PARAMS, commandName,
} from './abi';
import { EventChannels, type EventHost } from './event-channels';
import { GrantTable } from './grant-table';
import { GuestFault, GuestMemory, PhysMemory } from './guest-memory';
import { SharedArea } from './shared-pages';
import { smcccCall, PSCI_NAMES, type PsciHost } from './psci';
import { callHandler } from './dispatch';
import type { CallContext } from './hypercall-context';
import type { PoweredVcpu } from './powered-vcpu';

export type ShutdownReason = 'poweroff' | 'reboot' | 'suspend' | 'crash' | 'watchdog' | 'soft_reset';

export interface HypercallRecord {
  /** 1, 2, 3… in the order calls were made. */
  seq: number;
  vcpu: number;
  /** Address of the HVC instruction. */
  pc: number;
  /** 'xen' for HVC #0xEA1, 'smccc' for HVC #0 / SMC #0. */
  kind: 'xen' | 'smccc';
  /** Hypercall number (r12), or the SMCCC function ID (r0). */
  nr: number;
  name: string;
  /** r0–r4 (xen) or r1–r3 (smccc). */
  args: number[];
  /** Decoded command name and fields. */
  decoded: Record<string, string | number>;
  /** Console text written or read. */
  text?: string;
  /** Result as the guest sees it (signed); absent while the call has not run yet. */
  result?: number;
  /** The vCPU's retired-instruction count at the call. */
  icount: number;
}

export type HypervisorEvent =
  | { kind: 'irq'; vcpu: number; irq: number; reason: string; icount: number }
  | { kind: 'undef'; vcpu: number; pc: number; imm: number; icount: number }
  | { kind: 'vcpu'; vcpu: number; online: boolean; entry?: number; icount: number };

/** Xen's shutdown reasons as run outcomes and exit statuses. */
export const SHUTDOWN_EXIT: Record<ShutdownReason, number> = { poweroff: 0, reboot: 129, suspend: 0, crash: 130, watchdog: 131, soft_reset: 129 };

const NS_PER_TICK = 16; // the generic timer counts at 62.5 MHz: one tick is 16 ns
const NR_WATCHDOGS = 2;
const TICKS_PER_SECOND = 62_500_000;

export class Domain implements EventHost, PsciHost {
  readonly phys: PhysMemory;
  readonly sharedInfo: SharedArea;
  readonly events: EventChannels;
  readonly grant: GrantTable;
  readonly hvmParams: number[] = new Array(HVM_NR_PARAMS).fill(0);
  runstateUpdateFlag = false;
  shutdownCode: number | null = null;
  shutdownInfo: { reason: ShutdownReason; code: number; vcpu: number } | null = null;
  xenCommandLine = 'dom0_mem=auto console=dtuart';

  onConsoleOutput: (bytes: Uint8Array) => void = () => {};
  onHypercall: (r: HypercallRecord) => void = () => {};
  onEvent: (e: HypervisorEvent) => void = () => {};
  shouldStopOnHypercall: ((r: HypercallRecord) => boolean) | null = null;
  /** The record of the call a vCPU was stopped before, if any. */
  stoppedAt: HypercallRecord | null = null;

  private readonly vcpuInfos: SharedArea[];
  private readonly vcpuInfoRegistered: boolean[];
  private readonly runstateVa: (number | null)[];
  private readonly mems: GuestMemory[];
  private readonly consoleIn: number[] = [];
  private seq = 0;
  /** A vCPU resumed after a hypercall stop runs that call without asking again. */
  private readonly resumeSkip: ({ pc: number; icount: number } | null)[];
  private readonly watchdogs: (number | null)[] = new Array(NR_WATCHDOGS).fill(null);

  constructor(readonly board: Board, readonly vcpus: PoweredVcpu[], readonly ram: { base: number; size: number }) {
    this.phys = new PhysMemory(board.bus);
    this.sharedInfo = new SharedArea(this.phys, PAGE_SIZE);
    this.grant = new GrantTable(board.bus);
    const n = vcpus.length;
    this.vcpuInfos = Array.from({ length: n }, (_, i) => (i === 0 ? this.sharedInfo : new SharedArea(this.phys, VCPU_INFO.size)));
    this.vcpuInfoRegistered = new Array(n).fill(false);
    this.runstateVa = new Array(n).fill(null);
    this.resumeSkip = new Array(n).fill(null);
    this.mems = vcpus.map((v) => new GuestMemory(v.inner, board.bus));
    this.events = new EventChannels(this);
    for (const v of vcpus) {
      v.onHvc = (cpu, imm) => this.trap(cpu, imm, true);
      v.onSmc = (cpu, imm) => this.trap(cpu, imm, false);
    }
  }

  get nrVcpus(): number { return this.vcpus.length; }
  get stopped(): boolean { return this.shutdownInfo !== null; }
  get ramPages(): number { return this.ram.size / PAGE_SIZE; }
  get ramEndPfn(): number { return (this.ram.base + this.ram.size) / PAGE_SIZE; }

  // ---- EventHost ----
  vcpuInfo(vcpu: number): SharedArea { return this.vcpuInfos[vcpu]; }
  vcpuInfoOffset(): number { return 0; }
  raiseUpcall(vcpu: number): void {
    // Xen marks the event PPI pending on the vCPU's interface (vgic_inject_irq): an edge, whatever the
    // trigger configuration, so it is set through GICD_ISPENDR0 as that vCPU.
    const gic = this.board.gic, saved = gic.currentCpu;
    gic.currentCpu = vcpu;
    gic.distributor.write(0x200, 4, (1 << GUEST.evtchnPpi) >>> 0);
    gic.currentCpu = saved;
    this.onEvent({ kind: 'irq', vcpu, irq: GUEST.evtchnPpi, reason: 'event channel upcall', icount: this.vcpus[vcpu].icount });
  }

  // ---- PsciHost ----
  mpidr(vcpu: number): number { return this.vcpus[vcpu].cp15.read(0, 0, 0, 5, true) >>> 0; }
  isOnline(vcpu: number): boolean { return this.vcpus[vcpu].online; }
  powerOn(vcpu: number, entry: number, context: number): void {
    const v = this.vcpus[vcpu];
    v.reset(entry);
    v.setCpsr((BOOT_CPSR & ~0x20) | (entry & 1 ? 0x20 : 0));
    v.setReg(0, context);
    // As Xen's arch_set_info_guest with a fresh context: SCTLR, TTBR0/1 and TTBCR at their boot values,
    // written through MCR so the vCPU's translation caches see the MMU go off.
    v.cp15.write(1, 0, 0, 0, BOOT_SCTLR, true);
    v.cp15.write(2, 0, 0, 0, 0, true);
    v.cp15.write(2, 0, 0, 1, 0, true);
    v.cp15.write(2, 0, 0, 2, 0, true);
    v.online = true;
    this.onEvent({ kind: 'vcpu', vcpu, online: true, entry, icount: v.icount });
  }
  powerOff(vcpu: number): void {
    this.vcpus[vcpu].powerOff();
    this.onEvent({ kind: 'vcpu', vcpu, online: false, icount: this.vcpus[vcpu].icount });
  }
  suspend(vcpu: number): void {
    const v = this.vcpus[vcpu];
    if (!v.irqPending) v.block(() => v.irqPending);
  }
  systemOff(): void { this.shutdown(0); }
  systemReset(): void { this.shutdown(1); }

  // ---- services for the hypercall handlers ----
  shutdown(reason: number, vcpu = 0): void {
    if (this.shutdownInfo) return;
    // Xen's domain_shutdown: a code set earlier (SCHEDOP_shutdown_code) wins over the reason given now;
    // hwdom_shutdown reboots the machine for a reason it does not know.
    if (this.shutdownCode === null) this.shutdownCode = reason;
    reason = this.shutdownCode < SHUTDOWN_NAMES.length ? this.shutdownCode : 1;
    const name = (SHUTDOWN_NAMES[reason] ?? 'crash') as ShutdownReason;
    this.shutdownInfo = { reason: name, code: reason, vcpu };
    this.board.halt(SHUTDOWN_EXIT[name]);
  }

  mapSharedInfo(gpfn: number): void {
    const pa = gpfn * PAGE_SIZE;
    if (!this.board.bus.ramAt(pa, PAGE_SIZE)) this.board.bus.addRam(pa, PAGE_SIZE);
    this.sharedInfo.place(pa);
  }

  unmapGfn(gpfn: number): void {
    if (this.sharedInfo.pa === gpfn * PAGE_SIZE) {
      // The page leaves the guest's space but stays the domain's shared_info.
      const bytes = this.sharedInfo.snapshot();
      this.sharedInfo.pa = null;
      for (let i = 0; i < bytes.length; i++) this.sharedInfo.setU8(i, bytes[i]);
      return;
    }
    this.grant.unmapGfn(gpfn);
  }

  isRamFrame(pfn: number): boolean { return this.phys.isRam(pfn * PAGE_SIZE, PAGE_SIZE); }

  registerVcpuInfo(vcpu: number, pa: number): number {
    if (this.vcpuInfoRegistered[vcpu]) return E.INVAL;
    if (!this.phys.isRam(pa, VCPU_INFO.size)) return E.INVAL;
    const old = this.vcpuInfos[vcpu];
    const area = new SharedArea(this.phys, VCPU_INFO.size);
    const prev = old.snapshot().subarray(0, VCPU_INFO.size);
    for (let i = 0; i < VCPU_INFO.size; i++) area.setU8(i, prev[i]);
    area.place(pa);
    this.vcpuInfos[vcpu] = area;
    this.vcpuInfoRegistered[vcpu] = true;
    // As map_vcpu_info: mark every selector bit pending so nothing raised before the move is lost.
    area.setU32(VCPU_INFO.pending_sel, 0xffffffff);
    area.setU32(VCPU_INFO.pending_sel + 4, 0xffffffff);
    this.events.markUpcall(vcpu);
    return 0;
  }

  registerRunstate(vcpu: number, va: number): number {
    this.runstateVa[vcpu] = va;
    this.writeRunstate(vcpu);
    return 0;
  }

  /** Writes struct vcpu_runstate_info {int state, u64 state_entry_time, u64 time[4]}: running since boot. */
  private writeRunstate(vcpu: number): void {
    const va = this.runstateVa[vcpu];
    if (va === null) return;
    const ns = BigInt(this.board.time) * BigInt(NS_PER_TICK);
    const b = new Uint8Array(48);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, this.vcpus[vcpu].online ? 0 : 3, true); // RUNSTATE_running / RUNSTATE_offline
    dv.setBigUint64(8, ns, true);
    dv.setBigUint64(16, ns, true);
    try { this.mems[vcpu].write(va, b); } catch (e) { if (!(e instanceof GuestFault)) throw e; } // Xen ignores a bad area
  }

  setWallclock(secs: number, nsecs: number, systemTimeNs: number): void {
    // Wall-clock time at system time 0, as Xen's do_settime keeps it.
    const total = BigInt(secs) * 1000000000n + BigInt(nsecs) - BigInt(systemTimeNs);
    const s = total / 1000000000n, ns = Number(total % 1000000000n);
    const si = this.sharedInfo;
    si.setU32(SHARED_INFO.wc_version, si.u32(SHARED_INFO.wc_version) + 1);
    si.setU32(SHARED_INFO.wc_sec, Number(s & 0xffffffffn));
    si.setU32(SHARED_INFO.wc_nsec, ns);
    si.setU32(SHARED_INFO.wc_sec_hi, Number((s >> 32n) & 0xffffffffn));
    si.setU32(SHARED_INFO.wc_version, si.u32(SHARED_INFO.wc_version) + 1);
  }

  /** SCHEDOP_watchdog: id 0 creates one, a live id with timeout 0 destroys it, else re-arms it. */
  watchdog(id: number, timeoutS: number): number {
    if (id === 0) {
      const free = this.watchdogs.indexOf(null);
      if (free < 0) return E.NOSPC;
      this.watchdogs[free] = this.board.time + timeoutS * TICKS_PER_SECOND;
      return free + 1;
    }
    if (id > NR_WATCHDOGS || this.watchdogs[id - 1] === null) return E.INVAL;
    this.watchdogs[id - 1] = timeoutS === 0 ? null : this.board.time + timeoutS * TICKS_PER_SECOND;
    return 0;
  }

  /** Called between scheduling rounds: fires expired watchdogs. */
  tick(): void {
    for (const d of this.watchdogs) if (d !== null && this.board.time >= d) { this.shutdown(4); return; }
  }

  writeConsole(bytes: Uint8Array): void { this.onConsoleOutput(bytes); }
  peekConsoleInput(max: number): Uint8Array { return Uint8Array.from(this.consoleIn.slice(0, max)); }
  consumeConsoleInput(n: number): void { this.consoleIn.splice(0, n); }
  get pendingConsoleInput(): number { return this.consoleIn.length; }

  /** Input typed on the PV console: queued for CONSOLEIO_read, announced with VIRQ_CONSOLE. */
  consoleInput(bytes: Uint8Array): void {
    if (!bytes.length) return;
    this.consoleIn.push(...bytes);
    this.events.raiseVirq(VIRQ_CONSOLE, 0);
  }

  // ---- the trap ----
  private trap(cpu: CpuApi, imm: number, hvc: boolean): TrapResult {
    const vcpu = cpu.index;
    const pc = (cpu.getReg(15) - 4) >>> 0; // r15 is past the HVC/SMC, 4 bytes in ARM and Thumb alike
    const isXen = hvc && imm === XEN_HYPERCALL_TAG;
    if (!isXen && imm !== 0) {
      // Xen injects an undefined-instruction exception for any other HVC immediate (and SMC #imm != 0).
      this.onEvent({ kind: 'undef', vcpu, pc, imm, icount: cpu.icount });
      return TrapResult.Undefined;
    }
    const r: HypercallRecord = isXen
      ? { seq: 0, vcpu, pc, kind: 'xen', nr: cpu.getReg(12) >>> 0, name: '', args: [0, 1, 2, 3, 4].map((i) => cpu.getReg(i) >>> 0), decoded: {}, icount: cpu.icount }
      : { seq: 0, vcpu, pc, kind: 'smccc', nr: cpu.getReg(0) >>> 0, name: '', args: [1, 2, 3].map((i) => cpu.getReg(i) >>> 0), decoded: {}, icount: cpu.icount };
    r.name = isXen ? HYPERCALL_NAMES[r.nr] ?? `hypercall_${r.nr}` : PSCI_NAMES[r.nr] ?? `smccc_0x${r.nr.toString(16)}`;

    const skip = this.resumeSkip[vcpu];
    this.resumeSkip[vcpu] = null;
    const resumed = skip !== null && skip.pc === pc && skip.icount === cpu.icount;
    if (!resumed && this.shouldStopOnHypercall) {
      const probe: HypercallRecord = { ...r, decoded: {} };
      const cmd = isXen ? commandName(r.nr, r.args[0]) : undefined;
      if (cmd !== undefined) probe.decoded.cmd = cmd;
      if (this.shouldStopOnHypercall(probe)) {
        // The core does not count the stopped instruction; it reaches here again with the same count.
        this.resumeSkip[vcpu] = { pc, icount: cpu.icount };
        this.stoppedAt = probe;
        return TrapResult.Stop;
      }
    }
    this.stoppedAt = null;
    r.seq = ++this.seq;
    this.onHypercall({ ...r });
    let result: number;
    if (isXen) {
      const ctx: CallContext = { dom: this, vcpu, mem: this.mems[vcpu], decoded: r.decoded };
      try {
        result = callHandler(ctx, r.nr, r.args);
      } catch (e) {
        if (!(e instanceof GuestFault)) throw e;
        r.decoded.fault = '0x' + e.va.toString(16);
        result = E.FAULT;
      }
      if (ctx.text !== undefined) r.text = ctx.text;
    } else {
      result = smcccCall(this, vcpu, r.nr, r.args[0], r.args[1], r.args[2]);
    }
    cpu.setReg(0, result | 0);
    r.result = result | 0;
    this.onHypercall(r);
    return TrapResult.Done;
  }
}
