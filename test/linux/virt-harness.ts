// Boots a Linux zImage on xenarm's QEMU-virt-like board exactly as `qemu-system-arm -M virt -cpu
// cortex-a15 -m 256 -kernel zImage -initrd INITRD -dtb DTB` does (facts checked with gdb on QEMU 7.2):
//   - RAM at 0x40000000; the zImage at 0x40010000; the initrd at RAM + min(RAM/2, 128 MiB);
//     the DTB at the next 4 KiB boundary after the initrd;
//   - QEMU's four-instruction boot stub at 0x40000000 (mov r0,#0; ldr r1,=0xffffffff; ldr r2,=dtb;
//     ldr pc,=kernel), so instruction counts and PC traces line up with QEMU's from the first one;
//   - a PL011 UART at 0x09000000 on SPI 1 (GIC id 33), PSCI 1.1 answered on HVC as QEMU does.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Board, VIRT_RAM_BASE } from '../../src/machine/board';
import { cpuFactory } from '../../src/machine/cpu-factory';
import { Pl011 } from '../../src/machine/devices/pl011';
import type { CpuApi } from '../../src/machine/arm32/contracts';
import { TrapResult } from '../../src/machine/arm32/contracts';

export const KERNEL_OFFSET = 0x10000;
export const PL011_BASE = 0x09000000;
export const PL011_SPI = 33;
export const BOARD_DTS = join(import.meta.dirname, 'virt-board.dts');

/** QEMU's placement of the initrd and DTB for a RAM size (hw/arm/boot.c, 32-bit Linux boot). */
export function virtLayout(ramSize: number, initrdSize: number): { initrdStart: number; initrdEnd: number; dtbAddr: number } {
  const initrdStart = VIRT_RAM_BASE + Math.min(ramSize / 2, 128 * 1024 * 1024);
  const initrdEnd = initrdStart + initrdSize;
  return { initrdStart, initrdEnd, dtbAddr: Math.ceil(initrdEnd / 4096) * 4096 };
}

/**
 * Compiles the board's tree (test/linux/virt-board.dts) with dtc, adding /chosen as QEMU does for
 * -append and -initrd. Throws with dtc's message when it fails.
 */
