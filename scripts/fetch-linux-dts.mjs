// Fetches the Linux kernel's device-tree sources from Debian's linux-source-6.1 package into the cache,
// as a corpus for the device-tree tests and benchmark: arch/arm/boot/dts, arch/arm64/boot/dts,
// include/dt-bindings (+ the uapi header it links to) and scripts/dtc/include-prefixes (the include paths of the kernel's dtc build).
// Nothing lands in the repository.
//
// Usage: node scripts/fetch-linux-dts.mjs   (`npm run fetch:linux-dts`)
// Output: $XENARM_CACHE/linux-dts (default ~/.cache/xenarm/linux-dts) holding the kernel tree subset,
// and VERSION naming the package; the path is printed at the end.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const cache = resolve(process.env.XENARM_CACHE ?? join(homedir(), '.cache', 'xenarm'));
const out = join(cache, 'linux-dts');
const apt = join(cache, 'apt-all');
const debs = join(cache, 'debs');
for (const d of [join(apt, 'lists', 'partial'), join(apt, 'archives', 'partial'), debs]) mkdirSync(d, { recursive: true });
const o = [`-oDir::State::Lists=${join(apt, 'lists')}`, `-oDir::Cache=${apt}`];

function log(msg) {
  process.stderr.write(`fetch-linux-dts: ${msg}\n`);
}

if (existsSync(join(out, 'VERSION')) && readFileSync(join(out, 'VERSION'), 'utf8').includes('layout 2')) {
  log(`already present: ${out}`);
  process.stdout.write(out + '\n');
  process.exit(0);
}

const pkg = 'linux-source-6.1';
let deb = readdirSync(debs).find((f) => f.startsWith(pkg + '_') && f.endsWith('.deb'));
if (!deb) {
  // A mirror mid-sync can fail one index and make `update` exit non-zero: the download decides.
  log('updating private package lists');
  spawnSync('apt-get', [...o, '-q', 'update'], { stdio: ['ignore', 'ignore', 'inherit'] });
  log(`downloading ${pkg} (about 140 MB)`);
  execFileSync('apt-get', [...o, '-q', 'download', pkg], { cwd: debs, stdio: ['ignore', 'ignore', 'inherit'] });
  deb = readdirSync(debs).find((f) => f.startsWith(pkg + '_') && f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
}
const tmp = join(cache, 'extract', pkg);
if (!existsSync(tmp)) {
  mkdirSync(tmp, { recursive: true });
  execFileSync('dpkg', ['-x', join(debs, deb), tmp]);
}
const src = join(tmp, 'usr', 'src');
const tarball = readdirSync(src).find((f) => f.startsWith('linux-source') && f.includes('.tar'));
if (!tarball) throw new Error(`no kernel tarball in ${src}`);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const top = tarball.replace(/\.tar\.\w+$/, '');
// input-event-codes.h: dt-bindings/input/linux-event-codes.h is a symlink to it.
const wanted = ['arch/arm/boot/dts', 'arch/arm64/boot/dts', 'include/dt-bindings', 'include/uapi/linux/input-event-codes.h', 'scripts/dtc/include-prefixes'].map((p) => `${top}/${p}`);
log(`extracting ${wanted.length} directories from ${tarball}`);
execFileSync('tar', ['-xf', join(src, tarball), '-C', out, '--strip-components=1', ...wanted], { stdio: ['ignore', 'ignore', 'inherit'] });
writeFileSync(join(out, 'VERSION'), `${deb}\nlayout 2\n`);
log(`done: ${out}`);
process.stdout.write(out + '\n');
