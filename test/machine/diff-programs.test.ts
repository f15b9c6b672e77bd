// Differential test 1: every bare-metal test guest (test/guests/*.c, ARM and Thumb builds) prints the
// same output and exits with the same status on xenarm as on qemu-system-arm -M virt -cpu cortex-a15.
// A guest whose source says `QEMU-MACHINE: <options>` runs on QEMU with `-M <options>` (for example
// virtualization=on, which QEMU needs before its cortex-a15 has the Virtualization Extensions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-ignore -- plain ESM build script
import { buildGuests, guestNames, haveGcc } from '../guests/build.mjs';
import { haveQemu, unavailable, runQemu, runXenarmCli, coreFactory, firstDifference } from './diff-lib';

const names: string[] = (process.env.XENARM_GUESTS?.split(',') ?? guestNames()) as string[];
const GUESTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'guests');

/** Extra QEMU arguments a guest asks for in its source. */
function qemuExtra(name: string): string[] {
  const src = [`${name}.c`, `${name}.S`].map((f) => join(GUESTS, f)).find((f) => existsSync(f));
  const m = src ? /QEMU-MACHINE:\s*(\S+)/.exec(readFileSync(src, 'utf8')) : null;
  return m ? ['-M', m[1]] : [];
}

// Guests that need QEMU's semihosting console on stdio are compared by their own test.
const own = (name: string) => [`${name}.c`, `${name}.S`].some((f) => existsSync(join(GUESTS, f)) && /QEMU-CONSOLE:\s*stdio/.test(readFileSync(join(GUESTS, f), 'utf8')));

for (const name of names.filter((n) => !own(n))) {
  test(`guest ${name}: same output as QEMU`, async (t) => {
    if (!haveGcc()) return unavailable(t, 'arm-linux-gnueabihf-gcc not installed');
    if (!haveQemu()) return unavailable(t, 'qemu-system-arm not installed');
    const createCpu = await coreFactory();
    if (!createCpu) return unavailable(t, 'the AArch32 core (src/machine/arm32/cpu.ts) is not in the tree yet');
    for (const elf of buildGuests([name]) as string[]) {
      await t.test(basename(elf), () => {
        const ref = runQemu(elf, { extra: qemuExtra(name) });
        assert.equal(ref.problem, undefined, `reference run failed: ${ref.problem}`);
        assert.ok(ref.output.length > 0, 'QEMU printed nothing');
        const got = runXenarmCli(elf, { maxInstructions: 40_000_000, killMs: 90_000 });
        const diff = firstDifference(ref.output, got.output);
        assert.ok(diff === null, `${basename(elf)}: ${diff}${got.problem ? `\n  ${got.problem}` : ''}`);
        assert.equal(got.problem, undefined, got.problem);
        assert.equal(got.status, ref.status, 'exit status');
        t.diagnostic(`${basename(elf)}: ${got.instructions} instructions, ${ref.output.split('\n').length - 1} lines identical`);
      });
    }
  });
}
