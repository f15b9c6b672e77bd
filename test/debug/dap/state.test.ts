// DAP scenarios for machine state: registers (core, CPSR fields, banked, CP15, VFP) read and written,
// memory read and written (virtual, phys:, unreadable bytes), disassembly around pc compared with
// objdump, and evaluate/hover/watch. References: nm (symbol addresses the start-up code loads into
// VBAR and the stacks), objcopy (section bytes), objdump -d (instruction text).
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CROSS, dumpSection, requireTools } from '../../support/tools';
import { client, guest, launchArgs, launchAndStop, line, nmAddress, registers, run, stepAndWait, topFrame, GUEST_SOURCE } from './support';

const source = { path: GUEST_SOURCE };

async function scopeVars(dc: import('@vscode/debugadapter-testsupport').DebugClient, frameId: number, name: string): Promise<Map<string, DebugProtocol.Variable>> {
  const scopes = await dc.scopesRequest({ frameId });
  const s = scopes.body.scopes.find((x) => x.name === name);
  assert.ok(s, `scope ${name}`);
  const vars = await dc.variablesRequest({ variablesReference: s!.variablesReference });
  return new Map(vars.body.variables.map((v) => [v.name, v]));
}

test('registers: CP15, banked and VFP state the start-up code set, and writes through setVariable', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const dc = await client();
  try {
    await launchAndStop(dc, launchArgs(elf), () => dc.setBreakpointsRequest({ source, breakpoints: [{ line: line('leaf-body') }] }));
    const frame = await topFrame(dc);
    const cp15 = await scopeVars(dc, frame.id, 'CP15');
    assert.equal(Number(cp15.get('VBAR')!.value), nmAddress(elf, '_vectors'), 'start.S writes _vectors to VBAR');
    assert.equal(Number(cp15.get('SCTLR')!.value), 0x00c50078, 'MMU off, reset value');
    assert.equal(Number(cp15.get('MIDR')!.value), 0x414fc0f0, 'Cortex-A15 r4p0 as QEMU reports it');
    assert.equal(cp15.get('VBAR')!.memoryReference, '0x' + nmAddress(elf, '_vectors').toString(16).padStart(8, '0'));
    const banked = await scopeVars(dc, frame.id, 'Banked Registers');
    const und = await dc.variablesRequest({ variablesReference: banked.get('und')!.variablesReference });
    const top = nmAddress(elf, '__stack_top');
    assert.equal(Number(und.body.variables.find((v) => v.name === 'sp_und')!.value), top - 0x3000, 'start.S: UND stack 12 KiB below the top');
    const vfp = await scopeVars(dc, frame.id, 'VFP');
    assert.equal(Number(vfp.get('fpexc')!.value), 0x40000000, 'start.S enables VFP (FPEXC.EN)');
    // Writes: r0, a D register, a CP15 register, read back through variables and evaluate.
    const regsRef = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.find((s) => s.name === 'Registers')!.variablesReference;
    const w = await dc.setVariableRequest({ variablesReference: regsRef, name: 'r0', value: '0x1234 + 1' });
    assert.equal(w.body.value, '0x00001235');
    assert.equal((await dc.evaluateRequest({ expression: '$r0', context: 'watch' })).body.result, '4661 (0x1235)');
    const vfpRef = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.find((s) => s.name === 'VFP')!.variablesReference;
    const d1 = await dc.setVariableRequest({ variablesReference: vfpRef, name: 'd1', value: '0x3ff8000000000000' });
    assert.equal(d1.body.value, '0x3ff8000000000000 (1.5)');
    const cpRef = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.find((s) => s.name === 'CP15')!.variablesReference;
    await dc.setVariableRequest({ variablesReference: cpRef, name: 'TPIDRPRW', value: '0xfeedf00d' });
    assert.equal((await scopeVars(dc, frame.id, 'CP15')).get('TPIDRPRW')!.value, '0xfeedf00d');
    await assert.rejects(dc.setVariableRequest({ variablesReference: cpRef, name: 'MIDR', value: '1' }), /MIDR is read-only|cannot|UNDEFINED|read-only/);
    // A core register holding a guest address gets a memory reference; a small number does not.
    await dc.setVariableRequest({ variablesReference: regsRef, name: 'r1', value: `0x${nmAddress(elf, 'counter').toString(16)}` });
    await dc.setVariableRequest({ variablesReference: regsRef, name: 'r2', value: '7' });
    const now = await registers(dc, frame.id);
    assert.equal(now.get('r1')!.memoryReference, '0x' + nmAddress(elf, 'counter').toString(16).padStart(8, '0'));
    assert.equal(now.get('r2')!.memoryReference, undefined);
    // Outer frames show the registers unwound from CFI: middle's pc is the return address into it.
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const regs1 = await registers(dc, st.body.stackFrames[1].id);
    assert.equal(regs1.get('pc')!.value, st.body.stackFrames[1].instructionPointerReference);
  } finally {
    await dc.stop();
  }
});

