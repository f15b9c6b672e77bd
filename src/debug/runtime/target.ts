// What the debug runtime needs from a running machine, whatever boots it: the bare-metal board
// (baremetal-target.ts) or a Xen dom0 built by the hypervisor (xen-target.ts). The runtime knows
// nothing of how the guest was built; it drives vCPUs, reads memory and listens to these hooks.
import type { CpuApi } from '../../machine/arm32/contracts';
import type { StopReason } from '../../machine/arm32/contracts';
import type { Bus } from '../../machine/bus';
import type { BootRecord, HypercallRecord } from '../protocol';

export interface TargetRunResult {
  outcome: 'halted' | 'limit' | 'timeout' | 'deadlock' | 'stopped';
  instructions: number;
  cpu?: number;
  reason?: StopReason;
}

export interface DebugTarget {
  readonly cpus: readonly CpuApi[];
  readonly bus: Bus;
  /** Runs every vCPU for at most `maxInstructions` in total (see Board.run). */
  run(maxInstructions: number): TargetRunResult;
  /** The guest's exit status once it has shut down (semihosting exit, SCHEDOP_shutdown, SYSTEM_OFF). */
  readonly exitStatus: number | null;
  readonly boot: BootRecord;
  /** Guest console output (semihosting or PV console). */
  onConsole: ((text: string, stream: 'stdout' | 'stderr' | 'hvc0') => void) | null;
  /** Bytes typed into the guest's console. */
  consoleInput(text: string): void;
  /**
   * Hypercall and SMCCC calls as they are issued. Returning true stops the vCPU before the call is
   * handled (pc on the HVC/SMC); resuming handles it. Absent on targets without a hypervisor.
   */
  onCall: ((rec: HypercallRecord) => boolean) | null;
  /** Every call handled so far (with results), in order. */
  readonly calls: readonly HypercallRecord[];
  /** Whether a vCPU is powered on (PSCI CPU_ON/CPU_OFF); always true where there is no power control. */
  vcpuOnline?(i: number): boolean;
  /** The DTB the guest received, when the target built one. */
  deviceTree(): { dtb: Uint8Array; address: number; dts?: string } | undefined;
}
