// One file with several syntax errors: dtc stops at the first, xenarm's parser (for editors) skips
// to the end of the broken property or node and goes on, so every error is reported with its own
// position, and the parts that parse are kept. The first message must be dtc's own (same text and
// position); the later positions are those of the offending tokens, found in the source text. The
// language server's diagnostics (the API the editor uses) must carry all of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileDts, formatDiagnostic, getChild, getProperty } from '../../src/devicetree/index';
import { DtsWorkspace } from '../../src/dts-server/workspace';
import { DtsFeatures } from '../../src/dts-server/features';
import { devicetreeBackend } from '../../src/dts-server/backend-devicetree';
import { requireTools } from '../support/tools';

const source = [
  '/dts-v1/;',
  '/ {',
  '\ta = <1 2;', // ';' where '>' is due
  '\tb = "ok";',
  '\tc {',
  '\t\td = ;', // no value
  '\t\tkeep = <3>;',
  '\t};',
  '\te = <(1 +)>;', // operand missing
  '\tgood: good { x = <1>; };',
  '\tf = "unterminated;', // a lone '"' is a character token, not a string
  '};',
  '',
].join('\n');

/** 1-based line and column of the `nth` occurrence of `needle` in the source, plus `delta`. */
function posOf(needle: string, delta = 0): { line: number; column: number } {
  const off = source.indexOf(needle);
  assert.ok(off >= 0, needle);
  const before = source.slice(0, off + delta);
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
}

const expected = [posOf('<1 2;', 4), posOf('d = ;', 4), posOf('(1 +)', 4), posOf('"unterminated')];

const work = mkdtempSync(join(tmpdir(), 'xenarm-dt-recovery-'));
const file = join(work, 'multi.dts');
writeFileSync(file, source);

test('parser recovery: every syntax error of a file, each at its token, the rest of the tree kept', (t) => {
  const r = compileDts(source, { file });
  const syntax = r.diagnostics.filter((d) => d.message === 'syntax error');
  assert.deepEqual(
    syntax.map((d) => ({ line: d.pos!.line, column: d.pos!.column, endColumn: d.pos!.endColumn })),
    expected.map((p) => ({ ...p, endColumn: p.column + 1 })),
  );
  // What parsed around the errors is still there (an outline and go-to-definition need it).
  const root = r.tree!.root;
  assert.ok(getProperty(root, 'b'));
  assert.ok(getProperty(getChild(root, 'c')!, 'keep'));
  assert.deepEqual(getChild(root, 'good')!.labels, ['good']);

  if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
  // dtc reports the first error only, and fails: ours must begin with the very same line.
  const ref = spawnSync('dtc', ['-I', 'dts', '-O', 'dtb', '-o', '/dev/null', file], { encoding: 'latin1' });
  assert.equal(ref.status, 1);
  assert.equal(formatDiagnostic(syntax[0]!), ref.stderr.split('\n')[0] + '\n');
});

test('parser recovery: the language server publishes all the errors', () => {
  const ws = new DtsWorkspace({ readFile: (p) => { try { return readFileSync(p, 'latin1'); } catch { return undefined; } } }, () => []);
  ws.setOpen(file, source);
  const lsp = new DtsFeatures(ws, devicetreeBackend).diagnostics(file).filter((d) => d.message === 'syntax error');
  assert.deepEqual(
    lsp.map((d) => d.range.start),
    expected.map((p) => ({ line: p.line - 1, character: p.column - 1 })),
  );
  assert.ok(lsp.every((d) => d.severity === 1), 'all are errors');
});
