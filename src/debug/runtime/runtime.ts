// The debug runtime: runs a guest (DebugTarget) under debugger control and knows nothing of DAP
// (the session in src/debug/session translates). It runs the machine in short slices on the event
// loop so that requests are always answered, and turns vCPU stops into debugger stops: breakpoints
// with conditions, hit counts and log messages, watchpoints, stepping by line or instruction,
// hypercall and guest-fault filters.
import { EventEmitter } from 'node:events';
import { ExceptionKind, StopReason, type CpuApi } from '../../machine/arm32/contracts';
import { ElfFile } from '../../machine/elf';
import { ProgramInfo } from '../program';
import { decodeFrames, type FrameTable } from '../dwarf/frame';
import { evaluate, formatValue } from '../expr';
import type { LaunchConfig } from '../launch-config';
import type { HypercallRecord } from '../protocol';
import { AddressTraps, hitConditionPasses, type Breakpoint } from './breakpoints';
import { BreakpointTable, type DataBreakpoint } from './breakpoint-table';
import { callMatches, describeCall } from './call-filter';
import { GuestMemory } from './memory';
import { evalContext, globalsOf, type GlobalInfo } from './symbols';
import type { DebugTarget } from './target';
import { unwind, parsePrologue, type UnwoundFrame } from './unwind';
import { localsAt, type LocalInfo } from './locals';
import { armExidx, exidxFor, type ExidxEntry } from './exidx';
import type { Die } from '../dwarf/info';
import { dieRanges } from '../dwarf/lists';
import { listSections } from './locals';
import { inlinedCallsAt, visibleInlinedCalls } from './inline';

export type StopReasonName = 'entry' | 'breakpoint' | 'function breakpoint' | 'instruction breakpoint' | 'data breakpoint' | 'step' | 'pause' | 'exception';

export interface ExceptionDetails {
  id: string;
  description: string;
  /** Decoded fields shown by exceptionInfo. */
  details: Record<string, string>;
}

export interface StopInfo {
  reason: StopReasonName;
  cpu: number;
  description?: string;
  text?: string;
  hitBreakpointIds?: number[];
  exception?: ExceptionDetails;
  call?: HypercallRecord;
}


/** What a run is trying to do; decides whether a vCPU stop is reported. */
type Goal =
  | { kind: 'continue' }
  | { kind: 'instruction'; cpu: number }
  | { kind: 'line'; cpu: number; over: boolean; path: string; line: number; fnLow: number; prevPc: number; prevLr: number;
      prevMode: number; prevSp: number;
      finish?: { address: number; sp: number; thenStop: boolean };
      /** Stepping over an exception handler (next): done when back in this mode with this sp or above. */
      handler?: { mode: number; sp: number };
      /** Step out of an inlined call: done when pc leaves these ranges (in this function or its callers). */
      leave?: [number, number][] }
  | { kind: 'out'; cpu: number; address: number; sp: number };

/** Instructions per machine run call, and wall-clock length of one slice of the event loop. */
const CHUNK = 20000;
const SLICE_MS = 4;

export class DebugRuntime extends EventEmitter {
  target!: DebugTarget;
  program?: ProgramInfo;
  memory!: GuestMemory;
  globals: GlobalInfo[] = [];
  readonly frameTables: FrameTable[] = [];
  /** ARM EHABI unwind entries of the program, by function start. */
  exidx: ExidxEntry[] = [];
  table!: BreakpointTable;
  private get traps(): AddressTraps { return this.table.traps; }
  get breakpoints(): Map<number, Breakpoint> { return this.table.breakpoints; }
  get dataBreakpoints(): Map<number, DataBreakpoint> { return this.table.dataBreakpoints; }
  /** Exception filters: id → condition ('' = any). */
  readonly filters = new Map<string, string>();
  running = false;
  exited = false;
  lastStop: StopInfo | undefined;
  /** vCPU the user last looked at (for memory translation). */
  focusCpu = 0;
  private goal: Goal = { kind: 'continue' };
  private pauseRequested = false;
  private instructions = 0;
  private lastWatch: { cpu: number; va: number; size: number; write: boolean; id: number; pc: number; old?: Uint8Array } | undefined;
  private pendingCall: HypercallRecord | undefined;
  private tempTraps: number[] = [];
  private callsSent = 0;

  constructor(readonly config: LaunchConfig, private readonly makeTarget: (cfg: LaunchConfig) => DebugTarget) {
    super();
  }

