// Builds the Xen test guests (test/guests/xen/*.c and *.S, ARM state, with the runtime in rt/) with
// Debian's arm-linux-gnueabihf-gcc into .cache/guests/xen/<name>.elf.
// Usage: node test/guests/xen/build.mjs [name ...]; exits 2 when gcc is missing. Importable: buildXenGuests(names?).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
export const XEN_GUEST_OUT = join(root, '.cache', 'guests', 'xen');
export const GCC = 'arm-linux-gnueabihf-gcc';
export function haveGcc() {
  return spawnSync(GCC, ['--version'], { stdio: 'ignore' }).status === 0;
}

const flags = ['-march=armv7ve', '-marm', '-mfloat-abi=soft', '-O2', '-g', '-ffreestanding', '-nostdlib', '-static',
  '-fno-builtin', '-fno-stack-protector', '-fno-pic', '-mno-unaligned-access', '-Wall', '-Wl,--build-id=none', '-N',
  '-Wl,--no-warn-rwx-segments', '-T', join(here, 'rt', 'guest.ld')];
const rt = [join(here, 'rt', 'start.S'), join(here, 'rt', 'xrt.c'), join(here, 'rt', 'fdt.c')];
const rtDeps = [...rt, join(here, 'rt', 'xrt.h'), join(here, 'rt', 'fdt.h'), join(here, 'rt', 'guest.ld'), fileURLToPath(import.meta.url)];

export function xenGuestNames() {
  return readdirSync(here).filter((f) => /\.(c|S)$/.test(f)).map((f) => f.replace(/\.(c|S)$/, '')).sort();
}

export function buildXenGuests(names = xenGuestNames()) {
  mkdirSync(XEN_GUEST_OUT, { recursive: true });
  return names.map((name) => {
    const src = [join(here, `${name}.c`), join(here, `${name}.S`)].find((p) => existsSync(p));
    if (!src) throw new Error(`no Xen guest named ${name}`);
    const out = join(XEN_GUEST_OUT, `${name}.elf`);
    if (existsSync(out)) {
      const t = statSync(out).mtimeMs;
      if ([src, ...rtDeps].every((f) => statSync(f).mtimeMs < t)) return out;
    }
    const r = spawnSync(GCC, [...flags, '-o', out, ...rt, src], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building ${basename(out)} failed:\n${r.stderr}`);
    return out;
  });
}

/** The raw binary of a built guest (its zImage form: the runtime's vectors carry a zImage header). */
export function xenGuestBinary(name) {
  const [elf] = buildXenGuests([name]);
  const out = elf.replace(/\.elf$/, '.bin');
  if (existsSync(out) && statSync(out).mtimeMs > statSync(elf).mtimeMs) return out;
  const r = spawnSync('arm-linux-gnueabihf-objcopy', ['-O', 'binary', elf, out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`objcopy of ${basename(elf)} failed:\n${r.stderr}`);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!haveGcc()) { console.error(`${GCC} not installed (apt-get install -y gcc-arm-linux-gnueabihf)`); process.exit(2); }
  const names = process.argv.slice(2);
  for (const p of buildXenGuests(names.length ? names : undefined)) console.log(p);
}
