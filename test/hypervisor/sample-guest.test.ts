// The committed example dom0 (sample/guest/dom0.elf) is what its sources and build script produce:
// CI rebuilds it from source with Debian's cross compiler in a scratch copy and compares the bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { requireTools, CROSS } from '../support/tools';

const dir = join(__dirname, '..', '..', 'sample', 'guest');

test('sample/guest/dom0.elf is rebuilt byte for byte from its sources by build.sh', (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const scratch = mkdtempSync(join(tmpdir(), 'xenarm-sample-'));
  for (const f of ['build.sh', 'hello.c', 'dom0.c', 'dom0-start.S', 'xen-dom0.h', 'dom0.ld']) copyFileSync(join(dir, f), join(scratch, f));
  const r = spawnSync('sh', [join(scratch, 'build.sh')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'builds without warnings');
  assert.deepEqual(readFileSync(join(scratch, 'dom0.elf')), readFileSync(join(dir, 'dom0.elf')), 'the committed dom0.elf is stale: run sample/guest/build.sh');
});
