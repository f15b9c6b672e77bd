// DAP scenarios: launch validation (clear errors, adapter stays healthy), stop on entry with the boot
// registers, console output, exit status, restart. References: the ELF header (readelf), the reset
// state QEMU gives a cortex-a15 virt guest (CPSR 0x400001d3), the guest's own semihosting output.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CROSS } from '../../support/tools';
import { client, guest, launchArgs, launchAndStop, nmAddress, registers, run, ROOT } from './support';
import { join } from 'node:path';

test('a bad launch fails with a clear message and the adapter keeps serving', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const dc = await client();
  try {
    await dc.initializeRequest();
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ kernel: join(ROOT, 'no-such-kernel.elf') }, /kernel: file not found: .*no-such-kernel\.elf/],
      [{ kernel: elf, bootProtocol: 'uboot' }, /"bootProtocol" must be "dtb", "atags" or "baremetal", not "uboot"/],
      [{ kernel: elf, memory: 'lots' }, /"memory" must be an integer/],
      [{ kernel: elf, cpus: 9, bootProtocol: 'baremetal' }, /"cpus" must be between 1 and 8, not 9/],
      [{ kernel: elf, kernal: 'typo' }, /unknown launch attribute "kernal"/],
      [{ kernel: ROOT }, /is a directory, not a file/],
      [{ kernel: join(ROOT, 'package.json'), bootProtocol: 'baremetal' }, /not an ELF file/],
      [{ kernel: elf, symbols: join(ROOT, 'package.json') }, /symbols: .*package\.json is not an ELF file/],
      [{ kernel: elf, bootProtocol: 'baremetal', stopOnEntry: 'yes' }, /"stopOnEntry" must be true or false/],
      // Xen dom0 launches: the hypervisor's errors, positioned in the file at fault.
      [{ kernel: join(ROOT, 'sample', 'guest', 'dom0.elf'), dtb: join(ROOT, 'README.md') }, /README\.md:1\.1-2 syntax error/],
      [{ kernel: join(ROOT, 'README.md') }, /README\.md: unknown kernel format/],
      [{ kernel: join(ROOT, 'sample', 'guest', 'dom0.elf'), initrd: join(ROOT, 'README.md'), memory: 1 }, /in 1 MiB of RAM \(use the "memory" launch attribute to enlarge it\)/],
    ];
    for (const [args, re] of bad) {
      await assert.rejects(dc.launchRequest(args as DebugProtocol.LaunchRequestArguments), (e: Error) => {
        assert.match(e.message, re);
        return true;
      }, JSON.stringify(args));
    }
    // Still healthy: the same adapter answers and then launches a good configuration.
    const th = await dc.threadsRequest();
    assert.ok(th.success);
    const stopped = dc.waitForEvent('stopped');
    await dc.launchRequest(launchArgs(elf, { stopOnEntry: true }) as DebugProtocol.LaunchRequestArguments);
    await dc.configurationDoneRequest();
    assert.equal(((await stopped) as DebugProtocol.StoppedEvent).body.reason, 'entry');
  } finally {
    await dc.stop();
  }
});

test('stop on entry: pc at the ELF entry point, reset CPSR, boot record', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const entry = parseInt(/Entry point address:\s+0x([0-9a-f]+)/.exec(run(CROSS.readelf, ['-h', elf]))![1], 16);
  const dc = await client();
  try {
    const boot = dc.waitForEvent('xenarm/boot');
    const ev = await launchAndStop(dc, launchArgs(elf, { stopOnEntry: true }));
    assert.equal(ev.body.reason, 'entry');
    assert.equal(ev.body.threadId, 1);
    const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(frame.instructionPointerReference, '0x' + entry.toString(16).padStart(8, '0'));
    const regs = await registers(dc, frame.id);
    assert.equal(Number(regs.get('pc')!.value), entry);
    assert.equal(Number(regs.get('cpsr')!.value), 0x400001d3, 'QEMU virt cortex-a15 reset CPSR');
    const cpsr = await dc.variablesRequest({ variablesReference: regs.get('cpsr')!.variablesReference });
    const fields = Object.fromEntries(cpsr.body.variables.map((v) => [v.name, v.value]));
    assert.equal(fields.mode, 'svc (0x13)');
    assert.equal(fields.Z, '1');
    assert.match(fields.I, /^1/);
    assert.equal(fields.state, 'ARM');
    const rec = ((await boot) as DebugProtocol.Event).body;
    assert.equal(rec.entry, entry);
    assert.equal(rec.protocol, 'baremetal');
    const viaRequest = await dc.customRequest('xenarm/bootRecord');
    assert.deepEqual(viaRequest.body, rec);
    // The Boot scope shows the same record.
    const scopes = await dc.scopesRequest({ frameId: frame.id });
    const bootScope = scopes.body.scopes.find((s) => s.name === 'Boot')!;
    const vars = await dc.variablesRequest({ variablesReference: bootScope.variablesReference });
    assert.equal(Number(vars.body.variables.find((v) => v.name === 'entry')!.value), entry);
  } finally {
    await dc.stop();
  }
});

