// A bare-metal ELF program on the QEMU-virt-like board (RAM at 0x40000000, GICv2, generic timers),
// with ARM semihosting as its console and exit path: the machine `xenarm run --machine virt` runs,
// wrapped for the debugger. The image is loaded at its physical addresses, as QEMU -kernel does.
import { Board, VIRT_RAM_BASE } from '../../machine/board';
import { cpuFactory } from '../../machine/cpu-factory';
import { readArmElf } from '../../machine/elf';
import type { SemihostingHost } from '../../machine/arm32/contracts';
import type { BootRecord, HypercallRecord } from '../protocol';
import type { DebugTarget, TargetRunResult } from './target';

export class TargetError extends Error {}

const hex = (n: number) => '0x' + (n >>> 0).toString(16);

export interface BareMetalTargetOptions {
  image: Uint8Array;
  imagePath: string;
  memoryMiB: number;
  cpus: number;
  semihosting: boolean;
}

export class BareMetalTarget implements DebugTarget {
  readonly board: Board;
  readonly boot: BootRecord;
  onConsole: DebugTarget['onConsole'] = null;
  onCall: ((rec: HypercallRecord) => boolean) | null = null;
  readonly calls: HypercallRecord[] = [];
  private readonly input: number[] = [];
  private readonly decoder = new TextDecoder();

  constructor(o: BareMetalTargetOptions) {
    const ramSize = o.memoryMiB * 1024 * 1024;
    const ramEnd = VIRT_RAM_BASE + ramSize;
    let elf;
    try {
      elf = readArmElf(o.image, o.imagePath);
    } catch (e) {
      throw new TargetError((e as Error).message);
    }
    const segments = elf.loadSegments().filter((p) => p.memsz > 0);
    if (segments.length === 0) throw new TargetError(`${o.imagePath}: no loadable segment`);
    for (const [i, p] of segments.entries()) {
      if (p.filesz > p.memsz) throw new TargetError(`${o.imagePath}: segment ${i} has file size ${p.filesz} larger than its memory size ${p.memsz}`);
      if (p.paddr < VIRT_RAM_BASE || p.paddr + p.memsz > ramEnd) {
        throw new TargetError(`${o.imagePath}: segment ${i} at ${hex(p.paddr)}..${hex(p.paddr + p.memsz)} is outside RAM ${hex(VIRT_RAM_BASE)}..${hex(ramEnd)} (raise "memory")`);
      }
    }
    this.board = new Board({ createCpu: cpuFactory, cpus: o.cpus, ramBase: VIRT_RAM_BASE, ramSize });
    let entry = elf.entry;
    let lo = Infinity, hi = 0;
    for (const p of segments) {
      this.board.bus.load(p.paddr, elf.segmentBytes(p));
      if (p.memsz > p.filesz) this.board.bus.load(p.paddr + p.filesz, new Uint8Array(p.memsz - p.filesz));
      if (p.vaddr !== p.paddr && elf.entry >= p.vaddr && elf.entry < p.vaddr + p.memsz) entry = elf.entry - p.vaddr + p.paddr;
      lo = Math.min(lo, p.paddr); hi = Math.max(hi, p.paddr + p.memsz);
    }
    const host: SemihostingHost = {
      write: (bytes, fd) => this.onConsole?.(this.decoder.decode(bytes, { stream: true }), fd === 2 ? 'stderr' : 'stdout'),
      readByte: () => this.input.shift() ?? -1,
      exit: (status) => this.board.halt(status),
      commandLine: o.imagePath,
      time: () => Math.floor(Date.now() / 1000),
    };
    for (const cpu of this.board.cpus) {
      cpu.reset(entry);
      cpu.semihosting = o.semihosting ? host : null;
    }
    const c = this.board.cpus[0];
    this.boot = {
      protocol: 'baremetal', entry,
      registers: { r0: c.getReg(0), r1: c.getReg(1), r2: c.getReg(2), sp: c.getReg(13), pc: c.getReg(15), cpsr: c.getCpsr() >>> 0 },
      kernel: { path: o.imagePath, start: lo, end: hi },
      ram: [{ base: VIRT_RAM_BASE, size: ramSize }],
      log: [`Loaded ${o.imagePath} at ${hex(lo)}..${hex(hi)}, entry ${hex(entry)}`],
    };
  }

  get cpus() { return this.board.cpus; }
  get bus() { return this.board.bus; }
  get exitStatus() { return this.board.exitStatus; }

  run(maxInstructions: number): TargetRunResult {
    return this.board.run({ maxInstructions });
  }

  consoleInput(text: string): void {
    for (const b of new TextEncoder().encode(text)) this.input.push(b);
  }

  deviceTree(): undefined {
    return undefined;
  }
}
