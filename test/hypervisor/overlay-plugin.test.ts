// `/plugin/` overlays (DTS or compiled .dtbo) on dom0's tree must give what fdtoverlay gives when it
// applies dtc's .dtbo to the same base blob: fragments by target-path and by &label, local phandle
// fixups, path references. The comparison is made on dtc's own decompilation of both results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { requireTools } from '../support/tools';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const sample = join(root, 'sample', 'guest', 'dom0.elf');
const fixtures = join(__dirname, 'fixtures');

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'latin1', timeout: 60_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const xenarm = (args: string[]) => run(process.execPath, [cli, ...args]);
/** dtc's text of a blob, without the __symbols__ node (the guest's tree keeps none unless the base had one). */
const dtsOf = (dtb: string) => run('dtc', ['-q', '-I', 'dtb', '-O', 'dts', dtb]).replace(/\n\n\t__symbols__ \{\n[^}]*\t\};\n/, '\n');

test('a /plugin/ overlay on the generated tree equals fdtoverlay on the same blob (DTS and .dtbo)', (t) => {
  if (!requireTools(t, ['dtc', 'fdtoverlay'], 'device-tree-compiler')) return;
  assert.ok(existsSync(cli), 'dist/cli.js is built (npm test builds first)');
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-plugin-'));
  const ov = join(fixtures, 'plugin-overlay.dts');
  xenarm(['dt', sample, '-O', 'dtb', '-o', join(dir, 'base.dtb')]);
  run('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', join(dir, 'ov.dtbo'), ov]);
  run('fdtoverlay', ['-i', join(dir, 'base.dtb'), '-o', join(dir, 'want.dtb'), join(dir, 'ov.dtbo')]);
  const want = dtsOf(join(dir, 'want.dtb'));
  assert.match(want, /bootargs = "console=hvc0 from-plugin"/, 'the reference applied the overlay');
  for (const input of [ov, join(dir, 'ov.dtbo')]) {
    xenarm(['dt', sample, '--dt-overlay', input, '-O', 'dtb', '-o', join(dir, 'got.dtb')]);
    assert.equal(dtsOf(join(dir, 'got.dtb')), want, input);
  }
});

test('fragments that target labels of a user base tree resolve as fdtoverlay resolves them', (t) => {
  if (!requireTools(t, ['dtc', 'fdtoverlay'], 'device-tree-compiler')) return;
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-plugin-'));
  const base = join(fixtures, 'labelled-base.dts');
  const ov = join(fixtures, 'plugin-by-label.dts');
  run('dtc', ['-q', '-@', '-I', 'dts', '-O', 'dtb', '-o', join(dir, 'base.dtb'), base]);
  run('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', join(dir, 'ov.dtbo'), ov]);
  run('fdtoverlay', ['-i', join(dir, 'base.dtb'), '-o', join(dir, 'want.dtb'), join(dir, 'ov.dtbo')]);
  xenarm(['dt', sample, '--dtb', base, '--dt-overlay', ov, '-O', 'dtb', '-o', join(dir, 'got.dtb')]);
  const got = dtsOf(join(dir, 'got.dtb'));
  assert.equal(got, dtsOf(join(dir, 'want.dtb')));
  assert.match(got, /dev@10000000/);
});

test('an overlay that cannot apply is one clear line naming the file, exit status 65', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-plugin-'));
  const bad = join(dir, 'bad.dts');
  writeFileSync(bad, '/dts-v1/;\n/plugin/;\n&nosuchlabel { x = <1>; };\n');
  const r = spawnSync(process.execPath, [cli, 'dt', sample, '--dt-overlay', bad], { encoding: 'latin1' });
  assert.equal(r.status, 65, r.stderr);
  assert.match(r.stderr, /^xenarm: .*bad\.dts: cannot apply overlay: .*nosuchlabel.*\n$/);
});
