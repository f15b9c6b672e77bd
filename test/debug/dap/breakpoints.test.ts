// DAP scenarios for breakpoints: source lines (placed as gdb places them), functions, instructions,
// conditions, hit counts, logpoints, unverified ones with a reason, data breakpoints (watchpoints)
// and the guest-fault exception filter. References: the guest's source (@markers), the reference
// toolchain's nm/objdump/addr2line for addresses and instructions.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CROSS, requireTools } from '../../support/tools';
import { client, guest, launchArgs, launchAndStop, line, nmAddress, run, stepAndWait, topFrame, GUEST_SOURCE } from './support';

const source = { path: GUEST_SOURCE };

test('source breakpoint: verified at its line, hit there, unplaceable ones unverified with a reason', async (t) => {
  for (const isa of ['arm', 'thumb'] as const) {
    const elf = await guest(t, isa);
    if (!elf) return;
    const dc = await client();
    try {
      let bps: DebugProtocol.Breakpoint[] = [];
      const ev = await launchAndStop(dc, launchArgs(elf), async () => {
        const r = await dc.setBreakpointsRequest({ source, breakpoints: [{ line: line('leaf-body') }, { line: 2000 }] });
        bps = r.body.breakpoints;
        const other = await dc.setBreakpointsRequest({ source: { path: '/nowhere/other.c' }, breakpoints: [{ line: 3 }] });
        assert.equal(other.body.breakpoints[0].verified, false);
        assert.match(other.body.breakpoints[0].message!, /not part of the program's debug information/);
      });
      assert.equal(bps[0].verified, true);
      assert.equal(bps[0].line, line('leaf-body'));
      assert.equal(bps[1].verified, false);
      assert.match(bps[1].message!, /no code at or after line 2000/);
      assert.equal(ev.body.reason, 'breakpoint');
      assert.deepEqual(ev.body.hitBreakpointIds, [bps[0].id]);
      const frame = await topFrame(dc);
      assert.equal(frame.line, line('leaf-body'));
      assert.equal(frame.name, 'leaf');
      // addr2line agrees on the line of the stop address.
      const a2l = run(CROSS.addr2line, ['-e', elf, frame.instructionPointerReference!]).trim();
      assert.match(a2l, new RegExp(`calls\\.c:${line('leaf-body')}`));
    } finally {
      await dc.stop();
    }
  }
});

test('call stack across three frames matches the source, with instruction pointers', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const dc = await client();
  try {
    await launchAndStop(dc, launchArgs(elf), () => dc.setBreakpointsRequest({ source, breakpoints: [{ line: line('leaf-body') }] }));
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const frames = st.body.stackFrames;
    assert.deepEqual(frames.slice(0, 4).map((f) => [f.name, f.line]), [
      ['leaf', line('leaf-body')], ['middle', line('middle-call')], ['outer', line('outer-call')], ['main', line('main-outer')],
    ]);
    // Each caller's instruction pointer is the return address: right after a bl to the callee.
    const dis = run(CROSS.objdump, ['-d', elf]);
    for (let k = 1; k < 4; k++) {
      const ret = parseInt(frames[k].instructionPointerReference!, 16);
      const callAt = (ret - 4).toString(16);
      const m = new RegExp(`^\\s*${callAt}:\\s+[0-9a-f]+\\s+bl\\s+[0-9a-f]+ <(\\w+)>`, 'm').exec(dis);
      assert.ok(m, `objdump shows a bl before ${frames[k].instructionPointerReference}`);
      assert.equal(m![1], frames[k - 1].name);
    }
  } finally {
    await dc.stop();
  }
});

test('without call-frame information the stack comes from the frame-pointer chain (ARM)', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  if (!requireTools(t, [CROSS.objcopy], 'binutils-arm-linux-gnueabihf')) return;
  const noCfi = join(mkdtempSync(join(tmpdir(), 'xenarm-dap-')), 'calls-nocfi.elf');
  run(CROSS.objcopy, ['--remove-section', '.debug_frame', elf, noCfi]);
  assert.doesNotMatch(run(CROSS.readelf, ['-S', noCfi]), /\.debug_frame/);
  const dc = await client();
  try {
    await launchAndStop(dc, launchArgs(noCfi), () => dc.setBreakpointsRequest({ source, breakpoints: [{ line: line('leaf-body') }] }));
    const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.deepEqual(frames.slice(0, 4).map((f) => [f.name, f.line]), [
      ['leaf', line('leaf-body')], ['middle', line('middle-call')], ['outer', line('outer-call')], ['main', line('main-outer')],
    ]);
  } finally {
    await dc.stop();
  }
});

