// The call-frame decoder against binutils' readelf --debug-dump=frames-interp: same FDEs, same pc
// ranges, and the same rule table row by row, on ARM and Thumb builds at several optimisation levels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrames, rowAt } from '../../src/debug/dwarf/frame';
import { requireTools, CROSS } from '../support/tools';
import { cfaText, ours, readelfFdes } from './frames-reference';

const GCC = CROSS.gcc, READELF = CROSS.readelf, OBJCOPY = CROSS.objcopy;
const tools = (t: { skip(msg: string): void }) => requireTools(t, [GCC, READELF, OBJCOPY], 'gcc-arm-linux-gnueabihf');

for (const [label, flags] of [
  ['ARM -O2', ['-O2', '-marm']],
  ['ARM -O0', ['-O0', '-marm']],
  ['Thumb -O2', ['-O2', '-mthumb']],
  ['Thumb -Os, frame pointer', ['-Os', '-mthumb', '-fno-omit-frame-pointer']],
] as const) {
  test(`frame table matches readelf: ${label}`, (t) => {
    if (!tools(t)) return;
    const dir = mkdtempSync(join(tmpdir(), 'xenarm-cfi-'));
    const elf = join(dir, 'frames.elf');
    const cc = spawnSync(GCC, ['-g', ...flags, '-march=armv7-a+fp', '-ffreestanding', '-nostdlib', '-static', '-Wl,-Ttext=0x40000000', '-e', 'main',
      join(__dirname, 'fixtures', 'frames.c'), '-o', elf], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const dumped = join(dir, 'debug_frame');
    assert.equal(spawnSync(OBJCOPY, ['--dump-section', `.debug_frame=${dumped}`, elf, join(dir, 'x.elf')]).status, 0);
    const table = decodeFrames(new Uint8Array(readFileSync(dumped)));
    const ref = readelfFdes(elf);
    assert.ok(ref.length >= 4, 'readelf printed the FDEs');
    assert.equal(table.fdes.length, ref.length);
    table.fdes.forEach((fde, i) => assert.deepEqual(ours(fde, ref[i].columns), ref[i].lines));
    // Every function's entry row says: CFA = sp, return address still in lr.
    for (const fde of table.fdes) {
      const at = rowAt(table, fde.pcBegin)!;
      assert.equal(cfaText(at.row.cfa), 'r13+0');
    }
  });
}

test('malformed frame sections give a DwarfError naming the problem', () => {
  assert.throws(() => decodeFrames(new Uint8Array([0x20, 0, 0, 0, 0xff])), /runs past the end/);
  // An FDE whose CIE pointer leads nowhere.
  const fde = new Uint8Array([0x0c, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0x40, 4, 0, 0, 0]);
  assert.throws(() => decodeFrames(fde), /points to no CIE/);
});
