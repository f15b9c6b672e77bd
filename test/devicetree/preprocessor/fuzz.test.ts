// Bad input never crashes or hangs the preprocessor: seeded mutations of the cpp fixtures (inserted
// directive punctuation, quotes, comment openers, splices, parentheses, macro names) must each end
// in output plus positioned diagnostics, within a bounded time. XENARM_FUZZ_COUNT sets the number
// of mutants (default 300).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preprocess } from '../../../src/devicetree/preprocessor/index';
import { fixtures } from './fixtures';
import { xorshift32 } from '../../support/xorshift';

const PIECES = ['#', '##', '#if ', '#ifdef X\n', '#else\n', '#endif\n', '#elif 1\n', '#define F(a,...) a ## __VA_ARGS__ #a\n', '#include "', '#include <',
  '(', ')', ',', '"', "'", '/*', '*/', '//', '\\\n', '\n', 'defined(', '__LINE__', '__FILE__', '0x', '1/0', '?', ':', 'F(', 'ONE', 'ADD(', '\0', '\u00ff', '#line 0x\n', '#undef\n'];

function rng(seed: number) {
  const next = xorshift32(seed);
  return () => next() / 0x100000000;
}

test('preprocessor fuzz: mutated sources end in output and positioned diagnostics, never an exception', () => {
  const count = Number(process.env.XENARM_FUZZ_COUNT ?? 300);
  const seed = Number(process.env.XENARM_FUZZ_SEED ?? 7);
  const r = rng(seed);
  for (let i = 0; i < count; i++) {
    const fx = fixtures[Math.floor(r() * fixtures.length)];
    const files = { ...fx.files };
    const target = Object.keys(files)[Math.floor(r() * Object.keys(files).length)];
    let text = files[target];
    const edits = 1 + Math.floor(r() * 6);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(r() * (text.length + 1));
      if (r() < 0.2) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 8));
      else text = text.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + text.slice(at);
    }
    files[target] = text;
    const started = performance.now();
    let out;
    try {
      out = preprocess(files[fx.main], { file: fx.main, includeDirs: fx.includeDirs ?? [], defines: fx.defines, readFile: (p) => files[p] });
    } catch (e) {
      assert.fail(`seed ${seed} mutant ${i} (${fx.name}, ${target}) threw: ${(e as Error).stack}\n--- source\n${text}`);
    }
    assert.equal(typeof out.text, 'string');
    for (const d of out.diagnostics) assert.ok(d.pos && d.pos.line >= 1 && d.pos.column >= 1, `seed ${seed} mutant ${i}: unpositioned "${d.message}"`);
    assert.ok(performance.now() - started < 20000, `seed ${seed} mutant ${i} took ${performance.now() - started} ms`);
  }
});
