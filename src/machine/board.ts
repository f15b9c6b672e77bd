// A machine: RAM on a Bus, a GICv2, N AArch32 vCPUs with their generic timers wired to the GIC's PPIs,
// and a deterministic scheduler. This is the machine layer's public face for the hypervisor, the
// debugger and the bare-metal runner.
//
// Time: there is one global virtual time `board.time` (ticks). vCPUs run round-robin, each for the
// same number of ticks per round; a vCPU's generic-timer count is `timeBase + icount`, and at every
// round boundary each `timeBase` is set so that count == board.time on every vCPU (a retired
// instruction is one tick; an idle vCPU's clock keeps running). When every vCPU is idle (WFI/WFE),
// time jumps to the nearest timer deadline. Rounds are cut short at timer deadlines, so a timer
// interrupt reaches the GIC at the exact tick its condition becomes true. Same inputs, same result.
import { Bus } from './bus';
import type { CpuApi } from './arm32/contracts';
import { StopReason } from './arm32/contracts';
import { GicV2, PPI } from './devices/gicv2';

/** The generic timer outputs of one vCPU (implemented by the memory system's timer). */
export interface TimerOutputs {
  /** Count at which an enabled, unmasked timer next fires, or Infinity. */
  nextDeadline(): number;
  /** CNTP (non-secure physical timer) output → PPI 30. */
  physLevel(): boolean;
  /** CNTV (virtual timer) output → PPI 27. */
  virtLevel(): boolean;
  /** CNTVOFF, set by the hypervisor: the guest's CNTVCT is the count minus this (memory systems that model it). */
  cntvoff?: number;
  /** Secure physical (PPI 29) and hyp (PPI 26) timers, when the memory system provides them. */
  secPhysLevel?(): boolean;
  hypLevel?(): boolean;
}

/** What the board hands a CPU factory; `counter` and `onTimerChange` are for the memory system. */
export interface CpuFactoryArgs {
  index: number;
  bus: Bus;
  mpidr: number;
  /** The vCPU's generic-timer count (timeBase + icount of the CPU being built). */
  counter: () => number;
  /** Call when a timer register write may change a level or deadline. */
  onTimerChange: () => void;
  /** Call when the CPU executes SEV: sets the event register of every other CPU of the board. */
  onSev?: () => void;
}

export type CpuFactory = (args: CpuFactoryArgs) => { cpu: CpuApi; timer: TimerOutputs };

export interface BoardOptions {
  /** Builds one vCPU and its timer (see cpu-factory in the runner; injected so the board has no import cycle). */
  createCpu: CpuFactory;
  cpus?: number;
  ramBase?: number;
  /** RAM size in bytes. */
  ramSize: number;
  /** GIC distributor and CPU-interface bases (QEMU virt's by default; Xen's guest map uses 0x03001000/0x03002000). */
  gicDistBase?: number;
  gicCpuBase?: number;
  /** Interrupt lines of the GIC (QEMU virt: 288 = 32 private + 256 SPIs). */
  gicIrqs?: number;
  /** Instructions per vCPU per scheduling round (default 10000; smaller interleaves vCPUs more finely). */
  sliceInstructions?: number;
}

export const VIRT_GICD_BASE = 0x08000000;
export const VIRT_GICC_BASE = 0x08010000;
export const VIRT_RAM_BASE = 0x40000000;

/**
 * MPIDR for vCPU `index` as QEMU's virt builds it with a GICv2 (clusters of 8: Aff0 = index % 8,
 * Aff1 = index / 8) with bit 31 (multiprocessing extensions format) set. Checked on QEMU 7.2: vCPU 0
 * reads 0x80000000 (test/guests/probe.c).
 */
export function virtMpidr(index: number): number {
  return (0x80000000 | ((index >> 3) << 8) | (index & 7)) >>> 0;
}

export type RunOutcome =
  /** The guest ended the run (semihosting exit…): see board.exitStatus. */
  | 'halted'
  /** maxInstructions was reached. */
  | 'limit'
  /** timeoutMs of wall-clock time passed. */
  | 'timeout'
  /** Every vCPU waits for an interrupt that no timer will ever raise. */
  | 'deadlock'
  /** A vCPU stopped for the debugger (breakpoint, watchpoint, step, exception, requestStop). */
  | 'stopped';

