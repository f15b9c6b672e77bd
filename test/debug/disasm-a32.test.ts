// The A32 disassembler against GNU objdump (Debian's arm-linux-gnueabihf binutils): every
// instruction of an assembled catalogue of ARMv7-A + VFPv4 forms and of gcc-compiled ARM code must
// print exactly as objdump prints it, apart from symbol names after addresses (objdump's `<sym+off>`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disassembleA32 } from '../../src/debug/disasm/a32';

const AS = 'arm-linux-gnueabihf-as', GCC = 'arm-linux-gnueabihf-gcc', OBJDUMP = 'arm-linux-gnueabihf-objdump';
const have = (cmd: string) => spawnSync(cmd, ['--version']).status === 0;

function tools(t: { skip(msg: string): void }): boolean {
  if ([AS, GCC, OBJDUMP].every(have)) return true;
  if (process.env.CI) assert.fail('the ARM cross toolchain is not installed (CI must have it)');
  t.skip('binutils-arm-linux-gnueabihf not installed: skipping the comparison with objdump');
  return false;
}

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
