// Long-descriptor (LPAE) translation of createMemorySystem, checked against the ARM ARM (DDI 0406C
// B3.6 descriptor formats, B3.13.3 Table B3-24 long-format fault status, B4.1.112 PAR 64-bit form)
// and against values QEMU 7.2 (-M virt -cpu cortex-a15) printed for the same situations in
// test/guests/mmu.c (recorded by the verify helper).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bus } from '../../../src/machine/bus';
import { createMemorySystem } from '../../../src/machine/arm32/memory-system';
import { Access, MemoryAbort } from '../../../src/machine/arm32/contracts';

const L1 = 0x40100000, L2 = 0x40104000, L3 = 0x40105000;
const AF = 1 << 10, RO = 1 << 7; // lower attributes: AF bit 10, AP[2] bit 7
const XN_HI = 1 << 22;           // upper attributes: XN is bit 54 -> bit 22 of the high word

function setup() {
  const bus = new Bus();
  bus.addRam(0x40000000, 0x01000000);
  const ms = createMemorySystem(bus, { mpidr: 0x80000000, counter: () => 0 });
  const put = (addr: number, lo: number, hi = 0) => { bus.write(addr, 4, lo >>> 0); bus.write(addr + 4, 4, hi >>> 0); };
  put(L1 + 8, L2 | 3);                           // VA 0x40000000-0x7fffffff -> level-2 table
  put(L2 + 0 * 8, 0x40000000 | AF | 1);          // 2 MiB block, PL1 RW
  put(L2 + 1 * 8, 0x40200000 | 1);               // AF clear
  put(L2 + 2 * 8, 0x40400000 | AF | RO | 1);     // read-only
  // index 3 left invalid
  put(L2 + 4 * 8, L3 | 3);                       // VA 0x40800000 -> level-3 table
  put(L2 + 5 * 8, 0x40a00000 | AF | 1, XN_HI);   // execute-never block
  put(L3 + 0, 0x40300000 | AF | RO | 3);         // 4 KiB page, read-only
  put(L3 + 8, 0x40301000 | AF | 1);              // type 0b01 is reserved at level 3
  put(L3 + 16, 0x40302000 | AF | 3);             // 4 KiB page, RW
  const cp = ms.cp15;
  cp.write(2, 0, 0, 2, 0x80000000, true);       // TTBCR.EAE = 1, T0SZ = T1SZ = 0
  cp.write64(0, 2, L1, 0, true);                // TTBR0 (MCRR form)
  cp.write(1, 0, 0, 0, cp.read(1, 0, 0, 0, true) | 1, true); // SCTLR.M
  return { ms };
}

function abortOf(f: () => unknown): MemoryAbort {
  try { f(); } catch (e) { if (e instanceof MemoryAbort) return e; throw e; }
  assert.fail('expected a MemoryAbort');
}

test('LPAE blocks and pages translate', () => {
  const { ms } = setup();
  assert.equal(ms.mem.translate(0x40012345, Access.Write, false), 0x40012345);
  assert.equal(ms.mem.translate(0x40400010, Access.Read, false), 0x40400010);
  assert.equal(ms.mem.translate(0x40802abc, Access.Write, false), 0x40302abc);
  assert.equal(ms.mem.probe(0x40800004, Access.Read, false), 0x40300004);
});

test('LPAE fault status codes as QEMU reports them (Table B3-24, LPAE bit 9, WnR bit 11)', () => {
  const { ms } = setup();
  const cases: [number, Access, number, boolean][] = [
    [0x40200000, Access.Read, 0x20a, false],  // access flag, level 2
    [0x40400000, Access.Write, 0xa0e, false], // permission, level 2, WnR
    [0x40600000, Access.Read, 0x206, false],  // translation, level 2
    [0x40800000, Access.Write, 0xa0f, false], // permission, level 3, WnR
    [0x40801000, Access.Read, 0x207, false],  // reserved level-3 descriptor = translation, level 3
    [0x40a00000, Access.Fetch, 0x20e, true],  // XN block: prefetch abort
  ];
  for (const [va, acc, fsr, prefetch] of cases) {
    const a = abortOf(() => ms.mem.translate(va, acc, false));
    assert.equal(a.fsr, fsr, `fsr for ${va.toString(16)}`);
    assert.equal(a.far >>> 0, va);
    assert.equal(a.prefetch, prefetch);
    assert.equal(ms.mem.probe(va, acc, false), -1);
  }
});

test('LPAE ATS1CPW/ATS1CPR fill the 64-bit PAR like QEMU', () => {
  const { ms } = setup();
  ms.cp15.write(7, 0, 8, 1, 0x40800000, true); // write to an RO level-3 page
  assert.deepEqual(ms.cp15.read64(0, 7, true).map((x) => x >>> 0), [0x81f, 0]);
  ms.cp15.write(7, 0, 8, 0, 0x40600000, true); // unmapped at level 2
  assert.deepEqual(ms.cp15.read64(0, 7, true).map((x) => x >>> 0), [0x80d, 0]);
  ms.cp15.write(7, 0, 8, 0, 0x40802abc, true); // success: PA[39:12], F = 0, LPAE bit 11
  const [lo] = ms.cp15.read64(0, 7, true);
  assert.equal(lo & 1, 0);
  assert.equal(lo & 0x800, 0x800);
  assert.equal(lo >>> 12, 0x40302);
});
