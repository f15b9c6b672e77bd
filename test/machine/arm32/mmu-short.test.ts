// Short-descriptor translation and generic-timer arithmetic of createMemorySystem, checked against
// the ARM ARM (DDI 0406C B3.5 descriptor formats, B3.13.3 Table B3-23 fault status encodings,
// B4.1.112 PAR) and against values QEMU 7.2 (-M virt -cpu cortex-a15) printed for the same
// situations in test/guests/mmu.c (recorded by the verify helper).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bus } from '../../../src/machine/bus';
import { createMemorySystem } from '../../../src/machine/arm32/memory-system';
import { Access, MemoryAbort } from '../../../src/machine/arm32/contracts';

const TTB = 0x40100000, L2 = 0x40104000;

function setup() {
  const bus = new Bus();
  bus.addRam(0x40000000, 0x01000000);
  let count = 1000;
  const ms = createMemorySystem(bus, { mpidr: 0x80000000, counter: () => count });
  const section = (va: number, pa: number, bits: number) => bus.write(TTB + (va >>> 20) * 4, 4, (pa | bits | 2) >>> 0);
  // B3.5.1: section AP[1:0] bits 11:10, AP[2] bit 15, domain bits 8:5, XN bit 4.
  section(0x40000000, 0x40000000, 3 << 10);                 // full access, domain 0
  section(0x50000000, 0x40200000, 1 << 10);                 // PL1 RW only
  section(0x50100000, 0x40200000, (1 << 15) | (1 << 10));   // PL1 RO
  section(0x50200000, 0x40200000, (2 << 5) | (3 << 10));    // domain 2 (no access)
  section(0x50400000, 0x40200000, (3 << 10) | (1 << 4));    // XN
  bus.write(TTB + (0x50300000 >>> 20) * 4, 4, (L2 | 1) >>> 0); // page table, domain 0
  // Small page: AP[1:0] bits 5:4, AP[2] bit 9, XN bit 0.
  bus.write(L2 + 0, 4, (0x40300000 | (1 << 9) | (1 << 4) | 2) >>> 0); // PL1 RO
  bus.write(L2 + 8, 4, (0x40301000 | (3 << 4) | 2 | 1) >>> 0);        // full access, XN
  const cp = ms.cp15;
  cp.write(2, 0, 0, 0, TTB, true);      // TTBR0
  cp.write(2, 0, 0, 2, 0, true);        // TTBCR = 0
  cp.write(3, 0, 0, 0, 0x1 | (0 << 4), true); // DACR: domain 0 client, domain 2 no access
  cp.write(1, 0, 0, 0, cp.read(1, 0, 0, 0, true) | 1, true); // SCTLR.M
  return { bus, ms, setCount: (c: number) => { count = c; } };
}

function abortOf(f: () => unknown): MemoryAbort {
  try { f(); } catch (e) { if (e instanceof MemoryAbort) return e; throw e; }
  assert.fail('expected a MemoryAbort');
}

test('short-descriptor sections and pages translate', () => {
  const { ms, bus } = setup();
  assert.equal(ms.mem.translate(0x40001234, Access.Read, true), 0x40001234);
  assert.equal(ms.mem.translate(0x50012345, Access.Write, false), 0x40212345);
  assert.equal(ms.mem.translate(0x50300abc, Access.Read, false), 0x40300abc);
  bus.write(0x40212340, 4, 0xcafef00d);
  assert.equal(ms.mem.read32(0x50012340, false) >>> 0, 0xcafef00d);
});

