// `xenarm run --machine virt`: bad input gives one clear line and the documented exit status (never a
// stack trace); a guest's semihosting output and exit status pass through unchanged (once the core runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
// @ts-ignore -- plain ESM build script
import { buildGuests, haveGcc } from '../guests/build.mjs';
import { EXIT } from '../../src/cli/errors';
import { coreFactory, runQemu, haveQemu } from '../machine/diff-lib';

function xenarm(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', ...args], { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const dir = '/tmp/xenarm-verify-cli';
mkdirSync(dir, { recursive: true });

function expectError(r: ReturnType<typeof xenarm>, status: number, re: RegExp) {
  assert.equal(r.status, status, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, re);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

test('bad images and options are reported on one line with the documented status', () => {
  expectError(xenarm('--machine', 'virt', `${dir}/missing.elf`), EXIT.BAD_INPUT, /missing\.elf: cannot read: ENOENT/);
  writeFileSync(`${dir}/text.bin`, 'hello\n');
  expectError(xenarm('--machine', 'virt', `${dir}/text.bin`), EXIT.BAD_INPUT, /not an ELF file; a raw binary needs --load-address/);
  expectError(xenarm('--machine', 'virt', '--load-address', '0x1000', `${dir}/text.bin`), EXIT.BAD_INPUT, /image at 0x1000\.\.0x1006 is outside RAM 0x40000000\.\.0x48000000/);
  expectError(xenarm('--machine', 'virt', process.execPath), EXIT.BAD_INPUT, /is a 64-bit ELF/);
  const elf = new Uint8Array(52);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  new DataView(elf.buffer).setUint16(16, 2, true);
  new DataView(elf.buffer).setUint16(18, 40, true);
  new DataView(elf.buffer).setUint32(28, 52, true);
  new DataView(elf.buffer).setUint16(42, 32, true);
  new DataView(elf.buffer).setUint16(44, 1, true);
  writeFileSync(`${dir}/trunc.elf`, elf);
  expectError(xenarm('--machine', 'virt', `${dir}/trunc.elf`), EXIT.BAD_INPUT, /trunc\.elf: truncated: program header table/);
  expectError(xenarm('--machine', 'virt', '--cpus', '9', `${dir}/text.bin`), EXIT.USAGE, /--cpus 9 is out of range/);
  expectError(xenarm('--machine', 'virt', '--timeout', 'soon', `${dir}/text.bin`), EXIT.USAGE, /--timeout wants a positive number/);
  expectError(xenarm('--machine', 'virt', '--bogus', `${dir}/text.bin`), EXIT.USAGE, /unknown option '--bogus'/);
  expectError(xenarm('--machine', 'pc', `${dir}/text.bin`), EXIT.USAGE, /unknown machine 'pc'/);
});

test('a segment outside RAM is refused with its address range', (t) => {
  if (!haveGcc()) { if (process.env.CI) assert.fail('gcc missing'); t.skip('arm-linux-gnueabihf-gcc not installed'); return; }
  const [elf] = buildGuests(['probe']) as string[];
  // Move the first loadable segment's physical address below RAM.
  const bytes = Buffer.from(readFileSync(elf));
  const phoff = bytes.readUInt32LE(28), phentsize = bytes.readUInt16LE(42), phnum = bytes.readUInt16LE(44);
  let i = 0;
  while (i < phnum && bytes.readUInt32LE(phoff + i * phentsize) !== 1) i++;
  bytes.writeUInt32LE(0x30000000, phoff + i * phentsize + 12);
  writeFileSync(`${dir}/low.elf`, bytes);
  expectError(xenarm('--machine', 'virt', `${dir}/low.elf`), EXIT.BAD_INPUT, new RegExp(`segment ${i} at 0x30000000\\.\\.0x3[0-9a-f]+ is outside RAM 0x40000000\\.\\.0x48000000`));
  expectError(xenarm('--machine', 'virt', '--memory', '0', elf), EXIT.USAGE, /--memory 0 MiB is out of range/);
});

test('guest output on stdout, exit status passed through, limits give status 124 (needs the core)', async (t) => {
  if (!haveGcc() || !haveQemu()) { if (process.env.CI) assert.fail('gcc/qemu missing'); t.skip('arm-linux-gnueabihf-gcc or qemu-system-arm not installed'); return; }
  if (!(await coreFactory())) { if (process.env.CI) assert.fail('core missing'); t.skip('the AArch32 core is not in the tree yet'); return; }
  const [elf] = buildGuests(['gic']) as string[];
  const ref = runQemu(elf);
  const r = xenarm('--machine', 'virt', '--semihosting', '--stats', elf);
  assert.equal(r.stdout, ref.output);
  assert.equal(r.status, ref.status);
  const m = /(\d+) instructions/.exec(r.stderr);
  assert.ok(m, r.stderr);
  // The issue's own form: --semihosting alone selects the bare-metal board.
  const again = xenarm('--semihosting', '--stats', elf);
  assert.equal(again.stdout, ref.output);
  assert.equal(again.stderr, r.stderr, 'same instruction count on every run');
  const lim = xenarm('--machine', 'virt', '--semihosting', '--max-instructions', String(Number(m![1]) >> 1), elf);
  assert.equal(lim.status, EXIT.LIMIT);
  assert.match(lim.stderr, /still running after --max-instructions/);
});
