// The seams between the parts of the AArch32 core: the execution core (cpu.ts, a32/t32 decoders),
// the memory system (mmu.ts, tlb, cp15.ts, timer) and the VFP unit (vfp/). Each part is written against
// these types only, so they can be built and tested separately. Layers above (hypervisor, debugger)
// use the Arm32Cpu class exported by cpu.ts, whose public surface is described by CpuApi.

import type { Bus } from '../bus';

/** Processor modes (CPSR.M). */
export const Mode = {
  USR: 0x10, FIQ: 0x11, IRQ: 0x12, SVC: 0x13, MON: 0x16, ABT: 0x17, HYP: 0x1a, UND: 0x1b, SYS: 0x1f,
} as const;
export type ModeValue = (typeof Mode)[keyof typeof Mode];

/** CPSR bits. */
export const PSR = {
  N: 1 << 31, Z: 1 << 30, C: 1 << 29, V: 1 << 28, Q: 1 << 27, J: 1 << 24, GE_SHIFT: 16, E: 1 << 9,
  A: 1 << 8, I: 1 << 7, F: 1 << 6, T: 1 << 5, M_MASK: 0x1f,
} as const;

/** Kinds of memory access, for permission checks and fault reporting. */
export const enum Access { Read = 0, Write = 1, Fetch = 2 }

/**
 * A synchronous abort raised by the memory system. Thrown (not an Error: no stack capture, it is
 * control flow) and caught by the core, which takes a data or prefetch abort with these values.
 * `fsr` is already encoded for the current format (short-descriptor DFSR/IFSR, or long-descriptor
 * with TTBCR.EAE=1), including the WnR bit for data aborts.
 */
export class MemoryAbort {
  constructor(
    public prefetch: boolean,
    public fsr: number,
    public far: number,
  ) {}
}

/** Thrown by any part when the instruction is UNDEFINED (or an access is not allowed at this PL). */
export class UndefinedInstruction {
  static readonly instance = new UndefinedInstruction();
}

/**
 * The CPU's view of memory through the current translation regime. Implemented by the memory system.
 * `user` means the access is checked as unprivileged (PL0): true in USR mode and for LDRT/STRT.
 * Accesses that fault throw MemoryAbort. Multi-byte accesses are little-endian.
 * Unaligned word/halfword accesses are allowed (split as needed, across pages too) unless SCTLR.A is
 * set, in which case an alignment fault is thrown. Instructions that always need alignment
 * (LDREX/STREX, LDM/STM, LDRD/STRD, VLDR…) call checkAlignment first.
 */
export interface VirtualMemory {
  read8(va: number, user: boolean): number;
  read16(va: number, user: boolean): number;
  read32(va: number, user: boolean): number;
  write8(va: number, value: number, user: boolean): void;
  write16(va: number, value: number, user: boolean): void;
  write32(va: number, value: number, user: boolean): void;
  /** Instruction fetch (execute permission, prefetch aborts). */
  fetch16(va: number, user: boolean): number;
  fetch32(va: number, user: boolean): number;
  /** Throws an alignment-fault MemoryAbort unless va is a multiple of `size`. */
  checkAlignment(va: number, size: number, write: boolean): void;
  /** Translates with full permission checks, throwing MemoryAbort; returns the physical address. */
  translate(va: number, access: Access, user: boolean): number;
  /**
   * Side-effect-free translation for debuggers and the hypervisor (no TLB fill, no fault state
   * change). Returns the physical address, or -1 when the address does not map for that access.
   */
  probe(va: number, access: Access, user: boolean): number;
  /**
   * Incremented whenever translations may have changed (TLB maintenance, SCTLR.M, TTBR, TTBCR,
   * DACR, CONTEXTIDR…); the core drops any fetch-translation cache it keeps when it changes.
   */
  readonly generation: number;
}

/** Exception vectors' offsets, and what the core needs to know about each. */
export const enum ExceptionKind {
  Reset = 0, Undefined = 1, Svc = 2, PrefetchAbort = 3, DataAbort = 4, Irq = 6, Fiq = 7,
}

