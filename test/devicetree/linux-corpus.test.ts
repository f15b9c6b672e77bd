// The Linux kernel's ARM and ARM64 board files (Debian's linux-source-6.1, fetched into the cache by
// scripts/fetch-linux-dts.mjs), preprocessed by cpp as the kernel's build does and compiled by Debian's
// dtc and by xenarm dtc: exit status, messages and DTB bytes identical; `-O dts` identical; dtc's blob
// decompiled identically; and the raw sources through xenarm's own preprocessor give the same blob.
// By default a sample runs (a spread over the sorted file list plus the largest boards); CI runs a
// larger spread; XENARM_DT_CORPUS=full runs every file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireTools } from '../support/tools';
import { comparableMessages, firstDifference, runOurs, runReference } from './dtc-compare';

const cache = resolve(process.env.XENARM_CACHE ?? join(homedir(), '.cache', 'xenarm'));
const linux = join(cache, 'linux-dts');
const prefixes = join(linux, 'scripts', 'dtc', 'include-prefixes');
const mode = process.env.XENARM_DT_CORPUS === 'full' ? 'full' : process.env.XENARM_DT_CORPUS === 'ci' || process.env.CI ? 'ci' : 'sample';
const ALWAYS = ['arch/arm/boot/dts/am572x-idk.dts', 'arch/arm/boot/dts/vexpress-v2p-ca15-tc1.dts', 'arch/arm/boot/dts/imx6q-sabresd.dts', 'arch/arm64/boot/dts/arm/juno.dts', 'arch/arm64/boot/dts/xilinx/zynqmp-zcu102-rev1.0.dts'];

function ensureCorpus(t: { skip(m: string): void; diagnostic(m: string): void }): boolean {
  if (existsSync(join(linux, 'VERSION'))) return true;
  t.diagnostic('Linux device-tree corpus not in the cache: running scripts/fetch-linux-dts.mjs');
  const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'fetch-linux-dts.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status === 0 && existsSync(join(linux, 'VERSION'))) return true;
  if (process.env.CI) assert.fail('could not fetch the Linux device-tree corpus (scripts/fetch-linux-dts.mjs)');
  t.skip('Linux device-tree corpus unavailable (run npm run fetch:linux-dts): skipping the comparison with dtc');
  return false;
}

function corpusFiles(): string[] {
  const all: string[] = [];
  const arm = 'arch/arm/boot/dts';
  for (const f of readdirSync(join(linux, arm)).sort()) if (f.endsWith('.dts')) all.push(`${arm}/${f}`);
  const arm64 = 'arch/arm64/boot/dts';
  for (const v of readdirSync(join(linux, arm64), { withFileTypes: true })) {
    if (!v.isDirectory()) continue;
    for (const f of readdirSync(join(linux, arm64, v.name)).sort()) if (f.endsWith('.dts')) all.push(`${arm64}/${v.name}/${f}`);
  }
  all.sort();
  if (mode === 'full') return all;
  const step = mode === 'ci' ? 6 : 60;
  const picked = new Set(ALWAYS.filter((f) => all.includes(f)));
  for (let i = 0; i < all.length; i += step) picked.add(all[i]!);
  return [...picked].sort();
}

test('Linux ARM/ARM64 board files: xenarm dtc identical to dtc', (t) => {
  if (!requireTools(t, ['dtc', 'cpp'], 'device-tree-compiler, cpp')) return;
  if (!ensureCorpus(t)) return;
  const files = corpusFiles();
  t.diagnostic(`corpus mode "${mode}": ${files.length} board files (XENARM_DT_CORPUS=full for all)`);
  const work = mkdtempSync(join(tmpdir(), 'xenarm-linux-dts-'));
  const failures: string[] = [];
  let accepted = 0;
  let rejected = 0;
  for (const rel of files) {
    const src = join(linux, rel);
    const dir = resolve(src, '..');
    const cpp = spawnSync('cpp', ['-nostdinc', '-I', prefixes, '-I', dir, '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', src], { maxBuffer: 1 << 28 });
    if (cpp.status !== 0) {
      failures.push(`${rel}: cpp failed: ${cpp.stderr.toString().split('\n')[0]}`);
      continue;
    }
    const pp = join(work, rel.replace(/\//g, '_'));
    writeFileSync(pp, cpp.stdout);
    const problems: string[] = [];
    for (const out of ['dtb', 'dts']) {
      const args = ['-I', 'dts', '-O', out, '-b', '0', pp];
      const ref = runReference(args, dir);
      const ours = runOurs(args, dir);
      if (ours.status !== ref.status) problems.push(`-O ${out}: exit ${ours.status}, dtc ${ref.status}`);
      if (comparableMessages(ours.stderr) !== comparableMessages(ref.stderr)) problems.push(`-O ${out}: messages differ:\n--- ours\n${comparableMessages(ours.stderr)}\n--- dtc\n${comparableMessages(ref.stderr)}`);
      if (!Buffer.from(ours.out).equals(Buffer.from(ref.out))) problems.push(`-O ${out}: ${firstDifference(ours.out, ref.out)}`);
      if (out === 'dtb' && ref.status === 0) {
        accepted++;
        const back = ['-I', 'dtb', '-O', 'dts', '-'];
        const r2 = runReference(back, dir, ref.out);
        const o2 = runOurs(back, dir, ref.out);
        if (!Buffer.from(o2.out).equals(Buffer.from(r2.out))) problems.push(`dtb -> dts: ${firstDifference(o2.out, r2.out)}`);
        // The raw source through xenarm's own preprocessor.
        const raw = runOurs(['-I', 'dts', '-O', 'dtb', '-b', '0', '-i', prefixes, '-i', dir, src], dir);
        if (!Buffer.from(raw.out).equals(Buffer.from(ref.out))) problems.push(`raw source via the built-in preprocessor: ${firstDifference(raw.out, ref.out)} (exit ${raw.status}: ${raw.stderr.split('\n').slice(0, 3).join(' | ')})`);
      } else if (out === 'dtb') rejected++;
    }
    if (problems.length) failures.push(`${rel}:\n  ${problems.join('\n  ')}`);
  }
  t.diagnostic(`${files.length} files: ${accepted} accepted and ${rejected} rejected by dtc; ${failures.length} differ`);
  assert.deepEqual(failures, [], failures.slice(0, 5).join('\n'));
});
