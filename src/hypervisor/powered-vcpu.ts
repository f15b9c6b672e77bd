// A vCPU with a power state (PSCI CPU_ON / CPU_OFF). The board runs every vCPU that is not idle; a
// powered-off vCPU must not run at all and must not stop the board from skipping ahead, so this wrapper
// reports it idle and runs nothing while it is off. Everything else goes straight to the core.
import type { CpuApi, ExceptionKind, StopReason } from '../machine/arm32/contracts';

// StopReason values (const enum; literal so this file has no runtime import).
const IDLE = 1 as StopReason, REQUESTED = 6 as StopReason;

export class PoweredVcpu implements CpuApi {
  online: boolean;
  /** Set by powerOff from inside the vCPU's own run: its stop request is not a debugger stop. */
  private offStop = false;
  /** SCHEDOP_block / SCHEDOP_poll: the vCPU sleeps until this returns true. */
  private sleep: (() => boolean) | null = null;
  private irqLevel = false;
  /** Board-time tick at which a sleeping vCPU must be looked at again (a poll timeout), or Infinity. */
  wakeAt = Infinity;

  constructor(readonly inner: CpuApi, online: boolean) {
    this.online = online;
  }

  get index() { return this.inner.index; }
  get bus() { return this.inner.bus; }
  get mem() { return this.inner.mem; }
  get cp15() { return this.inner.cp15; }
  get vfp() { return this.inner.vfp; }
  get icount() { return this.inner.icount; }
  set icount(v: number) { this.inner.icount = v; }
  get timeBase() { return this.inner.timeBase; }
  set timeBase(v: number) { this.inner.timeBase = v; }
  get idle() { return !this.online || this.inner.idle || (this.sleep !== null && !this.sleep()); }
  /** The GIC's IRQ line to this vCPU: a pending interrupt wakes a blocked vCPU as it wakes WFI. */
  get irqPending() { return this.irqLevel; }
  /** True while blocked in SCHEDOP_block / SCHEDOP_poll. */
  get blocked() { return this.sleep !== null; }
  get onHvc() { return this.inner.onHvc; }
  set onHvc(h) { this.inner.onHvc = h; }
  get onSmc() { return this.inner.onSmc; }
  set onSmc(h) { this.inner.onSmc = h; }
  get semihosting() { return this.inner.semihosting; }
  set semihosting(h) { this.inner.semihosting = h; }
  get onException() { return this.inner.onException; }
  set onException(h) { this.inner.onException = h; }
  get singleStep() { return this.inner.singleStep; }
  set singleStep(v: boolean) { this.inner.singleStep = v; }

  getReg(n: number) { return this.inner.getReg(n); }
  setReg(n: number, v: number) { this.inner.setReg(n, v); }
  getCpsr() { return this.inner.getCpsr(); }
  setCpsr(v: number) { this.inner.setCpsr(v); }
  getBanked(mode: number, n: number) { return this.inner.getBanked(mode, n); }
  setBanked(mode: number, n: number, v: number) { this.inner.setBanked(mode, n, v); }
  getSpsr(mode: number) { return this.inner.getSpsr(mode); }
  setSpsr(mode: number, v: number) { this.inner.setSpsr(mode, v); }
  setIrqLine(level: boolean) { this.irqLevel = level; this.inner.setIrqLine(level); }
  setFiqLine(level: boolean) { this.inner.setFiqLine(level); }
  signalEvent() { this.inner.signalEvent(); }
  run(budget: number): StopReason {
    if (!this.online) return IDLE;
    if (this.sleep !== null) {
      if (!this.sleep()) return IDLE;
      this.wake();
    }
    const r = this.inner.run(budget);
    if (this.offStop) {
      this.offStop = false;
      if (r === REQUESTED && !this.online) return IDLE;
    }
    if (r === REQUESTED && this.sleep !== null) return IDLE; // the block's own stop is not a debugger stop
    return r;
  }

  /**
   * SCHEDOP_block / SCHEDOP_poll, called from the hypercall: after the HVC the vCPU is idle until
   * `wake()` is true; `wakeAt` (board time) is when the board must look again even if nothing else
   * happens (a poll timeout). `wake` is called every round for every sleeping vCPU: keep it cheap.
   */
  block(wake: () => boolean, wakeAt = Infinity): void {
    this.sleep = wake;
    this.wakeAt = wakeAt;
    this.inner.requestStop();
  }

  private wake(): void { this.sleep = null; this.wakeAt = Infinity; }

  /** CPU_OFF: the vCPU stops after the current instruction and runs no more until powered on. */
  powerOff(): void {
    this.wake();
    this.online = false;
    this.offStop = true;
    this.inner.requestStop();
  }
  requestStop() { this.inner.requestStop(); }
  reset(entry: number) { this.wake(); this.inner.reset(entry); }
  takeException(kind: ExceptionKind) { this.inner.takeException(kind); }
  addBreakpoint(va: number) { this.inner.addBreakpoint(va); }
  removeBreakpoint(va: number) { this.inner.removeBreakpoint(va); }
}
