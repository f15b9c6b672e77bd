// The generic timer's virtual side with a hypervisor-set CNTVOFF (ARM ARM B8.1.2: CNTVCT = CNTPCT - CNTVOFF;
// the virtual timer's condition is CNTVCT - CNTV_CVAL >= 0, and TVAL is relative to CNTVCT), and the
// physical count the board sees as the virtual timer's deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bus } from '../../../src/machine/bus';
import { createMemorySystem } from '../../../src/machine/arm32/memory-system';

function setup(count: number) {
  const bus = new Bus();
  bus.addRam(0x40000000, 0x100000);
  let now = count;
  const ms = createMemorySystem(bus, { mpidr: 0x80000000, counter: () => now });
  return { ms, cp: ms.cp15, set: (c: number) => { now = c; } };
}

test('CNTVCT = CNTPCT - CNTVOFF; CNTV_TVAL and ISTATUS count in virtual time; the deadline is physical', () => {
  const { ms, cp, set } = setup(10_000);
  ms.timer.cntvoff = 4_000;
  assert.deepEqual(cp.read64(0, 14, true), [10_000, 0]); // CNTPCT
  assert.deepEqual(cp.read64(1, 14, true), [6_000, 0]); // CNTVCT
  cp.write(14, 0, 3, 0, 500, true); // CNTV_TVAL = 500 → CNTV_CVAL = 6500 (virtual)
  assert.deepEqual(cp.read64(3, 14, true), [6_500, 0]);
  cp.write(14, 0, 3, 1, 1, true); // CNTV_CTL.ENABLE
  assert.equal(ms.timer.nextDeadline(), 10_500, 'physical count at which the virtual timer fires');
  set(10_499);
  assert.equal(ms.timer.virtLevel(), false);
  assert.equal(cp.read(14, 0, 3, 0, true), 1); // TVAL = CVAL - CNTVCT
  set(10_500);
  assert.equal(ms.timer.virtLevel(), true);
  assert.equal(cp.read(14, 0, 3, 1, true), 5); // ENABLE | ISTATUS
  assert.equal(ms.timer.physLevel(), false, 'the physical timer is separate');
});

test('64-bit counts above 2^32 split into MRRC halves; CVAL written with MCRR compares in full', () => {
  const { ms, cp, set } = setup(0x1_0000_0010);
  assert.deepEqual(cp.read64(0, 14, true), [0x10, 1]);
  cp.write64(3, 14, 0x20, 1, true); // CNTV_CVAL = 0x1_0000_0020
  cp.write(14, 0, 3, 1, 1, true);
  assert.equal(ms.timer.nextDeadline(), 0x1_0000_0020);
  assert.equal(ms.timer.virtLevel(), false);
  set(0x1_0000_0020);
  assert.equal(ms.timer.virtLevel(), true);
});
