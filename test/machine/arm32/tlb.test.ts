// The software TLB of the memory system (src/machine/arm32/tlb.ts) against the rules of the ARM ARM
// (DDI 0406C B3.10 TLB maintenance, B3.9 ASIDs and global entries, B3.12.3 domains): a cached translation
// is used until TLB maintenance removes it; TLBIMVA removes every 4 KiB slice of a section; an ASID
// switch keeps global entries and drops the others; a DACR write acts at once, without maintenance;
// pages holding decoded code never get a fast write path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bus } from '../../../src/machine/bus';
import { createMemorySystem } from '../../../src/machine/arm32/memory-system';
import { Access, MemoryAbort } from '../../../src/machine/arm32/contracts';

const TTB = 0x40100000, L2 = 0x40104000;
const A = 0x40200000, B = 0x40300000; // two physical sections

function setup() {
  const bus = new Bus();
  bus.addRam(0x40000000, 0x01000000);
  const ms = createMemorySystem(bus, { mpidr: 0x80000000, counter: () => 0 });
  const l1 = (va: number, v: number) => bus.write(TTB + (va >>> 20) * 4, 4, v >>> 0);
  const section = (va: number, pa: number, bits = 0) => l1(va, pa | bits | (3 << 10) | 2);
  section(0x40000000, 0x40000000);
  section(0x50000000, A);
  l1(0x60000000, L2 | 1 | (1 << 5)); // page table in domain 1
  const page = (va: number, pa: number, bits = 0) => bus.write(L2 + ((va >>> 12) & 0xff) * 4, 4, (pa | (3 << 4) | 2 | bits) >>> 0);
  page(0x60000000, A);
  page(0x60001000, A + 0x1000, 1 << 11); // not global
  const cp = ms.cp15;
  cp.write(2, 0, 0, 0, TTB, true);
  cp.write(2, 0, 0, 2, 0, true);
  cp.write(3, 0, 0, 0, 0x5, true); // domains 0 and 1: client
  cp.write(13, 0, 0, 1, 7, true); // CONTEXTIDR: ASID 7
  cp.write(1, 0, 0, 0, cp.read(1, 0, 0, 0, true) | 1, true);
  return { bus, ms, cp, section, page };
}

function faults(f: () => unknown): MemoryAbort | null {
  try { f(); return null; } catch (e) { if (e instanceof MemoryAbort) return e; throw e; }
}

test('a cached translation is used until TLBIMVA, which drops every 4 KiB slice of a section', () => {
  const { ms, cp, section } = setup();
  assert.equal(ms.mem.translate(0x50001000, Access.Read, false), A + 0x1000);
  assert.equal(ms.mem.translate(0x50080000, Access.Read, false), A + 0x80000);
  section(0x50000000, B); // remap without maintenance: the TLB may (and does) keep the old entries
  assert.equal(ms.mem.translate(0x50001000, Access.Read, false), A + 0x1000);
  cp.write(8, 0, 7, 1, 0x50000000 | 7, true); // TLBIMVA of the section's first page, ASID 7
  assert.equal(ms.mem.translate(0x50001000, Access.Read, false), B + 0x1000);
  assert.equal(ms.mem.translate(0x50080000, Access.Read, false), B + 0x80000);
});

test('TLBIALL, TLBIMVAA and the inner-shareable forms invalidate; a plain data write does not', () => {
  const { ms, cp, section, bus } = setup();
  const check = (expect: number) => assert.equal(ms.mem.translate(0x50000010, Access.Write, false), expect + 0x10);
  check(A);
  section(0x50000000, B); check(A);
  cp.write(8, 0, 3, 0, 0, true); check(B); // TLBIALLIS
  section(0x50000000, A); check(B);
  cp.write(8, 0, 7, 3, 0x50000000, true); check(A); // TLBIMVAA
  section(0x50000000, B); check(A);
  cp.write(8, 0, 7, 0, 0, true); check(B); // TLBIALL
  bus.write(B + 0x10, 4, 0x11223344);
  assert.equal(ms.mem.read32(0x50000010, false), 0x11223344);
});

test('an ASID switch keeps global entries and drops non-global ones; TLBIASID drops only the latter', () => {
  const { ms, cp, page } = setup();
  assert.equal(ms.mem.translate(0x60000000, Access.Read, false), A);
  assert.equal(ms.mem.translate(0x60001000, Access.Read, false), A + 0x1000);
  page(0x60000000, B); page(0x60001000, B + 0x1000, 1 << 11);
  cp.write(13, 0, 0, 1, 8, true); // ASID 8
  assert.equal(ms.mem.translate(0x60000000, Access.Read, false), A, 'global entry survives the switch');
  assert.equal(ms.mem.translate(0x60001000, Access.Read, false), B + 0x1000, 'non-global entry of ASID 7 is not used by ASID 8');
  page(0x60001000, A + 0x1000, 1 << 11);
  cp.write(8, 0, 7, 2, 7, true); // TLBIASID 7: not ours
  assert.equal(ms.mem.translate(0x60001000, Access.Read, false), B + 0x1000);
  cp.write(8, 0, 7, 2, 8, true); // TLBIASID 8
  assert.equal(ms.mem.translate(0x60001000, Access.Read, false), A + 0x1000);
  assert.equal(ms.mem.translate(0x60000000, Access.Read, false), A, 'TLBIASID leaves global entries');
  cp.write(8, 0, 7, 1, 0x60000000 | 3, true); // TLBIMVA with another ASID still drops a global entry
  assert.equal(ms.mem.translate(0x60000000, Access.Read, false), B);
});

test('a DACR write takes effect at once, without TLB maintenance (domain fault, then manager access)', () => {
  const { ms, cp, bus } = setup();
  bus.write(A + 0x20, 4, 0xabcd);
  assert.equal(ms.mem.read32(0x60000020, false), 0xabcd);
  cp.write(3, 0, 0, 0, 0x1, true); // domain 1: no access
  const e = faults(() => ms.mem.read32(0x60000020, false));
  assert.ok(e, 'domain fault expected');
  assert.equal(e.fsr, 0x1b, 'page domain fault, domain 1 (Table B3-23)');
  assert.equal(ms.mem.read32(0x50000000, false), ms.mem.read32(0x50000000, false), 'domain 0 still maps');
  cp.write(3, 0, 0, 0, 0x5, true);
  assert.equal(ms.mem.read32(0x60000020, false), 0xabcd);
});

test('a page that holds decoded code loses its fast write path, so writes reach the code-write hook', () => {
  const { ms, bus } = setup();
  const written: number[] = [];
  bus.onCodeWrite = (p) => written.push(p);
  ms.mem.write32(0x50000100, 1, false); // fills the write entry for A's first page
  bus.markCode(A);
  ms.mem.write32(0x50000104, 2, false);
  assert.deepEqual(written, [A >>> 12]);
});

test('watched pages take the slow path: a watchpoint added after the entry was cached still fires', () => {
  const { ms } = setup();
  ms.mem.write32(0x50000200, 1, false);
  const hits: number[] = [];
  ms.mem.onWatch = (va) => hits.push(va);
  ms.mem.addWatchpoint(0x50000204, 4, 2);
  ms.mem.write32(0x50000200, 1, false);
  ms.mem.write32(0x50000204, 1, false);
  assert.deepEqual(hits, [0x50000204]);
});
