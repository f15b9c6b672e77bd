// What the e2e compares VS Code's results with: the same guest and tree through xenarm's command line (the
// same dom0 builder and emulator the debug adapter runs) and Debian's dtc. Also used by the
// @vscode/test-electron suite from inside the extension host, where process.execPath is VS Code's Electron
// (run as plain Node with ELECTRON_RUN_AS_NODE) and the repository is named by XENARM_REPO.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const repo = process.env.XENARM_REPO ?? join(__dirname, '..', '..');
const cli = join(repo, 'dist', 'cli.js');
const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };

export interface GuestOptions {
  memory: number;
  bootargs: string;
}

/** Everything the guest prints on its PV console under `xenarm run` when `input` is typed. */
export function guestReference(elf: string, o: GuestOptions, input: string): string {
  const r = spawnSync(process.execPath, [cli, 'run', elf, '--memory', String(o.memory), '--bootargs', o.bootargs, '--timeout', '120'], { input, encoding: 'utf8', maxBuffer: 16 << 20, env });
  if (r.status !== 0) throw new Error(`xenarm run exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** The DTB the dom0 builder gives `elf` (xenarm dt -O dtb). */
export function generatedDtbReference(elf: string, o: GuestOptions): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-dtb-'));
  try {
    const out = join(dir, 'ref.dtb');
    execFileSync(process.execPath, [cli, 'dt', elf, '-O', 'dtb', '-o', out, '--memory', String(o.memory), '--bootargs', o.bootargs], { env });
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Debian's dtc decompiling a blob (throws with dtc's message if it rejects it). */
export function dtcDecompile(dtb: string): string {
  return execFileSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', dtb], { encoding: 'utf8' });
}
