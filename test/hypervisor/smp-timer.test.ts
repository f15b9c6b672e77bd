// The smp_timer guest (test/guests/xen/smp_timer.c) on two vCPUs: vCPU 1, brought up by PSCI CPU_ON,
// sleeps in WFI on its own virtual timer (PPI 27, banked per CPU) while vCPU 0 sleeps on a later timer,
// spins, or re-arms its own timer all the time as Linux's tickless idle does. The last case is the one
// Linux SMP dom0 hit ("timer wakeup didn't happen ... cpu=1"): every wait of vCPU 1 must end with its
// own timer interrupt, at its own deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireTools, CROSS } from '../support/tools';
import { bootGuest, failedChecks, xenGuest } from './guest-runner';

test('smp_timer guest on 2 vCPUs: a secondary vCPU wakes from WFI on its own virtual timer', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const r = bootGuest(await xenGuest('smp_timer'), { cpus: 2 }, 50_000_000);
  assert.deepEqual(failedChecks(r.console), []);
  for (const mode of ['cpu 0 in WFI', 'cpu 0 spinning', 'cpu 0 re-arming its timer']) {
    assert.match(r.console, new RegExp(`^${mode}: ok cpu 1 timer wakeups$`, 'm'));
  }
  assert.match(r.console, /^RESULT: PASS 0 failure\(s\)$/m);
  assert.deepEqual(r.result.shutdown, { reason: 'poweroff', code: 0, exitStatus: 0 });
});
