// The hypercalls guest (test/guests/xen/hypercalls.c) checks each dom0 hypercall's result and error
// codes against Xen 4.17's documented semantics from inside the guest; here the run must end in a
// poweroff with every check passed, and the event stream must carry what the guest did.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { requireTools, CROSS } from '../support/tools';
import { bootGuest, failedChecks, xenGuest } from './guest-runner';

test('hypercalls guest: every check passes and the run ends with SCHEDOP_shutdown(poweroff)', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const r = bootGuest(await xenGuest('hypercalls'));
  assert.deepEqual(failedChecks(r.console), []);
  assert.match(r.console, /RESULT: PASS 0 failure\(s\)/);
  assert.equal(r.result.reason, 'shutdown');
  assert.deepEqual(r.result.shutdown, { reason: 'poweroff', code: 0, exitStatus: 0 });
  const src = readFileSync(join(__dirname, '..', 'guests', 'xen', 'hypercalls.c'), 'utf8');
  assert.equal((r.console.match(/^ok /gm) ?? []).length, (src.match(/\bcheck\("/g) ?? []).length, 'the guest ran all its checks');
});

test('hypercalls guest: the event stream decodes calls, console text, faults and the undefined HVC', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const r = bootGuest(await xenGuest('hypercalls'));
  const first = r.calls[0];
  assert.equal(first.name, 'console_io');
  assert.equal(first.decoded.cmd, 'write');
  assert.equal(first.text, 'hypercalls guest\n');
  assert.equal(first.seq, 1);
  const feats = r.calls.find((c) => c.name === 'xen_version' && c.decoded.cmd === 'get_features');
  assert.ok(feats && feats.result === 0 && feats.decoded.submap_idx === 0);
  const fault = r.calls.find((c) => c.decoded.fault === '0x10000000');
  assert.ok(fault && fault.result === -14, 'a bad pointer is reported as -EFAULT with the faulting address');
  const undef = r.events.find((e) => e.kind === 'undef');
  assert.ok(undef && undef.kind === 'undef' && undef.imm === 1);
  const map = r.calls.find((c) => c.name === 'memory_op' && c.decoded.space === 'grant_table');
  assert.equal(map?.decoded.gpfn, '0x38000');
  // Calls are numbered in order and each carries the vCPU's instruction count at the call.
  for (let i = 1; i < r.calls.length; i++) {
    assert.ok(r.calls[i].seq > r.calls[i - 1].seq);
    assert.ok(r.calls[i].icount >= r.calls[i - 1].icount);
  }
  const last = r.calls[r.calls.length - 1];
  assert.equal(last.name, 'sched_op');
  assert.equal(last.decoded.reason, 'poweroff');
});

test('hypercalls guest: the debugger hook stops before a call chosen by name and argument, and resuming runs it once', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const path = await xenGuest('hypercalls');
  let asked = 0;
  const r = bootGuest(path, {}, 20_000_000, (d) => {
    d.shouldStopOnHypercall = (c) => { if (c.name === 'grant_table_op' && c.decoded.cmd === 'query_size' && c.args[2] === 2) { asked++; return true; } return false; };
  });
  assert.equal(r.result.reason, 'stopped');
  assert.equal(r.result.hypercall?.name, 'grant_table_op');
  const pc = r.dom0.vcpus[0].getReg(15);
  assert.equal(pc, r.result.hypercall?.pc, 'the pc is on the HVC');
  assert.equal(r.dom0.vcpus[0].getReg(12), 20);
  const before = r.calls.length;
  const again = r.dom0.run(20_000_000);
  assert.equal(asked, 1, 'resuming does not ask again for the same call');
  assert.equal(again.reason, 'shutdown');
  assert.ok(r.calls.length > before);
  assert.deepEqual(failedChecks(r.console), []);
});
