// The built-in preprocessor on the Linux kernel's ARM board files (Debian's linux-source-6.1 in the
// cache, fetched by scripts/fetch-linux-dts.mjs) against `cpp` with the kernel's own flags
// (scripts/Makefile.lib: -nostdinc -I scripts/dtc/include-prefixes -undef -D__DTS__
// -x assembler-with-cpp): the output, line markers and blank lines included, must be identical.
// A spread of files runs by default; XENARM_DT_CORPUS=full runs all of them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { preprocess } from '../../../src/devicetree/preprocessor/index';
import { requireTools } from '../../support/tools';

const linux = join(resolve(process.env.XENARM_CACHE ?? join(homedir(), '.cache', 'xenarm')), 'linux-dts');
const ALWAYS = ['am572x-idk.dts', 'vexpress-v2p-ca15-tc1.dts', 'imx6q-sabresd.dts', 'exynos3250-monk.dts', 'imx28-ts4600.dts', 'imx6dl-gw51xx.dts'];

test('Linux ARM board files: built-in preprocessor output identical to cpp', (t) => {
  if (!requireTools(t, ['cpp'], 'cpp')) return;
  if (!existsSync(join(linux, 'VERSION'))) {
    if (process.env.CI) assert.fail('Linux corpus missing (test/devicetree/linux-corpus.test.ts fetches it with scripts/fetch-linux-dts.mjs)');
    t.skip('Linux device-tree corpus not in the cache (npm run fetch:linux-dts): skipping');
    return;
  }
  const dir = 'arch/arm/boot/dts';
  const all = readdirSync(join(linux, dir)).filter((f) => f.endsWith('.dts')).sort();
  const full = process.env.XENARM_DT_CORPUS === 'full';
  const step = full ? 1 : process.env.CI ? 15 : 100;
  const files = all.filter((f, k) => k % step === Math.min(40, step - 1) || ALWAYS.includes(f)).map((f) => `${dir}/${f}`);
  // The full run also takes every ARM64 board (arch/arm64/boot/dts/<vendor>/*.dts).
  const arm64 = 'arch/arm64/boot/dts';
  if (full) for (const f of (readdirSync(join(linux, arm64), { recursive: true }) as string[]).filter((x) => x.endsWith('.dts')).sort()) files.push(`${arm64}/${f}`);
  t.diagnostic(`${files.length} board files (${full ? 'full corpus, ARM and ARM64' : `a spread of ${all.length} ARM boards; XENARM_DT_CORPUS=full for all, ARM64 too`})`);
  const cache = new Map<string, string | undefined>();
  const readFile = (p: string): string | undefined => {
    if (!cache.has(p)) {
      let text: string | undefined;
      try {
        text = statSync(join(linux, p)).isFile() ? readFileSync(join(linux, p), 'latin1') : undefined;
      } catch {
        text = undefined;
      }
      cache.set(p, text);
    }
    return cache.get(p);
  };
  const failures: string[] = [];
  for (const file of files) {
    const f = file;
    const ref = spawnSync('cpp', ['-nostdinc', '-I', 'scripts/dtc/include-prefixes', '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', file], { cwd: linux, encoding: 'latin1', maxBuffer: 1 << 28 });
    const ours = preprocess(readFile(file)!, { file, includeDirs: ['scripts/dtc/include-prefixes'], readFile });
    if (ref.status !== 0) {
      if (!ours.diagnostics.some((d) => d.severity === 'error')) failures.push(`${f}: cpp failed but we reported no error`);
      continue;
    }
    const errors = ours.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) failures.push(`${f}: ${errors.map((d) => d.message).join('; ')}`);
    if (ours.text !== ref.stdout) {
      const a = ref.stdout.split('\n');
      const b = ours.text.split('\n');
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      failures.push(`${f}: first difference at output line ${i + 1}:\n  cpp:  ${JSON.stringify(a[i])}\n  ours: ${JSON.stringify(b[i])}`);
    }
  }
  assert.deepEqual(failures, []);
});
