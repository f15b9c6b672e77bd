// The .debug_info decoder against binutils' readelf --debug-dump=info: the same DIEs (depth, offset,
// tag), the same attributes in the same order, and the same names, references, addresses and lines,
// for DWARF 5 and 4 in ARM and Thumb builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeInfo, walk, pcRange, attr, DW_AT, DW_TAG, type Die } from '../../src/debug/dwarf/info';
import { tagName, attrName } from '../../src/debug/dwarf/constants';
import { requireTools, dumpSection, CROSS } from '../support/tools';

const GCC = CROSS.gcc, READELF = CROSS.readelf;
const tools = (t: { skip(msg: string): void }) => requireTools(t, [GCC, READELF, CROSS.objcopy], 'gcc-arm-linux-gnueabihf');
const section = dumpSection;

/** readelf's view: one line per DIE "depth offset tag", then one per attribute "name=value". */
function readelfView(elf: string): string[] {
  const r = spawnSync(READELF, ['--debug-dump=info', elf], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  const out: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const d = /^\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: \d+ \((DW_TAG_\w+)\)/.exec(line);
    if (d) { out.push(`${d[1]} ${parseInt(d[2], 16).toString(16)} ${d[3]}`); continue; }
    const a = /^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s*(.*)$/.exec(line);
    if (!a) continue;
    out.push(`  ${a[1]}=${valueOf(a[1], a[2].trim())}`);
  }
  return out;
}

/** The part of readelf's value text we compare: names, references, addresses and line numbers. */
function valueOf(name: string, text: string): string {
  const plain = text.replace(/^\(indirect (?:line )?string, offset: (?:0x)?[0-9a-f]+\): /, "");
  if (name === 'DW_AT_name') return plain;
  if (name === 'DW_AT_type' || name === 'DW_AT_sibling' || name === 'DW_AT_abstract_origin') return plain.replace(/^<0x([0-9a-f]+)>.*/, '$1');
  if (name === 'DW_AT_low_pc') return plain.replace(/^0x/, '');
  if (name === 'DW_AT_decl_line' || name === 'DW_AT_call_line') return plain;
  return '';
}

function depth(d: Die): number { let n = 0; for (let p = d.parent; p; p = p.parent) n++; return n; }

function ourView(elf: string, dir: string): { view: string[]; functions: string[] } {
  const units = decodeInfo({
    debugInfo: section(elf, '.debug_info', dir)!, debugAbbrev: section(elf, '.debug_abbrev', dir)!,
    debugStr: section(elf, '.debug_str', dir), debugLineStr: section(elf, '.debug_line_str', dir),
  });
  const view: string[] = [], functions: string[] = [];
  for (const u of units) {
    for (const die of walk(u.root!)) {
      view.push(`${depth(die)} ${die.offset.toString(16)} ${tagName(die.tag)}`);
      for (const a of die.attrs) {
        const name = attrName(a.name);
        let v = '';
        if (name === 'DW_AT_name' || name === 'DW_AT_decl_line' || name === 'DW_AT_call_line') v = String(a.value);
        else if (name === 'DW_AT_type' || name === 'DW_AT_sibling' || name === 'DW_AT_abstract_origin') v = Number(a.value).toString(16);
        else if (name === 'DW_AT_low_pc') v = Number(a.value).toString(16);
        view.push(`  ${name}=${v}`);
      }
      if (die.tag === DW_TAG.subprogram && pcRange(die)) {
        const [lo, hi] = pcRange(die)!;
        functions.push(`${attr(die, DW_AT.name)} ${lo.toString(16)}-${hi.toString(16)}`);
      }
    }
  }
  return { view, functions };
}

for (const [label, flags] of [
  ['DWARF 5, ARM, -O1', ['-gdwarf-5', '-O1', '-marm']],
  ['DWARF 4, Thumb, -O2', ['-gdwarf-4', '-O2', '-mthumb']],
  ['DWARF 5, Thumb, -O0', ['-gdwarf-5', '-O0', '-mthumb']],
] as const) {
  test(`debug info matches readelf: ${label}`, (t) => {
    if (!tools(t)) return;
    const dir = mkdtempSync(join(tmpdir(), 'xenarm-info-'));
    const elf = join(dir, 'x.elf');
    const cc = spawnSync(GCC, [...flags, '-march=armv7-a+vfpv4', '-mfpu=vfpv4', '-ffreestanding', '-nostdlib', '-static', '-Wl,-Ttext=0x40000000', '-Wl,--unresolved-symbols=ignore-all', '-e', 'main',
      join(__dirname, 'fixtures', 'frames.c'), join(__dirname, 'fixtures', 'float.c'), '-o', elf, '-lgcc'], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const ours = ourView(elf, dir);
    const ref = readelfView(elf);
    assert.ok(ref.length > 50);
    assert.deepEqual(ours.view, ref);
    // Function ranges agree with the symbol table (nm prints start addresses and sizes).
    const nm = spawnSync('arm-linux-gnueabihf-nm', ['-S', '--defined-only', elf], { encoding: 'utf8' });
    for (const f of ours.functions) {
      const [name, range] = f.split(' ');
      const [lo, hi] = range.split('-').map((x) => parseInt(x, 16));
      const sym = new RegExp(`^0*${(lo & ~1).toString(16)} 0*${(hi - lo).toString(16)} [Tt] ${name}$`, 'm');
      assert.match(nm.stdout, sym, `${name} ${range}`);
    }
  });
}

test('malformed debug info gives a DwarfError naming the offset', () => {
  assert.throws(() => decodeInfo({ debugInfo: new Uint8Array([0x40, 0, 0, 0, 5, 0]), debugAbbrev: new Uint8Array(1) }), /runs past the end of \.debug_info/);
  const unit = new Uint8Array([9, 0, 0, 0, 5, 0, 1, 4, 0, 0, 0, 0, 9]);
  assert.throws(() => decodeInfo({ debugInfo: unit, debugAbbrev: new Uint8Array([0]) }), /unknown abbreviation 9 at 0xc/);
});
