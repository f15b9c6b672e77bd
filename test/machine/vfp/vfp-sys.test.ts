// The VFP system registers and enable rules against QEMU's cortex-a15 with neon=off (the CPU xenarm
// models: VFPv4-D32 without Advanced SIMD): FPSID/MVFR0/MVFR1, FPSCR and FPEXC writable bits, which
// instructions are UNDEFINED with FPSCR.LEN/STRIDE set, with FPEXC.EN clear and with CPACR denying
// cp10/cp11, and the encodings QEMU rejects (Advanced SIMD lanes, ARMv8 forms, bad register lists).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-ignore -- plain ESM build script
import { buildOne, haveGcc } from '../../guests/build.mjs';
import { haveQemu, unavailable, runQemu, runXenarm, firstDifference } from '../diff-lib';
import { cpuFactory } from '../../../src/machine/cpu-factory';

const SRC = join(dirname(fileURLToPath(import.meta.url)), 'vfp_sys.c');

for (const isa of ['arm', 'thumb'] as const) {
  test(`VFP system registers and UNDEFINED rules (${isa === 'arm' ? 'A32' : 'T32'}) as QEMU cortex-a15,neon=off`, (t) => {
    if (!haveGcc()) return unavailable(t, 'arm-linux-gnueabihf-gcc not installed');
    if (!haveQemu()) return unavailable(t, 'qemu-system-arm not installed');
    const elf = buildOne(`vfp-sys-${isa}.elf`, [SRC], [isa === 'arm' ? '-marm' : '-mthumb']) as string;
    const ref = runQemu(elf, { extra: ['-cpu', 'cortex-a15,neon=off'] });
    assert.equal(ref.problem, undefined, `QEMU: ${ref.problem}`);
    assert.match(ref.output, /mvfr1=11000011/, 'QEMU ran without Advanced SIMD');
    const got = runXenarm(cpuFactory, elf);
    assert.equal(got.problem, undefined, got.problem);
    const diff = firstDifference(ref.output, got.output);
    assert.ok(diff === null, diff ?? '');
    t.diagnostic(`${ref.output.split('\n').length - 1} lines identical`);
  });
}
