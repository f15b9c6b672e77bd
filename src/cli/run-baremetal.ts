// `xenarm run --machine virt`: a bare-metal guest on a QEMU-virt-like board (RAM at 0x40000000, GICv2
// at QEMU's addresses, generic timers), with ARM semihosting as its console and exit path — the same
// contract as `qemu-system-arm -M virt -cpu cortex-a15 -nographic -semihosting -kernel IMAGE`.
// stdout carries only guest output; diagnostics go to stderr; the exit status is the guest's.
import { readSync } from 'node:fs';
import { Board, VIRT_RAM_BASE } from '../machine/board';
import { readArmElf, ElfError } from '../machine/elf';
import { cpuFactory } from '../machine/cpu-factory';
import type { SemihostingHost } from '../machine/arm32/contracts';
import type { Bus } from '../machine/bus';
import { CliError, EXIT } from './errors';

export interface BareMetalOptions {
  image: Uint8Array;
  imageName: string;
  memoryMiB: number;
  cpus: number;
  semihosting: boolean;
  maxInstructions?: number;
  timeoutMs?: number;
  /** For raw binaries (not ELF): where to load, and where to start (default: the load address). */
  loadAddress?: number;
  entry?: number;
  /** Fixed SYS_TIME value (tests); wall clock otherwise. */
  fixedTime?: number;
}

export interface BareMetalIo {
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
  /** Next stdin byte or -1. */
  readByte(): number;
}

export interface BareMetalResult {
  status: number;
  instructions: number;
  board: Board;
}

const hex = (n: number) => '0x' + n.toString(16);

/**
 * Loads the image into RAM [ramBase, ramBase + ramSize) of `bus` and returns the entry point (bit 0 set
 * for Thumb). With bus null it only checks the image (errors first, before any machine is built).
 */
export function loadImage(bus: Bus | null, ramBase: number, ramSize: number, o: BareMetalOptions): number {
  const ramEnd = ramBase + ramSize;
  const put = (pa: number, size: number, what: string, bytes: Uint8Array) => {
    if (pa < ramBase || pa + size > ramEnd) {
      throw new CliError(`${o.imageName}: ${what} at ${hex(pa)}..${hex(pa + size)} is outside RAM ${hex(ramBase)}..${hex(ramEnd)} (use --memory to enlarge RAM)`);
    }
    bus?.load(pa, bytes);
  };
  const isElf = o.image.length >= 4 && o.image[0] === 0x7f && o.image[1] === 0x45 && o.image[2] === 0x4c && o.image[3] === 0x46;
  if (!isElf) {
    if (o.loadAddress === undefined) {
      throw new CliError(`${o.imageName}: not an ELF file; a raw binary needs --load-address (and optionally --entry)`, EXIT.BAD_INPUT);
    }
    if (o.image.length === 0) throw new CliError(`${o.imageName}: empty image`);
    put(o.loadAddress, o.image.length, 'image', o.image);
    return o.entry ?? o.loadAddress;
  }
  let elf;
  try {
    elf = readArmElf(o.image, o.imageName);
  } catch (e) {
    if (e instanceof ElfError) throw new CliError(e.message, EXIT.BAD_INPUT);
    throw e;
  }
  let entry = o.entry ?? elf.entry;
  for (const [i, p] of elf.loadSegments().entries()) {
    if (p.memsz === 0) continue;
    if (p.filesz > p.memsz) throw new CliError(`${o.imageName}: segment ${i} has file size ${p.filesz} larger than its memory size ${p.memsz}`);
    if (p.memsz > p.filesz) put(p.paddr + p.filesz, p.memsz - p.filesz, `segment ${i}`, new Uint8Array(p.memsz - p.filesz)); // bss
    put(p.paddr, p.filesz, `segment ${i}`, elf.segmentBytes(p));
    // Like QEMU, load at physical addresses; an entry given as a virtual address is translated.
    if (o.entry === undefined && p.vaddr !== p.paddr && elf.entry >= p.vaddr && elf.entry < p.vaddr + p.memsz) entry = elf.entry - p.vaddr + p.paddr;
  }
  return entry;
}

export async function runBareMetal(o: BareMetalOptions, io: BareMetalIo): Promise<BareMetalResult> {
  const ramSize = o.memoryMiB * 1024 * 1024;
  loadImage(null, VIRT_RAM_BASE, ramSize, o); // bad input is reported before anything else
  const board = new Board({ createCpu: cpuFactory, cpus: o.cpus, ramBase: VIRT_RAM_BASE, ramSize });
  const entry = loadImage(board.bus, VIRT_RAM_BASE, ramSize, o);
  const host: SemihostingHost = {
    write: (bytes, fd) => (fd === 2 ? io.stderr(bytes) : io.stdout(bytes)),
    readByte: () => io.readByte(),
    exit: (status) => board.halt(status),
    commandLine: o.imageName,
    time: () => o.fixedTime ?? Math.floor(Date.now() / 1000),
  };
  for (const cpu of board.cpus) {
    cpu.reset(entry); // SVC mode, IRQ/FIQ/aborts masked, MMU off
    cpu.semihosting = o.semihosting ? host : null;
  }
  const r = board.run({ maxInstructions: o.maxInstructions, timeoutMs: o.timeoutMs });
  switch (r.outcome) {
    case 'halted':
      return { status: board.exitStatus ?? 0, instructions: r.instructions, board };
    case 'limit':
      throw new CliError(`guest still running after --max-instructions ${o.maxInstructions} (pc ${pcs(board)})`, EXIT.LIMIT);
    case 'timeout':
      throw new CliError(`guest still running after --timeout ${(o.timeoutMs ?? 0) / 1000} s, ${r.instructions} instructions (pc ${pcs(board)})`, EXIT.LIMIT);
    case 'deadlock':
      throw new CliError(`guest hung: every vCPU waits for an interrupt (WFI/WFE) and no timer is armed, after ${r.instructions} instructions (pc ${pcs(board)})`, EXIT.CRASH);
    default:
      throw new CliError(`guest stopped unexpectedly on vCPU ${r.cpu} (reason ${r.reason}) at pc ${pcs(board)}`, EXIT.CRASH);
  }
}

function pcs(board: Board): string {
  return board.cpus.map((c) => hex(c.getReg(15))).join(', ');
}

/** Reads stdin one byte at a time, synchronously (the guest polls SYS_READC). */
export function stdinByteReader(): () => number {
  const buf = Buffer.alloc(1);
  return () => {
    try {
      return readSync(0, buf, 0, 1, null) === 1 ? buf[0] : -1;
    } catch {
      return -1;
    }
  };
}
