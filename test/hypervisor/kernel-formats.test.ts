// Kernel formats and placement as Xen's kernel.c / domain_build.c: the same guest booted as ELF, zImage
// (its raw binary carries a zImage header), gzip-compressed zImage, and uImage made by U-Boot's mkimage
// (plain and gzip); Xen's placement rules for position-independent images and for the tree/initrd;
// one clear error for each kind of bad image.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { requireTools, CROSS } from '../support/tools';
import { bootGuest, failedChecks, xenGuest } from './guest-runner';
import { placeKernel, placeModules } from '../../src/hypervisor/kernel-image';
import { Dom0, Dom0Error } from '../../src/hypervisor/dom0';

const MiB = 1024 * 1024;
const RAM128 = { base: 0x40000000, size: 128 * MiB };

async function binary(): Promise<string> {
  await xenGuest('boot');
  // @ts-ignore: plain ESM build script
  const { xenGuestBinary } = await import('../guests/xen/build.mjs');
  return xenGuestBinary('boot') as string;
}

function bootBytes(kernel: Uint8Array, name: string) {
  const d = Dom0.create({ kernel, kernelPath: name, bootargs: 'x' });
  let out = '';
  d.onConsoleOutput = (b) => { out += Buffer.from(b).toString(); };
  const r = d.run(10_000_000);
  return { d, r, out };
}

test('the same guest boots as ELF, zImage and gzip-compressed zImage', async (t) => {
  if (!requireTools(t, [CROSS.gcc, CROSS.objcopy], 'gcc-arm-linux-gnueabihf binutils-arm-linux-gnueabihf')) return;
  const elf = bootGuest(await xenGuest('boot'), { bootargs: 'x' });
  assert.equal(elf.dom0.boot.imageKind, 'ELF');
  const bin = new Uint8Array(readFileSync(await binary()));
  for (const [bytes, compressed] of [[bin, false], [gzipSync(bin), true]] as const) {
    const { d, r, out } = bootBytes(bytes, 'boot.bin');
    assert.equal(d.boot.imageKind, 'zImage');
    assert.equal(d.boot.compressed, compressed);
    assert.equal(d.boot.loadAddress, 0x40008000, 'a zImage linked at an address is loaded there');
    assert.equal(d.boot.entry, 0x40008000);
    assert.deepEqual(failedChecks(out), []);
    assert.equal(r.shutdown?.reason, 'poweroff');
    assert.equal(out, elf.console, 'same console output as the ELF boot');
  }
});

test('uImage made by mkimage (none and gzip) boots at its load address', async (t) => {
  if (!requireTools(t, [CROSS.gcc, CROSS.objcopy, 'mkimage'], 'gcc-arm-linux-gnueabihf u-boot-tools')) return;
  const binPath = await binary();
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-uimage-'));
  for (const comp of ['none', 'gzip']) {
    let payload = binPath;
    if (comp === 'gzip') {
      payload = join(dir, 'boot.bin.gz');
      writeFileSync(payload, gzipSync(readFileSync(binPath)));
    }
    const out = join(dir, `uImage-${comp}`);
    const m = spawnSync('mkimage', ['-A', 'arm', '-O', 'linux', '-T', 'kernel', '-C', comp, '-a', '0x40008000', '-e', '0x40008000', '-n', 'xenarm boot guest', '-d', payload, out], { encoding: 'utf8' });
    assert.equal(m.status, 0, m.stderr);
    const { d, r, out: con } = bootBytes(new Uint8Array(readFileSync(out)), out);
    assert.equal(d.boot.imageKind, 'uImage');
    assert.equal(d.boot.compressed, comp === 'gzip');
    assert.equal(d.boot.description, "uImage 'xenarm boot guest'");
    assert.equal(d.boot.loadAddress, 0x40008000);
    assert.deepEqual(failedChecks(con), []);
    assert.equal(r.shutdown?.reason, 'poweroff');
  }
});

/** A zImage header: magic at 0x24, start at 0x28, end at 0x2c, padded to `len`. */
function zimage(start: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  const dv = new DataView(b.buffer);
  dv.setUint32(0x24, 0x016f2818, true);
  dv.setUint32(0x28, start, true);
  dv.setUint32(0x2c, start + len, true);
  return b;
}

test('position-independent zImage: as high as possible below RAM + 128 MiB, 2 MiB aligned (kernel_zimage_place)', () => {
  const k = placeKernel(zimage(0, 0x123456), 'z', RAM128);
  assert.equal(k.loadAddress, 0x47e00000); // (0x48000000 - 0x123456) & ~0x1fffff
  const small = placeKernel(zimage(0, 0x400000), 'z', { base: 0x40000000, size: 64 * MiB });
  assert.equal(small.loadAddress, 0x43c00000); // load_end = RAM end (64 MiB < 128 MiB)
  const big = placeKernel(zimage(0, 0x123456), 'z', { base: 0x40000000, size: 512 * MiB });
  assert.equal(big.loadAddress, 0x47e00000, 'never above RAM + 128 MiB');
});

