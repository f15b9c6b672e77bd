// The initramfs writer checked against GNU cpio, the reference reader/writer of the newc format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, symlinkSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCpio, readCpio } from '../../src/cli/initramfs/cpio';

const haveCpio = spawnSync('cpio', ['--version']).status === 0;
function needCpio(t: { skip(msg: string): void }): boolean {
  if (haveCpio) return true;
  if (process.env.CI) assert.fail('GNU cpio is not installed (CI must have it)');
  t.skip('GNU cpio not installed: skipping the comparison with it');
  return false;
}

test('GNU cpio lists and extracts what writeCpio wrote', (t) => {
  if (!needCpio(t)) return;
  const data = new TextEncoder().encode('#!/bin/sh\necho hello\n');
  const archive = writeCpio([
    { kind: 'dir', path: 'bin' },
    { kind: 'file', path: 'bin/tool', data: new Uint8Array([1, 2, 3, 4, 5]), mode: 0o755 },
    { kind: 'symlink', path: 'bin/sh', target: 'tool' },
    { kind: 'dir', path: 'dev' },
    { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'file', path: 'init', data, mode: 0o755 },
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-cpio-'));
  writeFileSync(join(dir, 'a.cpio'), archive);
  const list = spawnSync('cpio', ['-itv', '-F', join(dir, 'a.cpio')], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  const lines = list.stdout.trim().split('\n');
  assert.deepEqual(lines.map((l) => l.split(/\s+/).slice(-1)[0] === 'tool' ? l.split(/\s+/).slice(-3).join(' ') : l.split(/\s+/).pop()),
    ['bin', 'bin/tool', 'bin/sh -> tool', 'dev', 'dev/console', 'init']);
  assert.match(lines[4], /^crw-------.*5,\s+1/);
  const out = join(dir, 'x');
  mkdirSync(out);
  const ex = spawnSync('cpio', ['-id', '--no-absolute-filenames', '-F', join(dir, 'a.cpio')], { cwd: out, encoding: 'utf8' });
  // Creating the device node needs privileges some machines lack; everything else must extract.
  assert.deepEqual([...readFileSync(join(out, 'bin/tool'))], [1, 2, 3, 4, 5], ex.stderr);
  assert.equal(readFileSync(join(out, 'init'), 'utf8'), '#!/bin/sh\necho hello\n');
  assert.equal(readlinkSync(join(out, 'bin/sh')), 'tool');
});

test('readCpio reads an archive written by GNU cpio', (t) => {
  if (!needCpio(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-cpio-'));
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc/motd'), 'odd length!');
  symlinkSync('etc/motd', join(dir, 'link'));
  const made = spawnSync('sh', ['-c', 'printf "etc\\netc/motd\\nlink\\n" | cpio -o -H newc'], { cwd: dir });
  assert.equal(made.status, 0, made.stderr.toString());
  const entries = readCpio(new Uint8Array(made.stdout));
  assert.deepEqual(entries.map((e) => e.path), ['etc', 'etc/motd', 'link']);
  assert.equal(new TextDecoder().decode(entries[1].data), 'odd length!');
  assert.equal(new TextDecoder().decode(entries[2].data), 'etc/motd');
});

test('readCpio rejects truncated and non-cpio input with a message', () => {
  const archive = writeCpio([{ kind: 'file', path: 'a', data: new Uint8Array(10) }]);
  assert.throws(() => readCpio(archive.subarray(0, 50)), /truncated/);
  assert.throws(() => readCpio(new Uint8Array(200)), /bad cpio magic/);
  assert.throws(() => readCpio(archive.subarray(0, 120)), /runs past the end/);
});
