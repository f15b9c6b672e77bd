// dtc's parser is bison's, whose stack holds YYMAXDEPTH (10,000) entries: every sibling node, every
// label before a node or property and every /memreserve/ stays on it until its list ends, so dtc
// 1.6.1 rejects a node with about 9,990 children with "memory exhausted" at a precise token. xenarm
// follows the same count: these inputs sit just below and at the limit, in several shapes, and the
// message, its position, the exit status and (when accepted) the blob must equal Debian's dtc's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTools } from '../support/tools';
import { runOurs, runReference } from './dtc-compare';

const work = mkdtempSync(join(tmpdir(), 'xenarm-dtc-stack-'));
const lines = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');

/** Sources whose bison stack peaks at about `n` + a constant entries. */
const shapes: Record<string, (n: number) => string> = {
  'children of the root': (n) => `/dts-v1/;\n/ {\n${lines(n, (i) => `\tn${i} { };`)}\n};\n`,
  'children two levels down, with properties': (n) => `/dts-v1/;\n/ { a { p = <(1 + 2 * (3 - 1))>, "s"; b {\n${lines(n, (i) => `\tn${i} { reg = <${i}>; };`)}\n}; }; };\n`,
  'children of a later &label block': (n) => `/dts-v1/;\n/ { x: x { }; };\nl: &x {\n${lines(n, (i) => `\tn${i} { };`)}\n};\n`,
  'labels before one node': (n) => `/dts-v1/;\n/ {\n${lines(n, (i) => `l${i}:`)}\n\tn { };\n};\n`,
  'labels before one property': (n) => `/dts-v1/;\n/ {\n${lines(n, (i) => `l${i}:`)}\n\tp;\n};\n`,
  '/delete-node/ lines': (n) => `/dts-v1/;\n/ {\n${lines(n, (i) => `\t/delete-node/ n${i};`)}\n};\n`,
  '/memreserve/ entries': (n) => `/dts-v1/;\n${lines(n, (i) => `/memreserve/ ${i * 16} 16;`)}\n/ { };\n`,
  'mixed siblings': (n) => `/dts-v1/;\n/ {\n${lines(n, (i) => (i % 7 === 3 ? `\t/delete-node/ q${i};` : i % 3 ? `\tl${i}: n${i} { a { b = [00]; }; };` : `\tn${i} { p = <(${i} + 1)>, "a"; };`))}\n};\n`,
};

test('dtc parser stack limit: "memory exhausted" where dtc 1.6.1 reports it, same bytes below it', (t) => {
  if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
  let rejected = 0;
  for (const [name, make] of Object.entries(shapes)) {
    // 9,980 fits in every shape; 9,997 fails in every shape; 9,990 on either side depending on the shape.
    for (const n of [9980, 9990, 9997]) {
      const file = `stack-${n}.dts`;
      writeFileSync(join(work, file), make(n));
      const args = ['-I', 'dts', '-O', 'dtb', file];
      const ref = runReference(args, work);
      const ours = runOurs(args, work);
      const what = `${name}, ${n}`;
      assert.equal(ours.status, ref.status, `${what}: exit status`);
      assert.equal(ours.stderr, ref.stderr, `${what}: messages`);
      if (ref.status === 0) assert.deepEqual(ours.out, ref.out, `${what}: blob`);
      else {
        assert.match(ref.stderr, /memory exhausted/, `${what}: dtc's own failure is the stack limit`);
        rejected++;
      }
    }
  }
  // The cases really straddle the limit (otherwise this test would prove nothing).
  assert.ok(rejected >= Object.keys(shapes).length && rejected < 3 * Object.keys(shapes).length, `rejected ${rejected}`);
});
