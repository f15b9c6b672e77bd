// Debian's armmp-lpae kernel on xenarm's QEMU-virt-like board (PL011 console, GICv2, generic timer,
// PSCI), against qemu-system-arm booting the same kernel, initramfs and device tree: the boot log and
// the scripted init's output must agree line for line (timestamps and interrupt counts aside), the run
// must end through PSCI SYSTEM_OFF, and no BUG/WARNING/Oops line may appear.
//
// xenarm boots the kernel image the zImage carries (decompressed with xz: the XZ decompressor alone
// costs about a billion emulated instructions); XENARM_LINUX_ZIMAGE=1 boots the zImage itself, as
// QEMU does. Needs qemu-system-arm, dtc and xz, and Debian's archive (or a filled cache): skipped with
// a message otherwise, failed under CI=true.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { debianGuests } from '../support/debian';
import { requireTools } from '../support/tools';
import { VirtLinux, buildVirtDtb, virtLayout, KERNEL_OFFSET } from './virt-harness';
import { MARK_END, MARK_START, busyboxInitramfs, comparableLog, decompressZImage, firstDifference, placedApart, qemuBoot, withoutNeon, scriptedInit, textOffset, writeTemp } from './boot-log';
import { VIRT_RAM_BASE } from '../../src/machine/board';

const BOOTARGS = 'console=ttyAMA0';
const work = join(import.meta.dirname, '..', '..', '.cache', 'linux-virt');
const BAD = /\b(BUG|WARNING|Oops|Unable to handle|Internal error|Kernel panic)\b/;

test('Debian armmp-lpae Linux boots on the virt board to a scripted busybox init, with QEMU\'s boot log', { timeout: 60 * 60 * 1000 }, async (t) => {
  if (!requireTools(t, ['qemu-system-arm', 'dtc', 'xz'], 'qemu-system-arm, device-tree-compiler, xz-utils')) return;
  const g = debianGuests();
  if ('error' in g) {
    if (process.env.CI) assert.fail(g.error);
    t.skip(`Debian packages unavailable: ${g.error}`);
    return;
  }
  const initrd = busyboxInitramfs(new Uint8Array(readFileSync(g.busybox)), scriptedInit('poweroff'));
  const layout = virtLayout(256 * 1024 * 1024, initrd.length);
  const dtb = buildVirtDtb({ bootargs: BOOTARGS, initrdStart: layout.initrdStart, initrdEnd: layout.initrdEnd });
  const initrdPath = writeTemp(work, 'initrd.cpio.gz', initrd);
  const dtbPath = writeTemp(work, 'virt.dtb', dtb);

  const qemuLog = await qemuBoot({ kernel: g.vmlinuz, initrd: initrdPath, dtb: dtbPath, bootargs: BOOTARGS, timeoutMs: 600_000 });
  assert.match(qemuLog, new RegExp(MARK_END), 'QEMU itself reaches the end of the scripted init');

  const zimage = process.env.XENARM_LINUX_ZIMAGE === '1';
  let kernel: Uint8Array, kernelAddr: number;
  if (zimage) {
    kernel = new Uint8Array(readFileSync(g.vmlinuz));
    kernelAddr = VIRT_RAM_BASE + KERNEL_OFFSET;
  } else {
    const img = decompressZImage(g.vmlinuz);
    if ('error' in img) assert.fail(img.error);
    kernel = img;
    kernelAddr = VIRT_RAM_BASE + textOffset(readFileSync(g.config, 'utf8')); // where the zImage's decompressor puts it
  }
  const vm = new VirtLinux({ kernel, kernelAddr, initrd, dtb, bootargs: BOOTARGS });
  const t0 = Date.now();
  const r = vm.run({ maxInstructions: 6_000_000_000 });
  const seconds = (Date.now() - t0) / 1000;
  t.diagnostic(`xenarm: ${vm.icount} instructions in ${seconds.toFixed(1)} s (${(vm.icount / seconds / 1e6).toFixed(2)} MIPS), outcome ${r.outcome}, exit ${vm.exit}`);

  writeTemp(work, 'xenarm.log', new TextEncoder().encode(vm.output));
  writeTemp(work, 'qemu.log', new TextEncoder().encode(qemuLog));
  const ours = comparableLog(vm.output), theirs = withoutNeon(comparableLog(qemuLog));
  const bad = ours.filter((l) => BAD.test(l));
  const i = firstDifference(ours, theirs);
  const context = (lines: string[]) => lines.slice(Math.max(0, i - 3), i + 4).map((l, k) => `${k + Math.max(0, i - 3) === i ? '>' : ' '} ${l}`).join('\n');
  assert.deepEqual(bad, [], 'no BUG/WARNING/Oops/panic line');
  assert.equal(i, -1, i < 0 ? '' : `first difference at line ${i + 1}\nxenarm:\n${context(ours)}\nQEMU:\n${context(theirs)}`);
  assert.deepEqual(placedApart(vm.output), placedApart(qemuLog), 'the lines printed from asynchronous contexts are the same');
  assert.ok(ours.includes(MARK_START) && ours.includes('armv7l'), 'the scripted init ran and uname -m printed armv7l');
  assert.equal(vm.exit, 'poweroff', 'poweroff -f ends the run through PSCI SYSTEM_OFF');
});
