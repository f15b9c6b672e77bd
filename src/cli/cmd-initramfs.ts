// `xenarm initramfs`: builds a gzip-compressed newc cpio archive, from a directory tree or from a
// busybox binary plus an init script (the usual shape of a test initramfs).
import { readFileSync, readdirSync, lstatSync, readlinkSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs, stringOption } from './args';
import { CliError, EXIT } from './errors';
import { writeCpio, type CpioEntry } from './initramfs/cpio';

const HELP = `usage: xenarm initramfs -o OUT.cpio.gz DIR
       xenarm initramfs -o OUT.cpio.gz --busybox BUSYBOX --init SCRIPT [--add SRC:/DEST]...

From a directory: every file, directory and symlink below DIR, in sorted order.
From parts: /bin/busybox, /init (the script, mode 0755), /dev/console, the usual empty
directories (dev proc sys tmp root etc), busybox applet links for sh, and each --add.
Timestamps and owners are zeroed, so the same inputs give the same archive.
Options: --no-gzip writes the plain cpio archive.`;

function read(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CliError(`initramfs: cannot read ${what} '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

function fromDirectory(root: string): CpioEntry[] {
  const entries: CpioEntry[] = [];
  const walk = (rel: string) => {
    const abs = join(root, rel);
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch (e) {
      throw new CliError(`initramfs: cannot read directory '${abs}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    for (const name of names) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(root, r));
      if (st.isSymbolicLink()) entries.push({ kind: 'symlink', path: r, target: readlinkSync(join(root, r)) });
      else if (st.isDirectory()) { entries.push({ kind: 'dir', path: r, mode: st.mode & 0o7777 }); walk(r); }
      else if (st.isFile()) entries.push({ kind: 'file', path: r, data: read(join(root, r), 'file'), mode: st.mode & 0o7777 });
      else process.stderr.write(`xenarm initramfs: skipping special file ${r}\n`);
    }
  };
  walk('');
  if (!entries.some((e) => e.path === 'dev/console')) {
    if (!entries.some((e) => e.path === 'dev')) entries.push({ kind: 'dir', path: 'dev' });
    entries.push({ kind: 'chardev', path: 'dev/console', major: 5, minor: 1 });
  }
  return entries;
}

function fromParts(busybox: string, init: string, adds: string[]): CpioEntry[] {
  const entries: CpioEntry[] = [];
  for (const d of ['bin', 'sbin', 'dev', 'proc', 'sys', 'tmp', 'root', 'etc']) entries.push({ kind: 'dir', path: d });
  entries.push({ kind: 'chardev', path: 'dev/console', major: 5, minor: 1 });
  entries.push({ kind: 'file', path: 'bin/busybox', data: read(busybox, 'busybox binary'), mode: 0o755 });
  entries.push({ kind: 'symlink', path: 'bin/sh', target: 'busybox' });
  entries.push({ kind: 'file', path: 'init', data: read(init, 'init script'), mode: 0o755 });
  for (const spec of adds) {
    const i = spec.lastIndexOf(':');
    if (i <= 0 || !spec.slice(i + 1).startsWith('/')) throw new CliError(`initramfs: --add wants SRC:/DEST, got '${spec}'`, EXIT.USAGE);
    const dest = posix.normalize(spec.slice(i + 1)).replace(/^\/+/, '');
    const parts = dest.split('/');
    for (let k = 1; k < parts.length; k++) {
      const dir = parts.slice(0, k).join('/');
      if (!entries.some((e) => e.path === dir)) entries.push({ kind: 'dir', path: dir });
    }
    entries.push({ kind: 'file', path: dest, data: read(spec.slice(0, i), 'file'), mode: 0o755 });
  }
  return entries;
}

export async function run(args: string[]): Promise<number> {
  const p = parseArgs(args, [
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'busybox', kind: 'string' },
    { name: 'init', kind: 'string' },
    { name: 'add', kind: 'list' },
    { name: 'no-gzip', kind: 'flag' },
    { name: 'help', short: 'h', kind: 'flag' },
  ], 'initramfs');
  if (p.options.get('help')) { process.stdout.write(HELP + '\n'); return EXIT.OK; }
  const out = stringOption(p, 'output');
  if (!out) throw new CliError(`initramfs: -o OUT is required\n${HELP}`, EXIT.USAGE);
  const busybox = stringOption(p, 'busybox'), init = stringOption(p, 'init');
  let entries: CpioEntry[];
  if (p.positional.length === 1 && !busybox && !init) entries = fromDirectory(p.positional[0]);
  else if (p.positional.length === 0 && busybox && init) entries = fromParts(busybox, init, (p.options.get('add') as string[]) ?? []);
  else throw new CliError(`initramfs: give either a directory, or --busybox and --init\n${HELP}`, EXIT.USAGE);
  const cpio = writeCpio(entries);
  const bytes = p.options.get('no-gzip') ? cpio : gzipSync(cpio, { level: 9 });
  try {
    writeFileSync(out, bytes);
  } catch (e) {
    throw new CliError(`initramfs: cannot write '${out}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  process.stderr.write(`xenarm initramfs: ${entries.length} entries, ${bytes.length} bytes → ${out}\n`);
  return EXIT.OK;
}