/**
 * The CP15 system-control coprocessor and the generic timer registers (c14), implemented by the memory
 * system. The core decodes MCR/MRC/MCRR/MRRC with coproc 15 and forwards them here; anything not
 * implemented, or not accessible at the current PL, throws UndefinedInstruction.
 */
export interface Cp15 {
  /** MRC p15, opc1, <Rt>, CRn, CRm, opc2 */
  read(crn: number, opc1: number, crm: number, opc2: number, privileged: boolean): number;
  write(crn: number, opc1: number, crm: number, opc2: number, value: number, privileged: boolean): void;
  /** MRRC p15, opc1, <Rt>, <Rt2>, CRm: returns [low, high] */
  read64(opc1: number, crm: number, privileged: boolean): [number, number];
  write64(opc1: number, crm: number, low: number, high: number, privileged: boolean): void;

  // Fields the core reads or writes directly on exception entry (plain numbers, unsigned 32-bit).
  sctlr: number;
  vbar: number;
  dfsr: number;
  dfar: number;
  ifsr: number;
  ifar: number;
  cpacr: number;
  /** NSACR as seen by non-secure PL1: reads as the value that allows cp10/cp11. */
  readonly nsacr: number;
}

/** What the VFP unit needs from the core. */
export interface VfpHost {
  /** Core register access in the current mode (r15 reads as the architectural PC value for the instruction). */
  getReg(n: number): number;
  setReg(n: number, value: number): void;
  /** Sets APSR.NZCV from bits [31:28] of value (VMRS APSR_nzcv, FPSCR). */
  setNzcv(value: number): void;
  readonly privileged: boolean;
  readonly mem: VirtualMemory;
  readonly cp15: Cp15;
}

/**
 * The VFPv4-D32 unit. `execute` is handed every instruction in the coprocessor space whose coproc
 * field is 10 or 11 (CDP/MCR/MRC/MCRR/MRRC/LDC/STC forms), as a 32-bit word; Thumb encodings are
 * given as (hw1 << 16 | hw2), and the condition has already been checked by the core. It throws
 * UndefinedInstruction for anything unallocated or not enabled (CPACR, FPEXC.EN) and MemoryAbort
 * from loads and stores.
 */
export interface VfpUnit {
  execute(insn: number, thumb: boolean): void;
  /** Raw register file: 64 words, S0..S63 (D0..D31 as pairs, low word first). */
  readonly regs: Uint32Array;
  fpscr: number;
  fpexc: number;
  readonly fpsid: number;
  readonly mvfr0: number;
  readonly mvfr1: number;
  reset(): void;
}

/** Why run() returned. */
export const enum StopReason {
  /** The instruction budget ran out. */
  Budget = 0,
  /** WFI/WFE with nothing pending: the CPU is idle until an interrupt or event. */
  Idle = 1,
  /** A breakpoint address was reached (the instruction there has not executed). */
  Breakpoint = 2,
  /** A watchpoint matched (the access has completed; pc is after the accessing instruction). */
  Watchpoint = 3,
  /** Single step completed. */
  Step = 4,
  /** Stopped before taking an exception or HVC/SMC, because stopOnException asked for it. */
  Exception = 5,
  /** requestStop() was called (by a hook, another thread, or the hypervisor). */
  Requested = 6,
  /** The guest ended the run (semihosting exit, shutdown); see the exit status on the machine. */
  Halted = 7,
}

/** Watchpoint kinds. */
export const enum WatchKind { Read = 1, Write = 2, ReadWrite = 3 }

/**
 * Debug watchpoints live in the memory system (accesses to watched pages take the slow path, so unused
 * watchpoints cost nothing). When one matches, the access completes and `onWatch` is called; the core
 * then stops after the instruction with StopReason.Watchpoint.
 */
