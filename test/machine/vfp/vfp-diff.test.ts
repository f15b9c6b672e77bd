// Differential test of the VFP unit against QEMU (qemu-system-arm -M virt -cpu cortex-a15): seeded
// sequences of VFP instructions (every arithmetic, fused and chained multiply-accumulate, compare and
// conversion form, in single and double precision) over edge-case and random operands, in every
// rounding mode with and without flush-to-zero, default NaN and alternative half precision. After
// each instruction FPSCR and the destination register are recorded; at the end all of D0–D31. The
// records must be identical; the first difference is reported with the step's assembly.
//
// Default: 4 seeds × 1500 steps per instruction set. Longer campaign:
//   XENARM_VFP_SEEDS=100 XENARM_VFP_SEED=1000 node scripts/run-tests.mjs vfp-diff
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-ignore -- plain ESM build script
import { buildOne, haveGcc, GUEST_OUT } from '../../guests/build.mjs';
import { haveQemu, unavailable, runQemu, runXenarm } from '../diff-lib';
import { cpuFactory } from '../../../src/machine/cpu-factory';
import { generate, type Isa, type Program } from './vfp-gen';

const SEEDS = Number(process.env.XENARM_VFP_SEEDS ?? 4);
const FIRST = Number(process.env.XENARM_VFP_SEED ?? 1);
const LENGTH = Math.min(8192, Number(process.env.XENARM_VFP_LEN ?? 1500));
const HERE = dirname(fileURLToPath(import.meta.url));

function build(isa: Isa, seed: number, p: Program): string {
  const dir = join(GUEST_OUT as string, 'vfp-seq');
  mkdirSync(dir, { recursive: true });
  const src = join(dir, `${isa}-${seed}.S`);
  writeFileSync(src, p.source);
  return buildOne(join('vfp-seq', `${isa}-${seed}.elf`), [src, join(HERE, 'vfp_main.c')], [isa === 'arm' ? '-marm' : '-mthumb']) as string;
}

/** Describes the first differing record, with the step's assembly and the operands it loaded. */
function explain(p: Program, ref: string[], got: string[], line: number): string {
  const step = line < p.steps.length ? p.steps[line] : null;
  const where = step ? `step ${line}:\n\t${step.text.join('\n\t')}` : `final register dump, line ${line - p.steps.length}`;
  const operands = step ? step.text.flatMap((t) => {
    const m = /vldr ([sd]\d+), \[r10, #(\d+)\]/.exec(t);
    if (m) {
      const off = Number(m[2]);
      if (m[1][0] === 's') return [`${m[1]}=${(p.singles[off / 4] >>> 0).toString(16).padStart(8, '0')}`];
      const [hi, lo] = p.doubles[(off - 256) / 8];
      return [`${m[1]}=${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}`];
    }
    const f = /ldr r0, \[r10, #(\d+)\]/.exec(t);
    return f ? [`fpscr=${(p.fpscrs[(Number(f[1]) - 768) / 4] >>> 0).toString(16).padStart(8, '0')}`] : [];
  }) : [];
  const prev = line > 0 ? `\n  previous record (same on both): ${ref[line - 1]}` : '';
  return `${where}\n  loaded: ${operands.join(' ') || '(registers from earlier steps)'}${prev}\n  qemu:   ${ref[line] ?? '<end>'}\n  xenarm: ${got[line] ?? '<end>'}\n  (record: step fpscr dest-double)`;
}

for (const isa of ['arm', 'thumb'] as const) {
  test(`VFP sequences (${isa === 'arm' ? 'A32' : 'T32'}): seeds ${FIRST}..${FIRST + SEEDS - 1}, ${LENGTH} instructions each, FPSCR and result after every instruction identical to QEMU`, (t) => {
    if (!haveGcc()) return unavailable(t, 'arm-linux-gnueabihf-gcc not installed');
    if (!haveQemu()) return unavailable(t, 'qemu-system-arm not installed');
    const failures: string[] = [];
    let compared = 0;
    for (let seed = FIRST; seed < FIRST + SEEDS; seed++) {
      const p = generate(seed, isa, LENGTH);
      const elf = build(isa, seed, p);
      const ref = runQemu(elf, { timeoutMs: 60_000 });
      assert.equal(ref.problem, undefined, `QEMU: ${ref.problem}`);
      assert.equal(ref.status, 0, 'QEMU exit status');
      const got = runXenarm(cpuFactory, elf, { maxInstructions: 50_000_000 });
      const a = ref.output.split('\n'), b = got.output.split('\n');
      assert.equal(a.length, LENGTH + 34, 'QEMU printed every record');
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      compared += Math.min(i, LENGTH);
      if (i < a.length || got.problem) {
        failures.push(`seed ${seed} (${isa}) ${got.problem ?? ''}\n${i < a.length ? explain(p, a, b, i) : ''}\n(reproduce: XENARM_VFP_SEED=${seed} XENARM_VFP_SEEDS=1 node scripts/run-tests.mjs vfp-diff; source ${elf.replace(/\.elf$/, '.S')})`);
        if (failures.length >= 3) break;
      }
    }
    t.diagnostic(`${compared} VFP instructions compared with QEMU after every instruction (seeds ${FIRST}..${FIRST + SEEDS - 1})`);
    assert.equal(failures.length, 0, failures.join('\n\n'));
  });
}