test('memory: reads match the ELF bytes, writes reach the guest, phys: and unreadable ranges', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  if (!requireTools(t, [CROSS.objcopy], 'binutils-arm-linux-gnueabihf')) return;
  const text = dumpSection(elf, '.text', mkdtempSync(join(tmpdir(), 'xenarm-dap-')))!;
  const textAddr = parseInt(/\.text\s+PROGBITS\s+([0-9a-f]+)/.exec(run(CROSS.readelf, ['-S', elf]))![1], 16);
  const dc = await client();
  try {
    await launchAndStop(dc, launchArgs(elf), () => dc.setBreakpointsRequest({ source, breakpoints: [{ line: line('leaf-body') }] }));
    const main = nmAddress(elf, 'main');
    const r = await dc.customRequest('readMemory', { memoryReference: '0x' + main.toString(16), offset: 4, count: 64 });
    assert.equal(r.body.address, '0x' + (main + 4).toString(16).padStart(8, '0'));
    assert.deepEqual([...Buffer.from(r.body.data, 'base64')], [...text.subarray(main + 4 - textAddr, main + 68 - textAddr)]);
    const p = await dc.customRequest('readMemory', { memoryReference: 'phys:0x' + main.toString(16), offset: 4, count: 64 });
    assert.equal(p.body.data, r.body.data, 'MMU off: physical = virtual');
    // Below RAM nothing is mapped; at the end of RAM the readable part comes back, then the rest unreadable.
    const none = await dc.customRequest('readMemory', { memoryReference: '0x1000', count: 16 });
    assert.equal(none.body.data, '');
    assert.equal(none.body.unreadableBytes, 16);
    const edge = await dc.customRequest('readMemory', { memoryReference: '0x43fffff8', count: 16 });
    assert.equal(Buffer.from(edge.body.data, 'base64').length, 8);
    assert.equal(edge.body.unreadableBytes, 8);
    // Write the global counter and see it through evaluate.
    const counter = nmAddress(elf, 'counter');
    const wr = await dc.customRequest('writeMemory', { memoryReference: '0x' + counter.toString(16), data: Buffer.from([0x78, 0x56, 0x34, 0x12]).toString('base64') });
    assert.equal(wr.body.bytesWritten, 4);
    assert.equal((await dc.evaluateRequest({ expression: 'counter', context: 'watch' })).body.result, '305419896 (0x12345678)');
    await assert.rejects(dc.customRequest('writeMemory', { memoryReference: '0x1000', data: 'AAAA' }), /not writable guest memory/);
    await assert.rejects(dc.customRequest('readMemory', { memoryReference: 'counter', count: 4 }), /is not a memory reference/);
  } finally {
    await dc.stop();
  }
});

test('disassemble around pc matches objdump, ARM and Thumb, with symbols and source lines', async (t) => {
  for (const isa of ['arm', 'thumb'] as const) {
    const elf = await guest(t, isa);
    if (!elf) return;
    const ref = new Map<number, string>();
    for (const l of run(CROSS.objdump, ['-d', elf]).split('\n')) {
      const m = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$/.exec(l);
      if (m) ref.set(parseInt(m[1], 16), m[3].replace(/\s+/g, ' ').trim());
    }
    const dc = await client();
    try {
      await launchAndStop(dc, launchArgs(elf), () => dc.setBreakpointsRequest({ source, breakpoints: [{ line: line('middle-call') }] }));
      const frame = await topFrame(dc);
      const pc = parseInt(frame.instructionPointerReference!, 16);
      const d = await dc.disassembleRequest({ memoryReference: frame.instructionPointerReference!, instructionOffset: -10, instructionCount: 30, resolveSymbols: true });
      const ins = d.body!.instructions;
      assert.equal(ins.length, 30);
      assert.equal(parseInt(ins[10].address, 16), pc, 'instruction 10 is the pc');
      let compared = 0;
      for (const i of ins) {
        const a = parseInt(i.address, 16);
        const want = ref.get(a);
        assert.ok(want !== undefined, `${isa}: objdump has an instruction at ${i.address}`);
        assert.equal(i.instruction.replace(/\s+/g, ' ').trim(), want, `${isa} at ${i.address}`);
        compared++;
      }
      assert.equal(compared, 30);
      const at = ins[10];
      assert.equal(at.line, line('middle-call'));
      assert.match(at.location?.path ?? ins.slice(0, 11).reverse().find((x) => x.location)!.location!.path!, /calls\.c$/);
      assert.ok(ins.some((x) => x.symbol === 'middle'), 'the function start carries its symbol');
    } finally {
      await dc.stop();
    }
  }
});

