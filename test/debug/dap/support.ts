// Shared set-up for the DAP scenario tests: the built adapter (dist/adapter.js, rebuilt when a source
// is newer), the test guest compiled with -g, line numbers found by the @markers in its source, and
// a DebugClient speaking to a fresh adapter process.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireTools, CROSS } from '../../support/tools';

const here = __dirname;
export const ROOT = join(here, '..', '..', '..');
export const ADAPTER = join(ROOT, 'dist', 'adapter.js');
export const GUEST_SOURCE = join(here, 'guests', 'calls.c');

function newestSource(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newestSource(p) : s.mtimeMs);
  }
  return t;
}

/** Builds dist/ unless the adapter bundle is newer than every source (npm test builds first). */
export function ensureAdapter(): string {
  if (!existsSync(ADAPTER) || statSync(ADAPTER).mtimeMs < newestSource(join(ROOT, 'src'))) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stderr}`);
  }
  return ADAPTER;
}

/** Builds the test guest (ARM or Thumb, -O0 -g); undefined (test skipped) without the cross compiler. */
export async function guest(t: { skip(msg: string): void }, isa: 'arm' | 'thumb'): Promise<string | undefined> {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return undefined;
  const { buildOne } = await import(join(ROOT, 'test', 'guests', 'build.mjs'));
  return buildOne(`dap-calls-${isa}.elf`, [GUEST_SOURCE], [isa === 'arm' ? '-marm' : '-mthumb', '-O0', '-g']) as string;
}

/** Line of the @marker comment in the guest source. */
export function line(marker: string): number {
  const lines = readFileSync(GUEST_SOURCE, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`@${marker}`) && new RegExp(`@${marker}\\b`).test(l));
  if (i < 0) throw new Error(`no @${marker} in ${GUEST_SOURCE}`);
  return i + 1;
}

export async function client(): Promise<DebugClient> {
  const dc = new DebugClient('node', ensureAdapter(), 'xenarm', { cwd: ROOT });
  dc.defaultTimeout = 60000; // generous: CI runs two test files at once on 2 cores
  await dc.start();
  return dc;
}

export function launchArgs(elf: string, extra: Record<string, unknown> = {}) {
  return { kernel: elf, bootProtocol: 'baremetal', semihosting: true, memory: 64, ...extra };
}

/** Launches, lets `configure` set breakpoints, finishes configuration and waits for the first stop. */
export async function launchAndStop(dc: DebugClient, args: Record<string, unknown>, configure: () => Promise<unknown> = async () => {}): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped');
  await Promise.all([
    dc.waitForEvent('initialized').then(configure).then(() => dc.configurationDoneRequest()),
    dc.launch(args),
  ]);
  return (await stopped) as DebugProtocol.StoppedEvent;
}

export async function topFrame(dc: DebugClient, threadId = 1): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId });
  return st.body.stackFrames[0];
}

export async function stepAndWait(dc: DebugClient, step: Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped');
  await step;
  return (await stopped) as DebugProtocol.StoppedEvent;
}

export async function registers(dc: DebugClient, frameId: number): Promise<Map<string, DebugProtocol.Variable>> {
  const scopes = await dc.scopesRequest({ frameId });
  const regs = scopes.body.scopes.find((s) => s.name === 'Registers')!;
  const vars = await dc.variablesRequest({ variablesReference: regs.variablesReference });
  return new Map(vars.body.variables.map((v) => [v.name, v]));
}

/** Runs a reference tool and returns its stdout. */
export function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Symbol address from the reference `nm`. */
export function nmAddress(elf: string, name: string): number {
  const m = new RegExp(`^([0-9a-f]+) \\w ${name}$`, 'm').exec(run(CROSS.nm, [elf]));
  if (!m) throw new Error(`nm: no ${name}`);
  return parseInt(m[1], 16);
}