test('function and instruction breakpoints; unknown function unverified', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const middle = nmAddress(elf, 'middle');
  const leaf = nmAddress(elf, 'leaf');
  const dc = await client();
  try {
    let fbps: DebugProtocol.Breakpoint[] = [];
    const ev = await launchAndStop(dc, launchArgs(elf), async () => {
      fbps = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'middle' }, { name: 'no_such_function' }] })).body.breakpoints;
    });
    assert.equal(fbps[0].verified, true);
    assert.equal(fbps[1].verified, false);
    assert.match(fbps[1].message!, /no function named "no_such_function"/);
    assert.equal(ev.body.reason, 'function breakpoint');
    const frame = await topFrame(dc);
    assert.equal(frame.name, 'middle');
    assert.equal(frame.line, line('middle-call'), 'after the prologue, on the first line of the body');
    assert.ok(parseInt(frame.instructionPointerReference!, 16) > middle);
    // An instruction breakpoint on leaf's first instruction (its entry, before the prologue).
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const ib = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x' + leaf.toString(16) }] });
    assert.equal(ib.body.breakpoints[0].verified, true);
    const ev2 = await stepAndWait(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(ev2.body.reason, 'instruction breakpoint');
    assert.equal(parseInt((await topFrame(dc)).instructionPointerReference!, 16), leaf);
  } finally {
    await dc.stop();
  }
});

test('conditions, hit counts and logpoints', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const dc = await client();
  try {
    const logs: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'console') logs.push(e.body.output); });
    // outer's loop calls middle(i) for i = 0, 1, 2: stop on the third call only (hit count 3);
    // a logpoint in leaf prints its argument register every time; a false condition never stops.
    await launchAndStop(dc, launchArgs(elf), async () => {
      await dc.setBreakpointsRequest({ source, breakpoints: [
        { line: line('middle-call'), hitCondition: '3' },
        { line: line('leaf-body'), logMessage: 'leaf counter={counter}' },
        { line: line('outer-return'), condition: 'counter == 99' },
      ] });
    });
    let frame = await topFrame(dc);
    assert.equal(frame.line, line('middle-call'));
    assert.equal(logs.filter((l) => l.startsWith('leaf counter=')).length, 2, 'the logpoint ran for the two earlier calls');
    assert.match(logs.find((l) => l.startsWith('leaf'))!, /^leaf counter=1 \(0x1\)\n$/);
    // The outer-return condition is false: the next stop is the guest's exit.
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 7);
    assert.equal(logs.filter((l) => l.startsWith('leaf counter=')).length, 3);
    void frame;
  } finally {
    await dc.stop();
  }
});

test('a bad condition leaves the breakpoint unverified with the parser message', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const dc = await client();
  try {
    await dc.launch(launchArgs(elf, { stopOnEntry: true }));
    const r = await dc.setBreakpointsRequest({ source, breakpoints: [{ line: line('leaf-body'), condition: 'counter ==' }] });
    assert.equal(r.body.breakpoints[0].verified, false);
    assert.match(r.body.breakpoints[0].message!, /^condition: expression expected/);
  } finally {
    await dc.stop();
  }
});

test('data breakpoint on a global fires on the writing instruction', async (t) => {
  for (const isa of ['arm', 'thumb'] as const) {
    const elf = await guest(t, isa);
    if (!elf) return;
    const counter = nmAddress(elf, 'counter');
    const dc = await client();
    try {
      await launchAndStop(dc, launchArgs(elf), async () => {
        await dc.setBreakpointsRequest({ source, breakpoints: [{ line: line('main-outer') }] });
      });
      const info = await dc.dataBreakpointInfoRequest({ name: 'counter' });
      assert.equal(info.body.dataId, `0x${counter.toString(16)}:4:counter`);
      const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
      assert.equal(set.body.breakpoints[0].verified, true);
      const ev = await stepAndWait(dc, dc.continueRequest({ threadId: 1 }));
      assert.equal(ev.body.reason, 'data breakpoint');
      assert.match(ev.body.description!, /counter written 0x1 -> 0x2a by the instruction at 0x[0-9a-f]+/);
      const writer = /at (0x[0-9a-f]+)$/.exec(ev.body.description!)![1];
      // objdump: the instruction there is a store; addr2line: it belongs to the "counter = s" line.
      const dis = run(CROSS.objdump, ['-d', elf]);
      const m = new RegExp(`^\\s*${writer.slice(2)}:\\s+[0-9a-f ]+\\s+(\\S+)`, 'm').exec(dis);
      assert.ok(m && /^str/.test(m[1]), `a store at ${writer}: ${m?.[1]}`);
      assert.match(run(CROSS.addr2line, ['-e', elf, writer]), new RegExp(`calls\\.c:${line('write-counter')}`));
      const value = await dc.evaluateRequest({ expression: 'counter', context: 'watch' });
      assert.equal(value.body.result, '42 (0x2a)');
    } finally {
      await dc.stop();
    }
  }
});

