// Debug adapter benchmark, measured through DAP against the built adapter (dist/adapter.js):
//  1. guest speed with 100 breakpoints set and none hit, on the hot loop's page, against no breakpoints
//     (goal: >= 95%), in wall clock through DAP and in CPU time through the runtime API;
//  2. step latency: `next` (line) and instruction steps, request to `stopped` event (goal: <= 20 ms);
//  3. pause latency on a guest running flat out, request to `stopped` event (goal: <= 50 ms).
// Usage: npm run bench:debug [-- --repeat N]
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { ElfFile } from '../src/machine/elf';

const root = join(__dirname, '..');
const adapter = join(root, 'dist', 'adapter.js');
const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 3;

async function session(): Promise<DebugClient> {
  const dc = new DebugClient('node', adapter, 'xenarm', { cwd: root });
  dc.defaultTimeout = 120000;
  await dc.start();
  return dc;
}

const args = (elf: string, extra: Record<string, unknown> = {}) => ({ kernel: elf, bootProtocol: 'baremetal', semihosting: true, memory: 64, ...extra });

/**
 * `n` instruction addresses the busy guest never executes, on the hot loop's page: never_called()
 * sits next to main, and a breakpoint anywhere on a page could cost block translation of that page.
 */
function unhitAddresses(elf: string, n: number): { instructionReference: string }[] {
  const file = new ElfFile(readFileSync(elf), elf);
  const sym = (name: string) => file.symbols().find((s) => s.name === name);
  const pad = sym('never_called'), main = sym('main');
  if (!pad || !main) throw new Error(`${elf}: no never_called or main symbol`);
  const at = Array.from({ length: n }, (_, i) => (pad.value & ~1) + 4 * i);
  if (at.some((a) => a >>> 12 !== main.value >>> 12)) throw new Error('never_called() is not on the page of main');
  return at.map((a) => ({ instructionReference: '0x' + a.toString(16) }));
}

/** Seconds from configurationDone to the guest's exit, with `bps` instruction breakpoints never hit. */
async function runToExit(elf: string, bps: number): Promise<number> {
  const dc = await session();
  try {
    const exited = dc.waitForEvent('exited');
    await dc.launch(args(elf));
    const breakpoints = unhitAddresses(elf, bps);
    const r = await dc.customRequest('setInstructionBreakpoints', { breakpoints });
    if (r.body.breakpoints.filter((b: { verified: boolean }) => b.verified).length !== bps) throw new Error('breakpoints not placed');
    const t0 = performance.now();
    await dc.configurationDoneRequest();
    await exited;
    return (performance.now() - t0) / 1000;
  } finally {
    await dc.stop();
  }
}

async function timedStop(dc: DebugClient, request: () => Promise<unknown>): Promise<number> {
  const stopped = dc.waitForEvent('stopped');
  const t0 = performance.now();
  await request();
  await stopped;
  return performance.now() - t0;
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `median ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms (${s.length} samples)`;
}

/** The adapter's engine on a bare-metal guest, loaded, its console discarded (no DAP transport). */
async function loadRuntime(elf: string) {
  const { parseLaunchConfig } = await import('../src/debug/launch-config');
  const { DebugRuntime } = await import('../src/debug/runtime/runtime');
  const { createTarget } = await import('../src/debug/runtime/targets');
  const rt = new DebugRuntime(parseLaunchConfig({ kernel: elf, bootProtocol: 'baremetal', semihosting: true }), createTarget);
  rt.load();
  rt.on('console', () => {});
  return rt;
}

/**
 * CPU seconds the debug runtime (the adapter's engine, without the DAP transport) spends running the
 * guest to its exit with `bps` unhit breakpoints: robust against other load on the machine.
 */
