// The events guest (test/guests/xen/events.c): event channels to itself with the 2-level ABI, the upcall
// PPI through the GIC at Xen's addresses, VIRQ_CONSOLE raised by typed input, masking, status, close,
// error codes, and the virtual timer's PPI; every check in the guest must pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools, CROSS } from '../support/tools';
import { bootGuest, failedChecks, xenGuest } from './guest-runner';

test('events guest: loopback, IPI, VIRQ_CONSOLE with typed input, masking, timer PPI', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const r = bootGuest(await xenGuest('events'), {}, 20_000_000, undefined, { after: 'waiting for input', text: 'xyz\n' });
  assert.deepEqual(failedChecks(r.console), []);
  const src = readFileSync(join(__dirname, '..', 'guests', 'xen', 'events.c'), 'utf8');
  assert.equal((r.console.match(/^ok /gm) ?? []).length, (src.match(/\bcheck\("/g) ?? []).length);
  assert.equal(r.result.reason, 'shutdown');
  assert.equal(r.result.shutdown?.reason, 'poweroff');
  // Each upcall injection is in the event stream, on vCPU 0, as PPI 31.
  const irqs = r.events.filter((e) => e.kind === 'irq');
  assert.ok(irqs.length >= 6);
  assert.ok(irqs.every((e) => e.kind === 'irq' && e.irq === 31 && e.vcpu === 0));
  const read = r.calls.find((c) => c.name === 'console_io' && c.decoded.cmd === 'read' && c.result === 4);
  assert.equal(read?.text, 'xyz\n');
});

test('events guest: without typed input VIRQ_CONSOLE never fires and the guest reports it', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const r = bootGuest(await xenGuest('events'));
  assert.ok(failedChecks(r.console).some((l) => l.includes('VIRQ_CONSOLE raised by input')));
  assert.equal(r.result.shutdown?.reason, 'crash');
  assert.equal(r.result.shutdown?.exitStatus, 130);
});
