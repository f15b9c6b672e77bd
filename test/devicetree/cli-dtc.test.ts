// xenarm dtc's command-line behaviour against dtc's: input format detection, standard input,
// dependency files, bad options and unreadable or malformed input (exit statuses, and the message
// where dtc's is the whole story).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTools } from '../support/tools';
import { runOurs, runReference } from './dtc-compare';

const fixtures = join(import.meta.dirname, 'fixtures');
const work = mkdtempSync(join(tmpdir(), 'xenarm-dtc-cli-'));

test('dtc command line: detection, stdin, depfile, errors', (t) => {
  if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
  const src = readFileSync(join(fixtures, 'syntax-tree.dts'));
  const blob = runReference(['-O', 'dtb', 'syntax-tree.dts'], fixtures).out;
  writeFileSync(join(work, 'tree.dtb'), blob);
  writeFileSync(join(work, 'tree.bin'), blob);
  writeFileSync(join(work, 'bad.dtb'), Buffer.from('not a blob at all'));
  writeFileSync(join(work, 'short.dtb'), blob.subarray(0, 100));
  const cases: { args: string[]; stdin?: Uint8Array; messages: boolean }[] = [
    { args: ['-O', 'dts', 'tree.dtb'], messages: true }, // detected by magic
    { args: ['-O', 'dts', 'tree.bin'], messages: true }, // detected by magic, no extension
    { args: ['-I', 'dts', '-O', 'dtb', '-'], stdin: src, messages: true },
    { args: ['-I', 'dtb', '-O', 'dts', '-'], stdin: blob, messages: true },
    { args: ['-O', 'dts', 'bad.dtb'], messages: false }, // "Blob has incorrect magic number" (+ our offset)
    { args: ['-O', 'dts', 'short.dtb'], messages: false },
    { args: ['-O', 'dts', 'missing.dts'], messages: true },
    { args: ['-O', 'nonsense', 'tree.dtb'], messages: true },
    { args: ['-I', 'nonsense', 'tree.dtb'], messages: true },
    { args: ['-H', 'nonsense', 'tree.dtb'], messages: true },
    { args: ['-a', '3', 'tree.dtb'], messages: true },
    { args: ['-p', '10', '-S', '10', 'tree.dtb'], messages: true },
    { args: ['-W', 'no_such_check', 'tree.dtb'], messages: true },
    { args: ['-Z', 'tree.dtb'], messages: false }, // usage text differs; status must not
    { args: ['tree.dtb', 'extra.dtb'], messages: false },
    { args: ['-O', 'dtb', '-S', '16', 'tree.dtb'], messages: true }, // "blob size >= minimum size" warning
    { args: ['-q', '-O', 'dtb', '-S', '16', 'tree.dtb'], messages: true },
  ];
  for (const c of cases) {
    const ref = runReference(c.args, work, c.stdin);
    const ours = runOurs(c.args, work, c.stdin);
    const what = `dtc ${c.args.join(' ')}`;
    assert.equal(ours.status, ref.status, `${what}: exit status (dtc: ${ref.stderr})`);
    if (c.messages) assert.equal(ours.stderr, ref.stderr, `${what}: messages`);
    else if (ref.status !== 0) assert.ok(ours.stderr.length > 0, `${what}: says why`);
    assert.ok(Buffer.from(ours.out).equals(Buffer.from(ref.out)), `${what}: output`);
  }
  // -d: the dependency file lists the input and every /include/d file.
  const dep = join(work, 'deps.d');
  const r = runOurs(['-O', 'dtb', '-d', dep, join(fixtures, 'syntax-include.dts')], fixtures);
  assert.equal(r.status, 0);
  const d = readFileSync(dep, 'utf8');
  const refDep = join(work, 'ref.d');
  runReference(['-O', 'dtb', '-d', refDep, join(fixtures, 'syntax-include.dts')], fixtures);
  assert.equal(d.replace(/^\S+:/, 'OUT:'), readFileSync(refDep, 'utf8').replace(/^\S+:/, 'OUT:'));
});
