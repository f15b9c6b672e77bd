// The hypervisor's public face: builds dom0 (kernel, initrd, generated or user tree, boot registers) on a
// board laid out as Xen's guest memory map, and runs it. The debugger and the CLI use only this class.
import { Board } from '../machine/board';
import { cpuFactory } from '../machine/cpu-factory';
import type { CpuFactory, TimerOutputs } from '../machine/board';
import { BOOT_CPSR, BOOT_SCTLR, DT_MACHINE_ID, GUEST, VEXPRESS_MACHINE_ID } from './abi';
import { Domain, SHUTDOWN_EXIT, type HypercallRecord, type HypervisorEvent, type ShutdownReason } from './domain';
import { Dom0Error } from './errors';
import { placeKernel, placeModules, type ImageKind } from './kernel-image';
import { makeDom0Tree, type UserTree } from './dom0-tree';
import { treeToDtb } from '../devicetree/index';
import { buildAtags, ATAGS_OFFSET } from './atags';
import { PoweredVcpu } from './powered-vcpu';
import type { DeviceTree } from '../devicetree/model';

export { Dom0Error } from './errors';
export type { HypercallRecord, HypervisorEvent, ShutdownReason } from './domain';

export interface Dom0Options {
  kernel: Uint8Array;
  /** File name, for messages. */
  kernelPath: string;
  initrd?: Uint8Array;
  initrdPath?: string;
  bootargs?: string;
  /** RAM size (default 128 MiB). */
  memoryMiB?: number;
  /** vCPUs (default 1, at most 8: the GICv2 limit). */
  cpus?: number;
  /** The user's own tree (DTS or DTB) in place of the generated one; /chosen still gets bootargs and initrd. */
  dtb?: UserTree;
  /** A DTS file merged into the tree (generated or the user's), as dtc merges a node written twice. */
  dtOverlay?: UserTree;
  /** 'dtb' (default): r2 = tree; 'atags': the legacy protocol, r1 = machine number, r2 = ATAGS list. */
  bootProtocol?: 'dtb' | 'atags';
  /** Machine number for the ATAGS protocol (default 2272, Versatile Express). */
  machineId?: number;
  /** Instructions per vCPU per scheduling round (default: the board's). */
  sliceInstructions?: number;
}

export interface BootRecord {
  imageKind: ImageKind;
  compressed: boolean;
  description: string;
  loadAddress: number;
  /** First byte after the image. */
  loadEnd: number;
  entry: number;
  protocol: 'dtb' | 'atags';
  /** Tree (dtb protocol) or ATAGS list address and size. */
  dtbAddress: number;
  dtbSize: number;
  initrdAddress?: number;
  initrdSize?: number;
  /** Entry registers of vCPU 0. */
  r0: number;
  r1: number;
  r2: number;
  cpsr: number;
  pc: number;
  sctlr: number;
  mpidr: number[];
}

export type Dom0RunReason = 'budget' | 'timeout' | 'shutdown' | 'stopped' | 'deadlock';

export interface Dom0RunResult {
  reason: Dom0RunReason;
  instructions: number;
  shutdown?: { reason: ShutdownReason; code: number; exitStatus: number };
  /** For 'stopped': which vCPU, the core's StopReason, and the hypercall when it stopped before one. */
  vcpu?: number;
  stopReason?: number;
  hypercall?: HypercallRecord;
}

const MiB = 1024 * 1024;

export class Dom0 {
  readonly board: Board;
  readonly domain: Domain;
  readonly boot: BootRecord;
  /** The tree handed to the guest (DTB bytes), or the ATAGS list. */
  readonly dtb: Uint8Array;
  /** The tree handed to the guest as a live tree (absent with the ATAGS protocol). */
  readonly tree: DeviceTree | null;
  readonly vcpus: PoweredVcpu[];