  /** Builds the machine and reads the program's debug information; throws on bad input. */
  load(): void {
    if (this.config.symbolsBytes && !this.program) {
      const elf = new ElfFile(this.config.symbolsBytes, this.config.symbols);
      this.program = new ProgramInfo(elf);
      this.globals = globalsOf(this.program);
      if (this.program.frames) this.frameTables.push(this.program.frames);
      this.exidx = armExidx(elf, this.program.warnings);
      const eh = elf.section('.eh_frame');
      if (eh) {
        try {
          this.frameTables.push(decodeFrames(elf.sectionBytes(eh), { eh: true, sectionAddress: eh.addr }));
        } catch (e) {
          this.program.warnings.push(`.eh_frame: ${(e as Error).message}`);
        }
      }
    }
    this.target = this.makeTarget(this.config);
    this.memory = new GuestMemory(this.target.bus, () => this.cpu(this.focusCpu));
    if (!this.table) this.table = new BreakpointTable(new AddressTraps(() => this.target.cpus), () => this.program, () => this.config.symbols, () => this.target.cpus);
    else this.table.rearm();
    this.installHooks();
    this.online = [];
    this.noticeVcpus();
    this.instructions = 0;
    this.exited = false;
    this.callsSent = 0;
  }

  cpu(i: number): CpuApi {
    return this.target.cpus[Math.max(0, Math.min(i, this.target.cpus.length - 1))];
  }

  private installHooks(): void {
    const t = this.target;
    t.onConsole = (text, stream) => this.emit('console', text, stream);
    t.onCall = (rec) => this.onCall(rec);
    t.cpus.forEach((cpu, i) => {
      const prevWatch = cpu.mem.onWatch;
      cpu.mem.onWatch = (va, size, write, id) => {
        // Called before the access: remember the old bytes for the stop description.
        this.lastWatch = { cpu: i, va, size, write, id, pc: cpu.getReg(15), old: write ? this.memory.readExact(va, size) : undefined };
        prevWatch?.(va, size, write, id);
      };
      const prevExc = cpu.onException;
      cpu.onException = (c, kind) => this.onException(i, c, kind) || (prevExc?.(c, kind) ?? false);
    });
  }

  // ---- hooks from the machine --------------------------------------------------------------------

  private onCall(rec: HypercallRecord): boolean {
    const filter = this.filters.get(rec.kind === 'hypercall' ? 'hypercall' : 'smccc');
    let stop = false;
    try {
      if (filter !== undefined && callMatches(rec, filter)) stop = true;
      for (const bp of this.breakpoints.values()) {
        if (bp.callName && (bp.callName === rec.name || bp.callName === String(rec.nr)) && callMatches(rec, bp.condition)) {
          bp.hits++;
          if (hitConditionPasses(bp.hitCondition, bp.hits)) stop = true;
        }
      }
    } catch (e) {
      this.emit('output', `xenarm: ${(e as Error).message}\n`, 'stderr');
      stop = true;
    }
    if (stop) this.pendingCall = rec;
    return stop;
  }

  /** Stops before every fault while the guest-fault filter is on; its condition is checked at the stop (pc is exact there). */
  private onException(_i: number, _cpu: CpuApi, kind: ExceptionKind): boolean {
    if (!this.filters.has('guest-fault')) return false;
    if (kind !== ExceptionKind.Undefined && kind !== ExceptionKind.PrefetchAbort && kind !== ExceptionKind.DataAbort) return false;
    this.pendingFaultKind = kind;
    return true;
  }

  private pendingFaultKind: ExceptionKind | undefined;

  /** The guest-fault stop's details, or undefined when its condition says to go on. */
  private faultDetails(i: number, kind: ExceptionKind): ExceptionDetails | undefined {
    const cpu = this.target.cpus[i];
    const cond = this.filters.get('guest-fault') ?? '';
    const name = kind === ExceptionKind.Undefined ? 'undefined_instruction' : kind === ExceptionKind.PrefetchAbort ? 'prefetch_abort' : 'data_abort';
    const pc = cpu.getReg(15) >>> 0;
    const data = kind === ExceptionKind.DataAbort;
    const fsr = (data ? cpu.cp15.dfsr : cpu.cp15.ifsr) >>> 0, far = (data ? cpu.cp15.dfar : cpu.cp15.ifar) >>> 0;
    const hex = (n: number) => '0x' + (n >>> 0).toString(16);
    const details: Record<string, string> = { kind: name, pc: hex(pc), vcpu: String(i) };
    let description = `undefined instruction at ${hex(pc)}`;
    if (data) { details.DFSR = hex(fsr); details.DFAR = hex(far); description = `data abort at ${hex(pc)} accessing ${hex(far)} (DFSR ${hex(fsr)})`; }
    if (kind === ExceptionKind.PrefetchAbort) { details.IFSR = hex(fsr); details.IFAR = hex(far); description = `prefetch abort at ${hex(far)} (IFSR ${hex(fsr)})`; }
    if (cond.trim()) {
      const u32 = (v: number) => ({ type: { kind: 'int' as const, bits: 32 as const, signed: false, name: 'u32' }, v: BigInt(v >>> 0) });
      const src = cond.replace(/\bkind\s*(==|!=)\s*"?(\w+)"?/g, (_m, op: string, s: string) => ((s === name) === (op === '==') ? '1' : '0'));
      try {
        if (evaluate(src, { symbol: (n) => (n === 'pc' ? u32(pc) : n === 'fsr' ? u32(fsr) : n === 'far' ? u32(far) : undefined) }).v === 0n) return undefined;
      } catch (e) {
        this.emit('output', `xenarm: guest-fault condition "${cond}": ${(e as Error).message}\n`, 'stderr');
      }
    }
    return { id: name, description, details };
  }

