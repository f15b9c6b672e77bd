// The DWARF line-table decoder against binutils' readelf --debug-dump=decodedline, on programs built
// by Debian's cross gcc as DWARF 5 (its default) and DWARF 4, in ARM and Thumb state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { decodeLineTables } from '../../src/debug/dwarf/line';
import { requireTools, dumpSection, CROSS } from '../support/tools';

const GCC = CROSS.gcc, READELF = CROSS.readelf;
const tools = (t: { skip(msg: string): void }) => requireTools(t, [GCC, READELF, CROSS.objcopy], 'gcc-arm-linux-gnueabihf');
const section = dumpSection;

/** readelf's decoded rows: "name line address [view] [x]"; '-' as line marks an end of sequence. */
function readelfRows(elf: string): string[] {
  const r = spawnSync(READELF, ['--debug-dump=decodedline', elf], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const rows: string[] = [];
  for (const l of r.stdout.split('\n')) {
    const m = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+|0)(?:\s+\d+)?\s*(x?)\s*$/.exec(l);
    if (m) rows.push(`${basename(m[1])} ${m[2]} ${Number(m[3]).toString(16)}${m[2] === '-' ? '' : m[4] ? ' x' : ''}`);
  }
  return rows;
}

for (const [label, flags] of [
  ['DWARF 5, ARM, -O1', ['-gdwarf-5', '-O1', '-marm']],
  ['DWARF 4, Thumb, -O2', ['-gdwarf-4', '-O2', '-mthumb']],
  ['DWARF 5, Thumb, -O0', ['-gdwarf-5', '-O0', '-mthumb']],
] as const) {
  test(`line table matches readelf: ${label}`, (t) => {
    if (!tools(t)) return;
    const dir = mkdtempSync(join(tmpdir(), 'xenarm-dwarf-'));
    const elf = join(dir, 'lines.elf');
    const cc = spawnSync(GCC, [...flags, '-march=armv7-a+fp', '-ffreestanding', '-nostdlib', '-static', '-Wl,-Ttext=0x40000000', '-e', 'main',
      join(__dirname, 'fixtures', 'lines.c'), '-o', elf], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const units = decodeLineTables({ debugLine: section(elf, '.debug_line', dir)!, debugLineStr: section(elf, '.debug_line_str', dir), debugStr: section(elf, '.debug_str', dir) });
    const ours: string[] = [];
    for (const u of units) {
      for (const row of u.rows) {
        const f = u.files[row.file];
        ours.push(`${basename(f?.name ?? '?')} ${row.endSequence ? '-' : row.line} ${row.address.toString(16)}${row.endSequence ? '' : row.isStmt ? ' x' : ''}`);
      }
    }
    const ref = readelfRows(elf);
    assert.ok(ref.length > 10, 'readelf printed a line table');
    assert.deepEqual(ours, ref);
  });
}

test('truncated and corrupt line tables give a positioned DwarfError', () => {
  const good = new Uint8Array([0x10, 0, 0, 0, 3, 0]); // claims 16 bytes, has 2
  assert.throws(() => decodeLineTables({ debugLine: good }), /runs past the end of \.debug_line/);
  const badVersion = new Uint8Array([2, 0, 0, 0, 9, 0]);
  assert.throws(() => decodeLineTables({ debugLine: badVersion }), /unsupported line table version 9 at 0x0/);
});