export interface WatchpointSupport {
  addWatchpoint(va: number, length: number, kind: WatchKind): number;
  removeWatchpoint(id: number): void;
  onWatch: ((va: number, size: number, write: boolean, id: number) => void) | null;
}

/** Semihosting I/O, provided by whoever runs the guest (CLI, debugger, tests). */
export interface SemihostingHost {
  /** Guest output on the console handles (stdout/stderr, SYS_WRITE/WRITEC/WRITE0). */
  write(bytes: Uint8Array, fd: 1 | 2): void;
  /** Next input byte, or -1 at end of input. */
  readByte(): number;
  /** SYS_EXIT / SYS_EXIT_EXTENDED: the guest ends the run with this status. */
  exit(status: number): void;
  readonly commandLine: string;
  /** Wall-clock seconds since the epoch for SYS_TIME (tests pass a fixed value for determinism). */
  time(): number;
}

/** What an HVC/SMC handler tells the core. */
export const enum TrapResult {
  /** Handled: registers may have changed; execution continues after the instruction. */
  Done = 0,
  /** Take the undefined-instruction exception instead. */
  Undefined = 1,
  /** Do not execute it now: stop with pc at the instruction (run() returns StopReason.Requested). */
  Stop = 2,
}

/**
 * The public surface of one AArch32 vCPU (class Arm32Cpu in cpu.ts), for the hypervisor, the board and
 * the debugger. Register numbers: 0–12, 13 sp, 14 lr, 15 pc. getReg(15) is the address of the next
 * instruction to execute (not the pipeline value).
 */
export interface CpuApi {
  readonly index: number;
  readonly bus: Bus;
  readonly mem: VirtualMemory & WatchpointSupport;
  readonly cp15: Cp15;
  readonly vfp: VfpUnit;
  /** Instructions retired since reset (exact; a condition-failed instruction counts as retired). */
  icount: number;
  /** The generic timer's count is timeBase + icount; the scheduler adjusts timeBase (idle skips, vCPU sync). */
  timeBase: number;

  getReg(n: number): number;
  setReg(n: number, value: number): void;
  getCpsr(): number;
  /** Writes every CPSR bit, switching register banks when the mode changes. */
  setCpsr(value: number): void;
  getBanked(mode: number, n: number): number;
  setBanked(mode: number, n: number, value: number): void;
  getSpsr(mode: number): number;
  setSpsr(mode: number, value: number): void;

  /** Interrupt inputs, driven by the interrupt controller. */
  setIrqLine(level: boolean): void;
  setFiqLine(level: boolean): void;
  /** SEV from another CPU or an event: wakes WFE. */
  signalEvent(): void;
  /** True while in WFI/WFE with nothing to wake it. */
  readonly idle: boolean;

  /** Executes at most `budget` instructions. */
  run(budget: number): StopReason;
  /** Makes run() return StopReason.Requested at the next instruction boundary (safe from hooks). */
  requestStop(): void;

  /** Resets the core: mode SVC, I/F/A masked, MMU off, registers 0, pc = entry (bit 0 selects Thumb). */
  reset(entry: number): void;
  /** Takes an exception now, as if the current instruction raised it (the hypervisor uses Undefined). */
  takeException(kind: ExceptionKind): void;

  // Hooks. All null/empty by default; unused hooks must cost nothing in the hot loop.
  onHvc: ((cpu: CpuApi, imm16: number) => TrapResult) | null;
  onSmc: ((cpu: CpuApi, imm4: number) => TrapResult) | null;
  /** Semihosting on SVC 0x123456 (ARM) / SVC 0xAB (Thumb) when set. */
  semihosting: SemihostingHost | null;
  /** Called before the core takes an exception; returning true stops first (StopReason.Exception). */
  onException: ((cpu: CpuApi, kind: ExceptionKind) => boolean) | null;
  addBreakpoint(va: number): void;
  removeBreakpoint(va: number): void;
  /** When true, run() executes one instruction and returns StopReason.Step. */
  singleStep: boolean;
}
