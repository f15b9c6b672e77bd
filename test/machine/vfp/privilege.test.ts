// Access rules that the QEMU system tests cannot reach from SVC mode: at PL0, FPSCR is usable when CPACR
// grants full access, while FPSID, FPEXC, MVFR0 and MVFR1 are UNDEFINED (ARM ARM B6.1.x; QEMU's
// trans_VMSR_VMRS rejects them at EL0); with CPACR cp10 = 01 (PL1 only) every VFP instruction is
// UNDEFINED at PL0. Encodings are the A32 ones (cond = AL), checked against gas in vfp-sys.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Vfpv4Unit } from '../../../src/machine/arm32/vfp/unit';
import { UndefinedInstruction, type VfpHost, type Cp15, type VirtualMemory } from '../../../src/machine/arm32/contracts';

function unit(privileged: boolean, cpacr: number): { u: Vfpv4Unit; r: number[] } {
  const r = new Array<number>(16).fill(0);
  const host: VfpHost = {
    getReg: (n) => r[n] >>> 0,
    setReg: (n, v) => { r[n] = v >>> 0; },
    setNzcv: () => {},
    privileged,
    mem: {} as VirtualMemory,
    cp15: { cpacr } as Cp15,
  };
  const u = new Vfpv4Unit(host);
  u.fpexc = 0x40000000;
  return { u, r };
}

const VMRS = (reg: number, rt: number) => (0xeef00a10 | (reg << 16) | (rt << 12)) >>> 0;
const VMSR = (reg: number, rt: number) => (0xeee00a10 | (reg << 16) | (rt << 12)) >>> 0;
const VADD_F32 = 0xee300a01; // vadd.f32 s0, s0, s2

function undefined_(f: () => void): boolean {
  try { f(); return false; } catch (e) { if (e instanceof UndefinedInstruction) return true; throw e; }
}

test('PL0 with CPACR full access: FPSCR and arithmetic work; FPSID, FPEXC, MVFR0/1 are UNDEFINED', () => {
  const { u, r } = unit(false, 0x00f00000);
  r[1] = 0x03c00000;
  assert.equal(undefined_(() => u.execute(VMSR(1, 1))), false);
  assert.equal(u.fpscr, 0x03c00000);
  assert.equal(undefined_(() => u.execute(VMRS(1, 2))), false);
  assert.equal(r[2], 0x03c00000);
  assert.equal(undefined_(() => u.execute(VADD_F32)), false);
  for (const reg of [0, 6, 7, 8]) {
    assert.equal(undefined_(() => u.execute(VMRS(reg, 0))), true, `VMRS reg ${reg}`);
    assert.equal(undefined_(() => u.execute(VMSR(reg, 0))), true, `VMSR reg ${reg}`);
  }
});

test('PL0 with CPACR cp10/cp11 = PL1 only: every VFP instruction is UNDEFINED; PL1 is unaffected', () => {
  const user = unit(false, 0x00500000).u;
  for (const w of [VMRS(1, 0), VADD_F32, 0xee100a10 /* vmov r0, s0 */]) assert.equal(undefined_(() => user.execute(w)), true);
  const kernel = unit(true, 0x00500000).u;
  for (const w of [VMRS(1, 0), VMRS(8, 0), VADD_F32]) assert.equal(undefined_(() => kernel.execute(w)), false);
});

test('CPACR cp10 = 0b10 (reserved) traps like no access', () => {
  const { u } = unit(true, 0x00a00000);
  assert.equal(undefined_(() => u.execute(VMRS(8, 0))), true);
});