export function buildVirtDtb(o: { bootargs: string; initrdStart?: number; initrdEnd?: number }): Uint8Array {
  let chosen = `\n/ { chosen { bootargs = ${JSON.stringify(o.bootargs)};`;
  if (o.initrdStart !== undefined && o.initrdEnd !== undefined) {
    chosen += ` linux,initrd-start = <0x${o.initrdStart.toString(16)}>; linux,initrd-end = <0x${o.initrdEnd.toString(16)}>;`;
  }
  chosen += ' }; };\n';
  const src = readFileSync(BOARD_DTS, 'utf8') + chosen;
  const r = spawnSync('dtc', ['-I', 'dts', '-O', 'dtb', '-q', '-o', '-', '-'], { input: src, maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`dtc failed: ${r.stderr?.toString().trim()}`);
  return new Uint8Array(r.stdout);
}

// PSCI function IDs (SMC32) and return codes, PSCI spec DEN0022.
const PSCI = {
  VERSION: 0x84000000, CPU_SUSPEND: 0x84000001, CPU_OFF: 0x84000002, CPU_ON: 0x84000003,
  AFFINITY_INFO: 0x84000004, MIGRATE_INFO_TYPE: 0x84000006, SYSTEM_OFF: 0x84000008,
  SYSTEM_RESET: 0x84000009, FEATURES: 0x8400000a,
} as const;
const NOT_SUPPORTED = -1;

/**
 * The blob as QEMU hands it to the guest for `-dtb FILE`: load_device_tree() grows the buffer to
 * (file size + 10000) * 2 and fdt_open_into() records that as totalsize (Linux reserves all of it).
 */
export function qemuPaddedDtb(dtb: Uint8Array): Uint8Array {
  const size = (dtb.length + 10000) * 2;
  const out = new Uint8Array(size);
  out.set(dtb);
  new DataView(out.buffer).setUint32(4, size, false);
  return out;
}

/** How the guest ended the run through PSCI. */
export type VirtExit = 'poweroff' | 'reset' | null;

export interface VirtLinuxOptions {
  kernel: Uint8Array;
  /** Where the kernel goes (default: QEMU's 0x40010000 for a zImage; an uncompressed Image runs at 0x40008000). */
  kernelAddr?: number;
  initrd?: Uint8Array;
  /** Kernel command line; /chosen is generated with it. */
  bootargs: string;
  memoryMiB?: number;
  /** The DTB file QEMU would get with -dtb (padded as QEMU does), instead of compiling test/linux/virt-board.dts. */
  dtb?: Uint8Array;
  /** Called with each byte the UART transmits. */
  onOutput?: (byte: number) => void;
}

export class VirtLinux {
  readonly board: Board;
  readonly uart: Pl011;
  readonly dtbAddr: number;
  private readonly out: number[] = [];
  exit: VirtExit = null;

  constructor(o: VirtLinuxOptions) {
    const ramSize = (o.memoryMiB ?? 256) * 1024 * 1024;
    this.board = new Board({ createCpu: cpuFactory, cpus: 1, ramBase: VIRT_RAM_BASE, ramSize });
    const gic = this.board.gic;
    this.uart = new Pl011({
      onTransmit: (b) => { this.out.push(b); o.onOutput?.(b); },
      setIrq: (level) => gic.setSpi(PL011_SPI, level),
    });
    this.board.bus.addMmio(PL011_BASE, 0x1000, 'pl011', this.uart);

    const initrd = o.initrd ?? new Uint8Array(0);
    const layout = virtLayout(ramSize, initrd.length);
    this.dtbAddr = layout.dtbAddr;
    const dtb = qemuPaddedDtb(o.dtb ?? buildVirtDtb({
      bootargs: o.bootargs,
      ...(o.initrd ? { initrdStart: layout.initrdStart, initrdEnd: layout.initrdEnd } : {}),
    }));
    const bus = this.board.bus;
    const kernelAddr = o.kernelAddr ?? VIRT_RAM_BASE + KERNEL_OFFSET;
    bus.load(kernelAddr, o.kernel);
    if (o.initrd) bus.load(layout.initrdStart, o.initrd);
    bus.load(layout.dtbAddr, dtb);
    // QEMU's boot stub (hw/arm/boot.c), word for word.
    const stub = [0xe3a00000, 0xe59f1004, 0xe59f2004, 0xe59ff004, 0xffffffff, layout.dtbAddr, kernelAddr];
    stub.forEach((w, i) => bus.write32(VIRT_RAM_BASE + 4 * i, w));

    const cpu = this.board.cpus[0];
    cpu.reset(VIRT_RAM_BASE);
    cpu.onHvc = (c) => this.psci(c);
  }

  private psci(cpu: CpuApi): TrapResult {
    const fn = cpu.getReg(0) >>> 0;
    let ret: number;
    switch (fn) {
      case PSCI.VERSION: ret = 0x10001; break; // PSCI 1.1, as QEMU 7.2 reports
      case PSCI.MIGRATE_INFO_TYPE: ret = 2; break; // no Trusted OS: migration not required
      case PSCI.FEATURES: {
        const q = cpu.getReg(1) >>> 0;
        ret = ([PSCI.VERSION, PSCI.CPU_SUSPEND, PSCI.CPU_OFF, PSCI.CPU_ON, PSCI.AFFINITY_INFO, PSCI.MIGRATE_INFO_TYPE,
          PSCI.SYSTEM_OFF, PSCI.SYSTEM_RESET, PSCI.FEATURES] as number[]).includes(q) ? 0 : NOT_SUPPORTED;
        break;
      }
      case PSCI.AFFINITY_INFO: ret = (cpu.getReg(1) & 0xff) === 0 ? 0 : 1; break; // only CPU 0 exists and is on
      case PSCI.CPU_ON: ret = (cpu.getReg(1) & 0xffffff) === 0 ? -4 /* ALREADY_ON */ : -2 /* INVALID_PARAMETERS */; break;
      case PSCI.CPU_SUSPEND: ret = 0; break; // standby: returns at once, like an interrupt-woken WFI
      case PSCI.SYSTEM_OFF: this.exit = 'poweroff'; this.board.halt(0); ret = 0; break;
      case PSCI.SYSTEM_RESET: this.exit = 'reset'; this.board.halt(0); ret = 0; break;
      default: ret = NOT_SUPPORTED;
    }
    cpu.setReg(0, ret >>> 0);
    return TrapResult.Done;
  }

  /** Everything the UART transmitted so far, as text. */
  get output(): string {
    return Buffer.from(this.out).toString('latin1');
  }

  /**
   * Runs until the guest powers off or resets, `until(output)` holds (checked between scheduling
   * rounds), or a limit is reached. Returns why it stopped and the instructions retired in this call.
   */
  run(o: { maxInstructions?: number; timeoutMs?: number; until?: (output: string) => boolean } = {}): { outcome: string; instructions: number } {
    let seen = this.out.length;
    const r = this.board.run({
      maxInstructions: o.maxInstructions,
      timeoutMs: o.timeoutMs,
      onSlice: o.until ? () => {
        if (this.out.length === seen) return false;
        seen = this.out.length;
        return o.until!(this.output);
      } : undefined,
    });
    return { outcome: r.outcome, instructions: r.instructions };
  }

  get icount(): number {
    return this.board.cpus.reduce((n, c) => n + c.icount, 0);
  }
}
