// The custom DAP requests and events xenarm's adapter adds to the Debug Adapter Protocol, typed once
// here and imported by both sides (the adapter in src/debug/session and the extension in src/vscode).
// Names are prefixed "xenarm/" so they never collide with standard DAP commands.

/** One hypercall (or SMCCC call) as the trace stream reports it. */
export interface HypercallRecord {
  /** Sequence number from 1, in issue order. */
  seq: number;
  vcpu: number;
  /** 'hvc' for Xen hypercalls (HVC #0xEA1), 'smc'/'hvc-smccc' for SMCCC/PSCI calls. */
  kind: 'hypercall' | 'smccc';
  nr: number;
  /** Xen's name (console_io, sched_op…) or the PSCI function (PSCI_CPU_ON…); `hypercall_<nr>` when unknown. */
  name: string;
  /** Arguments r0–r4 (a0–a4) as the guest passed them. */
  args: number[];
  /** Decoded fields (cmd names, strings written to the console…). */
  decoded: Record<string, string | number>;
  /** Return value once handled (absent while stopped before it). */
  result?: number;
  pc: number;
  /** Guest virtual time (the vCPU's retired instructions) when issued. */
  time: number;
  /** Console text written or read (console_io). */
  text?: string;
}

/** What the builder did to start the guest: entry registers and where it put things. */
export interface BootRecord {
  protocol: 'baremetal' | 'xen-dom0';
  entry: number;
  /** Registers at entry, by name (r0, r1, r2, pc, cpsr). */
  registers: Record<string, number>;
  kernel: { path: string; start: number; end: number };
  dtb?: { start: number; size: number };
  initrd?: { start: number; end: number };
  ram: { base: number; size: number }[];
  bootargs?: string;
  /** Free text lines the builder logged (Xen's "Loading kernel from … to …"). */
  log: string[];
}

// ---- requests ------------------------------------------------------------------------------------

export const Requests = {
  /** → BootRecord (or an error when nothing has booted yet). */
  bootRecord: 'xenarm/bootRecord',
  /** → DeviceTreeResponse: the tree the guest received. */
  deviceTree: 'xenarm/deviceTree',
  /** ConsoleInputArgs → {}: bytes typed into the guest's console (PV console or semihosting stdin). */
  consoleInput: 'xenarm/consoleInput',
  /** HypercallTraceArgs → HypercallTraceResponse: the recorded hypercalls so far. */
  hypercallTrace: 'xenarm/hypercallTrace',
} as const;

export interface DeviceTreeResponse {
  /** The DTB bytes, base64. */
  dtb: string;
  /** Its source text (dtc -I dtb -O dts style), when the device-tree layer can print it. */
  dts?: string;
  /** Guest physical address where the DTB was placed. */
  address: number;
}

export interface ConsoleInputArgs { text: string }
export interface HypercallTraceArgs { since?: number; limit?: number }
export interface HypercallTraceResponse { records: HypercallRecord[] }

// ---- events --------------------------------------------------------------------------------------

export const Events = {
  /** ConsoleEventBody: guest console output (also mirrored as DAP `output` events). */
  console: 'xenarm/console',
  /** HypercallRecord, one per hypercall, as they happen (batched per run slice). */
  hypercall: 'xenarm/hypercall',
  /** BootRecord once the guest has been built. */
  boot: 'xenarm/boot',
} as const;

export interface ConsoleEventBody { text: string; stream: 'stdout' | 'stderr' | 'hvc0' }
export interface HypercallEventBody { records: HypercallRecord[] }

/** Exception breakpoint filter ids (setExceptionBreakpoints). */
export const ExceptionFilters = {
  hypercall: 'hypercall',
  smccc: 'smccc',
  guestFault: 'guest-fault',
} as const;
