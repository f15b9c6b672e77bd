// Issue 5, end to end: Debian's armmp-lpae kernel boots as Xen dom0 under `xenarm run` with a scripted
// busybox init on the PV console (hvc0), and the run ends through SCHEDOP_shutdown. Checked: the boot
// log from earlycon=xenboot on, Linux's own "Xen … support found" line, `uname -m` = armv7l, Xen event
// interrupts counting in /proc/interrupts, /sys/hypervisor, poweroff → exit 0, reboot → 129, --cpus 2 →
// two CPUs online, no BUG/WARNING/Oops line, and the same log and instruction count on two runs.
// The reference is Linux itself (its own messages); the virt-board test compares it with QEMU.
// The interactive test boots the zImage exactly as Debian ships it; to keep CI time reasonable the
// others boot a uImage of the Image the zImage carries (xz and mkimage): the zImage path (Xen's
// placement + the XZ decompressor) costs about two billion more instructions.
// Needs Debian's archive (or a filled cache), xz, mkimage and `npm run build` (dist/cli.js); skipped with
// a message otherwise, failed under CI=true.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { debianGuests } from '../support/debian';
import { MARK_END, MARK_START, busyboxInitramfs, decompressZImage, scriptedInit, textOffset, uImage, writeTemp } from './boot-log';
import { requireTools } from '../support/tools';

/** Xen's guest RAM base (GUEST_RAM0_BASE), where the dom0 builder puts dom0's memory. */
const GUEST_RAM_BASE = 0x40000000;

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const work = join(root, '.cache', 'linux-dom0');
const BAD = /\b(BUG|WARNING|Oops|Unable to handle|Internal error|Kernel panic)\b/;
const BOOTARGS = 'console=hvc0 earlycon=xenboot';

interface Run { status: number | null; stdout: string; stderr: string; seconds: number }

/** Runs `xenarm run` to its end; `input` is written to its standard input once `when` appears. */
function xenarm(args: string[], timeoutMs: number, input?: { when: string; text: string }): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, [cli, 'run', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', sent = false;
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('latin1');
      if (input && !sent && stdout.includes(input.when)) { sent = true; p.stdin.write(input.text); }
    });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString('latin1'); });
    if (!input) p.stdin.end();
    p.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr, seconds: (Date.now() - t0) / 1000 }); });
  });
}

const instructions = (r: Run) => Number(/xenarm: (\d+) instructions/.exec(r.stderr)?.[1] ?? NaN);
const tail = (r: Run) => `status ${r.status}\nstderr: ${r.stderr.slice(-800)}\nstdout: ${r.stdout.slice(-2500)}`;

let kernelImage: string | undefined;

function guests(t: { skip(msg: string): void }): { vmlinuz: string; zImage: string; busybox: Uint8Array; initrd: (end: 'poweroff' | 'reboot') => string } | undefined {
  if (!requireTools(t, ['xz', 'mkimage'], 'xz-utils, u-boot-tools')) return undefined;
  if (!existsSync(cli)) {
    if (process.env.CI) assert.fail('dist/cli.js missing: npm test builds it first');
    t.skip('dist/cli.js missing: run `npm run build`');
    return undefined;
  }
  const g = debianGuests();
  if ('error' in g) {
    if (process.env.CI) assert.fail(g.error);
    t.skip(`Debian packages unavailable: ${g.error}`);
    return undefined;
  }
  const busybox = new Uint8Array(readFileSync(g.busybox));
  if (!kernelImage) {
    const img = decompressZImage(g.vmlinuz);
    if ('error' in img) assert.fail(img.error);
    const u = uImage(work, img, GUEST_RAM_BASE + textOffset(readFileSync(g.config, 'utf8')));
    if (typeof u !== 'string') assert.fail(u.error);
    kernelImage = u;
  }
  return { vmlinuz: kernelImage, zImage: g.vmlinuz, busybox, initrd: (end) => writeTemp(work, `initrd-${end}.cpio.gz`, busyboxInitramfs(busybox, scriptedInit(end))) };
}

test('dom0: Debian Linux boots on the PV console to a scripted init and powers off; two runs identical', { timeout: 90 * 60 * 1000 }, async (t) => {
  const g = guests(t);
  if (!g) return;
  const args = [g.vmlinuz, '--initrd', g.initrd('poweroff'), '--bootargs', BOOTARGS, '--memory', '256', '--stats', '--trace-hypercalls'];
  const a = await xenarm(args, 40 * 60 * 1000);
  t.diagnostic(`run 1: ${a.seconds.toFixed(0)} s, ${instructions(a)} instructions`);
  assert.equal(a.status, 0, `poweroff -f ends with status 0\n${tail(a)}`);
  const log = a.stdout;
  assert.match(log, /Booting Linux on physical CPU/, 'earlycon shows the kernel from its first lines');
  assert.match(log, /Xen \d+\.\d+ support found/, 'Linux reports that it found Xen');
  assert.ok(log.includes(MARK_START) && log.includes(MARK_END), `the scripted init ran\n${tail(a)}`);
  const out = log.slice(log.indexOf(MARK_START), log.indexOf(MARK_END));
  assert.match(out, /^armv7l\r?$/m, 'uname -m');
  const events = /^\s*\d+:\s+(\d+)\s.*\bevents\b/m.exec(out);
  assert.ok(events && Number(events[1]) > 0, `/proc/interrupts shows the Xen event interrupt counting:\n${out}`);
  assert.deepEqual(log.split('\n').filter((l) => BAD.test(l)), [], 'no BUG/WARNING/Oops/panic line');
  // Every call answered -ENOSYS, from the trace: only the FIFO event-channel probe, whose -ENOSYS is
  // how Xen tells Linux to use the 2-level ABI.
  const calls = a.stderr.split('\n').filter((l) => l.startsWith('[#'));
  assert.ok(calls.length > 100, 'the trace lists the hypercalls');
  const enosys = [...new Set(calls.filter((l) => /= -ENOSYS\b/.test(l)).map((l) => l.replace(/^\[[^\]]*\] /, '')))];
  assert.deepEqual(enosys, ['event_channel_op(init_control) = -ENOSYS (-38)'], 'no hypercall Linux needs is answered -ENOSYS');

  const b = await xenarm(args, 40 * 60 * 1000);
  assert.equal(b.status, 0);
  assert.equal(instructions(b), instructions(a), 'same instruction count on a second run');
  assert.equal(b.stdout, a.stdout, 'same console output on a second run');
});

