// Test inputs from Debian's archive: armhf packages fetched by name into the xenarm cache
// ($XENARM_CACHE or ~/.cache/xenarm), the same place `npm run fetch:guests` uses. Nothing is committed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const cacheDir = resolve(process.env.XENARM_CACHE ?? join(homedir(), '.cache', 'xenarm'));

function aptOptions(): string[] {
  const apt = join(cacheDir, 'apt-armhf');
  for (const d of [join(apt, 'lists', 'partial'), join(apt, 'archives', 'partial')]) mkdirSync(d, { recursive: true });
  return ['-oAPT::Architecture=armhf', '-oAPT::Architectures=armhf', `-oDir::State::Lists=${join(apt, 'lists')}`, `-oDir::Cache=${apt}`];
}

let updated = false;

/**
 * Extracts an armhf package (by name) and returns the directory it was extracted into, or an error
 * message when Debian's archive cannot be reached.
 */
export function armhfPackage(name: string): { dir: string } | { error: string } {
  const dir = join(cacheDir, 'extract', name);
  if (existsSync(dir)) return { dir };
  const o = aptOptions();
  const debs = join(cacheDir, 'debs');
  mkdirSync(debs, { recursive: true });
  let deb = readdirSync(debs).find((f) => f.startsWith(name + '_') && f.endsWith('.deb'));
  if (!deb) {
    if (!updated) { spawnSync('apt-get', [...o, '-q', 'update'], { stdio: 'ignore' }); updated = true; }
    const r = spawnSync('apt-get', [...o, '-q', 'download', name], { cwd: debs, encoding: 'utf8' });
    deb = readdirSync(debs).find((f) => f.startsWith(name + '_') && f.endsWith('.deb'));
    if (!deb) return { error: `apt-get download ${name} failed: ${r.stderr.trim().split('\n').pop()}` };
  }
  mkdirSync(dir, { recursive: true });
  execFileSync('dpkg', ['-x', join(debs, deb), dir]);
  return { dir };
}

/** The current armmp-lpae kernel package's name, resolved through Debian's meta-package. */
export function currentKernelPackage(): string | undefined {
  const o = aptOptions();
  if (!updated) { spawnSync('apt-get', [...o, '-q', 'update'], { stdio: 'ignore' }); updated = true; }
  const r = spawnSync('apt-cache', [...o, 'depends', 'linux-image-armmp-lpae'], { encoding: 'utf8' });
  return /Depends:\s+(linux-image-[0-9.]+-[0-9]+-armmp-lpae)\b/.exec(r.stdout)?.[1];
}

export interface DebianGuests {
  kernelPackage: string;
  /** The kernel's zImage (boot/vmlinuz-…). */
  vmlinuz: string;
  /** busybox-static's armhf binary. */
  busybox: string;
  /** The kernel's build configuration (boot/config-…). */
  config: string;
}

/**
 * Debian's current armmp-lpae kernel and busybox-static, fetched into the cache when missing. Offline,
 * a kernel already extracted there is used; otherwise an error message says what could not be fetched.
 */
export function debianGuests(): DebianGuests | { error: string } {
  const extracted = () => {
    const dir = join(cacheDir, 'extract');
    return existsSync(dir) ? readdirSync(dir).filter((d) => /^linux-image-[0-9.]+-[0-9]+-armmp-lpae$/.test(d)).sort() : [];
  };
  const kernelPackage = currentKernelPackage() ?? extracted().pop();
  if (!kernelPackage) return { error: 'cannot resolve linux-image-armmp-lpae in Debian\'s armhf archive (offline?)' };
  const k = armhfPackage(kernelPackage);
  if ('error' in k) return k;
  const b = armhfPackage('busybox-static');
  if ('error' in b) return b;
  const boot = join(k.dir, 'boot');
  const vmlinuz = readdirSync(boot).find((f) => f.startsWith('vmlinuz-'));
  if (!vmlinuz) return { error: `${kernelPackage} has no boot/vmlinuz-*` };
  const config = readdirSync(boot).find((f) => f.startsWith('config-'));
  if (!config) return { error: `${kernelPackage} has no boot/config-*` };
  return { kernelPackage, vmlinuz: join(boot, vmlinuz), busybox: join(b.dir, 'bin', 'busybox'), config: join(boot, config) };
}
