// The call-frame decoder against binutils' readelf --debug-dump=frames-interp: same FDEs, same pc
// ranges, and the same rule table row by row, on ARM and Thumb builds at several optimisation levels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrames, rowAt, type RegRule, type CfaRule, type Fde } from '../../src/debug/dwarf/frame';
import { requireTools, CROSS } from '../support/tools';

const GCC = CROSS.gcc, READELF = CROSS.readelf, OBJCOPY = CROSS.objcopy;
const tools = (t: { skip(msg: string): void }) => requireTools(t, [GCC, READELF, OBJCOPY], 'gcc-arm-linux-gnueabihf');

const cfaText = (c: CfaRule) => (c.kind === 'regOffset' ? `r${c.reg}+${c.offset}` : 'exp');
function ruleText(r: RegRule | undefined): string {
  if (!r || r.kind === 'undefined') return 'u';
  switch (r.kind) {
    case 'same': return 's';
    case 'offset': return `c${r.offset >= 0 ? '+' : ''}${r.offset}`;
    case 'valOffset': return `v${r.offset >= 0 ? '+' : ''}${r.offset}`;
    case 'register': return `r${r.reg}`;
    case 'expression': return 'exp';
    case 'valExpression': return 'vexp';
  }
}

/** Our FDEs in readelf's shape: header, then rows of "loc cfa rules…" over the columns readelf chose. */
function ours(fde: Fde, columns: string[]): string[] {
  const out = [`FDE ${fde.offset.toString(16)} pc=${fde.pcBegin.toString(16)}..${fde.pcEnd.toString(16)}`];
  for (const row of fde.rows) {
    const cells = columns.map((c) => ruleText(row.regs.get(c === 'ra' ? fde.cie.raReg : Number(c.slice(1)))));
    out.push([row.loc.toString(16).padStart(8, '0'), cfaText(row.cfa), ...cells].join(' '));
  }
  return out;
}

function readelfFdes(elf: string): { lines: string[]; columns: string[] }[] {
  const r = spawnSync(READELF, ['--debug-dump=frames-interp', elf], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const fdes: { lines: string[]; columns: string[] }[] = [];
  let cur: { lines: string[]; columns: string[] } | null = null;
  for (const l of r.stdout.split('\n')) {
    const h = /^([0-9a-f]{8}) [0-9a-f]{8,16} [0-9a-f]{8,16} FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(l);
    if (h) { cur = { lines: [`FDE ${parseInt(h[1], 16).toString(16)} pc=${parseInt(h[2], 16).toString(16)}..${parseInt(h[3], 16).toString(16)}`], columns: [] }; fdes.push(cur); continue; }
    if (/CIE/.test(l)) { cur = null; continue; }
    if (!cur) continue;
    if (/^\s+LOC\s+CFA/.test(l)) { cur.columns = l.trim().split(/\s+/).slice(2); continue; }
    if (/^[0-9a-f]{8} /.test(l)) cur.lines.push(l.trim().split(/\s+/).join(' '));
  }
  return fdes;
}

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
