// The A32 disassembler against GNU objdump (Debian's arm-linux-gnueabihf binutils): every
// instruction of an assembled catalogue of ARMv7-A + VFPv4 forms and of gcc-compiled ARM code must
// print exactly as objdump prints it, apart from symbol names after addresses (objdump's `<sym+off>`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disassembleA32 } from '../../src/debug/disasm/a32';
import { requireTools, CROSS } from '../support/tools';
import { armhfPackage, currentKernelPackage } from '../support/debian';

const AS = CROSS.as, GCC = CROSS.gcc, OBJDUMP = CROSS.objdump;
const tools = (t: { skip(msg: string): void }) => requireTools(t, [AS, GCC, OBJDUMP], 'gcc-arm-linux-gnueabihf, binutils-arm-linux-gnueabihf');

/** objdump -d lines of ARM code: [address, word, text without symbol names]. */
export function objdumpArm(file: string): [number, number, string][] {
  const r = spawnSync(OBJDUMP, ['-d', '--no-show-raw-insn', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const raw = spawnSync(OBJDUMP, ['-d', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  const rows: [number, number, string][] = [];
  for (const line of raw.stdout.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/.exec(line);
    if (!m || m[3].startsWith('.word')) continue;
    rows.push([parseInt(m[1], 16), parseInt(m[2], 16), stripSymbols(m[3])]);
  }
  return rows;
}

/** Symbol names differ between tools; objdump's annotations (<UNPREDICTABLE>…) do not. */
const stripSymbols = (text: string) => text.replace(/ <(?!UNPREDICTABLE|UNDEFINED)[^>]*>/g, '').trimEnd();
const anySymbol = () => '<sym>';

function compare(rows: [number, number, string][]): string[] {
  const diffs: string[] = [];
  for (const [addr, word, text] of rows) {
    const ours = stripSymbols(disassembleA32(word, addr, anySymbol).text);
    if (ours !== text) diffs.push(`${addr.toString(16)}: ${word.toString(16).padStart(8, '0')}  objdump: ${JSON.stringify(text)}  ours: ${JSON.stringify(ours)}`);
  }
  return diffs;
}

test('A32 catalogue of ARMv7-A + VFPv4 forms prints as objdump prints it', (t) => {
  if (!tools(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-dis-'));
  const obj = join(dir, 'forms.o');
  const as = spawnSync(AS, ['-mno-warn-deprecated', join(__dirname, 'fixtures', 'a32-forms.s'), '-o', obj], { encoding: 'utf8' });
  assert.equal(as.status, 0, as.stderr);
  const rows = objdumpArm(obj);
  assert.ok(rows.length > 300, `objdump printed ${rows.length} instructions`);
  assert.deepEqual(compare(rows), []);
});

test('gcc-compiled ARM code (-O0/-O2/-Os, with VFP) prints as objdump prints it', (t) => {
  if (!tools(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-dis-'));
  let total = 0;
  for (const opt of ['-O0', '-O2', '-Os']) {
    for (const src of ['frames.c', 'lines.c', 'float.c']) {
      // Linked, so that objdump prints branch targets from the code rather than from relocations.
      const obj = join(dir, `${src}${opt}.elf`);
      const cc = spawnSync(GCC, [opt, '-marm', '-march=armv7-a+vfpv4', '-mfpu=vfpv4', '-ffreestanding', '-nostdlib', '-static', '-Wl,-Ttext=0x40000000',
        '-Wl,--unresolved-symbols=ignore-all', '-e', '0', join(__dirname, 'fixtures', src), '-o', obj, '-lgcc'], { encoding: 'utf8' });
      assert.equal(cc.status, 0, cc.stderr);
      const rows = objdumpArm(obj);
      total += rows.length;
      assert.deepEqual(compare(rows), [], `${src} ${opt}`);
    }
  }
  assert.ok(total > 200);
});

test("Debian's armmp-lpae kernel (ARM state): at least 99.7% of words print as objdump prints them", (t) => {
  if (!tools(t)) return;
  const skipOrFail = (msg: string) => { if (process.env.CI) assert.fail(msg); t.skip(msg); };
  const name = currentKernelPackage();
  if (!name) return skipOrFail("Debian's archive did not name the current armmp-lpae kernel");
  const pkg = armhfPackage(name);
  if ('error' in pkg) return skipOrFail(pkg.error);
  const boot = join(pkg.dir, 'boot');
  const zimage = new Uint8Array(readFileSync(join(boot, readdirSync(boot).find((f) => f.startsWith('vmlinuz-'))!)));
  // The zImage carries the kernel as an xz stream after its decompressor: try each xz magic.
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-kernel-'));
  const image = join(dir, 'Image');
  let found = false;
  for (let i = 0; i + 6 < zimage.length && !found; i++) {
    if (zimage[i] !== 0xfd || zimage[i + 1] !== 0x37 || zimage[i + 2] !== 0x7a || zimage[i + 3] !== 0x58 || zimage[i + 4] !== 0x5a || zimage[i + 5] !== 0) continue;
    const r = spawnSync('xz', ['-dc', '--single-stream'], { input: zimage.subarray(i), maxBuffer: 1 << 28 });
    if (r.status === 0 && r.stdout.length > 1 << 20) { writeFileSync(image, r.stdout); found = true; }
  }
  if (!found) return skipOrFail('could not find the xz-compressed kernel inside the zImage (is xz-utils installed?)');
  // The first 4 MiB: head code, the exception vectors and most of the core kernel text.
  const dump = spawnSync(OBJDUMP, ['-D', '-b', 'binary', '-marm', '--adjust-vma=0xc0008000', '--stop-address=0xc0408000', image], { encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(dump.status, 0, dump.stderr);
  const rows: [number, number, string][] = [];
  for (const line of dump.stdout.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/.exec(line);
    if (m) rows.push([parseInt(m[1], 16), parseInt(m[2], 16), m[3].trimEnd()]);
  }
  let differ = 0;
  const examples: string[] = [];
  for (const [addr, word, text] of rows) {
    const ours = disassembleA32(word, addr).text.trimEnd();
    if (ours !== text) { differ++; if (examples.length < 20) examples.push(`${addr.toString(16)}: ${word.toString(16)} objdump: ${JSON.stringify(text)} ours: ${JSON.stringify(ours)}`); }
  }
  const agree = 1 - differ / rows.length;
  t.diagnostic(`kernel image: ${rows.length} words, ${differ} differ (${(agree * 100).toFixed(3)}% identical)`);
  // Without symbols objdump also decodes the data between functions; what differs there is data
  // read as FPA, Maverick or NEON forms and objdump's must-be-zero checks.
  assert.ok(agree >= 0.997, `only ${(agree * 100).toFixed(3)}% identical:\n${examples.join('\n')}`);
});