test('the guest runs to its end: console output, exited with its status, terminated', async (t) => {
  const elf = await guest(t, 'thumb');
  if (!elf) return;
  const dc = await client();
  try {
    const out: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') out.push(e.body.output); });
    const exited = dc.waitForEvent('exited');
    const terminated = dc.waitForEvent('terminated');
    await Promise.all([dc.configurationSequence(), dc.launch(launchArgs(elf))]);
    assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 7);
    await terminated;
    assert.equal(out.join(''), 'calls: start\nsum=0000002a\ncalls: done\n');
  } finally {
    await dc.stop();
  }
});

test('restart boots the guest again and keeps breakpoints', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const dc = await client();
  try {
    await launchAndStop(dc, launchArgs(elf), () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'leaf' }] }));
    const first = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(first.name, 'leaf');
    // Continue to the second call, then restart: the next stop is the first call again (x = 1).
    let stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 1 });
    await stopped;
    stopped = dc.waitForEvent('stopped');
    await dc.restartRequest({});
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(ev.body.reason, 'function breakpoint');
    const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(frame.name, 'leaf');
    assert.equal(frame.instructionPointerReference, first.instructionPointerReference);
    const r0 = await dc.evaluateRequest({ expression: 'counter', context: 'watch', frameId: frame.id });
    assert.match(r0.body.result, /^1 /, 'counter is 1 again during the first call');
  } finally {
    await dc.stop();
  }
});

test('maxInstructions ends the session with status 124, as xenarm run --max-instructions', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const dc = await client();
  try {
    const out: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => out.push(e.body.output));
    const exited = dc.waitForEvent('exited');
    await Promise.all([dc.configurationSequence(), dc.launch(launchArgs(elf, { maxInstructions: 500 }))]);
    assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 124);
    assert.ok(out.some((o) => o.includes('the guest ran 500 instructions (maxInstructions)')));
    assert.ok(!out.join('').includes('calls: done'), 'the guest did not finish');
  } finally {
    await dc.stop();
  }
});

test('terminate ends a running guest: terminated event, and nothing runs any more', async (t) => {
  const elf = await guest(t, 'arm');
  if (!elf) return;
  const dc = await client();
  try {
    // spin = 1 keeps main looping forever, so only terminate can end this session.
    await launchAndStop(dc, launchArgs(elf), () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main' }] }));
    await dc.customRequest('writeMemory', { memoryReference: '0x' + nmAddress(elf, 'spin').toString(16), data: Buffer.from([1, 0, 0, 0]).toString('base64') });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    assert.equal((await dc.evaluateRequest({ expression: 'spin', context: 'watch' })).body.result, '1 (0x1)');
    await dc.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 100));
    const terminated = dc.waitForEvent('terminated');
    await dc.terminateRequest();
    await terminated;
    // The guest no longer runs: a pause has nothing to stop, and the adapter still answers.
    let stopped = false;
    dc.once('stopped', () => { stopped = true; });
    await dc.pauseRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(stopped, false);
    assert.ok((await dc.threadsRequest()).body.threads.length >= 1);
  } finally {
    await dc.stop();
  }
});