test('evaluate: registers, globals, memory, C arithmetic, hover; clear errors', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const dc = await client();
  try {
    await launchAndStop(dc, launchArgs(elf), () => dc.setBreakpointsRequest({ source, breakpoints: [{ line: line('leaf-body') }] }));
    const frame = await topFrame(dc);
    const ev = async (expression: string, context = 'repl') => (await dc.evaluateRequest({ expression, context, frameId: frame.id })).body;
    assert.equal(Number(/0x([0-9a-f]+)/.exec((await ev('$pc')).result)![0]), parseInt(frame.instructionPointerReference!, 16));
    assert.equal((await ev('counter')).result, '1 (0x1)');
    assert.equal((await ev('$cpsr & 0x1f')).result, '19 (0x13)');
    assert.equal((await ev('&counter')).result, `(unsigned int *) 0x${nmAddress(elf, 'counter').toString(16)}`);
    assert.equal(Number((await ev('leaf')).result.split(' ')[0]), nmAddress(elf, 'leaf'));
    const vectors = nmAddress(elf, '_vectors');
    const word = (await ev(`*(u32 *)0x${vectors.toString(16)}`)).result;
    const objdumpWord = new RegExp(`^\\s*${vectors.toString(16)}:\\s+([0-9a-f]{8})`, 'm').exec(run(CROSS.objdump, ['-d', elf]))![1];
    assert.equal(word, `${parseInt(objdumpWord, 16)} (0x${objdumpWord.replace(/^0+/, '')})`);
    const hover = await ev('counter', 'hover');
    assert.equal(hover.result, `1 (0x1) at 0x${nmAddress(elf, 'counter').toString(16)}`);
    assert.equal(hover.memoryReference, '0x' + nmAddress(elf, 'counter').toString(16).padStart(8, '0'));
    await assert.rejects(dc.evaluateRequest({ expression: 'no_such_thing + 1', context: 'repl', frameId: frame.id }), /no symbol 'no_such_thing' in the current context \(column 1\)/);
    await assert.rejects(dc.evaluateRequest({ expression: '*(u32 *)0x10', context: 'repl', frameId: frame.id }), /cannot read 4 bytes at 0x10/);
  } finally {
    await dc.stop();
  }
});

test('locals and parameters of each frame from DWARF, readable, writable and usable in expressions', async (t) => {
  for (const isa of ['arm', 'thumb'] as const) {
    const elf = await guest(t, isa);
    if (!elf) return;
    const dc = await client();
    try {
      // Second call of middle: outer's i = 1, middle's x = 1, leaf's x = 2.
      await launchAndStop(dc, launchArgs(elf), () => dc.setBreakpointsRequest({ source, breakpoints: [{ line: line('leaf-body'), hitCondition: '2' }] }));
      const st = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      const leaf = await scopeVars(dc, st[0].id, 'Locals');
      assert.equal(leaf.get('x')!.value, '2 (0x2)');
      assert.equal(leaf.get('x')!.type, 'u32');
      const middle = await scopeVars(dc, st[1].id, 'Locals');
      assert.equal(middle.get('x')!.value, '1 (0x1)');
      assert.ok(middle.has('r'));
      const outer = await scopeVars(dc, st[2].id, 'Locals');
      assert.equal(outer.get('n')!.value, '3 (0x3)');
      assert.equal(outer.get('i')!.value, '1 (0x1)', 'i of the for block that holds the call');
      assert.equal(outer.get('sum')!.value, '8 (0x8)', 'sum after middle(0) = (0+1)*3+1 = 4, times 2');
      // Expressions see the selected frame's variables.
      assert.equal((await dc.evaluateRequest({ expression: 'n * 10 + i', context: 'watch', frameId: st[2].id })).body.result, '31 (0x1f)');
      assert.equal((await dc.evaluateRequest({ expression: 'x', context: 'hover', frameId: st[0].id })).body.result.split(' at ')[0], '2 (0x2)');
      // Writing leaf's x changes what the program computes: y = x * 3.
      const ref = (await dc.scopesRequest({ frameId: st[0].id })).body.scopes.find((s) => s.name === 'Locals')!.variablesReference;
      const w = await dc.setVariableRequest({ variablesReference: ref, name: 'x', value: '10' });
      assert.equal(w.body.value, '10 (0xa)');
      await stepAndWait(dc, dc.nextRequest({ threadId: 1 }));
      const after = await scopeVars(dc, (await topFrame(dc)).id, 'Locals');
      assert.equal(after.get('y')!.value, '30 (0x1e)');
      // A data breakpoint on outer's `sum`, chosen from its Locals scope: the next write is
      // sum += middle(1), with leaf now returning 31: 8 + 62 = 70.
      const st2 = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      const outerRef = (await dc.scopesRequest({ frameId: st2[2].id })).body.scopes.find((s) => s.name === 'Locals')!.variablesReference;
      const info = await dc.dataBreakpointInfoRequest({ variablesReference: outerRef, name: 'sum', frameId: st2[2].id });
      assert.ok(info.body.dataId, info.body.description);
      await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
      const hit = await stepAndWait(dc, dc.continueRequest({ threadId: 1 }));
      assert.equal(hit.body.reason, 'data breakpoint');
      assert.match(hit.body.description!, /^Data breakpoint: sum written 0x8 -> 0x46 by the instruction at 0x[0-9a-f]+$/);
      assert.equal((await topFrame(dc)).name, 'outer');
    } finally {
      await dc.stop();
    }
  }
});