test('dom0: --cpus 2 brings the second vCPU up through PSCI; reboot -f ends with the reboot status; two runs identical', { timeout: 60 * 60 * 1000 }, async (t) => {
  const g = guests(t);
  if (!g) return;
  // Bounded: this boot to reboot takes 1.38 G instructions (both vCPUs), so 3 G means the run is stuck.
  const args = [g.vmlinuz, '--initrd', g.initrd('reboot'), '--bootargs', BOOTARGS, '--memory', '256', '--cpus', '2', '--stats', '--max-instructions', '3000000000'];
  const r = await xenarm(args, 20 * 60 * 1000);
  t.diagnostic(`${r.seconds.toFixed(0)} s, ${instructions(r)} instructions`);
  assert.equal(r.status, 129, `reboot -f ends with the reboot status 129\n${tail(r)}`);
  assert.match(r.stderr, /dom0 shut down: reboot/);
  assert.match(r.stdout, /smp: Brought up 1 node, 2 CPUs/, 'two CPUs online');
  assert.ok(r.stdout.includes(MARK_START) && r.stdout.includes(MARK_END), `the scripted init ran to its end\n${tail(r)}`);
  const out = r.stdout.slice(r.stdout.indexOf(MARK_START), r.stdout.indexOf(MARK_END));
  assert.match(out, /^processor\s*:\s*1\r?$/m, '/proc/cpuinfo lists CPU 1');
  assert.match(out, /^42 sum\r?$/m, 'the shell computes');
  // Both vCPUs take their own timer interrupts, and the IPIs Linux sends between them are counted.
  const timer = /^\s*\d+:\s+(\d+)\s+(\d+)\s+GIC-0\s+27\b/m.exec(out);
  assert.ok(timer && Number(timer[1]) > 0 && Number(timer[2]) > 0, `arch_timer counts on CPU0 and CPU1:\n${out}`);
  const resched = /^\s*IPI\d+:\s+(\d+)\s+(\d+)\s+Rescheduling interrupts/m.exec(out);
  assert.ok(resched && Number(resched[1]) + Number(resched[2]) > 0, `rescheduling IPIs were delivered:\n${out}`);
  assert.deepEqual(r.stdout.split('\n').filter((l) => BAD.test(l)), [], 'no BUG/WARNING/Oops/panic line');

  // Two vCPUs are scheduled deterministically: a second run gives the same log and instruction count.
  const again = await xenarm(args, 20 * 60 * 1000);
  assert.equal(again.status, 129);
  assert.equal(instructions(again), instructions(r), 'same instruction count on a second run');
  assert.equal(again.stdout, r.stdout, 'same console output on a second run');
});

test('dom0: the busybox shell is interactive through standard input; reboot -f ends with the reboot status', { timeout: 60 * 60 * 1000 }, async (t) => {
  const g = guests(t);
  if (!g) return;
  const init = ['#!/bin/busybox sh', '/bin/busybox --install -s /bin', 'mount -t proc proc /proc', 'echo READY-FOR-INPUT', 'exec sh', ''].join('\n');
  const initrd = writeTemp(work, 'initrd-interactive.cpio.gz', busyboxInitramfs(g.busybox, init));
  // The kernel exactly as Debian ships it (zImage: Xen's placement, then its own XZ decompressor).
  const r = await xenarm([g.zImage, '--initrd', initrd, '--bootargs', BOOTARGS, '--memory', '256'], 40 * 60 * 1000,
    { when: 'READY-FOR-INPUT', text: "echo typed-$((40 + 2))\nuname -m\ndmesg | grep -o -m1 'Xen [0-9.]* support found'\ngrep -c processor /proc/cpuinfo\nreboot -f\n" });
  // One vCPU, ended by reboot (the scripted test above ends by power-off): Linux's SCHEDOP_shutdown(reboot) → 129.
  assert.equal(r.status, 129, tail(r));
  assert.match(r.stderr, /dom0 shut down: reboot/);
  assert.match(r.stdout, /^typed-42\r?$/m, 'a typed command ran and printed');
  assert.match(r.stdout, /^armv7l\r?$/m);
  // Only the typed dmesg prints this line bare: the boot log's copy carries its timestamp.
  assert.match(r.stdout, /^Xen \d+\.\d+ support found\r?$/m, 'dmesg typed at the prompt prints the kernel log');
  assert.match(r.stdout, /^1\r?$/m, 'grep -c processor /proc/cpuinfo: one vCPU');
});