  private constructor(board: Board, domain: Domain, vcpus: PoweredVcpu[], boot: BootRecord, dtb: Uint8Array, tree: DeviceTree | null) {
    this.board = board; this.domain = domain; this.vcpus = vcpus; this.boot = boot; this.dtb = dtb; this.tree = tree;
  }

  static create(o: Dom0Options): Dom0 {
    const memoryMiB = o.memoryMiB ?? 128;
    if (!Number.isInteger(memoryMiB) || memoryMiB < 1 || memoryMiB > 3072) throw new Dom0Error(`memory of ${memoryMiB} MiB is out of range (1..3072)`, 'usage');
    const cpus = o.cpus ?? 1;
    if (!Number.isInteger(cpus) || cpus < 1 || cpus > 8) throw new Dom0Error(`${cpus} vCPUs is out of range (1..8, the GICv2 limit)`, 'usage');
    const protocol = o.bootProtocol ?? 'dtb';
    const ram = { base: GUEST.ramBase, size: memoryMiB * MiB };
    const kernel = placeKernel(o.kernel, o.kernelPath, ram);
    const initrdSize = o.initrd?.length ?? 0;
    const mpidrs = Array.from({ length: cpus }, (_, i) => (0x80000000 | ((i >> 4) << 8) | (i & 0xf)) >>> 0);

    // The tree's size decides where it and the initrd go, and the initrd's address is in the tree:
    // build it with placeholder initrd values (same size), place, then build it for real.
    let tree: DeviceTree | null = null;
    let blob: Uint8Array;
    let dtbAddr: number, initrdAddr: number;
    const treeFor = (initrd?: { start: number; end: number }) => makeDom0Tree({ memoryBytes: ram.size, cpus, mpidrs, bootargs: o.bootargs, initrd, userTree: o.dtb, overlay: o.dtOverlay });
    if (protocol === 'atags') {
      const at = placeModules(ram, kernel.loadAddress, kernel.end, 0, initrdSize, o.kernelPath);
      initrdAddr = at.initrd;
      dtbAddr = ram.base + ATAGS_OFFSET;
      if (kernel.loadAddress < dtbAddr + 4096 && kernel.end > dtbAddr) throw new Dom0Error(`${o.kernelPath}: the kernel at 0x${kernel.loadAddress.toString(16)} overlaps the ATAGS list at 0x${dtbAddr.toString(16)}`);
      blob = buildAtags({ ramBase: ram.base, ramSize: ram.size, cmdline: o.bootargs, initrd: o.initrd ? { start: initrdAddr, size: initrdSize } : undefined });
    } else {
      const draft = treeToDtb(treeFor(o.initrd ? { start: 0, end: 0 } : undefined));
      const at = placeModules(ram, kernel.loadAddress, kernel.end, draft.length, initrdSize, o.kernelPath);
      dtbAddr = at.dtb; initrdAddr = at.initrd;
      tree = treeFor(o.initrd ? { start: initrdAddr, end: initrdAddr + initrdSize } : undefined);
      blob = treeToDtb(tree);
    }

    const vcpus: PoweredVcpu[] = [];
    const factory: CpuFactory = (args) => {
      const { cpu, timer } = cpuFactory(args);
      const v = new PoweredVcpu(cpu, args.index === 0);
      vcpus.push(v);
      // A vCPU sleeping in SCHEDOP_poll with a timeout is a deadline too, so the board skips to it when
      // everything is idle. Everything but nextDeadline goes straight to the timer.
      const withWake: TimerOutputs = {
        nextDeadline: () => Math.min(timer.nextDeadline(), v.wakeAt),
        physLevel: () => timer.physLevel(),
        virtLevel: () => timer.virtLevel(),
        get cntvoff() { return timer.cntvoff; },
        set cntvoff(x) { timer.cntvoff = x; },
        ...(timer.secPhysLevel ? { secPhysLevel: () => timer.secPhysLevel!() } : {}),
        ...(timer.hypLevel ? { hypLevel: () => timer.hypLevel!() } : {}),
      };
      return { cpu: v, timer: withWake };
    };
    const board = new Board({
      createCpu: factory, cpus, ramBase: ram.base, ramSize: ram.size,
      gicDistBase: GUEST.gicdBase, gicCpuBase: GUEST.giccBase, sliceInstructions: o.sliceInstructions,
    });
    for (const s of kernel.segments) {
      board.bus.load(s.pa, s.bytes);
      if (s.zero) board.bus.load(s.pa + s.bytes.length, new Uint8Array(s.zero));
    }
    board.bus.load(dtbAddr, blob);
    if (o.initrd) board.bus.load(initrdAddr, o.initrd);

    const domain = new Domain(board, vcpus, ram);
    const v0 = vcpus[0];
    v0.reset(kernel.entry);
    v0.setCpsr((BOOT_CPSR & ~0x20) | (kernel.entry & 1 ? 0x20 : 0));
    v0.cp15.write(1, 0, 0, 0, BOOT_SCTLR, true);
    const r1 = protocol === 'atags' ? (o.machineId ?? VEXPRESS_MACHINE_ID) >>> 0 : DT_MACHINE_ID;
    v0.setReg(0, 0);
    v0.setReg(1, r1);
    v0.setReg(2, dtbAddr);

    const boot: BootRecord = {
      imageKind: kernel.kind, compressed: kernel.compressed, description: kernel.description,
      loadAddress: kernel.loadAddress, loadEnd: kernel.end, entry: kernel.entry, protocol,
      dtbAddress: dtbAddr, dtbSize: blob.length,
      ...(o.initrd ? { initrdAddress: initrdAddr, initrdSize } : {}),
      r0: 0, r1, r2: dtbAddr, cpsr: v0.getCpsr(), pc: v0.getReg(15), sctlr: v0.cp15.sctlr, mpidr: mpidrs,
    };
    return new Dom0(board, domain, vcpus, boot, blob, tree);
  }

