// DAP scenarios on a Xen dom0 guest (the committed example sample/guest/dom0.elf, built with -g):
// dom0 entry registers as Xen sets them (r0 = 0, r1 = 0xffffffff, r2 = the tree), hypercall stops
// through the `hypercall` exception filter and `hypercall:NAME` function breakpoints with decoded
// arguments and console text, the generated device tree, PV console input and shutdown.
// References: /work/shared/xen-arm-abi.md (boot registers), objdump (the HVC at the stop), dtc.
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CROSS, requireTools } from '../../support/tools';
import { client, launchAndStop, registers, run, ROOT, stepAndWait, topFrame } from './support';

const DOM0 = join(ROOT, 'sample', 'guest', 'dom0.elf');
const args = (extra: Record<string, unknown> = {}) => ({ kernel: DOM0, memory: 64, bootargs: 'console=hvc0', ...extra });

test('dom0 entry: r0 = 0, r1 = 0xffffffff, r2 = the device tree; Boot scope and boot record agree', async () => {
  const dc = await client();
  try {
    const ev = await launchAndStop(dc, args({ stopOnEntry: true, cpus: 2 }));
    assert.equal(ev.body.reason, 'entry');
    // vCPUs are threads; the second waits powered off for PSCI CPU_ON, as under Xen.
    assert.deepEqual((await dc.threadsRequest()).body.threads.map((th) => th.name), ['vCPU 0', 'vCPU 1 (powered off)']);
    const frame = await topFrame(dc);
    const regs = await registers(dc, frame.id);
    const boot = (await dc.customRequest('xenarm/bootRecord')).body;
    assert.equal(Number(regs.get('r0')!.value), 0);
    assert.equal(Number(regs.get('r1')!.value), 0xffffffff);
    assert.equal(Number(regs.get('r2')!.value), boot.dtb.start);
    assert.equal(Number(regs.get('cpsr')!.value), 0x400001d3);
    assert.equal(Number(regs.get('pc')!.value), boot.entry);
    assert.equal(boot.protocol, 'xen-dom0');
    // The tree at r2 is a flattened device tree (magic 0xd00dfeed) of the size the boot record gives.
    const mem = await dc.customRequest('readMemory', { memoryReference: `phys:0x${boot.dtb.start.toString(16)}`, count: 8 });
    const b = Buffer.from(mem.body.data, 'base64');
    assert.equal(b.readUInt32BE(0), 0xd00dfeed);
    assert.equal(b.readUInt32BE(4), boot.dtb.size);
  } finally {
    await dc.stop();
  }
});

test('hypercall filter: stops before console_io with decoded arguments and the text', async () => {
  const dc = await client();
  try {
    const ev = await launchAndStop(dc, args(), () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'hypercall', condition: 'console_io' }] }));
    assert.equal(ev.body.reason, 'exception');
    const first = "Hello from xenarm's example dom0!\n";
    assert.match(ev.body.description!, new RegExp(`^Paused on hypercall console_io\\(CONSOLEIO_write, ${first.length}, 0x[0-9a-f]+\\)$`));
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'hypercall');
    assert.match(info.body.details!.message!, /^name = console_io$/m);
    assert.match(info.body.details!.message!, /^nr = 18$/m);
    assert.match(info.body.details!.message!, new RegExp(`^a1 = 0x${first.length.toString(16)}$`, 'm'));
    assert.ok(info.body.details!.message!.includes(`text = ${first}`));
    // The stop is on the HVC itself, not yet executed (objdump: hvc 0xea1 there).
    const pc = (await topFrame(dc)).instructionPointerReference!;
    if (requireTools({ skip: () => {} }, [CROSS.objdump], 'binutils-arm-linux-gnueabihf')) {
      const dis = run(CROSS.objdump, ['-d', DOM0]);
      const at = new RegExp(`^\\s*${pc.replace(/^0x0*/, '')}:\\s+[0-9a-f]+\\s+(.*)$`, 'm').exec(dis);
      assert.match(at?.[1] ?? '', /^hvc\t3745\t@ 0xea1$/);
    }
    // DWARF paths in this ELF are relative (sample/guest/…, -fdebug-prefix-map): frames point at the real files.
    const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.filter((f) => f.source);
    assert.ok(frames.length >= 2);
    for (const f of frames) {
      assert.ok(f.source!.path!.startsWith(join(ROOT, 'sample', 'guest') + '/'), f.source!.path);
      assert.ok(existsSync(f.source!.path!), f.source!.path);
    }
    // The Hypercall scope lists the decoded call.
    const frame = await topFrame(dc);
    const scopes = await dc.scopesRequest({ frameId: frame.id });
    const hc = scopes.body.scopes.find((s) => s.name === 'Hypercall');
    assert.ok(hc, 'a Hypercall scope while stopped on one');
    const vars = new Map((await dc.variablesRequest({ variablesReference: hc!.variablesReference })).body.variables.map((v) => [v.name, v.value]));
    assert.equal(vars.get('name'), '"console_io"');
    assert.equal(Number(vars.get('nr')), 18);
    assert.equal(vars.get('cmd'), '"write"');
    // Nothing was printed yet: resuming runs the call, and the next console_io is the next write.
    const out: string[] = [];
    dc.on('xenarm/console', (e: DebugProtocol.Event) => out.push(e.body.text));
    const ev2 = await stepAndWait(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(ev2.body.reason, 'exception');
    assert.equal(out.join(''), first);
  } finally {
    await dc.stop();
  }
});

