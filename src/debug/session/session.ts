// The DAP side of the debugger: a thin DebugSession that validates the launch configuration,
// translates requests into calls on the DebugRuntime and its events into DAP events. Everything it
// cannot do is answered with a clear error; nothing here stops the adapter process.
import {
  DebugSession, InitializedEvent, TerminatedEvent, ExitedEvent, StoppedEvent, ContinuedEvent, OutputEvent, Event,
  Thread, StackFrame, Scope, Source, Handles, InvalidatedEvent, ThreadEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { existsSync } from 'node:fs';
import { parseLaunchConfig } from '../launch-config';
import { DebugRuntime, type StopInfo } from '../runtime/runtime';
import { createTarget } from '../runtime/targets';
import { inlinedCallsAt, visibleInlinedCalls } from '../runtime/inline';
import type { UnwoundFrame } from '../runtime/unwind';
import type { Die } from '../dwarf/info';
import { coreRegisters, bankedRegisters, cp15Registers, vfpRegisters, CORE_NAMES } from '../runtime/registers';
import { parseMemoryReference, memoryReference } from '../runtime/memory';
import { disassemble } from '../runtime/disassembly';
import { evaluate, formatValue, ExprError } from '../expr';
import { Events, Requests, ExceptionFilters, type HypercallRecord, type DeviceTreeResponse } from '../protocol';
import { type Container, registerVariable, globalVariable, localVariable, recordVariables, bootVariables, callVariables } from './variables';

/** A stack frame as the client sees it: an unwound frame, or an inlined call inside one (scope). */
interface FrameRef { cpu: number; index: number; regs: (number | undefined)[]; scope?: Die }

export class XenarmDebugSession extends DebugSession {
  private runtime: DebugRuntime | undefined;
  private readonly vars = new Handles<Container>();
  private readonly frames = new Handles<FrameRef>();
  private configured = false;
  private launched = false;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsDataBreakpoints: true,
      supportsInstructionBreakpoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsDisassembleRequest: true,
      supportsSteppingGranularity: true,
      supportsExceptionInfoRequest: true,
      supportsExceptionFilterOptions: true,
      supportsDataBreakpointBytes: true,
      supportsValueFormattingOptions: false,
      exceptionBreakpointFilters: [
        { filter: ExceptionFilters.hypercall, label: 'Hypercalls', description: 'Stop before the hypervisor handles a Xen hypercall (HVC #0xEA1)', default: false, supportsCondition: true, conditionDescription: 'console_io, 18, or an expression over name, nr, a0–a4, cmd: a0 == CONSOLEIO_write' },
        { filter: ExceptionFilters.smccc, label: 'SMCCC / PSCI calls', description: 'Stop before an SMCCC call (PSCI…) is handled', default: false, supportsCondition: true, conditionDescription: 'PSCI_CPU_ON, or an expression over nr (function ID) and a0–a4' },
        { filter: ExceptionFilters.guestFault, label: 'Guest faults', description: 'Stop before the guest takes an undefined-instruction, prefetch-abort or data-abort exception', default: false, supportsCondition: true, conditionDescription: 'kind == data_abort, far >= 0xc0000000, pc == 0x…' },
      ],
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): void {
    if (this.launched) {
      this.sendErrorResponse(response, { id: 1004, format: 'xenarm: this session has already launched a guest (use restart)', showUser: true });
      return;
    }
    try {
      const cfg = parseLaunchConfig(args as Record<string, unknown>);
      const rt = new DebugRuntime(cfg, createTarget);
      rt.load();
      this.attachRuntime(rt);
      this.runtime = rt;
    } catch (e) {
      this.sendErrorResponse(response, { id: 1001, format: `xenarm: ${(e as Error).message.replace(/[{}]/g, '')}`, showUser: true });
      return;
    }
    const rt = this.runtime!;
    const c = rt.config;
    this.sendEvent(new OutputEvent(`xenarm: booting ${c.kernel} (bootProtocol ${c.bootProtocol}, ${c.memoryMiB} MiB, ${c.cpus} vCPU${c.cpus > 1 ? 's' : ''}, stopOnEntry ${c.stopOnEntry})\n`, 'console'));
    for (const w of rt.program?.warnings ?? []) this.sendEvent(new OutputEvent(`xenarm: ${w}\n`, 'console'));
    if (cfg(rt).symbols === undefined) this.sendEvent(new OutputEvent('xenarm: no ELF symbols: source breakpoints and source stepping are unavailable (set "symbols")\n', 'console'));
    this.sendEvent(new Event(Events.boot, rt.target.boot));
    this.launched = true;
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
    if (this.configured) rt.begin();
  }

  private attachRuntime(rt: DebugRuntime): void {
    rt.on('stopped', (s: StopInfo) => {
      this.vars.reset();
      this.frames.reset();
      const ev = new StoppedEvent(s.reason, s.cpu + 1, s.text) as DebugProtocol.StoppedEvent;
      ev.body.description = s.description;
      ev.body.allThreadsStopped = true;
      if (s.hitBreakpointIds) ev.body.hitBreakpointIds = s.hitBreakpointIds;
      this.sendEvent(ev);
    });
    rt.on('continued', () => this.sendEvent(new ContinuedEvent(1, true)));
    // vCPUs are threads: PSCI CPU_ON starts one, CPU_OFF ends it.
    rt.on('thread', (cpu: number, reason: 'started' | 'exited') => this.sendEvent(new ThreadEvent(reason, cpu + 1)));
    rt.on('output', (text: string, category: string) => this.sendEvent(new OutputEvent(text, category)));
    rt.on('console', (text: string, stream: string) => {
      this.sendEvent(new OutputEvent(text, stream === 'stderr' ? 'stderr' : 'stdout'));
      this.sendEvent(new Event(Events.console, { text, stream }));
    });
    rt.on('calls', (records: HypercallRecord[]) => this.sendEvent(new Event(Events.hypercall, { records })));
    rt.on('exited', (status: number) => {
      this.sendEvent(new ExitedEvent(status));
      this.sendEvent(new TerminatedEvent());
    });
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured = true;
    this.sendResponse(response);
    if (this.launched) this.runtime?.begin();
  }

  /** Runs `fn` with the runtime, or answers that nothing is running. */
  private withRuntime(response: DebugProtocol.Response, fn: (rt: DebugRuntime) => void): void {
    const rt = this.runtime;
    if (!rt) { this.sendErrorResponse(response, { id: 1002, format: 'xenarm: no guest is loaded (the launch failed or has not happened)', showUser: false }); return; }
    try {
      fn(rt);
    } catch (e) {
      const msg = e instanceof ExprError ? `${e.message} (column ${e.column})` : e instanceof Error ? e.message : `internal error: ${String(e?.constructor?.name ?? e)}`;
      this.sendErrorResponse(response, { id: 1003, format: `xenarm: ${msg.replace(/[{}]/g, '')}`, showUser: false });
    }
  }

  private whileStopped(response: DebugProtocol.Response, fn: (rt: DebugRuntime) => void): void {
    this.withRuntime(response, (rt) => {
      if (rt.running) throw new Error('the guest is running: pause it first');
      fn(rt);
    });
  }

  // ---- execution ---------------------------------------------------------------------------------

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.withRuntime(response, (rt) => { response.body = { allThreadsContinued: true }; this.sendResponse(response); rt.continue(); });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.withRuntime(response, (rt) => { rt.pause(); this.sendResponse(response); });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.whileStopped(response, (rt) => {
      this.sendResponse(response);
      if (args.granularity === 'instruction') rt.stepInstruction(args.threadId - 1); else rt.stepLine(args.threadId - 1, true);
    });
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.whileStopped(response, (rt) => {
      this.sendResponse(response);
      if (args.granularity === 'instruction') rt.stepInstruction(args.threadId - 1); else rt.stepLine(args.threadId - 1, false);
    });
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.whileStopped(response, (rt) => { this.sendResponse(response); rt.stepOut(args.threadId - 1); });
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse): void {
    this.withRuntime(response, (rt) => {
      this.vars.reset();
      this.frames.reset();
      this.sendResponse(response);
      this.sendEvent(new InvalidatedEvent(['all']));
      rt.restart();
      this.sendEvent(new Event(Events.boot, rt.target.boot));
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.runtime?.terminate();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments, request?: DebugProtocol.Request): void {
    this.runtime?.terminate();
    super.disconnectRequest(response, args, request);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const t = this.runtime?.target;
    const n = t?.cpus.length ?? 0;
    const name = (i: number) => (t?.vcpuOnline && !t.vcpuOnline(i) ? `vCPU ${i} (powered off)` : `vCPU ${i}`);
    response.body = { threads: n ? Array.from({ length: n }, (_, i) => new Thread(i + 1, name(i))) : [new Thread(1, 'vCPU 0')] };
    this.sendResponse(response);
  }

  // ---- breakpoints -------------------------------------------------------------------------------

  private labels: { address: number; name: string }[] | undefined;

  /** The nearest ELF label at or before an address (assembly routines often have no symbol type), as gdb names such frames. */
  private nearestLabel(pc: number): string | undefined {
    const p = this.runtime?.program;
    if (!p) return undefined;
    this.labels ??= p.elf.symbols()
      .filter((x) => x.name && !x.name.startsWith('$') && x.shndx !== 0 && x.type <= 2 && !x.name.startsWith('.L'))
      .map((x) => ({ address: (x.value & ~1) >>> 0, name: x.name }))
      .sort((a, b) => a.address - b.address);
    let best: string | undefined;
    for (const l of this.labels) { if (l.address > pc) break; best = l.name; }
    return best;
  }

  private readonly resolved = new Map<string, string>();

  /**
   * The file a DWARF path names on this machine. Relative paths (builds with -fdebug-prefix-map, or
   * without an absolute DW_AT_comp_dir) are tried against the symbol file's directory and its parents,
   * the kernel's directory and the launch's cwd; the first that exists wins, else the path as given.
   */
  private resolvePath(path: string): string {
    let r = this.resolved.get(path);
    if (r !== undefined) return r;
    r = path;
    if (!isAbsolute(path) || !existsSync(path)) {
      const cfg = this.runtime?.config;
      const bases: string[] = [];
      for (const f of [cfg?.symbols, cfg?.kernel]) {
        if (!f) continue;
        for (let d = dirname(f), k = 0; k < 4; k++, d = dirname(d)) bases.push(d);
      }
      bases.push(cfg?.cwd ?? process.cwd());
      const rel = isAbsolute(path) ? path.replace(/^\/+/, '') : path;
      const parts = rel.split('/');
      outer: for (let drop = 0; drop < parts.length; drop++) {
        const tail = parts.slice(drop).join('/');
        for (const b of bases) {
          const c = join(b, tail);
          if (existsSync(c)) { r = c; break outer; }
        }
      }
    }
    this.resolved.set(path, r);
    return r;
  }

  private source(path: string): Source {
    const local = this.resolvePath(path);
    return new Source(basename(local), this.convertDebuggerPathToClient(local));
  }

  private bpOut(b: { id: number; verified: boolean; message?: string; path?: string; line?: number; addresses: number[] }): DebugProtocol.Breakpoint {
    return {
      id: b.id, verified: b.verified, message: b.message, line: b.line,
      source: b.path ? this.source(b.path) : undefined,
      instructionReference: b.addresses[0] !== undefined ? memoryReference(b.addresses[0]) : undefined,
    };
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const path = args.source.path ?? args.source.name ?? '';
    const wanted: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    if (!this.runtime) {
      response.body = { breakpoints: wanted.map(() => ({ verified: false, message: 'no guest is loaded' })) };
      this.sendResponse(response);
      return;
    }
    const out = this.runtime.setLineBreakpoints(this.convertClientPathToDebugger(path), wanted.map((b) => ({ line: this.convertClientLineToDebugger(b.line), condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage })));
    response.body = { breakpoints: out.map((b) => ({ ...this.bpOut(b), source: args.source })) };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.withRuntime(response, (rt) => {
      response.body = { breakpoints: rt.setFunctionBreakpoints(args.breakpoints).map((b) => this.bpOut(b)) };
      this.sendResponse(response);
    });
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.withRuntime(response, (rt) => {
      response.body = { breakpoints: rt.setInstructionBreakpoints(args.breakpoints).map((b) => this.bpOut(b)) };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.withRuntime(response, (rt) => {
      const known = new Set<string>(Object.values(ExceptionFilters));
      const list = [...(args.filters ?? []).map((f) => ({ filterId: f })), ...(args.filterOptions ?? [])];
      rt.setExceptionFilters(list.filter((f) => known.has(f.filterId)));
      response.body = { breakpoints: list.map((f) => (known.has(f.filterId) ? { verified: true } : { verified: false, message: `unknown exception filter "${f.filterId}"` })) };
      this.sendResponse(response);
    });
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.withRuntime(response, (rt) => {
      let expr = args.name;
      const c = args.variablesReference ? this.vars.get(args.variablesReference) : undefined;
      if (args.variablesReference && c?.kind !== 'globals' && c?.kind !== 'locals') {
        response.body = { dataId: null, description: `${args.name} is not in memory: registers cannot be watched` };
        this.sendResponse(response);
        return;
      }
      if (args.asAddress) expr = `*(u32 *)(${args.name})`;
      const r = rt.dataIdFor(expr, rt.focusCpu, c?.kind === 'locals' ? c.index : 0);
      if ('error' in r) response.body = { dataId: null, description: r.error };
      else {
        let dataId = r.dataId;
        if (args.bytes && args.bytes > 0) dataId = dataId.replace(/:(\d+):/, `:${args.bytes}:`);
        response.body = { dataId, description: r.description, accessTypes: ['read', 'write', 'readWrite'], canPersist: true };
      }
      this.sendResponse(response);
    });
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.withRuntime(response, (rt) => {
      response.body = { breakpoints: rt.setDataBreakpoints(args.breakpoints) };
      this.sendResponse(response);
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    this.withRuntime(response, (rt) => {
      const e = rt.lastStop?.exception;
      if (!e) throw new Error('not stopped on an exception');
      const lines = Object.entries(e.details).map(([k, v]) => `${k} = ${v}`);
      response.body = { exceptionId: e.id, description: e.description, breakMode: 'always', details: { message: lines.join('\n'), typeName: e.id } };
      this.sendResponse(response);
    });
  }

  // ---- stack and variables -------------------------------------------------------------------------

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.whileStopped(response, (rt) => {
      const cpu = args.threadId - 1;
      const p = rt.program;
      // Each unwound frame, preceded by a frame per inlined call holding its pc (innermost first), as gdb.
      const all: { index: number; f: UnwoundFrame; name: string; loc?: { path: string; line: number; column: number }; scope?: Die }[] = [];
      rt.stack(cpu).forEach((f, index) => {
        // Outer frames: show the call, whose address is just before the return address.
        const q = index === 0 ? f.pc : f.pc - 1;
        const fn = p?.functionAt(f.pc);
        const stop = rt.lastStop;
        const atUserBreakpoint = !!stop && stop.cpu === cpu && /breakpoint/.test(stop.reason);
        const inlined = p ? inlinedCallsAt(p, q) : [];
        const calls = p && index === 0 ? visibleInlinedCalls(p, inlined, q, atUserBreakpoint || rt.revealedInline === q) : inlined;
        // An inlined call being entered is hidden: the frame holding it shows the call's position.
        const hidden = inlined[calls.length];
        const here = hidden?.callPath && hidden.callLine ? { path: hidden.callPath, line: hidden.callLine, column: 1 } : p?.frameLocation(q);
        for (let j = calls.length - 1; j >= 0; j--) {
          const loc = j === calls.length - 1 ? here : calls[j + 1].callPath && calls[j + 1].callLine ? { path: calls[j + 1].callPath!, line: calls[j + 1].callLine!, column: 1 } : undefined;
          all.push({ index, f, name: calls[j].name, loc, scope: calls[j].die });
        }
        const loc = calls.length && calls[0].callPath && calls[0].callLine ? { path: calls[0].callPath, line: calls[0].callLine, column: 1 } : here;
        all.push({ index, f, name: fn?.name ?? p?.symbolAt(f.pc)?.name ?? this.nearestLabel(f.pc) ?? `0x${f.pc.toString(16).padStart(8, '0')}`, loc });
      });
      const start = args.startFrame ?? 0;
      const end = args.levels ? start + args.levels : all.length;
      response.body = {
        totalFrames: all.length,
        stackFrames: all.slice(start, end).map(({ index, f, name, loc, scope }) => {
          const id = this.frames.create({ cpu, index, regs: f.regs, scope });
          const sf = new StackFrame(id, name, loc ? this.source(loc.path) : undefined, loc?.line ?? 0, loc?.column || 1) as DebugProtocol.StackFrame;
          sf.instructionPointerReference = memoryReference(f.pc);
          if (!loc) sf.presentationHint = 'subtle';
          return sf;
        }),
      };
      this.sendResponse(response);
    });
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.whileStopped(response, (rt) => {
      const f = this.frames.get(args.frameId);
      if (!f) throw new Error(`unknown frame ${args.frameId}`);
      const cpu = rt.cpu(f.cpu);
      const scopes: DebugProtocol.Scope[] = [];
      const mk = (name: string, c: Container, hint?: string, expensive = false) => {
        const s = new Scope(name, this.vars.create(c), expensive) as DebugProtocol.Scope;
        if (hint) s.presentationHint = hint;
        scopes.push(s);
      };
      const fnHere = rt.program?.functionAt(f.index === 0 ? (f.regs[15] ?? 0) : (f.regs[15] ?? 1) - 1);
      if (fnHere?.die) mk('Locals', { kind: 'locals', cpu: f.cpu, index: f.index, scope: f.scope }, 'locals');
      if (f.index === 0) mk('Registers', { kind: 'registers', cpu: f.cpu, entries: () => coreRegisters(cpu), prefix: '$' }, 'registers');
      else mk('Registers', { kind: 'frameRegisters', cpu: f.cpu, regs: f.regs }, 'registers');
      if (rt.globals.length) mk('Globals', { kind: 'globals', cpu: f.cpu }, 'globals' as string);
      if (f.index === 0) {
        const call = rt.lastStop?.call;
        if (call) mk('Hypercall', { kind: 'record', value: () => callVariables(call) });
        mk('Banked Registers', { kind: 'groups', groups: () => bankedRegisters(cpu).map((b) => ({ name: b.mode, container: { kind: 'registers', cpu: f.cpu, entries: () => b.regs, prefix: '' } as Container })) }, 'registers', true);
        mk('CP15', { kind: 'registers', cpu: f.cpu, entries: () => cp15Registers(cpu), prefix: '' }, 'registers', true);
        mk('VFP', { kind: 'registers', cpu: f.cpu, entries: () => vfpRegisters(cpu), prefix: '$' }, 'registers', true);
        mk('Boot', { kind: 'record', value: () => bootVariables(rt.target.boot) });
      }
      response.body = { scopes };
      this.sendResponse(response);
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.whileStopped(response, (rt) => {
      const c = this.vars.get(args.variablesReference);
      const child = (x: Container) => this.vars.create(x);
      let variables: DebugProtocol.Variable[] = [];
      if (!c) throw new Error(`unknown variables reference ${args.variablesReference}`);
      switch (c.kind) {
        case 'registers': {
          const mapped = (a: number) => a !== 0 && rt.memory.readExact(a, 1) !== undefined;
          variables = c.entries().map((e) => registerVariable(e, c.prefix, child, c.prefix === '$' ? mapped : undefined));
          break;
        }
        case 'frameRegisters':
          variables = c.regs.map((v, n) => ({ name: CORE_NAMES[n], value: v === undefined ? '<not saved>' : '0x' + (v >>> 0).toString(16).padStart(8, '0'), variablesReference: 0, memoryReference: v !== undefined && n >= 13 ? memoryReference(v) : undefined, presentationHint: { attributes: ['readOnly'] } }));
          break;
        case 'fields': variables = c.fields().map((f) => ({ name: f.name, value: f.value, variablesReference: 0, presentationHint: { attributes: ['readOnly'] } })); break;
        case 'groups': variables = c.groups().map((g) => ({ name: g.name, value: '', variablesReference: child(g.container) })); break;
        case 'globals': variables = rt.globals.map((g) => globalVariable(g, rt, c.cpu)); break;
        case 'locals': variables = rt.localsOf(c.cpu, c.index, c.scope).map((l) => localVariable(l, rt)); break;
        case 'record': { const v = c.value(); variables = v ? recordVariables(v, child) : []; break; }
      }
      const start = args.start ?? 0;
      response.body = { variables: args.count ? variables.slice(start, start + args.count) : variables };
      this.sendResponse(response);
    });
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.whileStopped(response, (rt) => {
      const c = this.vars.get(args.variablesReference);
      if (!c) throw new Error(`unknown variables reference ${args.variablesReference}`);
      const cpuIndex = 'cpu' in c ? c.cpu : rt.focusCpu;
      const value = evaluate(args.value, rt.evalContext(cpuIndex, undefined, c.kind === 'locals' ? c.index : 0, c.kind === 'locals' ? c.scope : undefined)).v;
      if (c.kind === 'registers') {
        const e = c.entries().find((x) => x.name === args.name);
        if (!e) throw new Error(`no register ${args.name}`);
        if (!e.set) throw new Error(`${args.name} is read-only`);
        e.set(value);
        response.body = registerVariable(e, c.prefix, (x) => this.vars.create(x));
      } else if (c.kind === 'globals' || c.kind === 'locals') {
        const g = c.kind === 'globals' ? rt.globals.find((x) => x.name === args.name) : rt.localsOf(c.cpu, c.index, c.scope).find((x) => x.name === args.name && !x.unavailable);
        if (!g) throw new Error(`no global ${args.name}`);
        const l = g as { value?: Uint8Array; where?: string };
        if (l.value && c.kind === 'locals') {
          // Optimised code: a value in one register of the innermost frame can be changed there; a
          // computed one, pieces, or a register of an outer frame cannot.
          const reg = /^r(\d+)$/.exec(l.where ?? '');
          if (!reg || c.index !== 0 || g.size > 4) {
            const what = l.where === 'constant' ? 'a constant' : !l.where || /computed/.test(l.where) ? 'computed' : `kept in ${l.where}${c.index !== 0 ? ' of an outer frame' : ''}`;
            throw new Error(`${args.name} is ${what} (optimised code): it cannot be changed here`);
          }
          rt.cpu(c.cpu).setReg(Number(reg[1]), Number(BigInt.asUintN(32, value)));
          response.body = localVariable(rt.localsOf(c.cpu, c.index, c.scope).find((x) => x.name === args.name)!, rt);
          this.sendEvent(new InvalidatedEvent(['variables']));
          this.sendResponse(response);
          return;
        }
        const bytes = new Uint8Array(g.size);
        for (let k = 0; k < g.size; k++) bytes[k] = Number((BigInt.asUintN(64, value) >> BigInt(8 * k)) & 0xffn);
        if (rt.memory.write(g.address, bytes) !== g.size) throw new Error(`${g.name} at 0x${g.address.toString(16)} is not writable memory`);
        response.body = c.kind === 'locals' ? localVariable(rt.localsOf(c.cpu, c.index, c.scope).find((x) => x.name === args.name)!, rt) : globalVariable(g, rt, cpuIndex);
        this.sendEvent(new Event('memory', { memoryReference: memoryReference(g.address), offset: 0, count: g.size }));
      } else throw new Error(`${args.name} cannot be changed`);
      this.sendResponse(response);
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.withRuntime(response, (rt) => {
      const f = args.frameId ? this.frames.get(args.frameId) : undefined;
      const cpu = f?.cpu ?? rt.focusCpu;
      let expr = args.expression.trim();
      // Hovering a register name in assembly source shows the register.
      if (args.context === 'hover' && CORE_NAMES.includes(expr)) expr = '$' + expr;
      const v = evaluate(expr, rt.evalContext(cpu, f && f.index > 0 ? f.regs : undefined, f?.index ?? 0, f?.scope));
      let result = formatValue(v);
      if (args.context === 'hover' && v.address !== undefined) result = `${result} at 0x${v.address.toString(16)}`;
      const ref = v.address !== undefined ? v.address : v.type.kind === 'pointer' ? Number(v.v) : undefined;
      response.body = { result, type: v.type.name, variablesReference: 0, memoryReference: ref !== undefined ? memoryReference(ref) : undefined };
      this.sendResponse(response);
    });
  }

  // ---- memory and disassembly ---------------------------------------------------------------------

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.withRuntime(response, (rt) => {
      const ref = parseMemoryReference(args.memoryReference, args.offset ?? 0);
      if (!ref) throw new Error(`"${args.memoryReference}" is not a memory reference (an address, or phys:ADDRESS)`);
      const count = Math.max(0, Math.min(args.count, 1 << 20));
      const r = rt.memory.read(ref.address, count, ref.physical);
      response.body = { address: memoryReference(ref.address, ref.physical), data: Buffer.from(r.data).toString('base64'), unreadableBytes: r.unreadable };
      this.sendResponse(response);
    });
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    this.whileStopped(response, (rt) => {
      const ref = parseMemoryReference(args.memoryReference, args.offset ?? 0);
      if (!ref) throw new Error(`"${args.memoryReference}" is not a memory reference (an address, or phys:ADDRESS)`);
      const data = Buffer.from(args.data, 'base64');
      const n = rt.memory.write(ref.address, data, ref.physical);
      if (n === 0 && data.length > 0 && !args.allowPartial) throw new Error(`0x${ref.address.toString(16)} is not writable guest memory`);
      response.body = { offset: 0, bytesWritten: n };
      this.sendResponse(response);
      this.sendEvent(new Event('memory', { memoryReference: args.memoryReference, offset: args.offset ?? 0, count: n }));
    });
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.withRuntime(response, (rt) => {
      const ref = parseMemoryReference(args.memoryReference, args.offset ?? 0);
      if (!ref) throw new Error(`"${args.memoryReference}" is not a memory reference`);
      const cpu = rt.cpu(rt.focusCpu);
      const cpsr = cpu.getCpsr() >>> 0;
      const lines = disassemble({
        program: rt.program,
        read: (a, n) => rt.memory.readExact(a, n, ref.physical),
        pc: cpu.getReg(15) >>> 0, thumbAtPc: (cpsr & 0x20) !== 0, itAtPc: ((cpsr >>> 25) & 3) | (((cpsr >>> 10) & 0x3f) << 2),
      }, ref.address, args.instructionOffset ?? 0, Math.max(0, Math.min(args.instructionCount, 4096)));
      let lastPath: string | undefined;
      response.body = {
        instructions: lines.map((l) => {
          const ins: DebugProtocol.DisassembledInstruction = {
            address: memoryReference(l.address), instructionBytes: l.bytes,
            instruction: l.text !== undefined ? l.text.replace('\t', ' ').replace(/\t/g, ' ') : '<unreadable>',
            symbol: l.symbol, line: l.line,
            presentationHint: l.text === undefined ? 'invalid' : undefined,
          } as DebugProtocol.DisassembledInstruction;
          if (l.path && l.path !== lastPath) ins.location = this.source(l.path);
          lastPath = l.path ?? lastPath;
          return ins;
        }),
      };
      this.sendResponse(response);
    });
  }

  // ---- custom requests ----------------------------------------------------------------------------

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    switch (command) {
      case Requests.bootRecord:
        this.withRuntime(response, (rt) => { response.body = rt.target.boot; this.sendResponse(response); });
        return;
      case Requests.deviceTree:
        this.withRuntime(response, (rt) => {
          const t = rt.target.deviceTree();
          if (!t) throw new Error(`this guest was not given a device tree (boot protocol "${rt.config.bootProtocol}")`);
          const body: DeviceTreeResponse = { dtb: Buffer.from(t.dtb).toString('base64'), address: t.address, dts: t.dts };
          response.body = body;
          this.sendResponse(response);
        });
        return;
      case Requests.consoleInput:
        this.withRuntime(response, (rt) => {
          const text = (args as { text?: unknown })?.text;
          if (typeof text !== 'string') throw new Error('consoleInput needs {"text": string}');
          rt.consoleInput(text);
          this.sendResponse(response);
        });
        return;
      case Requests.hypercallTrace:
        this.withRuntime(response, (rt) => {
          const a = (args ?? {}) as { since?: number; limit?: number };
          let records = rt.target.calls.filter((r) => r.seq > (a.since ?? 0));
          if (a.limit) records = records.slice(0, a.limit);
          response.body = { records };
          this.sendResponse(response);
        });
        return;
      default:
        this.sendErrorResponse(response, { id: 1010, format: `xenarm: unknown request "${command.replace(/[{}]/g, '')}"`, showUser: false });
    }
  }
}

function cfg(rt: DebugRuntime) {
  return rt.config;
}
