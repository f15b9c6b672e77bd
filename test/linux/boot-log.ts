// Helpers shared by the Linux boot tests and the boot benchmark: the scripted initramfs, QEMU's run of
// the same kernel on the same board tree, and the normalisation that lets two boot logs be compared
// line by line (timestamps and counters that depend on timing are masked; everything else must agree).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { writeCpio, type CpioEntry } from '../../src/cli/initramfs/cpio';

/** A gzip-compressed newc initramfs: busybox, /dev/console, and `init` as /init. */
export function busyboxInitramfs(busybox: Uint8Array, init: string): Uint8Array {
  const entries: CpioEntry[] = [
    { kind: 'dir', path: 'bin' }, { kind: 'dir', path: 'dev' }, { kind: 'dir', path: 'proc' },
    { kind: 'dir', path: 'sys' }, { kind: 'dir', path: 'tmp' },
    { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'file', path: 'bin/busybox', data: busybox, mode: 0o755 },
    { kind: 'file', path: 'init', data: new TextEncoder().encode(init), mode: 0o755 },
  ];
  return new Uint8Array(gzipSync(writeCpio(entries), { level: 9 }));
}

export const MARK_START = 'XENARM-INIT-START';
export const MARK_END = 'XENARM-INIT-END';

/** The scripted init: a marker, a few commands whose output is compared, then poweroff (or reboot). */
export function scriptedInit(end: 'poweroff' | 'reboot' = 'poweroff'): string {
  return [
    '#!/bin/busybox sh',
    '/bin/busybox --install -s /bin',
    'mount -t proc proc /proc',
    'mount -t sysfs sysfs /sys',
    `echo ${MARK_START}`,
    'uname -m',
    'uname -r',
    'cat /proc/cpuinfo',
    'cat /proc/interrupts',
    'echo $((6 * 7)) sum',
    'ls /sys/hypervisor 2>&1',
    `echo ${MARK_END}`,
    `${end} -f`,
    '',
  ].join('\n');
}

/**
 * Boots the same kernel, initramfs and tree on qemu-system-arm (-M virt -cpu cortex-a15 -m 256) and
 * returns its serial output. QEMU exits when Linux powers off through PSCI (-no-reboot for reset).
 */
export async function qemuBoot(o: { kernel: string; initrd: string; dtb: string; bootargs: string; timeoutMs: number; icount?: boolean }): Promise<string> {
  const args = ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '256', '-nographic', '-nic', 'none', '-no-reboot',
    '-kernel', o.kernel, '-initrd', o.initrd, '-dtb', o.dtb, '-append', o.bootargs];
  if (o.icount) args.push('-icount', 'shift=0');
  return await new Promise((resolve, reject) => {
    const p = spawn('qemu-system-arm', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => { err += d; });
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`QEMU did not power off within ${o.timeoutMs} ms:\n${Buffer.concat(out).toString('latin1').slice(-2000)}`)); }, o.timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`qemu-system-arm exited ${code}: ${err}`));
      else resolve(Buffer.concat(out).toString('latin1'));
    });
  });
}

