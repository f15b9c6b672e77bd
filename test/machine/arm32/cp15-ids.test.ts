// CP15 identification values and PL0 access rules of createMemorySystem. Expected ID values are the
// ones QEMU 7.2 (-M virt -cpu cortex-a15) printed in test/guests/probe.c (recorded by the verify
// helper); PL0 rules from the ARM ARM (DDI 0406C B4.1.150-152 TPIDRx, B3.17 PL0 access).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bus } from '../../../src/machine/bus';
import { createMemorySystem } from '../../../src/machine/arm32/memory-system';
import { UndefinedInstruction } from '../../../src/machine/arm32/contracts';

function cp15() {
  const bus = new Bus();
  bus.addRam(0x40000000, 0x100000);
  return createMemorySystem(bus, { mpidr: 0x80000000, counter: () => 0 }).cp15;
}

test('identification registers as QEMU cortex-a15 reports them', () => {
  const cp = cp15();
  const r = (crn: number, opc1: number, crm: number, opc2: number) => cp.read(crn, opc1, crm, opc2, true) >>> 0;
  assert.equal(r(0, 0, 0, 0), 0x414fc0f0); // MIDR
  assert.equal(r(0, 0, 0, 5), 0x80000000); // MPIDR
  assert.equal(r(0, 0, 0, 1), 0x8444c004); // CTR
  assert.equal(r(0, 0, 1, 0), 0x00001131); // ID_PFR0
  assert.equal(r(0, 0, 1, 1), 0x00010001); // ID_PFR1
  assert.equal(r(0, 0, 1, 4), 0x10201105); // ID_MMFR0
  assert.equal(r(0, 0, 2, 0), 0x02101110); // ID_ISAR0
  assert.equal(r(1, 0, 0, 0), 0x00c50078); // SCTLR reset
  assert.equal(r(14, 0, 0, 0), 0x03b9aca0); // CNTFRQ
});

test('PL0: thread ID registers allowed as the architecture says, the rest UNDEFINED', () => {
  const cp = cp15();
  cp.write(13, 0, 0, 3, 0x1234, true);       // TPIDRURO written at PL1
  assert.equal(cp.read(13, 0, 0, 3, false), 0x1234);
  assert.throws(() => cp.write(13, 0, 0, 3, 1, false), (e) => e instanceof UndefinedInstruction);
  cp.write(13, 0, 0, 2, 0x55, false);        // TPIDRURW writable at PL0
  assert.equal(cp.read(13, 0, 0, 2, true), 0x55);
  assert.throws(() => cp.read(0, 0, 0, 0, false), (e) => e instanceof UndefinedInstruction);  // MIDR
  assert.throws(() => cp.read(1, 0, 0, 0, false), (e) => e instanceof UndefinedInstruction);  // SCTLR
  assert.throws(() => cp.read(13, 0, 0, 4, false), (e) => e instanceof UndefinedInstruction); // TPIDRPRW
  assert.doesNotThrow(() => cp.write(7, 0, 10, 5, 0, false)); // CP15DMB is allowed at PL0
});

test('PL0 timer access is gated by CNTKCTL (B4.1.26: PL0PCTEN 0, PL0VCTEN 1, PL0VTEN 8, PL0PTEN 9)', () => {
  const cp = cp15();
  const undef = (e: unknown) => e instanceof UndefinedInstruction;
  assert.throws(() => cp.read(14, 0, 0, 0, false), undef);   // CNTFRQ
  assert.throws(() => cp.read64(0, 14, false), undef);       // CNTPCT
  assert.throws(() => cp.read(14, 0, 2, 1, false), undef);   // CNTP_CTL
  assert.throws(() => cp.read(14, 0, 1, 0, false), undef);   // CNTKCTL is never PL0
  cp.write(14, 0, 1, 0, 0x2, true);                          // PL0VCTEN
  assert.equal(cp.read(14, 0, 0, 0, false), 62_500_000);
  assert.doesNotThrow(() => cp.read64(1, 14, false));        // CNTVCT
  assert.throws(() => cp.read64(0, 14, false), undef);       // CNTPCT still closed
  assert.throws(() => cp.write(14, 0, 3, 1, 1, false), undef); // CNTV_CTL closed
  cp.write(14, 0, 1, 0, 0x100, true);                        // PL0VTEN only
  cp.write(14, 0, 3, 1, 1, false);
  assert.equal(cp.read(14, 0, 3, 1, true) & 1, 1);
  assert.throws(() => cp.write(14, 0, 2, 1, 1, false), undef); // physical timer still closed
  assert.throws(() => cp.write(14, 0, 0, 0, 1, false), undef); // CNTFRQ never written at PL0
});
