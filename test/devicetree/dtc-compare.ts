// Runs Debian's dtc and `xenarm dtc` (in-process) on the same arguments and files, for byte comparison
// of the output, the exit status and dtc's messages.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { runDtc } from '../../src/cli/cmd-dtc';
import { checkTable } from '../../src/devicetree/checks/index';

export interface DtcRun {
  status: number;
  out: Uint8Array;
  stderr: string;
}

const scratch = mkdtempSync(join(tmpdir(), 'xenarm-dtc-'));
// One output path for both tools (runs are sequential): dtc prints it in positionless messages.
const outPath = join(scratch, 'out');

/** Runs `dtc ARGS -o OUT` in `cwd` (optionally with stdin). */
export function runReference(args: string[], cwd: string, stdin?: Uint8Array): DtcRun {
  const out = outPath;
  writeFileSync(out, '');
  const r = spawnSync('dtc', [...args, '-o', out], { cwd, input: stdin, maxBuffer: 1 << 28 });
  return { status: r.status ?? -1, out: new Uint8Array(readFileSync(out)), stderr: r.stderr.toString('latin1') };
}

/** Runs `xenarm dtc ARGS -o OUT` in-process with file access relative to `cwd`. */
export function runOurs(args: string[], cwd: string, stdin?: Uint8Array): DtcRun {
  const out = outPath;
  writeFileSync(out, '');
  let stderr = '';
  const abs = (p: string): string => (isAbsolute(p) ? p : join(cwd, p));
  const status = runDtc([...args, '-o', out], {
    stdout: () => undefined,
    stderr: (s) => {
      stderr += s;
    },
    readFile: (p) => {
      try {
        return new Uint8Array(readFileSync(abs(p)));
      } catch {
        return undefined;
      }
    },
    readStdin: () => stdin ?? new Uint8Array(0),
    writeFile: (p, b) => writeFileSync(abs(p), typeof b === 'string' ? Buffer.from(b, 'latin1') : b),
  });
  return { status, out: new Uint8Array(readFileSync(out)), stderr };
}

/**
 * dtc's messages restricted to what xenarm implements: check messages of checks present in our
 * table (with their "also defined at" lines), and every message that is not a check result.
 */
export function comparableMessages(stderr: string): string {
  const implemented = new Set(checkTable().map((c) => c.name));
  const out: string[] = [];
  let keep = true;
  for (const line of stderr.split('\n')) {
    const m = /: (?:Warning|ERROR) \(([a-z0-9_]+)\): /.exec(line);
    if (m) keep = implemented.has(m[1]!);
    else if (!line.startsWith('  also defined at')) keep = true;
    if (keep) out.push(line);
  }
  return out.join('\n');
}

export function firstDifference(a: Uint8Array, b: Uint8Array): string {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `first difference at byte ${i} (ours 0x${a[i]!.toString(16)}, dtc 0x${b[i]!.toString(16)}); sizes ${a.length} / ${b.length}`;
  return a.length === b.length ? 'identical' : `sizes differ: ${a.length} / ${b.length}`;
}