  set onConsoleOutput(f: (bytes: Uint8Array) => void) { this.domain.onConsoleOutput = f; }
  set onHypercall(f: (r: HypercallRecord) => void) { this.domain.onHypercall = f; }
  set onEvent(f: (e: HypervisorEvent) => void) { this.domain.onEvent = f; }
  set shouldStopOnHypercall(f: ((r: HypercallRecord) => boolean) | null) { this.domain.shouldStopOnHypercall = f; }

  /** Bytes typed on the PV console. */
  consoleInput(bytes: Uint8Array): void { this.domain.consoleInput(bytes); }

  /** Runs until the budget, the timeout, a shutdown, a debugger stop, or every vCPU waits forever. */
  run(maxInstructions = Infinity, timeoutMs?: number): Dom0RunResult {
    if (this.domain.shutdownInfo) return this.shutdownResult(0);
    this.domain.stoppedAt = null;
    const r = this.board.run({ maxInstructions, timeoutMs, onSlice: () => { this.domain.tick(); return this.domain.stopped; } });
    if (this.domain.shutdownInfo) return this.shutdownResult(r.instructions);
    switch (r.outcome) {
      case 'limit': return { reason: 'budget', instructions: r.instructions };
      case 'timeout': return { reason: 'timeout', instructions: r.instructions };
      case 'deadlock': return { reason: 'deadlock', instructions: r.instructions };
      default: {
        const hc = this.domain.stoppedAt;
        return { reason: 'stopped', instructions: r.instructions, vcpu: r.cpu, stopReason: r.reason, ...(hc ? { hypercall: hc } : {}) };
      }
    }
  }

  private shutdownResult(instructions: number): Dom0RunResult {
    const s = this.domain.shutdownInfo!;
    return { reason: 'shutdown', instructions, shutdown: { reason: s.reason, code: s.code, exitStatus: SHUTDOWN_EXIT[s.reason] } };
  }
}
