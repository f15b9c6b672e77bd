// The debugger's breakpoints, independent of DAP: where each one is placed, its condition, hit
// condition and log message, and the per-address reference counts that decide which addresses the
// vCPUs trap on (a line, a function and a temporary step breakpoint may share an address).
import type { CpuApi } from '../../machine/arm32/contracts';

export type BreakpointKind = 'line' | 'function' | 'instruction';

export interface Breakpoint {
  id: number;
  kind: BreakpointKind;
  addresses: number[];
  verified: boolean;
  /** Why it is unverified, or what it resolved to. */
  message?: string;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  hits: number;
  /** For line breakpoints: the requested source and the line it moved to. */
  path?: string;
  line?: number;
  /** For function breakpoints on hypercalls: "hypercall:NAME". */
  callName?: string;
}

let nextId = 1;
export function newBreakpointId(): number {
  return nextId++;
}

/** Parses a hit condition: "5" (the 5th hit on), ">= 5", "> 5", "== 5", "% 5" (every 5th). */
export function hitConditionPasses(cond: string | undefined, hits: number): boolean {
  const c = cond?.trim();
  if (!c) return true;
  const m = /^(>=|>|==|=|%|<=|<)?\s*(\d+)$/.exec(c);
  if (!m) throw new Error(`hit condition "${c}" is not a number or one of >= N, > N, == N, % N`);
  const n = Number(m[2]);
  switch (m[1]) {
    case '>': return hits > n;
    case '==': case '=': return hits === n;
    case '%': return n > 0 && hits % n === 0;
    case '<': return hits < n;
    case '<=': return hits <= n;
    default: return hits >= n;
  }
}

/** Reference-counted CPU breakpoints on every vCPU. */
export class AddressTraps {
  private readonly counts = new Map<number, number>();
  constructor(private readonly cpus: () => readonly CpuApi[]) {}

  add(address: number): void {
    address = (address & ~1) >>> 0;
    const n = this.counts.get(address) ?? 0;
    this.counts.set(address, n + 1);
    if (n === 0) for (const c of this.cpus()) c.addBreakpoint(address);
  }

  remove(address: number): void {
    address = (address & ~1) >>> 0;
    const n = this.counts.get(address) ?? 0;
    if (n <= 1) {
      this.counts.delete(address);
      if (n === 1) for (const c of this.cpus()) c.removeBreakpoint(address);
    } else this.counts.set(address, n - 1);
  }

  has(address: number): boolean {
    return this.counts.has((address & ~1) >>> 0);
  }

  /** Re-installs every trap (after the machine was rebuilt by a restart). */
  reinstall(): void {
    for (const a of this.counts.keys()) for (const c of this.cpus()) c.addBreakpoint(a);
  }
}
