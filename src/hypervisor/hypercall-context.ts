// What a hypercall handler gets: the domain, the calling vCPU, its view of guest memory, and the record
// it fills in for the trace (decoded command names and fields, console text).
import type { GuestMemory } from './guest-memory';
import type { Domain } from './domain';

export interface CallContext {
  dom: Domain;
  vcpu: number;
  mem: GuestMemory;
  /** Decoded arguments for the event stream (command names, fields). */
  decoded: Record<string, string | number>;
  /** Text written by console_io, for the trace. */
  text?: string;
  /** Set by a handler that must not be traced as returning (shutdown). */
  noReturn?: boolean;
}

export type HypercallHandler = (ctx: CallContext, a: number[]) => number;

export const hex = (n: number) => '0x' + (n >>> 0).toString(16);
