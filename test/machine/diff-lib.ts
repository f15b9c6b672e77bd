// Shared machinery of the QEMU-differential tests: run a bare-metal ELF on qemu-system-arm (the
// reference) and on xenarm's board in-process, and compare what each printed through semihosting.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { Board, VIRT_RAM_BASE } from '../../src/machine/board';
import { cpuFactory } from '../../src/machine/cpu-factory';
import { loadImage } from '../../src/cli/run-baremetal';
import type { SemihostingHost } from '../../src/machine/arm32/contracts';
import type { CpuFactory } from '../../src/machine/board';

export const QEMU = 'qemu-system-arm';
/** RAM of both machines in these tests: small, so a runaway guest faults instead of decoding 128 MiB. */
export const GUEST_RAM_MIB = 16;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function haveQemu(): boolean {
  return spawnSync(QEMU, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Skips the test with a visible reason, or fails it under CI (where every tool must be present). */
export function unavailable(t: { skip(msg: string): void; diagnostic(msg: string): void }, why: string): void {
  if (process.env.CI) assert.fail(`${why} (required under CI)`);
  t.diagnostic(`SKIPPED: ${why}`);
  t.skip(why);
}

export interface GuestRun {
  output: string;
  status: number | null;
  /** xenarm only: retired instructions. */
  instructions?: number;
  /** Why the run did not end by semihosting exit (limit, timeout, deadlock…). */
  problem?: string;
}

/** Runs an ELF on QEMU's virt board with semihosting routed to a file (stdout stays clean). */
export function runQemu(elf: string, opts: { timeoutMs?: number; extra?: string[] } = {}): GuestRun {
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-qemu-'));
  try {
    const out = join(dir, 'semihosting.txt');
    const r = spawnSync(QEMU, ['-M', 'virt', '-cpu', 'cortex-a15', '-nic', 'none', '-display', 'none', '-monitor', 'none', '-serial', 'none',
      '-chardev', `file,id=sh0,path=${out}`, '-semihosting-config', 'enable=on,target=native,chardev=sh0',
      '-m', `${GUEST_RAM_MIB}`, ...(opts.extra ?? []), '-kernel', elf], { encoding: 'utf8', timeout: opts.timeoutMs ?? 60000 });
    let output = '';
    try { output = readFileSync(out, 'utf8'); } catch { /* nothing printed */ }
    const problem = r.error ? `qemu: ${r.error.message}` : r.signal ? `qemu killed by ${r.signal}` : r.stderr ? `qemu stderr: ${r.stderr.trim()}` : undefined;
    return { output, status: r.status, problem };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The real core's CPU factory (null was "core not in the tree yet" while it was being written). */
export async function coreFactory(): Promise<CpuFactory | null> {
  return cpuFactory;
}

/** Runs an ELF on xenarm's virt board in-process (the same path as `xenarm run --machine virt --semihosting`). */
export function runXenarm(createCpu: CpuFactory, elf: string, opts: { maxInstructions?: number; timeoutMs?: number; cpus?: number; outputLimit?: number } = {}): GuestRun {
  const ramSize = GUEST_RAM_MIB * 1024 * 1024;
  const board = new Board({ createCpu, cpus: opts.cpus ?? 1, ramBase: VIRT_RAM_BASE, ramSize });
  const image = readFileSync(elf);
  const entry = loadImage(board.bus, VIRT_RAM_BASE, ramSize, { image, imageName: elf, memoryMiB: GUEST_RAM_MIB, cpus: 1, semihosting: true });
  const chunks: Buffer[] = [];
  let total = 0, flooded = false;
  const limit = opts.outputLimit ?? 32 << 20;
  const host: SemihostingHost = {
    write: (b) => {
      // A runaway guest (an exception loop that prints) must not exhaust the test's memory.
      total += b.length;
      if (total > limit) { if (!flooded) { flooded = true; for (const c of board.cpus) c.requestStop(); } return; }
      chunks.push(Buffer.from(b));
    },
    readByte: () => -1,
    exit: (s) => board.halt(s),
    commandLine: elf,
    time: () => 1700000000,
  };
  for (const c of board.cpus) { c.reset(entry); c.semihosting = host; }
  let problem: string | undefined;
  let instructions = 0;
  try {
    const r = board.run({ maxInstructions: opts.maxInstructions ?? 200_000_000, timeoutMs: opts.timeoutMs ?? 120_000 });
    instructions = r.instructions;
    if (flooded) problem = `xenarm: the guest printed more than ${limit} bytes (runaway), stopped at pc 0x${board.cpus[0].getReg(15).toString(16)}`;
    else if (r.outcome !== 'halted') problem = `xenarm run ended with '${r.outcome}' after ${r.instructions} instructions at pc 0x${board.cpus[0].getReg(15).toString(16)}`;
  } catch (e) {
    problem = `xenarm threw: ${e instanceof Error ? e.stack : String(e)}`;
  }
  return { output: Buffer.concat(chunks).toString('utf8'), status: board.exitStatus, instructions, problem };
}

/** A readable account of the first difference between two outputs (line-based), or null when equal. */
export function firstDifference(ref: string, got: string): string | null {
  if (ref === got) return null;
  const a = ref.split('\n'), b = got.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const ctx = a.slice(Math.max(0, i - 3), i).map((l) => `    ${l}`).join('\n');
  return `first difference at output line ${i + 1}:\n${ctx}\n  qemu:   ${a[i] ?? '<end of output>'}\n  xenarm: ${b[i] ?? '<end of output>'}`;
}

/**
 * Runs an ELF through the real command line (`xenarm run --machine virt --semihosting`) in a child
 * process, killed after `killMs`: a core that loops forever inside one run() call (an exception loop
 * that retires nothing) fails the test instead of hanging the suite.
 */
export function runXenarmCli(elf: string, opts: { maxInstructions?: number; killMs?: number; env?: Record<string, string> } = {}): GuestRun {
  const killMs = opts.killMs ?? 120_000;
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'run', '--machine', 'virt', '--semihosting',
    '--memory', String(GUEST_RAM_MIB), '--stats', '--timeout', String(Math.max(1, Math.floor(killMs / 1000) - 10)),
    '--max-instructions', String(opts.maxInstructions ?? 200_000_000), elf], { encoding: 'utf8', timeout: killMs, maxBuffer: 256 << 20, env: opts.env ? { ...process.env, ...opts.env } : process.env });
  const m = /xenarm: (\d+) instructions/.exec(r.stderr ?? '');
  const diag = (r.stderr ?? '').replace(/^xenarm: \d+ instructions\n/m, '').trim();
  const problem = r.error ? (r.signal ? `xenarm did not return within ${killMs / 1000} s (killed: the core loops inside run())` : `xenarm: ${r.error.message}`)
    : r.signal ? `xenarm killed by ${r.signal}` : diag ? diag.split('\n').slice(0, 5).join('\n') : undefined;
  return { output: r.stdout ?? '', status: r.status, instructions: m ? Number(m[1]) : undefined, problem };
}
