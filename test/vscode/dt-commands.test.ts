// What the extension's "Compile Device Tree Source to DTB" and "Decompile DTB" commands and the .dtb viewer
// produce (src/vscode/dtlib.ts, the same backend as the language server), against Debian's cpp + dtc 1.6.1 on
// the sample workspace's board (with its #include <...> found through xenarm.dts.includePaths).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dtLib } from '../../src/vscode/dtlib';
import { decompile } from '../../src/vscode/dtb-editor-logic';
import { requireTools } from '../support/tools';

const sample = join(__dirname, '..', '..', 'sample');
const settings = JSON.parse(readFileSync(join(sample, '.vscode', 'settings.json'), 'utf8')) as { 'xenarm.dts.includePaths': string[] };
const includeDirs = settings['xenarm.dts.includePaths'].map((p) => join(sample, p));
const board = join(sample, 'dts', 'board.dts');

function dtcReference(): { dtb: Buffer; dts: string } {
  const pre = spawnSync('cpp', ['-nostdinc', ...includeDirs.flatMap((d) => ['-I', d]), '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', board], { encoding: 'utf8' });
  assert.equal(pre.status, 0, pre.stderr);
  const dtb = spawnSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', '-', '-'], { input: pre.stdout, cwd: join(sample, 'dts') });
  assert.equal(dtb.status, 0, String(dtb.stderr));
  const dts = spawnSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', '-o', '-', '-'], { input: dtb.stdout, encoding: 'utf8' });
  return { dtb: dtb.stdout as Buffer, dts: dts.stdout };
}

test('Compile DTS to DTB on the sample board gives the bytes cpp + dtc give', (t) => {
  if (!requireTools(t, ['dtc', 'cpp'], 'device-tree-compiler, cpp')) return;
  const lib = dtLib();
  const out = lib.compile(readFileSync(board, 'latin1'), board, includeDirs, (p) => { try { return readFileSync(p, 'latin1'); } catch { return undefined; } });
  assert.deepEqual(out.diagnostics.filter((d) => d.severity === 'error'), []);
  const ours = Buffer.from(lib.treeToDtb(out.tree!));
  const ref = dtcReference();
  assert.equal(ours.length, ref.dtb.length);
  assert.ok(ours.equals(ref.dtb), 'DTB bytes identical to dtc');
});

test('Decompile / the .dtb viewer print what dtc -I dtb -O dts prints; a malformed blob gets a positioned message', (t) => {
  if (!requireTools(t, ['dtc', 'cpp'], 'device-tree-compiler, cpp')) return;
  const ref = dtcReference();
  const r = decompile(dtLib(), new Uint8Array(ref.dtb), 'board.dtb');
  assert.equal(r.error, undefined);
  assert.equal(r.dts, ref.dts);
  const bad = decompile(dtLib(), new Uint8Array(ref.dtb.subarray(0, 100)), 'cut.dtb');
  assert.equal(bad.dts, '');
  // dtc's own wording for a cut blob, naming the size it expected.
  assert.match(bad.error!, /EOF before reading \d+ bytes of DT blob|at byte offset \d+/);
  assert.match(decompile(dtLib(), new Uint8Array(8), 'zero.dtb').error!, /magic/);
});
