// The T32 disassembler against GNU objdump: an assembled catalogue of Thumb-2 forms (IT blocks
// included) and gcc -mthumb code must print exactly as objdump prints them; Debian's busybox (a
// stripped Thumb-2 binary, so its literal pools are disassembled too) must agree on almost every word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disassembleT32 } from '../../src/debug/disasm/t32';
import { requireTools, CROSS } from '../support/tools';
import { armhfPackage } from '../support/debian';

const AS = CROSS.as, GCC = CROSS.gcc, OBJDUMP = CROSS.objdump;
const tools = (t: { skip(msg: string): void }) => requireTools(t, [AS, GCC, OBJDUMP], 'gcc-arm-linux-gnueabihf, binutils-arm-linux-gnueabihf');

const stripSymbols = (text: string) => text.replace(/ <(?!UNPREDICTABLE|UNDEFINED)[^>]*>/g, '').trimEnd();

/** Runs objdump and our disassembler side by side, threading the IT state; returns the differences. */
function compareThumb(file: string, extra: string[], withSymbols: boolean): { total: number; diffs: string[] } {
  const r = spawnSync(OBJDUMP, ['-d', ...extra, file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr);
  const diffs: string[] = [];
  let total = 0, it = 0, next = -1;
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]{4})(?: ([0-9a-f]{4}))? *\t(.*)$/.exec(line);
    if (!m) { it = 0; continue; }
    if (m[4].startsWith('.word') || m[4].startsWith('.short')) continue;
    const addr = parseInt(m[1], 16);
    if (addr !== next) it = 0;
    const d = disassembleT32(parseInt(m[2], 16), m[3] ? parseInt(m[3], 16) : 0, addr, it, withSymbols ? () => '<sym>' : undefined);
    it = d.nextIt;
    next = addr + d.size;
    total++;
    const ref = stripSymbols(m[4]), ours = stripSymbols(d.text);
    if (ref !== ours) diffs.push(`${m[1]}: ${m[2]} ${m[3] ?? ''} objdump: ${JSON.stringify(ref)} ours: ${JSON.stringify(ours)}`);
  }
  return { total, diffs };
}

test('T32 catalogue of Thumb-2 + VFPv4 forms prints as objdump prints it', (t) => {
  if (!tools(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-dis-'));
  const obj = join(dir, 't32.o');
  const as = spawnSync(AS, ['-mno-warn-deprecated', join(__dirname, 'fixtures', 't32-forms.s'), '-o', obj], { encoding: 'utf8' });
  assert.equal(as.status, 0, as.stderr);
  const { total, diffs } = compareThumb(obj, [], true);
  assert.ok(total > 180, `objdump printed ${total} instructions`);
  assert.deepEqual(diffs, []);
});

test('gcc -mthumb code (-O0/-O2/-Os, with VFP) prints as objdump prints it', (t) => {
  if (!tools(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-dis-'));
  for (const opt of ['-O0', '-O2', '-Os']) {
    for (const src of ['frames.c', 'lines.c', 'float.c']) {
      const elf = join(dir, `${src}${opt}.elf`);
      const cc = spawnSync(GCC, [opt, '-mthumb', '-march=armv7-a+vfpv4', '-mfpu=vfpv4', '-ffreestanding', '-nostdlib', '-static', '-Wl,-Ttext=0x40000000',
        '-Wl,--unresolved-symbols=ignore-all', '-e', '0', join(__dirname, 'fixtures', src), '-o', elf, '-lgcc'], { encoding: 'utf8' });
      assert.equal(cc.status, 0, cc.stderr);
      const { total, diffs } = compareThumb(elf, [], true);
      assert.ok(total > 5, `${src} ${opt}: ${total} instructions`);
      assert.deepEqual(diffs, [], `${src} ${opt}`);
    }
  }
});

test("Debian's busybox (Thumb-2): at least 99.7% of words print as objdump prints them", (t) => {
  if (!tools(t)) return;
  const pkg = armhfPackage('busybox-static');
  if ('error' in pkg) {
    if (process.env.CI) assert.fail(pkg.error);
    t.skip(pkg.error);
    return;
  }
  const busybox = join(pkg.dir, 'bin', 'busybox');
  assert.ok(existsSync(busybox));
  // Stripped, so no mapping symbols: force Thumb, as the binary is Thumb-2 throughout.
  const { total, diffs } = compareThumb(busybox, ['-M', 'force-thumb', '-j', '.text'], false);
  const agree = 1 - diffs.length / total;
  t.diagnostic(`busybox .text: ${total} instructions, ${diffs.length} differ (${(agree * 100).toFixed(3)}% identical)`);
  // What remains is data in literal pools decoded as Advanced SIMD (not implemented by the emulated
  // CPU either), FPA/v8-only forms, and objdump's must-be-zero checks on such words.
  assert.ok(agree >= 0.997, `only ${(agree * 100).toFixed(3)}% identical; first differences:\n${diffs.slice(0, 20).join('\n')}`);
});
