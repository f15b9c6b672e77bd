// Differential test 2: seeded random A32 and T32 instruction sequences (data processing with every
// shifter form and flags, multiplies, saturating/parallel arithmetic, bitfields, loads/stores and
// exclusives on a scratch area, VFP arithmetic/conversions/compares, IT blocks) run on QEMU and on
// xenarm from the same seeded register/flag/FPSCR/memory state; the dumps must be identical. A
// mismatch is bisected by prefix length to the first instruction whose result differs.
//
// Default: XENARM_FUZZ_COUNT=6 seeds per instruction set (CI). Long campaign:
//   XENARM_FUZZ_COUNT=500 XENARM_FUZZ_SEED=1000 node scripts/run-tests.mjs diff-random
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
// @ts-ignore -- plain ESM build script
import { buildOne, haveGcc } from '../guests/build.mjs';
import { haveQemu, unavailable, runQemu, runXenarmCli, coreFactory, firstDifference } from './diff-lib';
import { makeHarness, type Isa } from './diff-random-gen';

const COUNT = Number(process.env.XENARM_FUZZ_COUNT ?? 6);
const FIRST = Number(process.env.XENARM_FUZZ_SEED ?? 1);
const LENGTH = Number(process.env.XENARM_FUZZ_LEN ?? 200);
/** Two campaigns: integer-only sequences and sequences with VFP instructions. XENARM_FUZZ_NO_VFP=1 runs only the first. */
const SRC_DIR = join('.cache', 'guests', 'random');
const RAND_MAIN = join('test', 'guests', 'rt', 'rand_main.c');

function build(isa: Isa, seed: number, prefix: number, source: string, VFP: boolean): string {
  mkdirSync(SRC_DIR, { recursive: true });
  const s = join(SRC_DIR, `${isa}-${seed}-${prefix}${VFP ? '' : '-novfp'}.S`);
  writeFileSync(s, source);
  return buildOne(join('random', `${isa}-${seed}-${prefix}${VFP ? '' : '-novfp'}.elf`), [s, RAND_MAIN], [isa === 'arm' ? '-marm' : '-mthumb']) as string;
}

/** Both outputs for the first `prefix` groups of a seed's sequence. */
function compare(isa: Isa, seed: number, prefix: number, VFP: boolean): { diff: string | null; problem?: string } {
  const h = makeHarness(seed, isa, LENGTH, VFP);
  const elf = build(isa, seed, prefix, h.source(prefix), VFP);
  const ref = runQemu(elf, { timeoutMs: 20000 });
  if (ref.problem || ref.status !== 0) throw new Error(`QEMU failed on ${elf}: ${ref.problem ?? `status ${ref.status}`}`);
  const got = runXenarmCli(elf, { maxInstructions: 5_000_000, killMs: 60_000 });
  const diff = firstDifference(ref.output, got.output) ?? (got.status !== 0 ? `exit status ${got.status}` : null);
  if (diff !== null || got.problem) return { diff, problem: got.problem };
  // A sequence runs once, so it is interpreted; run it again with every block translated on first sight
  // (src/machine/arm32/block-translator.ts, A32 and T32), which must give the same state.
  const jit = runXenarmCli(elf, { maxInstructions: 5_000_000, killMs: 60_000, env: { XENARM_JIT_HOT: '1' } });
  const jdiff = firstDifference(ref.output, jit.output) ?? (jit.status !== 0 ? `exit status ${jit.status}` : null);
  return { diff: jdiff === null ? null : `with block translation: ${jdiff}`, problem: jit.problem };
}

const campaigns = process.env.XENARM_FUZZ_NO_VFP ? [false] : [false, true];
for (const VFP of campaigns) for (const isa of ['arm', 'thumb'] as const) {
  const title = `random ${isa === 'arm' ? 'A32' : 'T32'} ${VFP ? 'sequences with VFP' : 'integer sequences'}: seeds ${FIRST}..${FIRST + COUNT - 1}, ${LENGTH} groups each, same state as QEMU`;
  test(title, async (t) => {
    if (!haveGcc()) return unavailable(t, 'arm-linux-gnueabihf-gcc not installed');
    if (!haveQemu()) return unavailable(t, 'qemu-system-arm not installed');
    if (!(await coreFactory())) return unavailable(t, 'the AArch32 core (src/machine/arm32/cpu.ts) is not in the tree yet');
    const failures: string[] = [];
    for (let seed = FIRST; seed < FIRST + COUNT; seed++) {
      const full = compare(isa, seed, LENGTH, VFP);
      if (full.diff === null && !full.problem) continue;
      // Bisect: the smallest prefix whose dump differs (prefix 0 = harness only).
      let lo = 0, hi = LENGTH;
      const bad = (p: number) => { const r = compare(isa, seed, p, VFP); return r.diff !== null || !!r.problem; };
      if (bad(0)) { failures.push(`seed ${seed} (${isa}): the harness alone differs:\n${compare(isa, seed, 0, VFP).diff}`); continue; }
      while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (bad(mid)) hi = mid; else lo = mid; }
      const h = makeHarness(seed, isa, LENGTH, VFP);
      const r = compare(isa, seed, hi, VFP);
      failures.push(`seed ${seed} (${isa}): first differing instruction group #${hi - 1}:\n\t${h.groups[hi - 1].join('\n\t')}\n${r.diff ?? ''}${r.problem ? `\n${r.problem}` : ''}\n(reproduce: XENARM_FUZZ_SEED=${seed} XENARM_FUZZ_COUNT=1 node scripts/run-tests.mjs diff-random; sources in ${SRC_DIR})`);
      if (failures.length >= 5) break;
    }
    assert.equal(failures.length, 0, failures.join('\n\n'));
  });
}

test('the generator emits only valid code: 10 seeds per instruction set assemble and run to completion on QEMU, deterministically', (t) => {
  if (!haveGcc()) return unavailable(t, 'arm-linux-gnueabihf-gcc not installed');
  if (!haveQemu()) return unavailable(t, 'qemu-system-arm not installed');
  for (const isa of ['arm', 'thumb'] as const) {
    for (let seed = FIRST; seed < FIRST + 10; seed++) {
      // The generator is checked with VFP instructions included: everything it can emit.
      const h = makeHarness(seed, isa, LENGTH, true);
      assert.equal(makeHarness(seed, isa, LENGTH, true).source(LENGTH), h.source(LENGTH), 'same seed, same program');
      const elf = build(isa, seed, LENGTH, h.source(LENGTH), true);
      if (seed < FIRST + 2) {
        const a = runQemu(elf), b = runQemu(elf);
        assert.equal(a.status, 0, `${elf}: ${a.problem}`);
        assert.equal(a.output.split('\n').length, 13 + 2 + 32 + 64 + 1, 'every register, flag word, VFP register and scratch word printed');
        assert.equal(a.output, b.output, 'QEMU reference is deterministic');
      }
    }
  }
});