export interface RunResult {
  outcome: RunOutcome;
  /** Instructions retired during this call, all vCPUs together. */
  instructions: number;
  /** For 'stopped': which vCPU and why. */
  cpu?: number;
  reason?: StopReason;
}

export interface RunOptions {
  /** Stop after this many instructions in total over all vCPUs in this call (default unlimited). */
  maxInstructions?: number;
  /** Stop after this much wall-clock time (checked between rounds). */
  timeoutMs?: number;
  /** Called after every round; return true to stop ('stopped'). */
  onSlice?: (board: Board) => boolean | void;
}

export class Board {
  readonly bus = new Bus();
  readonly gic: GicV2;
  readonly cpus: CpuApi[] = [];
  readonly timers: TimerOutputs[] = [];
  /** Global virtual time in ticks (= generic-timer count every vCPU sees at a round boundary). */
  time = 0;
  /** Set by halt(): the guest's exit status (semihosting SYS_EXIT), null while running. */
  exitStatus: number | null = null;
  readonly sliceInstructions: number;
  private running = -1;
  private replan = false;
  /** The round in progress (between run() calls too): its length, the vCPU running and what it used. */
  private round: { ticks: number; roundMax: number; cpu: number; used: number } | null = null;

  constructor(opts: BoardOptions) {
    const n = opts.cpus ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`a board has 1..8 vCPUs (GICv2 limit), not ${n}`);
    this.sliceInstructions = opts.sliceInstructions ?? 10000;
    this.bus.addRam(opts.ramBase ?? VIRT_RAM_BASE, opts.ramSize);
    const sinks = Array.from({ length: n }, (_, i) => ({ setIrqLine: (l: boolean) => this.cpus[i]?.setIrqLine(l), setFiqLine: (l: boolean) => this.cpus[i]?.setFiqLine(l) }));
    this.gic = new GicV2(sinks, opts.gicIrqs ?? 288);
    this.bus.addMmio(opts.gicDistBase ?? VIRT_GICD_BASE, 0x1000, 'gic-distributor', this.gic.distributor);
    this.bus.addMmio(opts.gicCpuBase ?? VIRT_GICC_BASE, 0x2000, 'gic-cpu-interface', this.gic.cpuInterface);
    for (let i = 0; i < n; i++) {
      let self: CpuApi | undefined;
      const { cpu, timer } = opts.createCpu({
        index: i, bus: this.bus, mpidr: virtMpidr(i),
        counter: () => (self ? self.timeBase + self.icount : this.time),
        onTimerChange: () => this.timerChanged(i),
        onSev: () => { for (const c of this.cpus) if (c !== self) c.signalEvent(); },
      });
      self = cpu;
      cpu.timeBase = this.time - cpu.icount;
      this.cpus.push(cpu);
      this.timers.push(timer);
    }
  }

  /** Ends the run with a guest exit status (the semihosting host calls this). */
  halt(status: number): void {
    this.exitStatus = status;
    for (const c of this.cpus) c.requestStop();
  }

  /** Propagates vCPU i's timer outputs to its PPIs. */
  private wireTimer(i: number): void {
    const t = this.timers[i];
    this.gic.setPpi(i, PPI.PHYS_TIMER, t.physLevel());
    this.gic.setPpi(i, PPI.VIRT_TIMER, t.virtLevel());
    if (t.secPhysLevel) this.gic.setPpi(i, PPI.SEC_PHYS_TIMER, t.secPhysLevel());
    if (t.hypLevel) this.gic.setPpi(i, PPI.HYP_TIMER, t.hypLevel());
  }

  private timerChanged(i: number): void {
    this.wireTimer(i);
    // A new deadline may fall inside the current round: end the round early and re-plan.
    if (i === this.running) { this.replan = true; this.cpus[i].requestStop(); }
  }

  /** Ticks from now until the earliest timer deadline (Infinity when none). */
  private untilDeadline(): number {
    // Deadlines already reached (a level still high) do not shorten rounds: the GIC already has them.
    let d = Infinity;
    for (const t of this.timers) {
      const x = t.nextDeadline();
      if (x > this.time && x < d) d = x;
    }
    return d - this.time;
  }

  run(opts: RunOptions = {}): RunResult {
    const max = opts.maxInstructions ?? Infinity;
    const deadline = opts.timeoutMs !== undefined ? Date.now() + opts.timeoutMs : Infinity;
    let done = 0;
    const result = (outcome: RunOutcome, extra: Partial<RunResult> = {}): RunResult => ({ outcome, instructions: done, ...extra });
    for (let i = 0; i < this.cpus.length; i++) this.wireTimer(i);
    if (this.exitStatus !== null) return result('halted');
    for (;;) {
      if (!this.round) {
        if (done >= max) return result('limit');
        if (Date.now() > deadline) return result('timeout');
        const toDeadline = this.untilDeadline();
        if (this.cpus.every((c) => c.idle)) {
          // Nothing can run: jump to the next timer event, or report that nothing will ever wake them.
          if (toDeadline === Infinity) return result('deadlock');
          this.advance(Math.max(1, toDeadline));
          continue;
        }
        // One round: every vCPU gets the same number of ticks, cut at the next timer deadline. The
        // round does not depend on the caller's budget: a run split into many calls (the CLI's chunks,
        // the debugger's slices and stops) executes exactly what one long call would.
        this.round = { ticks: Math.max(1, Math.min(this.sliceInstructions, toDeadline)), roundMax: 0, cpu: 0, used: 0 };
      }
      const rd = this.round;
      for (; rd.cpu < this.cpus.length; rd.cpu++, rd.used = 0) {
        const i = rd.cpu, cpu = this.cpus[i];
        while (rd.used < rd.ticks && !cpu.idle) {
          if (done >= max) return result('limit'); // the round goes on in the next call
          this.running = i;
          this.gic.currentCpu = i;
          this.replan = false;
          const before = cpu.icount;
          const reason = cpu.run(Math.min(rd.ticks - rd.used, max - done));
          this.running = -1;
          const ran = cpu.icount - before;
          rd.used += ran;
          done += ran;
          if (this.exitStatus !== null) return this.endRound(result('halted'));
          if (reason === StopReason.Budget || reason === StopReason.Idle) continue;
          if (reason === StopReason.Requested && this.replan) {
            // A timer was reprogrammed: cut the round at the new deadline and go on with it. Abandoning
            // the round instead would starve the vCPUs after this one whenever it re-arms its timer in
            // every round (a tickless kernel does), so their own timers would never be delivered. The
            // round never shrinks below what a vCPU already ran in it: no counter may go backwards.
            rd.ticks = Math.max(1, rd.roundMax, rd.used, Math.min(rd.ticks, this.untilDeadline()));
            continue;
          }
          if (reason === StopReason.Halted) return this.endRound(result('halted'));
          // A debugger stop: the round stays open and resumes with this vCPU on the next call.
          return result('stopped', { cpu: i, reason });
        }
        rd.roundMax = Math.max(rd.roundMax, rd.ticks);
      }
      this.round = null;
      this.advance(rd.ticks);
      if (opts.onSlice?.(this)) return result('stopped');
    }
  }

  /** The run is over (guest exit): time moves to the furthest point a vCPU reached in the open round. */
  private endRound(r: RunResult): RunResult {
    const rd = this.round;
    if (rd) { this.round = null; this.syncTimes(this.time + Math.max(rd.used, rd.roundMax)); }
    return r;
  }

  /** Moves global time forward by `ticks` and re-aligns every vCPU's counter to it. */
  private advance(ticks: number): void {
    this.syncTimes(this.time + ticks);
  }

  private syncTimes(t: number): void {
    this.time = t;
    for (let i = 0; i < this.cpus.length; i++) {
      const c = this.cpus[i];
      c.timeBase = t - c.icount;
      this.wireTimer(i);
    }
  }
}