test('short-descriptor fault status codes as QEMU reports them (Table B3-23)', () => {
  const { ms } = setup();
  const cases: [number, Access, boolean, number, boolean][] = [
    [0x60000000, Access.Read, false, 0x005, false],  // section translation fault
    [0x50100010, Access.Write, false, 0x80d, false], // section permission, WnR
    [0x50200000, Access.Read, false, 0x029, false],  // section domain fault, domain 2
    [0x50300004, Access.Write, false, 0x80f, false], // page permission, WnR
    [0x50301000, Access.Read, false, 0x007, false],  // page translation (invalid L2 entry)
    [0x50000000, Access.Read, true, 0x00d, false],   // PL0 read of a PL1-only section
    [0x50400000, Access.Fetch, false, 0x00d, true],  // XN section: prefetch abort, IFSR 0x00d
    [0x50302000, Access.Fetch, false, 0x00f, true],  // XN page: IFSR 0x00f
  ];
  for (const [va, acc, user, fsr, prefetch] of cases) {
    const a = abortOf(() => ms.mem.translate(va, acc, user));
    assert.equal(a.fsr, fsr, `fsr for ${va.toString(16)}`);
    assert.equal(a.far >>> 0, va, `far for ${va.toString(16)}`);
    assert.equal(a.prefetch, prefetch);
    assert.equal(ms.mem.probe(va, acc, user), -1, 'probe reports no mapping');
  }
});

test('ATS1C* fill PAR like QEMU (B4.1.112)', () => {
  const { ms } = setup();
  ms.cp15.write(7, 0, 8, 1, 0x50300004, true); // ATS1CPW on a PL1 RO page -> page permission fault
  assert.equal(ms.cp15.read(7, 0, 4, 0, true), 0x1f);
  ms.cp15.write(7, 0, 8, 0, 0x60000000, true); // ATS1CPR unmapped -> section translation
  assert.equal(ms.cp15.read(7, 0, 4, 0, true), 0x0b);
  ms.cp15.write(7, 0, 8, 2, 0x50000000, true); // ATS1CUR of a PL1-only section -> section permission
  assert.equal(ms.cp15.read(7, 0, 4, 0, true), 0x1b);
  ms.cp15.write(7, 0, 8, 0, 0x50012345, true); // success: PA[31:12] in PAR, F = 0
  const par = ms.cp15.read(7, 0, 4, 0, true) >>> 0;
  assert.equal(par & 1, 0);
  assert.equal(par >>> 12, 0x40212);
});

test('TLB invalidation makes a changed descriptor visible', () => {
  const { ms, bus } = setup();
  assert.equal(ms.mem.read32(0x50012340, false), 0);
  bus.write(TTB + (0x50000000 >>> 20) * 4, 4, (0x40000000 | (1 << 10) | 2) >>> 0);
  ms.cp15.write(8, 0, 7, 0, 0, true); // TLBIALL
  bus.write(0x40012340, 4, 0x12345678);
  assert.equal(ms.mem.read32(0x50012340, false), 0x12345678);
});

test('generic timer: CNTFRQ, TVAL = CVAL - count (signed 32-bit), ISTATUS, IMASK', () => {
  const { ms, setCount } = setup();
  const cp = ms.cp15;
  assert.equal(cp.read(14, 0, 0, 0, true), 62_500_000); // QEMU virt CNTFRQ 0x03b9aca0
  cp.write(14, 0, 2, 0, 500, true);           // CNTP_TVAL = 500 at count 1000 -> CVAL 1500
  assert.deepEqual(cp.read64(2, 14, true).map((x) => x >>> 0), [1500, 0]);
  cp.write(14, 0, 2, 1, 1, true);             // enable
  assert.equal(ms.timer.nextDeadline(), 1500);
  assert.equal(ms.timer.physLevel(), false);
  assert.equal(cp.read(14, 0, 2, 1, true), 1);
  setCount(1600);
  assert.equal(cp.read(14, 0, 2, 0, true) | 0, -100);
  assert.equal(cp.read(14, 0, 2, 1, true), 5); // ENABLE | ISTATUS
  assert.equal(ms.timer.physLevel(), true);
  cp.write(14, 0, 2, 1, 3, true);             // IMASK: status stays, output drops
  assert.equal(cp.read(14, 0, 2, 1, true), 7);
  assert.equal(ms.timer.physLevel(), false);
  assert.equal(ms.timer.virtLevel(), false);
});
