// The faults guest (test/guests/xen/faults.c): with the MMU on, every hypercall that takes a pointer
// answers -EFAULT for one that does not map (Xen's copy_from_guest/copy_to_guest through the guest's
// stage-1 tables), read-only mappings are readable and not writable, unknown numbers are -ENOSYS, a
// foreign HVC immediate is the guest's undefined instruction, and a multicall entry that is not 32-bit
// clean crashes the domain (Xen 4.17 arch/arm/traps.c check_multicall_32bit_clean).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools, CROSS } from '../support/tools';
import { bootGuest, failedChecks, xenGuest } from './guest-runner';

test('faults guest: bad pointers are -EFAULT for every pointer-taking hypercall, MMU on; a 64-bit multicall argument crashes dom0', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const r = bootGuest(await xenGuest('faults'));
  assert.deepEqual(failedChecks(r.console), [], r.console);
  assert.match(r.console, /RESULT: PASS 0 failure\(s\)\n$/);
  const src = readFileSync(join(__dirname, '..', 'guests', 'xen', 'faults.c'), 'utf8');
  const rows = (src.match(/^\s*\{ "[^"]+", HYP_\w+,/gm) ?? []).length;
  assert.ok(rows >= 40, `${rows} pointer-taking calls in the table`);
  assert.equal((r.console.match(/^ok /gm) ?? []).length, rows + (src.match(/\bcheck\("/g) ?? []).length, 'the guest ran all its checks');

  // Each -EFAULT in the trace names the address that did not translate.
  const faults = r.calls.filter((c) => c.result === -14);
  assert.ok(faults.length >= rows);
  for (const c of faults) assert.match(String(c.decoded.fault), /^0x(a00000[0-9a-f]{2}|9[0-9a-f]{7})$/, `${c.name} ${c.decoded.cmd}`);
  const undef = r.events.find((e) => e.kind === 'undef');
  assert.ok(undef && undef.kind === 'undef' && undef.imm === 1);

  // The run ends in a crash, on the multicall whose second entry is not 32-bit clean.
  assert.deepEqual(r.result.shutdown, { reason: 'crash', code: 3, exitStatus: 130 });
  const last = r.calls[r.calls.length - 1];
  assert.equal(last.name, 'multicall');
  assert.equal(last.decoded.crash, 'entry 1');
});