test('data breakpoint from an address expression, reads included', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const results = nmAddress(elf, 'results');
  const dc = await client();
  try {
    await dc.launch(launchArgs(elf, { stopOnEntry: true }));
    const stopped = dc.waitForEvent('stopped');
    await dc.configurationDoneRequest();
    await stopped;
    const info = await dc.dataBreakpointInfoRequest({ name: `*(u32 *)0x${results.toString(16)}` });
    assert.ok(info.body.dataId, info.body.description);
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'readWrite' }] });
    // First the start-up code clearing .bss (a conditional store in _start), then main's store.
    let ev = await stepAndWait(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(ev.body.reason, 'data breakpoint');
    assert.match(ev.body.description!, /written 0x0 -> 0x0 by the instruction at 0x[0-9a-f]+$/);
    assert.equal((await topFrame(dc)).name, '_start');
    ev = await stepAndWait(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(ev.body.reason, 'data breakpoint');
    assert.match(ev.body.description!, /written 0x0 -> 0x2a/);
    assert.equal((await topFrame(dc)).name, 'main');
    const bad = await dc.dataBreakpointInfoRequest({ name: '1 + 2' });
    assert.equal(bad.body.dataId, null);
    assert.match(bad.body.description, /not an lvalue/);
  } finally {
    await dc.stop();
  }
});

test('guest-fault filter stops before the undefined-instruction exception, with exceptionInfo', async (t) => {
  for (const isa of ['arm', 'thumb'] as const) {
    const elf = await guest(t, isa);
    if (!elf) return;
    const dc = await client();
    try {
      const ev = await launchAndStop(dc, launchArgs(elf), () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'guest-fault', condition: 'kind == undefined_instruction' }] }));
      assert.equal(ev.body.reason, 'exception');
      const frame = await topFrame(dc);
      assert.equal(frame.line, line('udf'));
      const pc = frame.instructionPointerReference!;
      const dis = run(CROSS.objdump, ['-d', elf]);
      assert.match(dis, new RegExp(`^\\s*${pc.replace(/^0x0*/, '')}:\\s+[0-9a-f ]+\\s+udf`, 'm'), 'objdump shows udf at the stop');
      const info = await dc.exceptionInfoRequest({ threadId: 1 });
      assert.equal(info.body.exceptionId, 'undefined_instruction');
      assert.match(info.body.details!.message!, new RegExp(`pc = ${pc.replace(/^0x0*/, '0x')}`));
      // Continuing takes the exception; the guest's handler skips it and the program ends normally.
      const exited = dc.waitForEvent('exited');
      await dc.continueRequest({ threadId: 1 });
      assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 7);
    } finally {
      await dc.stop();
    }
  }
});

test('guest-fault filter on a data abort: DFSR/DFAR in exceptionInfo, condition on far', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const dc = await client();
  try {
    // Stop in main (after the start-up code cleared .bss), then ask for the abort.
    await launchAndStop(dc, launchArgs(elf), () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main' }] }));
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const doAbort = nmAddress(elf, 'do_abort');
    await dc.customRequest('writeMemory', { memoryReference: '0x' + doAbort.toString(16), data: Buffer.from([1, 0, 0, 0]).toString('base64') });
    // Only aborts on addresses below RAM: the undefined instruction earlier does not stop.
    await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'guest-fault', condition: 'kind == data_abort && far < 0x40000000' }] });
    const ev = await stepAndWait(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(ev.body.reason, 'exception');
    const frame = await topFrame(dc);
    assert.equal(frame.line, line('abort'));
    assert.match(ev.body.description!, new RegExp(`^Paused on data abort at ${frame.instructionPointerReference!.replace(/^0x0*/, '0x')} accessing 0x1000 \\(DFSR 0x[0-9a-f]+\\)$`));
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'data_abort');
    assert.match(info.body.details!.message!, /^DFAR = 0x1000$/m);
    // The CP15 view agrees: DFAR holds the faulting address.
    const scopes = await dc.scopesRequest({ frameId: frame.id });
    const cp15 = await dc.variablesRequest({ variablesReference: scopes.body.scopes.find((s) => s.name === 'CP15')!.variablesReference });
    assert.equal(cp15.body.variables.find((v) => v.name === 'DFAR')!.value, '0x00001000');
    // The guest's handler skips the load and the program ends normally.
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 7);
  } finally {
    await dc.stop();
  }
});