test('an FDT appended to a zImage counts as part of it', () => {
  const z = zimage(0, 0x1000);
  const fdt = new Uint8Array(0x200);
  new DataView(fdt.buffer).setUint32(0, 0xd00dfeed);
  new DataView(fdt.buffer).setUint32(4, 0x200);
  const both = new Uint8Array(0x1200);
  both.set(z); both.set(fdt, 0x1000);
  assert.equal(placeKernel(both, 'z', RAM128).end - placeKernel(both, 'z', RAM128).loadAddress, 0x1200);
});

test('tree and initrd placement: at RAM + 128 MiB, else at the end of RAM, else below the kernel (place_modules)', () => {
  const ram256 = { base: 0x40000000, size: 256 * MiB };
  assert.deepEqual(placeModules(ram256, 0x40008000, 0x40800000, 0x800, 3 * MiB, 'k'), { dtb: 0x48000000, initrd: 0x48200000 });
  assert.deepEqual(placeModules(RAM128, 0x40008000, 0x40800000, 0x800, 0, 'k'), { dtb: 0x47e00000, initrd: 0x48000000 });
  assert.deepEqual(placeModules(RAM128, 0x47e00000, 0x47f23456, 0x800, 0, 'k'), { dtb: 0x47c00000, initrd: 0x47e00000 });
  assert.throws(() => placeModules({ base: 0x40000000, size: 4 * MiB }, 0x40000000, 0x40300000, 0x800, 0, 'k'), /not enough memory/);
});

test('bad images: one clear line each', () => {
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array(0), /the kernel image is empty/],
    [Buffer.from('hello, this is not a kernel at all, not even close....................'), /unknown kernel format .*first bytes 68 65 6c 6c/],
    [(() => { const b = new Uint8Array(128); new DataView(b.buffer).setUint32(56, 0x644d5241, true); return b; })(), /arm64 Image.*32-bit/],
    [(() => { const b = zimage(0x40008000, 0x100); new DataView(b.buffer).setUint32(0x2c, 0x50000000, true); return b; })(), /zImage header says start 0x40008000 end 0x50000000, but the file has 256 bytes/],
    [zimage(0x30000000, 0x100), /zImage \(256 bytes at 0x30000000\.\.0x30000100\) does not fit in RAM/],
    [Uint8Array.of(0x1f, 0x8b, 1, 2, 3), /gzip-compressed, but it does not decompress/],
    [(() => { const b = new Uint8Array(128); const dv = new DataView(b.buffer); dv.setUint32(0, 0x27051956); dv.setUint32(12, 64); b[29] = 3; b[30] = 2; return b; })(), /uImage for architecture 3, not ARM/],
  ];
  for (const [bytes, re] of cases) {
    assert.throws(() => Dom0.create({ kernel: bytes, kernelPath: 'k.img' }), (e: unknown) => e instanceof Dom0Error && re.test(e.message) && e.message.startsWith('k.img'), String(re));
  }
  assert.throws(() => Dom0.create({ kernel: zimage(0, 0x100), kernelPath: 'k', cpus: 9 }), /9 vCPUs is out of range/);
  assert.throws(() => Dom0.create({ kernel: zimage(0, 0x100), kernelPath: 'k', dtOverlay: { bytes: Buffer.from('/ { oops = ; };'), path: 'o.dts' } }), /o\.dts:1\.\d+/);
});

test('an ELF vmlinux linked at 0xc0208000 with physical address 0x208000 is loaded at RAM + 0x208000, entry translated', (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-vmlinux-'));
  writeFileSync(join(dir, 'k.S'), '\t.text\n\t.global _start\n_start:\n\tnop\n\tb _start\n\t.section .note.GNU-stack, "", %progbits\n');
  writeFileSync(join(dir, 'k.ld'), 'ENTRY(_start)\nSECTIONS { . = 0xc0208000; .text : AT(0x208000) { *(.text*) } }\n');
  const r = spawnSync(CROSS.gcc, ['-nostdlib', '-static', '-Wl,--build-id=none', '-T', join(dir, 'k.ld'), join(dir, 'k.S'), '-o', join(dir, 'vmlinux')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const k = placeKernel(new Uint8Array(readFileSync(join(dir, 'vmlinux'))), 'vmlinux', RAM128);
  assert.equal(k.kind, 'ELF');
  assert.equal(k.loadAddress, 0x40208000);
  assert.equal(k.entry, 0x40208000);
  assert.match(k.description, /ELF moved by 0x40000000 to RAM/);
});
