// dtc 1.6.1's non-structural checks against Debian's dtc: messages (names, texts, positions, order),
// exit status and output identical, (1) on fixtures that trip every check family, including the ones
// that are off by default, and (2) on Linux board files with every default-off check switched on
// (the default set is compared by test/devicetree/linux-corpus.test.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { requireTools } from '../../support/tools';
import { comparableMessages, runOurs, runReference } from '../dtc-compare';
import { checkFixtures } from './fixtures';

const work = mkdtempSync(join(tmpdir(), 'xenarm-checks-'));
after(() => rmSync(work, { recursive: true, force: true }));

for (const [i, fx] of checkFixtures.entries()) {
  test(`checks vs dtc: ${fx.name}`, (t) => {
    if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
    const file = `checks${i}.dts`;
    writeFileSync(join(work, file), fx.source);
    for (const force of [[], ['-f']]) {
      const args = ['-I', 'dts', '-O', 'dtb', ...force, ...(fx.args ?? []), file];
      const ref = runReference(args, work);
      const ours = runOurs(args, work);
      assert.ok(/\((\w+)\)/.test(ref.stderr), `dtc reported nothing for ${fx.name}: the fixture no longer tests anything`);
      assert.equal(comparableMessages(ours.stderr), comparableMessages(ref.stderr));
      assert.equal(ours.status, ref.status);
      assert.deepEqual(Buffer.from(ours.out), Buffer.from(ref.out));
    }
  });
}

const cache = resolve(process.env.XENARM_CACHE ?? join(homedir(), '.cache', 'xenarm'));
const linux = join(cache, 'linux-dts');
const OFF_BY_DEFAULT = ['-Wdeprecated_gpio_property', '-Wunique_unit_address_if_enabled', '-Wnode_name_chars_strict', '-Wproperty_name_chars_strict'];

test('checks vs dtc: Linux ARM board files with every default-off check enabled', (t) => {
  if (!requireTools(t, ['dtc', 'cpp'], 'device-tree-compiler, cpp')) return;
  if (!existsSync(join(linux, 'VERSION'))) {
    if (process.env.CI) assert.fail('Linux corpus missing (test/devicetree/linux-corpus.test.ts fetches it with scripts/fetch-linux-dts.mjs)');
    t.skip('Linux device-tree corpus not in the cache (npm run fetch:linux-dts): skipping');
    return;
  }
  const dir = 'arch/arm/boot/dts';
  const all = readdirSync(join(linux, dir)).filter((f) => f.endsWith('.dts')).sort();
  const step = process.env.XENARM_DT_CORPUS === 'full' ? 1 : process.env.CI ? 12 : 100;
  const files = all.filter((f, k) => k % step === Math.min(25, step - 1) || f === 'vexpress-v2p-ca15-tc1.dts');
  t.diagnostic(`${files.length} of ${all.length} board files (XENARM_DT_CORPUS=full for all)`);
  const failures: string[] = [];
  let warned = 0;
  for (const f of files) {
    const src = join(linux, dir, f);
    const cpp = spawnSync('cpp', ['-nostdinc', '-I', join(linux, 'scripts/dtc/include-prefixes'), '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', src], { maxBuffer: 1 << 28 });
    if (cpp.status !== 0) {
      failures.push(`${f}: cpp failed`);
      continue;
    }
    const pp = join(work, f);
    writeFileSync(pp, cpp.stdout);
    const args = ['-I', 'dts', '-O', 'dtb', '-f', ...OFF_BY_DEFAULT, f];
    const ref = runReference(args, work);
    const ours = runOurs(args, work);
    if (ref.stderr.includes('Warning (')) warned++;
    if (comparableMessages(ours.stderr) !== comparableMessages(ref.stderr) || ours.status !== ref.status) {
      failures.push(`${f}: exit ${ours.status} vs dtc ${ref.status}\n--- ours\n${comparableMessages(ours.stderr)}\n--- dtc\n${comparableMessages(ref.stderr)}`);
    }
  }
  assert.ok(warned > 0, 'no file produced a warning: the comparison would prove nothing');
  assert.deepEqual(failures, []);
});