/** Writes a DTB to a file (QEMU takes -dtb FILE). */
export function writeTemp(dir: string, name: string, data: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

/**
 * One log line made comparable: printk timestamps dropped, and the few values that depend on how long
 * things took (interrupt counts, BogoMIPS of /proc/cpuinfo is fixed by the timer so kept, audit's
 * timestamp) masked with '#'.
 */
export function normaliseLine(line: string): string {
  let l = line.replace(/\r$/, '').replace(/^\[\s*\d+\.\d+\]\s?/, '');
  l = l.replace(/audit\(\d+\.\d+:(\d+)\)/, 'audit(#:$1)');
  // /proc/interrupts rows ("  26:   652  GIC-0  27 Level  arch_timer", "IPI2:  0  Rescheduling…"): counts are timing.
  // The count is printed right-aligned ("%10u"), so its padding changes with its digits: mask both.
  l = l.replace(/^(\s*(?:\d+|IPI\d+|Err):)\s+\d+/, '$1 #');
  return l;
}

/**
 * Lines printed from asynchronous contexts (kernel threads, deferred work): whether and where they
 * appear depends on timing, so they are compared apart from the ordered log (see placedApart).
 */
const PLACED_BY_TIMING = [
  /^random: crng init done/,
  /^audit: type=2000 audit\(/, // the kauditd thread prints it whenever it first runs
  /^Trying to unpack rootfs image as initramfs/, // the initramfs is unpacked by an async worker,
  /^Freeing initrd memory:/, // which may print before or after the initcalls that follow it
  /^clocksource: Switched to clocksource/,
];

/**
 * Lines about the host, not the guest: QEMU's TCG on a loaded host can stall a timer interrupt long
 * enough for Linux to warn; xenarm's virtual time cannot.
 */
const HOST_TIMING = [/^hrtimer: interrupt took \d+ ns/];

/** The log as ordered, comparable lines, without the lines whose place depends on timing. */
export function comparableLog(text: string): string[] {
  return text.split('\n').map(normaliseLine)
    .filter((l) => l.trim() !== '' && !PLACED_BY_TIMING.some((r) => r.test(l)) && !HOST_TIMING.some((r) => r.test(l)));
}

/**
 * QEMU's cortex-a15 has Advanced SIMD; xenarm's core implements VFPv4-D32 without it (a documented model
 * choice: MVFR1 says so), and Linux reports exactly that in /proc/cpuinfo. The one expected difference.
 */
export function withoutNeon(lines: string[]): string[] {
  return lines.map((l) => (/^Features\s*:/.test(l) ? l.replace(/ neon\b/, '') : l));
}

/** The timing-placed lines of a log, sorted (both logs must print the same ones, wherever). */
export function placedApart(text: string): string[] {
  return text.split('\n').map(normaliseLine).filter((l) => PLACED_BY_TIMING.some((r) => r.test(l)) && !/^random: crng init done/.test(l)).sort();
}

/** The first index where two logs differ, or -1. */
export function firstDifference(a: string[], b: string[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** The zImage's payload decompressed (Debian's armmp kernels are XZ with the ARM BCJ filter) with xz. */
export function decompressZImage(zimage: string): Uint8Array | { error: string } {
  const data = readFileSync(zimage);
  // The first XZ magic may be a constant inside the decompressor: try each until one decodes.
  for (let i = data.indexOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])); i >= 0; i = data.indexOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), i + 1)) {
    const r = spawnSync('xz', ['-dc', '--single-stream'], { input: data.subarray(i), maxBuffer: 1 << 28 });
    if (r.status === 0 && r.stdout.length > 0) return new Uint8Array(r.stdout);
  }
  return { error: `${zimage}: no XZ payload that xz can decode` };
}

/**
 * The offset of the kernel image from the start of RAM (TEXT_OFFSET), which the zImage's decompressor
 * uses and a directly loaded Image must respect: arch/arm/Makefile's rule over the kernel's config
 * (multiplatform kernels with Meson, as Debian's armmp, need 0x208000; Axxia 0x308000).
 */
export function textOffset(config: string): number {
  const on = (opt: string) => new RegExp(`^${opt}=y$`, 'm').test(config);
  if (on('CONFIG_ARCH_AXXIA')) return 0x308000;
  if (on('CONFIG_ARCH_MESON') || on('CONFIG_ARCH_MSM8X60') || on('CONFIG_ARCH_IPQ40XX') || (on('CONFIG_ARCH_SA1100') && on('CONFIG_SA1111'))) return 0x208000;
  if (on('CONFIG_PM_H1940')) return 0x108000;
  return 0x8000;
}

/**
 * Wraps an uncompressed kernel Image in a U-Boot legacy uImage (mkimage, u-boot-tools) to be loaded and
 * entered at `address`: boots without the zImage's XZ decompressor (about a billion instructions).
 */
export function uImage(dir: string, image: Uint8Array, address: number): string | { error: string } {
  const raw = writeTemp(dir, 'Image', image);
  const out = join(dir, 'uImage');
  const a = '0x' + address.toString(16);
  const r = spawnSync('mkimage', ['-A', 'arm', '-O', 'linux', '-T', 'kernel', '-C', 'none', '-a', a, '-e', a, '-n', 'Linux', '-d', raw, out], { encoding: 'utf8' });
  return r.status === 0 ? out : { error: `mkimage failed: ${r.stderr || r.error}` };
}
