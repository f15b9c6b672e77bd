// The sched guest (test/guests/xen/sched.c) on two vCPUs: SCHEDOP_block and SCHEDOP_poll block the vCPU
// as Xen 4.17 does on ARM (sched/core.c do_poll, vcpu_block_enable_events; arch/arm event.h), in virtual
// time. The guest checks results, wake-ups and the counter; here the trace must show that a blocked vCPU
// retired (almost) no instructions while the counter moved on, and that nothing was busy-waited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools, CROSS } from '../support/tools';
import { bootGuest, failedChecks, xenGuest } from './guest-runner';

test('sched guest on 2 vCPUs: block and poll sleep until their wake-up, with Xen\'s error codes', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const r = bootGuest(await xenGuest('sched'), { cpus: 2 });
  // Both vCPUs asleep in SCHEDOP_block with nothing armed: the run stops, as the CLI sees it before
  // waiting for the terminal; a key typed then wakes vCPU 0 through VIRQ_CONSOLE.
  assert.equal(r.result.reason, 'deadlock', r.console);
  assert.match(r.console, /waiting for console input\n$/);
  assert.ok(r.dom0.vcpus.every((v) => v.blocked));
  let more = '';
  r.dom0.onConsoleOutput = (b) => { more += Buffer.from(b).toString('latin1'); };
  r.dom0.consoleInput(Buffer.from('k'));
  r.result = r.dom0.run(20_000_000);
  r.console += more;
  assert.deepEqual(failedChecks(r.console), [], r.console);
  assert.match(r.console, /RESULT: PASS 0 failure\(s\)/);
  assert.deepEqual(r.result.shutdown, { reason: 'poweroff', code: 0, exitStatus: 0 });
  const src = readFileSync(join(__dirname, '..', 'guests', 'xen', 'sched.c'), 'utf8');
  const expected = (src.match(/\bcheck\("/g) ?? []).length + (src.match(/\bin_range\("/g) ?? []).length + 1; // register_vcpu_info runs twice
  assert.equal((r.console.match(/^ok /gm) ?? []).length, expected, 'the guest ran all its checks');

  // The vCPU that blocked retired few instructions between the block and its next hypercall, while the
  // counter (which the guest printed) moved on by the whole sleep.
  const slept = (what: string) => Number(new RegExp(`^${what.replace(/[()]/g, '\\$&')} = (\\d+)$`, 'm').exec(r.console)?.[1]);
  const afterCall = (name: string, cmd: string, nth = 0) => {
    const i = r.calls.filter((c) => c.vcpu === 0 && c.name === name && c.decoded.cmd === cmd)[nth];
    assert.ok(i, `${name}(${cmd}) #${nth} traced`);
    const next = r.calls.find((c) => c.vcpu === 0 && c.seq > i.seq)!;
    return next.icount - i.icount;
  };
  assert.ok(slept('block slept until the timer') >= 50000);
  assert.ok(afterCall('sched_op', 'block', 0) < 1000, 'no instructions ran while blocked on the timer');
  assert.ok(slept('poll slept until the timeout') >= 40000);
  const polls = r.calls.filter((c) => c.vcpu === 0 && c.name === 'sched_op' && c.decoded.cmd === 'poll');
  const untilTimeout = polls.findIndex((c) => c.decoded.port !== undefined && Number(c.decoded.timeout) > 0 && c.result === 0 && polls.indexOf(c) > 4);
  assert.ok(untilTimeout >= 0);
  assert.ok(afterCall('sched_op', 'poll', untilTimeout) < 1000, 'no instructions ran while polling until the timeout');
  // The trace says which calls blocked: the block on the timer did, the one with an interrupt pending did not.
  const blocks0 = r.calls.filter((c) => c.vcpu === 0 && c.name === 'sched_op' && c.decoded.cmd === 'block');
  assert.deepEqual(blocks0.map((c) => c.decoded.blocked ?? 'no'), ['yes', 'no', 'yes', 'yes']);
  // vCPU 1 slept in SCHEDOP_block between its jobs: its blocks are in the trace, each followed by few instructions.
  const blocks1 = r.calls.filter((c) => c.vcpu === 1 && c.name === 'sched_op' && c.decoded.cmd === 'block');
  assert.ok(blocks1.length >= 3, `vCPU 1 blocked ${blocks1.length} times`);
});
