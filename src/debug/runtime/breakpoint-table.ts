// The debugger's breakpoint table: source-line, function, instruction and data breakpoints as the
// user set them, placed on addresses through the program's debug information, with the reason when
// one cannot be placed. It owns which addresses the vCPUs trap on and which ranges they watch.
import { WatchKind, type CpuApi } from '../../machine/arm32/contracts';
import { evaluate } from '../expr';
import type { ProgramInfo } from '../program';
import { AddressTraps, hitConditionPasses, newBreakpointId, type Breakpoint } from './breakpoints';

export interface DataBreakpoint {
  id: number;
  address: number;
  length: number;
  access: 'read' | 'write' | 'readWrite';
  condition?: string;
  hitCondition?: string;
  hits: number;
  label: string;
  watchIds: number[];
}

export class BreakpointTable {
  readonly breakpoints = new Map<number, Breakpoint>();
  readonly dataBreakpoints = new Map<number, DataBreakpoint>();

  constructor(
    readonly traps: AddressTraps,
    private readonly getProgram: () => ProgramInfo | undefined,
    private readonly symbolsPath: () => string | undefined,
    private readonly cpus: () => readonly CpuApi[],
  ) {}

  private get program(): ProgramInfo | undefined { return this.getProgram(); }

  /** After the machine was rebuilt (restart): trap and watch again on the new vCPUs. */
  rearm(): void {
    this.traps.reinstall();
    for (const d of this.dataBreakpoints.values()) this.armWatch(d);
  }

  private replace(kind: Breakpoint['kind'], keep: (b: Breakpoint) => boolean, next: Breakpoint[]): void {
    for (const b of [...this.breakpoints.values()]) {
      if (b.kind !== kind || !keep(b)) continue;
      if (b.verified) for (const a of b.addresses) this.traps.remove(a);
      this.breakpoints.delete(b.id);
    }
    for (const b of next) {
      this.breakpoints.set(b.id, b);
      if (b.verified) for (const a of b.addresses) this.traps.add(a);
    }
  }

  setLineBreakpoints(path: string, bps: { line: number; condition?: string; hitCondition?: string; logMessage?: string }[]): Breakpoint[] {
    const out = bps.map((s) => {
      const b: Breakpoint = { id: newBreakpointId(), kind: 'line', addresses: [], verified: false, hits: 0, path, line: s.line, condition: s.condition, hitCondition: s.hitCondition, logMessage: s.logMessage };
      if (!this.program) { b.message = 'no debug information: the launch has no ELF with symbols ("symbols")'; return b; }
      const r = this.program.addressesForLine(path, s.line);
      if (!r || r.addresses.length === 0) {
        const known = this.program.sourceFiles().some((f) => f === path || f.endsWith('/' + path.split('/').pop()));
        b.message = known ? `no code at or after line ${s.line} in this file` : `${path} is not part of the program's debug information`;
        return b;
      }
      b.addresses = r.addresses; b.line = r.line; b.verified = true;
      return this.checkCondition(b);
    });
    this.replace('line', (b) => b.path === path, out);
    return out;
  }

  setFunctionBreakpoints(bps: { name: string; condition?: string; hitCondition?: string }[]): Breakpoint[] {
    const out = bps.map((s) => {
      const b: Breakpoint = { id: newBreakpointId(), kind: 'function', addresses: [], verified: false, hits: 0, condition: s.condition, hitCondition: s.hitCondition };
      const call = /^hypercall:\s*(\w+)$/.exec(s.name.trim());
      if (call) { b.callName = call[1]; b.verified = true; b.message = `stops before every ${call[1]} hypercall`; return b; }
      const name = s.name.trim();
      // Every function of that name, as gdb places one breakpoint location on each (a weak
      // definition overridden at link time keeps its code and its DWARF).
      const fns = this.program?.functions.filter((f) => f.name === name) ?? [];
      const sym = this.program?.lookup(name);
      let addresses: number[] = [];
      if (fns.length) addresses = fns.map((fn) => (fn.die ? this.program!.skipPrologue(fn.low) : fn.low));
      else if (sym && sym.type === 2) addresses = [sym.value & ~1];
      else if (/^(0x[0-9a-f]+|\*\s*0x[0-9a-f]+)$/i.test(name)) addresses = [Number(name.replace('*', '').trim())];
      if (addresses.length === 0) { b.message = this.program ? `no function named "${name}" in ${this.symbolsPath()}` : 'no symbols loaded'; return b; }
      // The symbol's definition first: its source position is the breakpoint's.
      const strong = sym && sym.type === 2 ? addresses.findIndex((a, k) => (fns[k]?.low ?? a) === (sym.value & ~1)) : -1;
      if (strong > 0) addresses.unshift(...addresses.splice(strong, 1));
      const address = addresses[0];
      b.addresses = [...new Set(addresses)]; b.verified = true;
      const loc = this.program?.locate(address);
      if (loc) { b.path = loc.path; b.line = loc.line; }
      return this.checkCondition(b);
    });
    this.replace('function', () => true, out);
    return out;
  }

