// The fixture catalogue (every DTS syntax form, merges and deletions, references, plugins, includes,
// line markers) compiled by Debian's dtc and by xenarm dtc with several option sets: output bytes,
// exit status and messages must be identical; then dtc's own blob is decompiled and recompiled by both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools } from '../support/tools';
import { comparableMessages, firstDifference, runOurs, runReference } from './dtc-compare';

const dir = join(import.meta.dirname, 'fixtures');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.dts')).sort();
const optionSets = [
  ['-O', 'dtb'],
  ['-O', 'dts'],
  ['-O', 'asm'],
  ['-O', 'dtb', '-@'],
  ['-O', 'dts', '-@', '-H', 'both'],
  ['-O', 'dts', '-H', 'legacy', '-s'],
  ['-O', 'dtb', '-R', '2', '-p', '64', '-b', '3'],
  ['-O', 'dtb', '-S', '8192', '-V', '16'],
  ['-O', 'dtb', '-a', '512', '-A'],
  ['-O', 'dts', '-f', '-E', 'no-duplicate_label', '-W', 'no-node_name_vs_property_name'],
];

function same(t: { name: string }, what: string, ours: ReturnType<typeof runOurs>, ref: ReturnType<typeof runReference>): void {
  assert.equal(ours.status, ref.status, `${what}: exit status (dtc said:\n${ref.stderr})`);
  assert.equal(comparableMessages(ours.stderr), comparableMessages(ref.stderr), `${what}: messages`);
  assert.ok(Buffer.from(ours.out).equals(Buffer.from(ref.out)), `${what}: output ${firstDifference(ours.out, ref.out)}\n--- ours\n${Buffer.from(ours.out).toString('latin1').slice(0, 3000)}\n--- dtc\n${Buffer.from(ref.out).toString('latin1').slice(0, 3000)}`);
  void t;
}

for (const f of fixtures) {
  test(`fixture ${f}: identical to dtc`, (t) => {
    if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
    // Fixtures named error-* are meant to be rejected; the others must be valid for dtc.
    const plain = runReference(['-O', 'dtb', f], dir);
    assert.equal(plain.status === 0, !f.startsWith('error-'), `dtc's verdict on ${f}:\n${plain.stderr}`);
    for (const opts of optionSets) {
      const args = [...opts, f];
      same(t, `dtc ${args.join(' ')}`, runOurs(args, dir), runReference(args, dir));
    }
    // Blob input: dtc's own blob (with -@ so __symbols__ appear), decompiled and recompiled by both.
    const blob = runReference(['-O', 'dtb', '-@', f], dir);
    if (blob.status !== 0) return;
    for (const opts of [['-I', 'dtb', '-O', 'dts'], ['-I', 'dtb', '-O', 'dtb'], ['-I', 'dtb', '-O', 'dts', '-s', '-H', 'both']]) {
      const args = [...opts, '-'];
      same(t, `dtc ${opts.join(' ')} < (${f} as dtb)`, runOurs(args, dir, blob.out), runReference(args, dir, blob.out));
    }
  });
}
