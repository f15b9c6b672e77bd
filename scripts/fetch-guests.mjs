// Fetches the real guests xenarm is proven on from Debian's archive (armhf), without touching the
// host's own package setup: the current Debian 12 armmp-lpae kernel and busybox-static, then builds
// two initramfs images with `xenarm initramfs`. Nothing lands in the repository.
//
// Usage: node scripts/fetch-guests.mjs   (after `npm run build`; `npm run fetch:guests` does both)
// Output directory: $XENARM_CACHE or ~/.cache/xenarm, printed at the end, containing
//   vmlinuz (zImage), config, busybox, initrd-shell.cpio.gz (interactive), VERSION.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, copyFileSync, writeFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const cache = resolve(process.env.XENARM_CACHE ?? join(homedir(), '.cache', 'xenarm'));
const apt = join(cache, 'apt-armhf');
const debs = join(cache, 'debs');
for (const d of [join(apt, 'lists', 'partial'), join(apt, 'archives', 'partial'), debs]) mkdirSync(d, { recursive: true });
const o = ['-oAPT::Architecture=armhf', '-oAPT::Architectures=armhf', `-oDir::State::Lists=${join(apt, 'lists')}`, `-oDir::Cache=${apt}`];

function log(msg) { process.stderr.write(`fetch-guests: ${msg}\n`); }

// A mirror mid-sync can fail one index file and make `update` exit non-zero although the rest is
// usable: the look-ups that follow decide.
log('updating the private armhf package lists');
spawnSync('apt-get', [...o, '-q', 'update'], { stdio: ['ignore', 'ignore', 'inherit'] });

// The meta-package names the current kernel, so no version is hard-coded here.
const deps = execFileSync('apt-cache', [...o, 'depends', 'linux-image-armmp-lpae'], { encoding: 'utf8' });
const kernelPkg = /Depends:\s+(linux-image-[0-9.]+-[0-9]+-armmp-lpae)\b/.exec(deps)?.[1];
if (!kernelPkg) throw new Error(`could not find the current armmp-lpae kernel package in:\n${deps}`);
log(`current kernel package: ${kernelPkg}`);

function download(pkg) {
  const have = readdirSync(debs).find((f) => f.startsWith(pkg + '_') && f.endsWith('_armhf.deb'));
  if (have) return join(debs, have);
  log(`downloading ${pkg}`);
  execFileSync('apt-get', [...o, '-q', 'download', pkg], { cwd: debs, stdio: ['ignore', 'ignore', 'inherit'] });
  const got = readdirSync(debs).find((f) => f.startsWith(pkg + '_') && f.endsWith('.deb'));
  if (!got) throw new Error(`apt-get download ${pkg} produced no .deb`);
  return join(debs, got);
}

function extract(deb, name) {
  const dir = join(cache, 'extract', name);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('dpkg', ['-x', deb, dir]);
  }
  return dir;
}

const kdir = extract(download(kernelPkg), kernelPkg);
const boot = join(kdir, 'boot');
const vmlinuz = readdirSync(boot).find((f) => f.startsWith('vmlinuz-'));
const config = readdirSync(boot).find((f) => f.startsWith('config-'));
copyFileSync(join(boot, vmlinuz), join(cache, 'vmlinuz'));
copyFileSync(join(boot, config), join(cache, 'config'));
const bdir = extract(download('busybox-static'), 'busybox-static');
copyFileSync(join(bdir, 'bin', 'busybox'), join(cache, 'busybox'));
writeFileSync(join(cache, 'VERSION'), `${kernelPkg}\n${vmlinuz}\n`);

// An interactive initramfs: mounts the usual file systems and runs a shell on the PV console.
const init = join(cache, 'init-shell.sh');
writeFileSync(init, [
  '#!/bin/busybox sh',
  '/bin/busybox --install -s /bin',
  'mount -t proc proc /proc',
  'mount -t sysfs sysfs /sys',
  'mount -t devtmpfs devtmpfs /dev 2>/dev/null',
  'echo "xenarm: busybox shell on $(cat /proc/sys/kernel/osrelease)"',
  'exec setsid cttyhack sh',
  '',
].join('\n'));
const cli = resolve('dist/cli.js');
if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
execFileSync(process.execPath, [cli, 'initramfs', '-o', join(cache, 'initrd-shell.cpio.gz'), '--busybox', join(cache, 'busybox'), '--init', init], { stdio: 'inherit' });

const cfg = readFileSync(join(cache, 'config'), 'utf8');
for (const opt of ['CONFIG_XEN=y', 'CONFIG_HVC_XEN=y', 'CONFIG_ARM_LPAE=y']) {
  if (!cfg.includes(opt)) log(`warning: the kernel config lacks ${opt}`);
}
log(`done: ${cache}`);
process.stdout.write(cache + '\n');