  setInstructionBreakpoints(bps: { instructionReference: string; offset?: number; condition?: string; hitCondition?: string }[]): Breakpoint[] {
    const out = bps.map((s) => {
      const b: Breakpoint = { id: newBreakpointId(), kind: 'instruction', addresses: [], verified: false, hits: 0, condition: s.condition, hitCondition: s.hitCondition };
      const m = /^\s*(0x[0-9a-f]+|\d+)\s*$/i.exec(s.instructionReference);
      if (!m) { b.message = `"${s.instructionReference}" is not an instruction address`; return b; }
      const a = (Number(m[1]) + (s.offset ?? 0)) >>> 0;
      if (a & 1) { b.message = `0x${a.toString(16)} is not an instruction boundary (odd address)`; return b; }
      b.addresses = [a]; b.verified = true;
      const loc = this.program?.locate(a);
      if (loc) { b.path = loc.path; b.line = loc.line; }
      return this.checkCondition(b);
    });
    this.replace('instruction', () => true, out);
    return out;
  }

  /** A condition that cannot even be parsed makes the breakpoint unverified with the parser's message. */
  private checkCondition(b: Breakpoint): Breakpoint {
    if (b.condition?.trim()) {
      try {
        evaluate(b.condition, { register: () => ({ type: { kind: 'int', bits: 32, signed: false, name: 'u32' }, v: 0n }), symbol: () => ({ type: { kind: 'int', bits: 32, signed: false, name: 'u32' }, v: 0n }), readMemory: (_a, n) => new Uint8Array(n) });
      } catch (e) {
        b.verified = false; b.message = `condition: ${(e as Error).message}`;
      }
    }
    if (b.hitCondition?.trim()) {
      try { hitConditionPasses(b.hitCondition, 0); } catch (e) { b.verified = false; b.message = (e as Error).message; }
    }
    return b;
  }

  setDataBreakpoints(bps: { dataId: string; accessType?: 'read' | 'write' | 'readWrite'; condition?: string; hitCondition?: string }[]): { verified: boolean; id: number; message?: string }[] {
    for (const d of this.dataBreakpoints.values()) this.disarmWatch(d);
    this.dataBreakpoints.clear();
    return bps.map((s) => {
      const m = /^(0x[0-9a-f]+):(\d+)(?::(.*))?$/i.exec(s.dataId);
      const id = newBreakpointId();
      if (!m) return { verified: false, id, message: `bad data breakpoint id "${s.dataId}"` };
      const d: DataBreakpoint = { id, address: Number(m[1]), length: Number(m[2]), access: s.accessType ?? 'write', condition: s.condition, hitCondition: s.hitCondition, hits: 0, label: m[3] || m[1], watchIds: [] };
      this.dataBreakpoints.set(id, d);
      this.armWatch(d);
      return { verified: true, id };
    });
  }

  armWatch(d: DataBreakpoint): void {
    const kind = d.access === 'read' ? WatchKind.Read : d.access === 'readWrite' ? WatchKind.ReadWrite : WatchKind.Write;
    d.watchIds = this.cpus().map((c) => c.mem.addWatchpoint(d.address, d.length, kind));
  }

  private disarmWatch(d: DataBreakpoint): void {
    this.cpus().forEach((c, k) => { if (d.watchIds[k] !== undefined) c.mem.removeWatchpoint(d.watchIds[k]); });
  }

}
