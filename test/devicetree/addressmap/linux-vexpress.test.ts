// The address map against Linux's own translation: Debian's armmp-lpae kernel boots on QEMU's
// vexpress-a15 with the kernel tree's vexpress-v2p-ca15-tc1 device tree (three levels of nested
// ranges: bus@8000000 → motherboard-bus → iofpga-bus) and lists its platform and AMBA devices. Linux
// names each device "<CPU address>.<node name>" from of_translate_address (of_device_make_bus_id), so
// every such name must match the CPU address our map gives that node's first reg entry.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { writeCpio } from '../../../src/cli/initramfs/cpio';
import { buildAddressMap } from '../../../src/devicetree/addressmap/index';
import { dtbToTree } from '../../../src/devicetree/index';
import { cacheDir, debianGuests } from '../../support/debian';
import { requireTools } from '../../support/tools';

const linux = join(cacheDir, 'linux-dts');
const work = mkdtempSync(join(tmpdir(), 'xenarm-vexpress-'));
after(() => rmSync(work, { recursive: true, force: true }));

const INIT = `#!/bin/busybox sh
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox echo XENARM-DEVICES-BEGIN
/bin/busybox ls /sys/bus/platform/devices /sys/bus/amba/devices
/bin/busybox echo XENARM-DEVICES-END
/bin/busybox poweroff -f
`;

test('Linux on QEMU vexpress-a15 names its devices by the CPU addresses of our address map', { timeout: 600_000 }, (t) => {
  if (!requireTools(t, ['qemu-system-arm', 'dtc', 'cpp'], 'qemu-system-arm, device-tree-compiler, cpp')) return;
  const guests = debianGuests();
  if ('error' in guests || !existsSync(join(linux, 'VERSION'))) {
    const why = 'error' in guests ? guests.error : 'Linux device-tree corpus not in the cache (npm run fetch:linux-dts)';
    if (process.env.CI) assert.fail(why);
    t.skip(`${why}: skipping`);
    return;
  }
  const cpp = spawnSync('cpp', ['-nostdinc', '-I', 'scripts/dtc/include-prefixes', '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', 'arch/arm/boot/dts/vexpress-v2p-ca15-tc1.dts'], { cwd: linux, maxBuffer: 1 << 26 });
  assert.equal(cpp.status, 0, cpp.stderr.toString());
  const dtb = join(work, 'vexpress.dtb');
  const dtc = spawnSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', dtb, '-'], { input: cpp.stdout });
  assert.equal(dtc.status, 0, dtc.stderr.toString());

  const initrd = join(work, 'initrd.cpio.gz');
  writeFileSync(initrd, gzipSync(writeCpio([
    { kind: 'dir', path: 'bin' },
    { kind: 'dir', path: 'sys' },
    { kind: 'file', path: 'bin/busybox', data: new Uint8Array(readFileSync(guests.busybox)), mode: 0o755 },
    { kind: 'file', path: 'init', data: new TextEncoder().encode(INIT), mode: 0o755 },
  ])));
  const q = spawnSync('qemu-system-arm', ['-M', 'vexpress-a15', '-cpu', 'cortex-a15', '-m', '256', '-nographic', '-no-reboot', '-kernel', guests.vmlinuz, '-initrd', initrd, '-dtb', dtb, '-append', 'console=ttyAMA0 panic=-1'], { encoding: 'latin1', timeout: 540_000 });
  const log = q.stdout;
  const m = /XENARM-DEVICES-BEGIN\r?\n([\s\S]*?)XENARM-DEVICES-END/.exec(log);
  assert.ok(m, `no device listing in the boot log:\n${log.slice(-2000)}`);
  const names = m[1].split(/\s+/).filter((n) => n && !n.endsWith(':'));

  const map = buildAddressMap(dtbToTree(new Uint8Array(readFileSync(dtb))));
  const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1).replace(/@.*$/, '');
  const checked: string[] = [];
  const wrong: string[] = [];
  for (const name of names) {
    // "<addr>.<node>" or "<addr>.<bit>.<node>" (nodes with a "mask" property); others were not translated by Linux.
    const d = /^([0-9a-f]+)\.(?:[0-9a-f]+\.)?([^.:]+)$/.exec(name);
    if (!d) continue;
    const addr = BigInt('0x' + d[1]);
    const candidates = map.regions.filter((r) => r.index === 0 && baseName(r.path) === d[2]);
    // QEMU's vexpress board adds its own virtio-mmio transports to the tree it passes on.
    if (d[2] === 'virtio_mmio' && candidates.length === 0) continue;
    if (candidates.some((r) => r.cpuAddress === addr)) checked.push(name);
    else wrong.push(`${name}: ours ${candidates.map((r) => `${r.path}=${r.cpuAddress === undefined ? '-' : '0x' + r.cpuAddress.toString(16)}`).join(', ') || 'no such node'}`);
  }
  t.diagnostic(`${checked.length} device names from Linux match our CPU addresses: ${checked.join(' ')}`);
  assert.deepEqual(wrong, []);
  // The nested iofpga devices (three ranges deep) must be among them.
  assert.ok(checked.includes('1c090000.serial'), 'the motherboard UART (iofpga bus, three levels of ranges) was not checked');
  assert.ok(checked.length >= 20, `only ${checked.length} devices compared`);
});