  // ---- execution control ---------------------------------------------------------------------------

  /** Starts the guest after configuration: stops at entry or runs. */
  begin(): void {
    // Once per boot: a second configurationDone (or launch) must not start the guest twice.
    if (this.begun) return;
    this.begun = true;
    if (this.config.stopOnEntry) this.reportStop({ reason: 'entry', cpu: 0, description: 'Paused on entry' });
    else this.resume({ kind: 'continue' });
  }

  continue(): void { this.resume({ kind: 'continue' }); }

  pause(): void {
    if (!this.running) return;
    this.pauseRequested = true;
    if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = undefined; this.slice(); }
  }

  private idleTimer: NodeJS.Timeout | undefined;
  private begun = false;

  stepInstruction(cpu: number): void { this.resume({ kind: 'instruction', cpu }); }

  /** Step by source line: over calls (next) or into them (stepIn). Without line information, one instruction. */
  stepLine(cpu: number, over: boolean): void {
    const c = this.cpu(cpu);
    const pc = c.getReg(15) >>> 0;
    // Stopped where inlined code is entered (shown as the call): stepIn enters the inlined call
    // without running, as gdb's step does (step_into_inline_frame).
    if (!over && this.revealedInline !== pc && this.enteredInlineCall(pc)) {
      this.revealedInline = pc;
      this.lastStop = undefined;
      this.emit('continued');
      setImmediate(() => this.reportStop({ reason: 'step', cpu }));
      return;
    }
    const loc = (this.revealedInline === pc ? undefined : this.enteredInlineCall(pc)) ?? this.program?.frameLocation(pc);
    const fn = this.program?.functionAt(pc);
    if (!loc) { this.resume({ kind: 'instruction', cpu }); return; }
    this.resume({ kind: 'line', cpu, over, path: loc.path, line: loc.line, fnLow: fn?.low ?? -1, prevPc: pc, prevLr: c.getReg(14) >>> 0, prevMode: c.getCpsr() & 0x1f, prevSp: c.getReg(13) >>> 0 });
  }

  /**
   * Runs until the current function returns to its caller; in an inlined call (the innermost frame
   * shown), until the code leaves that call's ranges, as gdb's finish does.
   */
  stepOut(cpu: number): void {
    const p = this.program;
    if (p) {
      const c = this.cpu(cpu);
      const pc = c.getReg(15) >>> 0;
      const atBreakpoint = !!this.lastStop && this.lastStop.cpu === cpu && /breakpoint/.test(this.lastStop.reason);
      const calls = visibleInlinedCalls(p, inlinedCallsAt(p, pc), pc, atBreakpoint);
      const inner = calls[calls.length - 1];
      if (inner) {
        const leave = dieRanges(inner.die, listSections(p));
        const loc = p.locate(pc);
        this.resume({ kind: 'line', cpu, over: true, path: loc?.path ?? '', line: loc?.line ?? 0, fnLow: p.functionAt(pc)?.low ?? -1, prevPc: pc, prevLr: c.getReg(14) >>> 0, prevMode: c.getCpsr() & 0x1f, prevSp: c.getReg(13) >>> 0, leave });
        return;
      }
    }
    const frames = this.stack(cpu, 2);
    const caller = frames[1];
    if (!caller || caller.regs[13] === undefined) { this.resume({ kind: 'instruction', cpu }); return; }
    this.resume({ kind: 'out', cpu, address: caller.pc, sp: caller.regs[13]! });
  }

  /** The pc at which stepIn made an entered inlined call visible (until the guest runs again). */
  revealedInline: number | undefined;

  private resume(goal: Goal): void {
    if (this.exited || this.running) return;
    this.revealedInline = undefined;
    this.goal = goal;
    this.lastStop = undefined;
    // The target runs a call it stopped before without asking again (the hypervisor's contract).
    this.pendingCall = undefined;
    if (goal.kind === 'out') this.addTemp(goal.address);
    this.running = true;
    this.pauseRequested = false;
    this.emit('continued');
    // A breakpoint at the pc we are stopped on would trap at once: step off it first.
    try {
      for (let i = 0; i < this.target.cpus.length; i++) {
        if (this.traps.has(this.target.cpus[i].getReg(15) >>> 0) && this.stepOffTrap(i)) return;
      }
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.emit('output', `xenarm: internal error while running the guest (please report it): ${e instanceof Error ? e.stack : msg}\n`, 'stderr');
      this.reportStop({ reason: 'exception', cpu: this.goalCpu(), description: `xenarm internal error: ${msg}`, text: msg, exception: { id: 'xenarm-internal-error', description: msg, details: { error: msg } } });
      return;
    }
    setImmediate(() => this.slice());
  }

  /**
   * Executes one instruction on vCPU i with its trap at pc lifted (so resuming from any stop on a
   * breakpoint address moves on); for the stepping vCPU that instruction is the first step.
   * True when that alone ended the run.
   */
  private stepOffTrap(i: number): boolean {
    const c = this.target.cpus[i];
    const pc = c.getReg(15) >>> 0;
    c.removeBreakpoint(pc);
    c.singleStep = true;
    let reason: StopReason;
    try { reason = c.run(1); } finally { c.singleStep = false; c.addBreakpoint(pc); }
    this.instructions++;
    this.flushCalls();
    this.noticeVcpus();
    if (reason === StopReason.Halted || this.target.exitStatus !== null) { this.finishExit(); return true; }
    if (reason === StopReason.Step || reason === StopReason.Budget) {
      const g = this.goal;
      if ((g.kind === 'instruction' || g.kind === 'line') && g.cpu === i) return this.goalStepped(i);
      return false;
    }
    if (reason === StopReason.Idle) return false;
    return this.handleCpuStop(i, reason);
  }

  /**
   * One slice of guest execution. An internal error of the machine or the hypervisor (a bug in
   * xenarm, not the guest) stops the session where it happened, with the error in the debug console,
   * so the user can still inspect the guest instead of facing a session that never stops.
   */
  private slice(): void {
    try {
      this.sliceInner();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.emit('output', `xenarm: internal error while running the guest (please report it): ${e instanceof Error ? e.stack : msg}\n`, 'stderr');
      if (this.running) this.reportStop({ reason: 'exception', cpu: this.goalCpu(), description: `xenarm internal error: ${msg}`, text: msg, exception: { id: 'xenarm-internal-error', description: msg, details: { error: msg } } });
    }
  }

  private sliceInner(): void {
    if (!this.running) return;
    if (this.pauseRequested) { this.pauseRequested = false; this.reportStop({ reason: 'pause', cpu: this.goalCpu(), description: 'Paused' }); return; }
    const end = performance.now() + SLICE_MS;
    const limit = this.config.maxInstructions;
    do {
      const g = this.goal;
      const stepping = g.kind === 'instruction' || (g.kind === 'line' && !g.finish);
      const stepCpu = stepping ? this.cpu(g.cpu) : undefined;
      if (stepCpu) stepCpu.singleStep = true;
      let budget = CHUNK;
      if (limit) budget = Math.min(budget, limit - this.instructions);
      const r = this.target.run(Math.max(1, budget));
      if (stepCpu) stepCpu.singleStep = false;
      this.instructions += r.instructions;
      this.flushCalls();
      this.noticeVcpus();
      if (r.outcome === 'halted') { this.finishExit(); return; }
      if (limit && this.instructions >= limit) {
        // As `xenarm run --max-instructions`: the run ends with status 124.
        this.emit('output', `xenarm: the guest ran ${limit} instructions (maxInstructions): ending the session\n`, 'console');
        this.finishExit(124);
        return;
      }
      if (r.outcome === 'deadlock') {
        // Every vCPU waits for an interrupt no timer will raise: only console input (or a pause) can
        // change that. Poll gently instead of spinning.
        this.idleTimer = setTimeout(() => { this.idleTimer = undefined; this.slice(); }, 10);
        return;
      }
      if (r.outcome === 'stopped' && r.cpu !== undefined && r.reason !== undefined) {
        if (this.handleCpuStop(r.cpu, r.reason)) return;
      }
    } while (performance.now() < end && this.running && !this.pauseRequested);
    setImmediate(() => this.slice());
  }

  private goalCpu(): number {
    return this.goal.kind === 'continue' ? this.focusCpu : this.goal.cpu;
  }

  /** Decides what a vCPU stop means; true when the run is over (a stop was reported). */
  private handleCpuStop(i: number, reason: StopReason): boolean {
    const cpu = this.target.cpus[i];
    const pc = cpu.getReg(15) >>> 0;
    switch (reason) {
      case StopReason.Halted:
        this.finishExit();
        return true;
      case StopReason.Breakpoint: {
        const hits = this.userHits(i, pc);
        if (hits.length) {
          const kind = this.breakpoints.get(hits[0])!.kind;
          this.reportStop({ reason: kind === 'line' ? 'breakpoint' : kind === 'function' ? 'function breakpoint' : 'instruction breakpoint', cpu: i, hitBreakpointIds: hits });
          return true;
        }
        return this.goalAtTrap(i, pc);
      }
      case StopReason.Step:
        return this.goalStepped(i);
      case StopReason.Watchpoint:
        return this.watchHit(i);
      case StopReason.Exception: {
        const kind = this.pendingFaultKind;
        this.pendingFaultKind = undefined;
        if (kind === undefined) return false;
        const f = this.faultDetails(i, kind);
        if (!f) return false;
        this.reportStop({ reason: 'exception', cpu: i, description: `Paused on ${f.description}`, text: f.description, exception: f });
        return true;
      }
      case StopReason.Requested: {
        const call = this.pendingCall;
        if (!call) return false;
        const desc = describeCall(call);
        const details: Record<string, string> = { name: call.name, nr: String(call.nr), pc: '0x' + call.pc.toString(16) };
        call.args.forEach((a, k) => { details[`a${k}`] = '0x' + (a >>> 0).toString(16); });
        for (const [k, v] of Object.entries(call.decoded)) if (k !== 'signature' && k !== 'argc') details[k] = String(v);
        if (call.text !== undefined) details.text = call.text;
        this.reportStop({
          reason: 'exception', cpu: i, description: `Paused on ${call.kind === 'hypercall' ? 'hypercall' : 'SMCCC call'} ${desc}`, text: desc, call,
          exception: { id: call.kind, description: `${call.kind} ${desc}`, details },
        });
        return true;
      }
      default:
        return false;
    }
  }

  /** User breakpoints at pc that count as hit (conditions and hit counts pass); logpoints print. */
  private userHits(i: number, pc: number): number[] {
    const hits: number[] = [];
    for (const bp of this.breakpoints.values()) {
      if (!bp.verified || !bp.addresses.some((a) => (a & ~1) >>> 0 === pc)) continue;
      try {
        if (bp.condition?.trim()) {
          const v = evaluate(bp.condition, this.evalContext(i));
          if (v.v === 0n) continue;
        }
        bp.hits++;
        if (!hitConditionPasses(bp.hitCondition, bp.hits)) continue;
      } catch (e) {
        this.emit('output', `xenarm: breakpoint ${bp.id} condition: ${(e as Error).message}\n`, 'stderr');
        hits.push(bp.id); // a broken condition stops, as gdb does, so the user sees it
        continue;
      }
      if (bp.logMessage !== undefined) { this.emit('output', this.interpolate(bp.logMessage, i) + '\n', 'console'); continue; }
      hits.push(bp.id);
    }
    return hits;
  }

  /** "{expr}" parts of a log message replaced by their values. */
  interpolate(msg: string, i: number): string {
    return msg.replace(/\{([^}]+)\}/g, (_m, e: string) => {
      try { return formatValue(evaluate(e, this.evalContext(i))); } catch (err) { return `<${(err as Error).message}>`; }
    });
  }

  private goalAtTrap(i: number, pc: number): boolean {
    const g = this.goal;
    const cpu = this.target.cpus[i];
    const sp = cpu.getReg(13) >>> 0;
    if (g.kind === 'out' && g.cpu === i && pc === (g.address & ~1) >>> 0 && sp >= g.sp) {
      this.reportStop({ reason: 'step', cpu: i });
      return true;
    }
    if (g.kind === 'line' && g.finish && g.cpu === i && pc === (g.finish.address & ~1) >>> 0 && sp >= g.finish.sp) {
      this.removeTemps();
      if (g.finish.thenStop) { this.reportStop({ reason: 'step', cpu: i }); return true; }
      g.finish = undefined;
      // Back in the stepping frame mid-line: continue stepping to the next line.
      return this.lineArrived(i, g, pc);
    }
    return false;
  }

  private goalStepped(i: number): boolean {
    const g = this.goal;
    if (g.kind === 'instruction' && g.cpu === i) { this.reportStop({ reason: 'step', cpu: i }); return true; }
    if (g.kind !== 'line' || g.cpu !== i) return false;
    const cpu = this.target.cpus[i];
    const pc = cpu.getReg(15) >>> 0, lr = cpu.getReg(14) >>> 0, mode = cpu.getCpsr() & 0x1f, sp = cpu.getReg(13) >>> 0;
    if (g.handler) {
      // Stepping over an exception handler: wait until it returns to the interrupted mode and frame.
      if (mode !== g.handler.mode || sp < g.handler.sp) return false;
      g.handler = undefined;
      return this.lineArrived(i, g, pc);
    }
    if (mode !== g.prevMode) {
      // An exception was taken (or the code changed mode). `next` steps over the handler as gdb does;
      // stepIn stops in it where it has line information.
      if (g.over) { g.handler = { mode: g.prevMode, sp: g.prevSp }; return false; }
      return this.lineArrived(i, g, pc);
    }
    const size = ((lr & ~1) - g.prevPc) >>> 0;
    const called = lr !== g.prevLr && (size === 2 || size === 4) && pc !== (g.prevPc + size) >>> 0;
    if (called) {
      const fn = this.program?.functionAt(pc);
      const hasLines = this.program?.locate(pc) !== undefined;
      if (!g.over && hasLines) {
        // Into a function with line information: stop after its prologue (gdb's rule), or at once
        // in assembly code that has no DWARF function.
        const target = fn ? this.program!.skipPrologue(fn.low) : pc;
        if (pc === target) { this.reportStop({ reason: 'step', cpu: i }); return true; }
        g.finish = { address: target, sp: 0, thenStop: true };
        this.addTemp(target);
        return false;
      }
      // Step over the call: run to the return address in this frame.
      g.finish = { address: lr & ~1, sp: cpu.getReg(13) >>> 0, thenStop: false };
      this.addTemp(lr & ~1);
      return false;
    }
    return this.lineArrived(i, g, pc);
  }

  private lineArrived(i: number, g: Extract<Goal, { kind: 'line' }>, pc: number): boolean {
    const cpu = this.target.cpus[i];
    g.prevPc = pc;
    g.prevLr = cpu.getReg(14) >>> 0;
    g.prevMode = cpu.getCpsr() & 0x1f;
    g.prevSp = cpu.getReg(13) >>> 0;
    const p = this.program!;
    if (g.leave) {
      if (g.leave.some(([lo, hi]) => pc >= lo && pc < hi)) return false;
      this.reportStop({ reason: 'step', cpu: i });
      return true;
    }
    // Entering inlined code shows the caller at the call (see inline.ts): for gdb a new line there.
    const entered = this.enteredInlineCall(pc);
    const loc = entered ?? p.frameLocation(pc);
    if (!loc) { this.reportStop({ reason: 'step', cpu: i }); return true; }
    const fnLow = p.functionAt(pc)?.low ?? -1;
    const atStatement = entered !== undefined || this.isStatementStart(pc);
    if (fnLow !== g.fnLow) {
      // Returned (or jumped) into another function, in the middle of a statement: gdb finishes that
      // statement when it can tell the frames apart (CFI), and stops at once coming back from
      // assembly code without a DWARF function.
      const fromAssembly = g.fnLow === -1;
      g.fnLow = fnLow;
      if (!atStatement) {
        if (fromAssembly) { this.reportStop({ reason: 'step', cpu: i }); return true; }
        g.line = loc.line; g.path = loc.path;
        return false;
      }
    }
    if (atStatement && (loc.line !== g.line || loc.path !== g.path)) { this.reportStop({ reason: 'step', cpu: i }); return true; }
    return false;
  }

  /** Where the innermost frame shows itself when pc enters an inlined call: the call's position. */
  private enteredInlineCall(pc: number): { path: string; line: number } | undefined {
    const p = this.program;
    if (!p) return undefined;
    const all = inlinedCallsAt(p, pc);
    if (all.length === 0) return undefined;
    const shown = visibleInlinedCalls(p, all, pc, false);
    const hidden = all[shown.length];
    return hidden?.callPath && hidden.callLine ? { path: hidden.callPath, line: hidden.callLine } : undefined;
  }

  private statementStarts: Set<number> | undefined;

  /**
   * Is pc where a source line starts, as gdb's line table has it? gdb does not record a row whose line
   * repeats the previous one once that line has had a non-zero discriminator (dwarf_record_line_p),
   * so jumping to such a row (a loop condition) lands in the middle of the line and stepping goes on.
   */
  private isStatementStart(pc: number): boolean {
    if (!this.statementStarts) {
      const starts = new Set<number>();
      let lastLine = -1, lastPath = '', nonZero = false;
      for (const r of this.program!.lineRows()) {
        if (r.end) { lastLine = -1; lastPath = ''; nonZero = false; continue; }
        if (r.line !== lastLine) nonZero = r.discriminator !== 0;
        else nonZero ||= r.discriminator !== 0;
        const recorded = r.path !== lastPath || r.line !== lastLine || !nonZero;
        if (recorded && r.isStmt) starts.add(r.address);
        lastLine = r.line; lastPath = r.path;
      }
      this.statementStarts = starts;
    }
    return this.statementStarts.has(pc);
  }

  private watchHit(i: number): boolean {
    const w = this.lastWatch;
    if (!w) return false;
    const bp = [...this.dataBreakpoints.values()].find((d) => d.watchIds.includes(w.id));
    if (!bp) return false;
    try {
      if (bp.condition?.trim() && evaluate(bp.condition, this.evalContext(i)).v === 0n) return false;
      bp.hits++;
      if (!hitConditionPasses(bp.hitCondition, bp.hits)) return false;
    } catch (e) {
      this.emit('output', `xenarm: data breakpoint condition: ${(e as Error).message}\n`, 'stderr');
    }
    const hex = (n: number) => '0x' + (n >>> 0).toString(16);
    const now = this.memory.readExact(w.va, w.size);
    const val = (b?: Uint8Array) => (b ? hex(b.reduceRight((acc, x) => acc * 256 + x, 0)) : '?');
    const insn = this.writerAddress(i, w.pc);
    const what = w.write ? `written ${val(w.old)} -> ${val(now)}` : `read (${val(now)})`;
    this.reportStop({
      reason: 'data breakpoint', cpu: i, hitBreakpointIds: [bp.id],
      description: `Data breakpoint: ${bp.label} ${what} by the instruction at ${hex(insn)}`,
      text: `${w.size} bytes at ${hex(w.va)} ${w.write ? 'written' : 'read'} by ${hex(insn)}`,
    });
    return true;
  }

  /** The address of the instruction that made an access, given the pc after it. */
  private writerAddress(i: number, next: number): number {
    const cpu = this.target.cpus[i];
    if (!(cpu.getCpsr() & 0x20)) return (next - 4) >>> 0;
    const h = this.memory.readExact(next - 4, 2);
    return h && ((h[0] | (h[1] << 8)) >>> 11) >= 0x1d ? (next - 4) >>> 0 : (next - 2) >>> 0;
  }

  private addTemp(address: number): void {
    this.traps.add(address);
    this.tempTraps.push(address);
  }

  private removeTemps(): void {
    for (const a of this.tempTraps) this.traps.remove(a);
    this.tempTraps = [];
  }

  private reportStop(info: StopInfo): void {
    this.running = false;
    this.removeTemps();
    this.goal = { kind: 'continue' };
    this.lastStop = info;
    this.focusCpu = info.cpu;
    this.flushCalls();
    this.emit('stopped', info);
  }

  private finishExit(status = this.target.exitStatus ?? 0): void {
    this.running = false;
    this.exited = true;
    this.removeTemps();
    this.flushCalls();
    this.emit('exited', status);
  }

  /** Power state of each vCPU as last reported (PSCI CPU_ON / CPU_OFF turn threads on and off). */
  private online: boolean[] = [];

  /** Emits 'thread' (vCPU index, 'started' | 'exited') for each vCPU whose power state changed. */
  private noticeVcpus(): void {
    const t = this.target;
    if (!t.vcpuOnline || t.cpus.length < 2) return;
    for (let i = 0; i < t.cpus.length; i++) {
      const on = t.vcpuOnline(i);
      if (on !== this.online[i]) {
        const before = this.online[i];
        this.online[i] = on;
        if (before !== undefined) this.emit('thread', i, on ? 'started' : 'exited');
      }
    }
  }

  private flushCalls(): void {
    const calls = this.target.calls;
    if (calls.length > this.callsSent) {
      this.emit('calls', calls.slice(this.callsSent));
      this.callsSent = calls.length;
    }
  }

  // ---- breakpoints --------------------------------------------------------------------------------

  setLineBreakpoints(path: string, bps: Parameters<BreakpointTable['setLineBreakpoints']>[1]) { return this.table.setLineBreakpoints(path, bps); }
  setFunctionBreakpoints(bps: Parameters<BreakpointTable['setFunctionBreakpoints']>[0]) { return this.table.setFunctionBreakpoints(bps); }
  setInstructionBreakpoints(bps: Parameters<BreakpointTable['setInstructionBreakpoints']>[0]) { return this.table.setInstructionBreakpoints(bps); }
  setDataBreakpoints(bps: Parameters<BreakpointTable['setDataBreakpoints']>[0]) { return this.table.setDataBreakpoints(bps); }

  /** Resolves an expression (or a global) to a watchable range: "0x40001000:4:counter". */
  dataIdFor(expression: string, cpu: number, frameIndex = 0): { dataId: string; description: string } | { error: string } {
    try {
      const v = evaluate(expression, this.evalContext(cpu, undefined, frameIndex));
      if (v.address === undefined) return { error: `${expression} is not an lvalue in memory` };
      const size = v.type.kind === 'pointer' ? 4 : v.type.bits / 8;
      return { dataId: `0x${v.address.toString(16)}:${size}:${expression}`, description: `${expression} (${size} bytes at 0x${v.address.toString(16)})` };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  setExceptionFilters(filters: { filterId: string; condition?: string }[]): void {
    this.filters.clear();
    for (const f of filters) this.filters.set(f.filterId, f.condition ?? '');
  }

  // ---- state ------------------------------------------------------------------------------------

  /** Expression context of a frame: its registers (unwound for outer frames), locals, globals, memory. */
  evalContext(cpu: number, frameRegs?: (number | undefined)[], frameIndex = 0, scope?: Die) {
    const locals = this.localsOf(cpu, frameIndex, scope).filter((l) => !l.unavailable);
    return evalContext({ cpu: this.cpu(cpu), frameRegs, locals, program: this.program, globals: this.globals, read: (a, n) => this.memory.readExact(a, n) });
  }

  /** Parameters and locals of frame `frameIndex` of a vCPU (DWARF; empty without debug information). */
  localsOf(cpu: number, frameIndex: number, scope?: Die): LocalInfo[] {
    if (!this.program) return [];
    const frames = this.stack(cpu, frameIndex + 2);
    const f = frames[frameIndex];
    if (!f) return [];
    // A frame's CFA is found while unwinding it, so it is recorded on its caller's entry; outer
    // frames are looked up at the call (pc - 1), as gdb does.
    const caller = frames[frameIndex + 1];
    return localsAt(this.program, {
      pc: frameIndex === 0 ? f.pc : f.pc - 1, regs: f.regs, cfa: caller?.cfa,
      caller: caller && { pc: caller.pc, regs: caller.regs, cfa: frames[frameIndex + 2]?.cfa },
    }, (a, n) => this.memory.readExact(a, n), scope);
  }

  stack(cpu: number, max = 64): UnwoundFrame[] {
    const c = this.cpu(cpu);
    const regs = Array.from({ length: 16 }, (_, n) => c.getReg(n) >>> 0);
    return unwind(regs, {
      tables: this.frameTables,
      readU32: (a) => this.memory.readU32(a),
      functionStart: (a) => this.program?.functionAt(a)?.low ?? (this.program?.symbolAt(a)?.type === 2 ? (this.program.symbolAt(a)!.value & ~1) >>> 0 : undefined),
      exidx: this.exidx.length ? (a) => exidxFor(this.exidx, a) : undefined,
      prologue: (a) => {
        const p = this.program;
        if (!p || p.isThumb(a)) return undefined;
        return parsePrologue(p.disassembleAt(a, false)?.text, p.disassembleAt(a + 4, false)?.text, a);
      },
      isCode: (a) => {
        const p = this.program;
        if (p) return !!(p.functionAt(a) || p.symbolAt(a)?.type === 2 || p.locate(a));
        // Without symbols: any mapped RAM address.
        return this.memory.readExact(a, 2) !== undefined && a !== 0;
      },
    }, max);
  }

  consoleInput(text: string): void {
    this.target.consoleInput(text);
    if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = undefined; setImmediate(() => this.slice()); }
  }

  /** Rebuilds the machine from the same files and starts again (breakpoints kept). */
  restart(): void {
    if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = undefined; }
    this.running = false;
    this.removeTemps();
    this.pendingCall = undefined;
    this.pendingFaultKind = undefined;
    this.load();
    this.begun = false;
    this.begin();
  }

  terminate(): void {
    if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = undefined; }
    this.running = false;
    this.exited = true;
  }
}