test('hypercall conditions over nr and arguments, and hypercall:NAME function breakpoints', async () => {
  const dc = await client();
  try {
    // xen_version is hypercall 17; XENVER_version is command 0.
    let ev = await launchAndStop(dc, args(), () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'hypercall', condition: 'nr == 17 && a0 == XENVER_version' }] }));
    assert.match(ev.body.description!, /^Paused on hypercall xen_version\(XENVER_version, 0\)$/);
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'hypercall:event_channel_op' }] });
    assert.equal(fb.body.breakpoints[0].verified, true);
    ev = await stepAndWait(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(ev.body.reason, 'exception');
    assert.match(ev.body.description!, /^Paused on hypercall event_channel_op\(EVTCHNOP_/);
    const bad = await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'no-such-filter' }] });
    assert.equal(bad.body!.breakpoints![0].verified, false);
  } finally {
    await dc.stop();
  }
});

test('device tree, hypercall trace, PV console input and shutdown', async (t) => {
  const dc = await client();
  try {
    const text: string[] = [];
    dc.on('xenarm/console', (e: DebugProtocol.Event) => text.push(e.body.text));
    const traced: number[] = [];
    dc.on('xenarm/hypercall', (e: DebugProtocol.Event) => { for (const r of e.body.records) traced.push(r.seq); });
    // The guest prompts, then waits (WFI) for console input: pause it there.
    await Promise.all([dc.configurationSequence(), dc.launch(args())]);
    await new Promise<void>((resolve) => { const check = () => (text.join('').includes('to finish): ') ? resolve() : setTimeout(check, 20)); check(); });
    const paused = await stepAndWait(dc, dc.pauseRequest({ threadId: 1 }));
    assert.equal(paused.body.reason, 'pause');
    const dt = (await dc.customRequest('xenarm/deviceTree')).body;
    const dtb = Buffer.from(dt.dtb, 'base64');
    assert.equal(dtb.readUInt32BE(0), 0xd00dfeed);
    assert.match(dt.dts, /hypervisor \{[^}]*compatible = "xen,xen-4\.17", "xen,xen";/s);
    if (requireTools(t, ['dtc'], 'device-tree-compiler')) {
      const dir = mkdtempSync(join(tmpdir(), 'xenarm-dap-'));
      writeFileSync(join(dir, 't.dtb'), dtb);
      assert.match(run('dtc', ['-I', 'dtb', '-O', 'dts', join(dir, 't.dtb')]), /bootargs = "console=hvc0";/);
    }
    const trace = (await dc.customRequest('xenarm/hypercallTrace', {})).body.records;
    assert.ok(trace.length > 5);
    assert.deepEqual(trace.map((r: { seq: number }) => r.seq), traced, 'events carried every handled call, in order');
    assert.ok(trace.every((r: { result?: number }) => typeof r.result === 'number'));
    // Type "poweroff": the guest echoes it and shuts down with SCHEDOP_shutdown(poweroff).
    const exited = dc.waitForEvent('exited');
    const terminated = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    await dc.customRequest('xenarm/consoleInput', { text: 'poweroff\r' });
    assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 0);
    await terminated;
    assert.match(text.join(''), /poweroff\npowering off\n$/);
  } finally {
    await dc.stop();
  }
});

test('smccc filter: stops before PSCI calls; SYSTEM_OFF ends the session with status 0', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const { buildOne } = await import(join(ROOT, 'test', 'guests', 'build.mjs'));
  const elf = buildOne('dap-psci.elf', [join(ROOT, 'test', 'debug', 'dap', 'guests', 'psci.c')], ['-marm', '-O0', '-g']) as string;
  const dc = await client();
  try {
    const ev = await launchAndStop(dc, { kernel: elf, memory: 64 }, () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'smccc', condition: 'nr == PSCI_SYSTEM_OFF' }] }));
    assert.equal(ev.body.reason, 'exception');
    assert.equal(ev.body.description, 'Paused on SMCCC call SYSTEM_OFF()');
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'smccc');
    assert.match(info.body.details!.message!, /^nr = 2214592520$/m);
    // PSCI_VERSION ran before: PSCI 1.1 (0x10001), as Xen answers.
    assert.equal((await dc.evaluateRequest({ expression: 'psci_version', context: 'watch' })).body.result, '65537 (0x10001)');
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 0);
  } finally {
    await dc.stop();
  }
});
