// The psci guest (test/guests/xen/psci.c) on three vCPUs: PSCI 1.1 / SMCCC 1.2 queries, CPU_ON with
// entry state and context, CPU_OFF, AFFINITY_INFO, restart, the PSCI 0.1 ID, an IPI to a secondary
// vCPU, SYSTEM_OFF. Results are Xen's vpsci.c answers; every check in the guest must pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools, CROSS } from '../support/tools';
import { bootGuest, failedChecks, xenGuest } from './guest-runner';

test('psci guest on 3 vCPUs: CPU_ON/OFF, AFFINITY_INFO, IPI, SYSTEM_OFF', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const r = bootGuest(await xenGuest('psci'), { cpus: 3 });
  assert.deepEqual(failedChecks(r.console), []);
  const src = readFileSync(join(__dirname, '..', 'guests', 'xen', 'psci.c'), 'utf8');
  // register_vcpu_info is checked once per vCPU in a loop of 3.
  assert.equal((r.console.match(/^ok /gm) ?? []).length, (src.match(/\bcheck\("/g) ?? []).length + 2);
  assert.deepEqual(r.result.shutdown, { reason: 'poweroff', code: 0, exitStatus: 0 });
  const last = r.calls[r.calls.length - 1];
  assert.equal(last.kind, 'smccc');
  assert.equal(last.name, 'SYSTEM_OFF');
  const power = r.events.filter((e) => e.kind === 'vcpu').map((e) => e.kind === 'vcpu' && `${e.vcpu}:${e.online ? 'on' : 'off'}`);
  assert.deepEqual(power, ['1:on', '1:off', '1:on', '2:on', '1:off', '2:off']);
  assert.ok(r.dom0.vcpus.every((v, i) => v.online === (i === 0)));
});

test('psci guest on 1 vCPU: CPU_ON of a missing vCPU fails and the guest crashes', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const r = bootGuest(await xenGuest('psci'), { cpus: 1 });
  assert.ok(failedChecks(r.console).some((l) => l.startsWith('FAIL CPU_ON(cpu 1): got -2 expected 0')));
  assert.equal(r.result.shutdown?.reason, 'crash');
});

test('psci guest: SYSTEM_OFF after a shutdown code was set ends with that code, as Xen\'s domain_shutdown', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  // As if the guest had called SCHEDOP_shutdown_code(reboot) earlier: the first code set wins.
  const r = bootGuest(await xenGuest('psci'), { cpus: 3 }, undefined, (d) => { d.domain.shutdownCode = 1; });
  assert.deepEqual(failedChecks(r.console), []);
  assert.equal(r.calls[r.calls.length - 1].name, 'SYSTEM_OFF');
  assert.deepEqual(r.result.shutdown, { reason: 'reboot', code: 1, exitStatus: 129 });
});
