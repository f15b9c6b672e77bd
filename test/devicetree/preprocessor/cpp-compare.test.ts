// The built-in preprocessor against GCC's cpp run with the Linux kernel's flags for .dts files:
// identical output (line markers included) for every fixture, and the same errors at the same
// line and column with the same wording.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { needsPreprocessing, preprocess } from '../../../src/devicetree/preprocessor/index';
import { requireTools } from '../../support/tools';
import { errorFixture, fixtures } from './fixtures';

const root = mkdtempSync(join(tmpdir(), 'xenarm-cpp-'));
after(() => rmSync(root, { recursive: true, force: true }));

function reader(dir: string) {
  return (p: string): string | undefined => {
    try {
      const full = join(dir, p);
      return statSync(full).isFile() ? readFileSync(full, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
}

function cpp(dir: string, main: string, includeDirs: string[] = [], defines: Record<string, string> = {}) {
  const args = ['-nostdinc', ...includeDirs.flatMap((d) => ['-I', d]), '-undef', '-D__DTS__', ...Object.entries(defines).map(([k, v]) => `-D${k}=${v}`), '-x', 'assembler-with-cpp', main];
  return spawnSync('cpp', args, { cwd: dir, encoding: 'utf8' });
}

for (const [i, fx] of fixtures.entries()) {
  test(`cpp fixture: ${fx.name}`, (t) => {
    if (!requireTools(t, ['cpp'], 'cpp')) return;
    const dir = join(root, `f${i}`);
    for (const [path, text] of Object.entries(fx.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const ref = cpp(dir, fx.main, fx.includeDirs, fx.defines);
    assert.equal(ref.status, 0, ref.stderr);
    const ours = preprocess(fx.files[fx.main], { file: fx.main, includeDirs: fx.includeDirs ?? [], defines: fx.defines, readFile: reader(dir) });
    assert.deepEqual(ours.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(ours.text, ref.stdout);
  });
}

test('cpp errors: same messages at the same line and column', (t) => {
  if (!requireTools(t, ['cpp'], 'cpp')) return;
  const dir = join(root, 'errors');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, errorFixture.main), errorFixture.source);
  const ref = cpp(dir, errorFixture.main);
  assert.notEqual(ref.status, 0);
  const expected = [...ref.stderr.matchAll(/^(\S+):(\d+):(\d+): (?:fatal )?(error|warning): (.*?)(?: \[-W[\w-]+\])?$/gm)].map(
    (m) => `${m[1]}:${m[2]}:${m[3]}: ${m[4]}: ${m[5]}`,
  );
  assert.ok(expected.length >= 30, `cpp reported ${expected.length} messages`);
  const ours = preprocess(errorFixture.source, { file: errorFixture.main, includeDirs: [], readFile: reader(dir) });
  const got = ours.diagnostics.map((d) => `${d.pos?.file}:${d.pos?.line}:${d.pos?.column}: ${d.severity}: ${d.message}`);
  assert.deepEqual(got, expected);
});

test('needsPreprocessing: directives yes, DTS #-properties and /include/ no', () => {
  assert.equal(needsPreprocessing('/ {\n\t#address-cells = <1>;\n\t#size-cells = <0>;\n};\n/include/ "x.dtsi"\n'), false);
  assert.equal(needsPreprocessing('#include <dt-bindings/gpio/gpio.h>\n/ { };'), true);
  assert.equal(needsPreprocessing('/ {\n  # define X 1\n};'), true);
  assert.equal(needsPreprocessing('/ { }; /* #if 0 is not at line start */'), false);
});

test('bad input never throws: unterminated comment, recursion, deep includes, NUL bytes', () => {
  const self = (p: string) => (p === 'loop.h' ? '#include "loop.h"\n' : undefined);
  const r1 = preprocess('#include "loop.h"\n', { file: 'a.dts', includeDirs: [], readFile: self });
  assert.match(r1.diagnostics[0].message, /#include nested depth 200 exceeds maximum of 200/);
  const r2 = preprocess('a /* never closed\n b', { file: 'a.dts', includeDirs: [], readFile: () => undefined });
  assert.deepEqual(r2.diagnostics.map((d) => [d.message, d.pos?.line, d.pos?.column]), [['unterminated comment', 1, 3]]);
  const r3 = preprocess('#define A B\n#define B A\nA B \0 \u00e9\n#if\n', { file: 'a.dts', includeDirs: [], readFile: () => undefined });
  assert.match(r3.text, /^A B \0 \u00e9$/m);
  assert.deepEqual(r3.diagnostics.map((d) => d.message), ['#if with no expression', 'unterminated #if']);
});
