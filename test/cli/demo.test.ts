// `xenarm demo` through the built CLI: the example guest's console output is what QEMU prints for the
// same ELF, the run is deterministic, and the listing of main() is what objdump prints for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const elf = join(root, 'sample', 'guest', 'hello.elf');

function demo(): { status: number | null; out: string } {
  assert.ok(existsSync(cli), 'dist/cli.js is built (npm test builds first)');
  const r = spawnSync(process.execPath, [cli, 'demo'], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: r.stdout };
}

test('the demo boots the example guest: same console output as QEMU, same instruction count every run', (t) => {
  const a = demo(), b = demo();
  assert.equal(a.status, 0);
  assert.equal(a.out, b.out, 'two runs print the same, instruction count included');
  const console = a.out.split('\n== The guest exited')[0].split('\n\n').slice(1).join('\n\n');
  assert.match(a.out, /exited with status 0 after \d+ instructions/);
  if (spawnSync('qemu-system-arm', ['--version']).status !== 0) {
    if (process.env.CI) assert.fail('qemu-system-arm is not installed');
    t.skip('qemu-system-arm not installed: output not compared with QEMU');
    return;
  }
  const q = spawnSync('qemu-system-arm', ['-M', 'virt', '-cpu', 'cortex-a15', '-nographic', '-nic', 'none', '-semihosting', '-kernel', elf], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(q.status, 0);
  // Without a terminal, QEMU writes the semihosting console to its standard error.
  assert.equal(console, q.stdout + q.stderr);
});

test("the demo's listing of main() is objdump's", (t) => {
  if (spawnSync('arm-linux-gnueabihf-objdump', ['--version']).status !== 0) {
    if (process.env.CI) assert.fail('arm-linux-gnueabihf-objdump is not installed');
    t.skip('binutils-arm-linux-gnueabihf not installed');
    return;
  }
  const ours = demo().out.split('\n').filter((l) => /^  [0-9a-f]{8}:\t/.test(l)).map((l) => l.trim());
  const dump = spawnSync('arm-linux-gnueabihf-objdump', ['-d', elf], { encoding: 'utf8' }).stdout;
  const mainBlock = dump.split('\n\n').find((b) => /<main>:/.test(b))!;
  const ref = mainBlock.split('\n').filter((l) => /^[0-9a-f]{8}:\t/.test(l)).map((l) => {
    const [addr, , ...text] = l.split('\t');
    return `${addr}\t${text.join('\t')}`.trim();
  });
  assert.ok(ref.length > 10);
  assert.deepEqual(ours, ref);
});
