// `xenarm run` (dom0) and `xenarm dt` through the built CLI: the PV console on stdin/stdout, the trace
// on stderr, exit statuses for each way a guest ends, and one clear line for each kind of bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { requireTools, CROSS } from '../support/tools';
import { xenGuest } from './guest-runner';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const sample = join(root, 'sample', 'guest', 'dom0.elf');

function xenarm(args: string[], input = '') {
  assert.ok(existsSync(cli), 'dist/cli.js is built (npm test builds first)');
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'latin1', timeout: 120_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('run: the PV console is stdin/stdout; poweroff exits 0, reboot 129', () => {
  const a = xenarm(['run', sample], 'first line\rpoweroff\r');
  assert.equal(a.status, 0, a.err);
  assert.match(a.out, /^Hello from xenarm's example dom0!\n/);
  assert.match(a.out, /you typed: "first line"\n.*powering off\n$/s);
  assert.equal(a.err, '');
  const b = xenarm(['run', sample], 'reboot\n');
  assert.equal(b.status, 129);
  assert.match(b.err, /^xenarm: dom0 shut down: reboot\n$/);
});

test('run: a guest waiting for input that never comes is reported hung (130) when stdin ends', () => {
  const r = xenarm(['run', sample], '');
  assert.equal(r.status, 130);
  assert.match(r.err, /guest hung: every vCPU waits for an interrupt \(WFI\) and no timer is armed, after \d+ instructions \(pc 0x4000[0-9a-f]+\)/);
});

test('run --trace-hypercalls: one decoded line per call on stderr, guest output alone on stdout', () => {
  const r = xenarm(['run', sample, '--trace-hypercalls', '--bootargs', 'console=hvc0'], 'poweroff\r');
  assert.equal(r.status, 0);
  const lines = r.err.trimEnd().split('\n');
  assert.ok(lines.every((l) => /^\[#\d+ vcpu0 pc=0x[0-9a-f]{8} icount=\d+\] \w+\([^)]*\)( ".*")? = -?\d/.test(l)), lines.find((l) => !l.startsWith('[#')));
  assert.match(lines[0], /\] console_io\(write, count=34\) "Hello from xenarm's example dom0!\\n" = 0$/);
  assert.ok(lines.some((l) => /xen_version\(get_features, submap_idx=0\) = 0$/.test(l)));
  assert.ok(lines.some((l) => /memory_op\(add_to_physmap, domid=0x7ff0, space=shared_info, idx=0, gpfn=0x4000[0-9a-f]\) = 0$/.test(l)));
  assert.match(lines[lines.length - 1], /sched_op\(shutdown, reason=poweroff\) = 0$/);
  assert.ok(!r.out.includes('[#'));
});

test('run: exit statuses of the test guest (crash 130, watchdog 131) and the instruction limit (124)', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const boot = await xenGuest('boot');
  assert.equal(xenarm(['run', boot, '--bootargs', 'shutdown=3']).status, 130);
  assert.equal(xenarm(['run', boot, '--bootargs', 'watchdog']).status, 131);
  assert.equal(xenarm(['run', boot, '--bootargs', 'psci=off']).status, 0);
  const lim = xenarm(['run', boot, '--max-instructions', '1000']);
  assert.equal(lim.status, 124);
  assert.match(lim.err, /guest still running after --max-instructions 1000 \(pc 0x4000[0-9a-f]+\)/);
  const at = xenarm(['run', boot, '--boot-protocol', 'atags', '--machine-id', '0x8e0', '--bootargs', 'shutdown=1']);
  assert.equal(at.status, 129);
  assert.match(at.out, /machine number = 2272\n/);
});

test('bad input: one line each, with exit 64 for usage and 65 for bad files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-cli-'));
  writeFileSync(join(dir, 'bad.dts'), '/dts-v1/;\n/ {\n\tchosen { bootargs = "x" };\n};\n');
  writeFileSync(join(dir, 'junk.img'), 'definitely not a kernel image, just text\n');
  // A 6 MiB zImage (magic, start 0, end 6 MiB) and a 6 MB initrd: neither fits in 4 MiB of RAM.
  const bigz = Buffer.alloc(6 * 1024 * 1024);
  bigz.writeUInt32LE(0x016f2818, 0x24);
  bigz.writeUInt32LE(bigz.length, 0x2c);
  writeFileSync(join(dir, 'big.zImage'), bigz);
  writeFileSync(join(dir, 'big.initrd'), Buffer.alloc(6_000_000, 1));
  writeFileSync(join(dir, 'short.dtb'), Buffer.concat([Buffer.from([0xd0, 0x0d, 0xfe, 0xed]), Buffer.alloc(60)]));
  const cases: [string[], number, RegExp][] = [
    [['run', join(dir, 'missing')], 65, /missing: cannot read the kernel: ENOENT/],
    [['run', join(dir, 'junk.img')], 65, /junk\.img: unknown kernel format/],
    [['run', sample, '--cpus', '9'], 64, /--cpus 9 is out of range/],
    [['run', sample, '--machine-id', '5'], 64, /--machine-id only applies to --boot-protocol atags/],
    [['run', sample, '--boot-protocol', 'uefi'], 64, /--boot-protocol wants dtb or atags/],
    [['run', sample, '--dt-overlay', join(dir, 'bad.dts')], 65, /bad\.dts:3\.\d+/],
    [['run', sample, '--memory', '4', '--initrd', sample], 65, /not enough memory|does not fit/],
    [['run', sample, '--machine', 'virt', '--bootargs', 'x'], 64, /--bootargs only applies to --machine xen/],
    [['dt', sample, '--boot-protocol', 'atags'], 64, /ATAGS list, not a device tree/],
    [['dt', sample, '-O', 'yaml'], 64, /-O wants dts or dtb/],
    [['run', join(dir, 'big.zImage'), '--memory', '4'], 65, /big\.zImage: zImage \(6291456 bytes at 0x40000000\.\.0x40600000\) does not fit in RAM 0x40000000\.\.0x40400000 \(4 MiB; use --memory to enlarge it\)$/],
    [['dt', join(dir, 'big.zImage'), '--memory', '4'], 65, /big\.zImage: zImage .* does not fit in RAM/],
    [['run', sample, '--memory', '4', '--initrd', join(dir, 'big.initrd')], 65, /not enough memory for the kernel \(\d+ bytes with 2 MiB rounding\), tree and initrd \(8388608 bytes, likewise\) in 4 MiB of RAM \(use --memory to enlarge it\)$/],
    [['run', sample, '--initrd', join(dir, 'missing.cpio')], 65, /missing\.cpio: cannot read the initrd: ENOENT$/],
    [['run', sample, '--dtb', join(dir, 'bad.dts')], 65, /bad\.dts:3\.26-27 syntax error$/],
    [['dt', sample, '--dtb', join(dir, 'bad.dts')], 65, /bad\.dts:3\.26-27 syntax error$/],
    [['run', sample, '--dtb', join(dir, 'short.dtb')], 65, /short\.dtb: malformed DTB at byte offset 4: DT blob size \(0\) is too small$/],
    [['dt', join(dir, 'junk.img')], 65, /junk\.img: unknown kernel format \(not a zImage, uImage, gzip, arm64 Image or ELF; first bytes 64 65 66 69 6e 69 74 65\)$/],
    [['run', sample, '--memory', '0'], 64, /--memory 0 MiB is out of range \(1\.\.3072\)$/],
    [['dt', sample, '-o', join(dir, 'no-such-dir', 'tree.dts')], 65, /no-such-dir\/tree\.dts: cannot write: ENOENT$/],
    [['dt', sample, '--dt-overlay', join(dir, 'bad.dts')], 65, /bad\.dts:3\.26-27 syntax error$/],
  ];
  for (const [args, status, re] of cases) {
    const r = xenarm(args);
    assert.equal(r.status, status, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err.trimEnd(), re);
    assert.ok(r.err.startsWith('xenarm: '), r.err);
    assert.equal(r.err.trimEnd().split('\n').length, 1, `one line: ${r.err}`);
    assert.ok(!/internal error|    at /.test(r.err));
  }
});

test('dt: prints the tree the guest gets (bootargs, initrd, cpus), -v tells where everything goes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-dt-'));
  writeFileSync(join(dir, 'initrd'), Buffer.alloc(3 * 1024 * 1024, 1));
  const r = xenarm(['dt', sample, '--cpus', '2', '--bootargs', 'console=hvc0', '--initrd', join(dir, 'initrd'), '-v']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /bootargs = "console=hvc0";\n\t\tlinux,initrd-start = <0x00 0x47c00000>;\n\t\tlinux,initrd-end = <0x00 0x47f00000>;/);
  assert.equal((r.out.match(/\tcpu@\d \{/g) ?? []).length, 2);
  assert.match(r.err, /tree: \d+ bytes at 0x47a00000; initrd: 3145728 bytes at 0x47c00000/);
  assert.match(r.err, /entry registers: r0=0x0 r1=0xffffffff r2=0x47a00000 cpsr=0x400001d3/);
});