async function cpuSecondsToExit(elf: string, bps: number): Promise<number> {
  const rt = await loadRuntime(elf);
  rt.setInstructionBreakpoints(unhitAddresses(elf, bps));
  const exited = new Promise<void>((resolve) => rt.once('exited', () => resolve()));
  const c0 = process.cpuUsage();
  rt.begin();
  await exited;
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

/** Pause latency inside the adapter process (runtime API, no DAP transport): what the adapter itself adds. */
async function inProcessPause(elf: string): Promise<number[]> {
  const rt = await loadRuntime(elf);
  const out: number[] = [];
  for (let i = 0; i < 10; i++) {
    const stopped = new Promise<void>((resolve) => rt.once('stopped', () => resolve()));
    rt.continue();
    await new Promise((r) => setTimeout(r, 20 + 5 * i));
    const t0 = performance.now();
    rt.pause();
    await stopped;
    out.push(performance.now() - t0);
  }
  rt.terminate();
  return out;
}

async function main(): Promise<void> {
  if (!existsSync(adapter)) { console.error('dist/adapter.js missing: run npm run build first'); process.exit(2); }
  const { buildOne, haveGcc } = await import(join(root, 'test', 'guests', 'build.mjs'));
  if (!haveGcc()) { console.error('arm-linux-gnueabihf-gcc missing (apt-get install gcc-arm-linux-gnueabihf)'); process.exit(2); }
  // About 2.5 s of guest time on a quiet machine (500 M instructions): long enough to compare.
  const busyC = join(root, 'test', 'debug', 'dap', 'guests', 'busy.c');
  const long = buildOne('dap-busy-40m.elf', [busyC], ['-marm', '-O2', '-DITER=40000000']);
  // Long enough (~10 s quiet) that every pause lands while it runs, even on a fast idle machine.
  const busy = buildOne('dap-busy-400m.elf', [busyC], ['-marm', '-O2', '-DITER=400000000']);
  const calls = buildOne('dap-calls-arm.elf', [join(root, 'test', 'debug', 'dap', 'guests', 'calls.c')], ['-marm', '-O0', '-g']);

  // 1. Breakpoint overhead: alternate the two configurations, best of `repeat` each.
  const none: number[] = [], hundred: number[] = [];
  for (let i = 0; i < repeat; i++) {
    none.push(await runToExit(long, 0));
    hundred.push(await runToExit(long, 100));
  }
  const a = Math.min(...none), b = Math.min(...hundred);
  console.log(`guest run to exit, no breakpoints:        ${a.toFixed(3)} s (best of ${repeat}: ${none.map((x) => x.toFixed(3)).join(', ')})`);
  console.log(`guest run to exit, 100 breakpoints unhit: ${b.toFixed(3)} s (best of ${repeat}: ${hundred.map((x) => x.toFixed(3)).join(', ')})`);
  console.log(`speed with 100 breakpoints / without:     ${((a / b) * 100).toFixed(1)}% (wall clock through DAP; goal >= 95%)`);
  const cn: number[] = [], ch: number[] = [];
  for (let i = 0; i < repeat; i++) { cn.push(await cpuSecondsToExit(long, 0)); ch.push(await cpuSecondsToExit(long, 100)); }
  const ca = Math.min(...cn), cb = Math.min(...ch);
  console.log(`same in CPU time (runtime API):           ${ca.toFixed(3)} s vs ${cb.toFixed(3)} s with 100 breakpoints: ${((ca / cb) * 100).toFixed(1)}% (best of ${repeat})`);

  // 2. Step latency on the -g test guest: line steps through main and its calls, then instruction steps.
  const dc = await session();
  try {
    const first = dc.waitForEvent('stopped');
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main' }] })).then(() => dc.configurationDoneRequest()),
      dc.launch(args(calls)),
    ]);
    await first;
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const lineSteps: number[] = [], insnSteps: number[] = [];
    for (let i = 0; i < 30; i++) lineSteps.push(await timedStop(dc, () => dc.stepInRequest({ threadId: 1 })));
    for (let i = 0; i < 100; i++) insnSteps.push(await timedStop(dc, () => dc.nextRequest({ threadId: 1, granularity: 'instruction' })));
    console.log(`step (source line, stepIn):  ${stats(lineSteps)} (goal <= 20 ms)`);
    console.log(`step (instruction):          ${stats(insnSteps)} (goal <= 20 ms)`);
  } finally {
    await dc.stop();
  }

  // 3. Pause latency: the busy guest runs flat out; pause at varied moments.
  const pauses: number[] = [];
  for (let i = 0; i < 10; i++) {
    const p = await session();
    try {
      await p.launch(args(busy, { stopOnEntry: false }));
      await p.configurationDoneRequest();
      await new Promise((r) => setTimeout(r, 50 + 20 * i));
      pauses.push(await timedStop(p, () => p.pauseRequest({ threadId: 1 })));
    } finally {
      await p.stop();
    }
  }
  console.log(`pause of a running guest:    ${stats(pauses)} (goal <= 50 ms)`);
  console.log(`  same, inside the adapter:  ${stats(await inProcessPause(busy))} (runtime API, no DAP transport)`);
  console.log(`load average during the run: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(', ')} on ${(await import('node:os')).cpus().length} cores`);
}

main().catch((e) => { console.error(e); process.exit(1); });
