// vCPUs as threads on a Xen dom0 guest with three vCPUs (test/guests/xen/psci.c, built -O2 -g): a
// thread event when PSCI CPU_ON brings vCPU 1 up and when CPU_OFF takes it down, a breakpoint hit on
// vCPU 1 reported on thread 2 with a stack and variables of its own, pause and continue acting on
// all vCPUs, and the guest's PSCI checks passing to SYSTEM_OFF under the debugger.
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CROSS, requireTools } from '../../support/tools';
import { client, launchAndStop, ROOT, stepAndWait } from './support';

test('vCPUs are threads: CPU_ON starts thread 2, its breakpoint stops there, pause/continue all, CPU_OFF ends it', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const { buildXenGuests } = await import(join(ROOT, 'test', 'guests', 'xen', 'build.mjs'));
  const [elf] = buildXenGuests(['psci']) as string[];
  const dc = await client();
  try {
    const threadEvents: string[] = [];
    dc.on('thread', (e: DebugProtocol.ThreadEvent) => threadEvents.push(`${e.body.reason} ${e.body.threadId}`));
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    const ev = await launchAndStop(dc, { kernel: elf, cpus: 3, memory: 64 }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'secondary_main' }] }));
    assert.equal(ev.body.reason, 'function breakpoint');
    assert.equal(ev.body.threadId, 2, 'the breakpoint was hit on vCPU 1');
    assert.equal(ev.body.allThreadsStopped, true);
    assert.deepEqual(threadEvents, ['started 2']);
    assert.deepEqual((await dc.threadsRequest()).body.threads.map((th) => [th.id, th.name]), [[1, 'vCPU 0'], [2, 'vCPU 1'], [3, 'vCPU 2 (powered off)']]);

    // Each thread has its own stack: vCPU 1 in secondary_main with the CPU_ON context id as its
    // argument, vCPU 0 elsewhere in the program (waiting for vCPU 1 to start).
    const st2 = await dc.stackTraceRequest({ threadId: 2 });
    assert.equal(st2.body.stackFrames[0].name, 'secondary_main');
    const scopes = await dc.scopesRequest({ frameId: st2.body.stackFrames[0].id });
    const locals = await dc.variablesRequest({ variablesReference: scopes.body.scopes.find((s) => s.name === 'Locals')!.variablesReference });
    assert.equal(locals.body.variables.find((v) => v.name === 'context')?.value, '4369 (0x1111)');
    const st1 = await dc.stackTraceRequest({ threadId: 1 });
    assert.notEqual(st1.body.stackFrames[0].name, 'secondary_main');
    assert.notEqual(st1.body.stackFrames[0].instructionPointerReference, st2.body.stackFrames[0].instructionPointerReference);
    const pc = async (threadId: number) => {
      const f = (await dc.stackTraceRequest({ threadId, levels: 1 })).body.stackFrames[0];
      const regs = await dc.variablesRequest({ variablesReference: (await dc.scopesRequest({ frameId: f.id })).body.scopes.find((s) => s.name === 'Registers')!.variablesReference });
      return Number(regs.body.variables.find((v) => v.name === 'pc')!.value);
    };
    assert.equal(await pc(2), Number(st2.body.stackFrames[0].instructionPointerReference));

    // Continue resumes every vCPU; pause stops them all (both move on in between).
    const before = [await pc(1), await pc(2)];
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const continued = dc.waitForEvent('continued');
    await dc.continueRequest({ threadId: 2 });
    assert.equal(((await continued) as DebugProtocol.ContinuedEvent).body.allThreadsContinued, true);
    await new Promise((r) => setTimeout(r, 30));
    const paused = await stepAndWait(dc, dc.pauseRequest({ threadId: 1 }));
    assert.equal(paused.body.reason, 'pause');
    assert.equal(paused.body.allThreadsStopped, true);
    assert.notDeepEqual([await pc(1), await pc(2)], before);
    // The rest of the guest's checks: CPU_OFF ends thread 2, restarts, then SYSTEM_OFF.
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 0);
    const text = output.join('');
    assert.doesNotMatch(text, /FAIL/, text);
    assert.ok(threadEvents.includes('exited 2'), threadEvents.join(', '));
  } finally {
    await dc.stop();
  }
});
