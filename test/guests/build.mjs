// Builds the bare-metal test guests with Debian's arm-linux-gnueabihf-gcc into .cache/guests/.
// Every C guest is built twice (<name>-arm.elf with -marm, <name>-thumb.elf with -mthumb); assembly
// guests (<name>.S) once. Usage: node test/guests/build.mjs [name ...]; exits 2 when gcc is missing.
// Also importable: buildGuests(names?) returns the list of built ELF paths.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const GUEST_OUT = join(root, '.cache', 'guests');
export const GCC = 'arm-linux-gnueabihf-gcc';

export function haveGcc() {
  return spawnSync(GCC, ['--version'], { stdio: 'ignore' }).status === 0;
}

const common = ['-march=armv7ve', '-mfpu=vfpv4', '-mfloat-abi=hard', '-O2', '-ffreestanding', '-nostdlib', '-static',
  '-fno-builtin', '-fno-stack-protector', '-fno-pic', '-mno-unaligned-access', '-Wa,-mimplicit-it=always', '-Wl,--build-id=none', '-N', '-Wl,--no-warn-rwx-segments',
  '-T', join(here, 'rt', 'guest.ld'), '-I', join(here, 'rt')];
const rt = [join(here, 'rt', 'start.S'), join(here, 'rt', 'rt.c')];

function newer(out, inputs) {
  if (!existsSync(out)) return false;
  const t = statSync(out).mtimeMs;
  return inputs.every((f) => statSync(f).mtimeMs < t);
}

/** Builds one output; throws with gcc's message on failure. */
function build(out, sources, flags) {
  const inputs = [...sources, ...rt, join(here, 'rt', 'rt.h'), join(here, 'rt', 'mmu.h'), join(here, 'rt', 'guest.ld'), fileURLToPath(import.meta.url)];
  if (newer(out, inputs)) return out;
  const r = spawnSync(GCC, [...common, ...flags, '-o', out, ...rt, ...sources], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building ${basename(out)} failed:\n${r.stderr}`);
  return out;
}

/** The guest names (source base names) available. */
export function guestNames() {
  return readdirSync(here).filter((f) => /\.(c|S)$/.test(f)).map((f) => f.replace(/\.(c|S)$/, '')).sort();
}

export function buildGuests(names = guestNames()) {
  mkdirSync(GUEST_OUT, { recursive: true });
  const out = [];
  for (const name of names) {
    const c = join(here, `${name}.c`), s = join(here, `${name}.S`);
    if (existsSync(c)) {
      out.push(build(join(GUEST_OUT, `${name}-arm.elf`), [c], ['-marm']));
      out.push(build(join(GUEST_OUT, `${name}-thumb.elf`), [c], ['-mthumb']));
    } else if (existsSync(s)) {
      out.push(build(join(GUEST_OUT, `${name}.elf`), [s], ['-marm']));
    } else throw new Error(`no guest named ${name}`);
  }
  return out;
}

/** Builds an arbitrary source (the random-sequence harness) into .cache/guests/<outName>. */
export function buildOne(outName, sources, flags = ['-marm']) {
  mkdirSync(GUEST_OUT, { recursive: true });
  return build(join(GUEST_OUT, outName), sources, flags);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!haveGcc()) { console.error(`${GCC} not installed (apt-get install -y gcc-arm-linux-gnueabihf)`); process.exit(2); }
  const names = process.argv.slice(2);
  for (const p of buildGuests(names.length ? names : undefined)) console.log(p);
}
