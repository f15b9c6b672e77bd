// The smp_tlb guest (test/guests/xen/smp_tlb.c) on two vCPUs: the inner-shareable TLB maintenance
// operations one vCPU issues drop the translations another vCPU has cached. ID_MMFR3 (as on a
// Cortex-A15 and in QEMU) says maintenance is broadcast, so an SMP Linux never IPIs for TLB flushes;
// without the broadcast Linux's second CPU ran on stale page tables once user space started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireTools, CROSS } from '../support/tools';
import { bootGuest, failedChecks, xenGuest } from './guest-runner';

test('smp_tlb guest on 2 vCPUs: TLBIMVAIS, TLBIMVAAIS, TLBIALLIS and TLBIASIDIS reach the other vCPU', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const r = bootGuest(await xenGuest('smp_tlb'), { cpus: 2 }, 20_000_000);
  assert.deepEqual(failedChecks(r.console), [], r.console);
  assert.equal(r.console.split('\n').filter((l) => l.startsWith('ok ')).length, 7, r.console);
  assert.match(r.console, /^ok after TLBIASIDIS\(5\), cpu 1 reads page B$/m);
  assert.deepEqual(r.result.shutdown, { reason: 'poweroff', code: 0, exitStatus: 0 });
});
