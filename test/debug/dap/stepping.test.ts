// DAP scenarios for execution control, checked against gdb: the same program stepped with `step`
// and `next` in gdb-multiarch attached to QEMU's gdbstub must visit the same source lines as the
// adapter's stepIn and next. Also step out, instruction stepping, and pausing a running guest.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { freePort, waitForPort } from '../../support/net';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { CROSS, requireTools } from '../../support/tools';
import { client, guest, launchArgs, launchAndStop, line, nmAddress, stepAndWait, topFrame, GUEST_SOURCE } from './support';

const source = { path: GUEST_SOURCE };

/** Lines gdb shows after `break main`, `continue` and n × `cmd`, as "file:line". */
async function gdbLines(elf: string, cmd: 'step' | 'next', n: number): Promise<string[]> {
  const port = await freePort();
  const qemu = spawn('qemu-system-arm', ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '64', '-nographic', '-semihosting', '-kernel', elf, '-S', '-gdb', `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    await waitForPort(port, 20000, "QEMU's gdbstub");
    const ex = ['-nx', '-batch', '-ex', 'set pagination off', '-ex', `target remote 127.0.0.1:${port}`, '-ex', 'break main', '-ex', 'continue'];
    for (let i = 0; i < n; i++) ex.push('-ex', cmd);
    const r = spawnSync('gdb-multiarch', [...ex, elf], { encoding: 'utf8', timeout: 60000 });
    const out: string[] = [];
    let file = '';
    // From the stop at main's breakpoint on (gdb first reports where QEMU holds the CPU at reset).
    const text = r.stdout.slice(r.stdout.indexOf('Breakpoint 1, '));
    for (const l of text.split('\n')) {
      const h = / at (\S+):(\d+)$/.exec(l);
      if (h) { file = basename(h[1]); continue; }
      const m = /^(\d+)\t/.exec(l);
      if (m && file) out.push(`${file}:${m[1]}`);
    }
    return out;
  } finally {
    qemu.kill();
  }
}

async function adapterLines(dc: DebugClient, how: 'stepIn' | 'next', n: number): Promise<string[]> {
  const out: string[] = [];
  const here = async () => { const f = await topFrame(dc); return `${basename(f.source?.path ?? '?')}:${f.line}`; };
  out.push(await here());
  for (let i = 0; i < n; i++) {
    const ev = await stepAndWait(dc, how === 'stepIn' ? dc.stepInRequest({ threadId: 1 }) : dc.nextRequest({ threadId: 1 }));
    if (ev.body.reason !== 'step') break;
    out.push(await here());
  }
  return out;
}

for (const [gdbCmd, dapCmd, n] of [['step', 'stepIn', 40], ['next', 'next', 8]] as const) {
  test(`${dapCmd} visits the lines gdb's ${gdbCmd} visits (ARM and Thumb)`, async (t) => {
    if (!requireTools(t, ['gdb-multiarch', 'qemu-system-arm'], 'gdb-multiarch, qemu-system-arm')) return;
    for (const isa of ['arm', 'thumb'] as const) {
      const elf = await guest(t, isa);
      if (!elf) return;
      const want = await gdbLines(elf, gdbCmd, n);
      assert.ok(want.length > n / 2, `gdb stepped: ${want.join(' ')}`);
      const dc = await client();
      try {
        await launchAndStop(dc, launchArgs(elf), () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main' }] }));
        const got = await adapterLines(dc, dapCmd, want.length - 1);
        assert.deepEqual(got, want, `${isa}: adapter vs gdb`);
      } finally {
        await dc.stop();
      }
    }
  });
}

test('step out returns to the caller, in the middle of the calling line; instruction steps', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const dc = await client();
  try {
    await launchAndStop(dc, launchArgs(elf), () => dc.setBreakpointsRequest({ source, breakpoints: [{ line: line('leaf-body') }] }));
    let ev = await stepAndWait(dc, dc.stepOutRequest({ threadId: 1 }));
    assert.equal(ev.body.reason, 'step');
    let f = await topFrame(dc);
    assert.equal(f.name, 'middle');
    assert.equal(f.line, line('middle-call'));
    ev = await stepAndWait(dc, dc.stepOutRequest({ threadId: 1 }));
    f = await topFrame(dc);
    assert.equal(f.name, 'outer');
    assert.equal(f.line, line('outer-call'));
    // Instruction granularity: exactly one instruction (4 bytes of straight-line ARM code here).
    const pc0 = parseInt(f.instructionPointerReference!, 16);
    ev = await stepAndWait(dc, dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
    assert.equal(ev.body.reason, 'step');
    assert.equal(parseInt((await topFrame(dc)).instructionPointerReference!, 16), pc0 + 4);
    // Stepping one instruction into a call: the bl to middle lands on middle's first instruction.
    const middle = nmAddress(elf, 'middle');
    for (let i = 0; i < 12; i++) {
      await stepAndWait(dc, dc.stepInRequest({ threadId: 1, granularity: 'instruction' }));
      if (parseInt((await topFrame(dc)).instructionPointerReference!, 16) === middle) break;
    }
    assert.equal(parseInt((await topFrame(dc)).instructionPointerReference!, 16), middle);
  } finally {
    await dc.stop();
  }
});

test('pause stops a guest running flat out, where it runs', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const dc = await client();
  try {
    await launchAndStop(dc, launchArgs(elf), () => dc.setBreakpointsRequest({ source, breakpoints: [{ line: line('abort') }] }));
    // Make main spin forever, then let it run and pause it.
    const set = await dc.evaluateRequest({ expression: 'spin', context: 'watch' });
    assert.equal(set.body.result, '0 (0x0)');
    const scopes = await dc.scopesRequest({ frameId: (await topFrame(dc)).id });
    const globals = scopes.body.scopes.find((s) => s.name === 'Globals')!;
    const sv = await dc.setVariableRequest({ variablesReference: globals.variablesReference, name: 'spin', value: '1' });
    assert.equal(sv.body.value, '1 (0x1)');
    await dc.setBreakpointsRequest({ source, breakpoints: [] });
    await dc.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 300));
    const ev = await stepAndWait(dc, dc.pauseRequest({ threadId: 1 }));
    assert.equal(ev.body.reason, 'pause');
    const f = await topFrame(dc);
    assert.equal(f.name, 'main');
    assert.equal(f.line, line('spin'));
    const ticks = await dc.evaluateRequest({ expression: 'ticks', context: 'watch' });
    assert.ok(Number(/^(\d+)/.exec(ticks.body.result)![1]) > 1000, `ticks ${ticks.body.result}`);
    void CROSS;
  } finally {
    await dc.stop();
  }
});
