// Reference tools for tests: Debian's cross toolchain, QEMU, gdb. A missing tool skips the test with
// a message saying which, except in CI, where it fails the test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const known = new Map<string, boolean>();

export function have(cmd: string): boolean {
  let ok = known.get(cmd);
  if (ok === undefined) {
    ok = spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
    known.set(cmd, ok);
  }
  return ok;
}

/** True when every command is installed; otherwise skips (or, under CI, fails) naming the missing ones. */
export function requireTools(t: { skip(msg: string): void }, cmds: string[], packageHint: string): boolean {
  const missing = cmds.filter((c) => !have(c));
  if (missing.length === 0) return true;
  if (process.env.CI) assert.fail(`${missing.join(', ')} not installed (CI installs ${packageHint})`);
  t.skip(`${missing.join(', ')} not installed (Debian: ${packageHint}): skipping the comparison with the reference`);
  return false;
}

export const CROSS = { gcc: 'arm-linux-gnueabihf-gcc', as: 'arm-linux-gnueabihf-as', objdump: 'arm-linux-gnueabihf-objdump', readelf: 'arm-linux-gnueabihf-readelf', objcopy: 'arm-linux-gnueabihf-objcopy', addr2line: 'arm-linux-gnueabihf-addr2line', nm: 'arm-linux-gnueabihf-nm' } as const;

/** The raw bytes of an ELF section, as objcopy dumps them; undefined when the section is absent. */
export function dumpSection(elf: string, name: string, dir: string): Uint8Array | undefined {
  const out = join(dir, name.replace(/\W/g, '_'));
  const r = spawnSync(CROSS.objcopy, ['--dump-section', `${name}=${out}`, elf, join(dir, 'scratch.elf')]);
  return r.status === 0 && existsSync(out) ? new Uint8Array(readFileSync(out)) : undefined;
}
