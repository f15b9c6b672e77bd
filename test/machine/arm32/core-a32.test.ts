// Unit tests of the A32 core against architectural results worked out by hand from the ARM ARM
// (ARMv7-A, DDI 0406C) pseudocode: flags of ADDS/SUBS edge cases, shifter carry-out, saturation,
// parallel add/sub GE bits, UMAAL, SMMLA rounding, SDIV corner cases, banking, LDM^/STM^,
// exclusives, exception entry and semihosting. Instructions are hand-encoded (no toolchain needed);
// each encoding's fields are spelled out next to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bus } from '../../../src/machine/bus';
import { Arm32Cpu } from '../../../src/machine/arm32/cpu';
import { Mode, StopReason } from '../../../src/machine/arm32/contracts';

const RAM = 0x40000000;

/** A board-less CPU on a bus with 1 MiB of RAM at 0x40000000, the program at its start. */
function cpuWith(words: number[], setup?: (cpu: Arm32Cpu) => void): Arm32Cpu {
  const bus = new Bus();
  const ram = bus.addRam(RAM, 1 << 20);
  words.forEach((w, i) => ram.view.setUint32(4 * i, w >>> 0, true));
  const cpu = new Arm32Cpu({ index: 0, bus, mpidr: 0x80000000 });
  cpu.reset(RAM);
  setup?.(cpu);
  return cpu;
}

const flags = (cpu: Arm32Cpu) => cpu.getCpsr() >>> 28; // NZCV
const hex = (v: number) => '0x' + (v >>> 0).toString(16);

test('ADDS/SUBS flags at the signed and unsigned edges', () => {
  // ADDS r2, r0, r1 = cond 1110, 000 0100 S=1, Rn 0, Rd 2, Rm 1
  const adds = (a: number, b: number) => {
    const cpu = cpuWith([0xe0902001], (c) => { c.setReg(0, a); c.setReg(1, b); });
    cpu.run(1);
    return [hex(cpu.getReg(2)), flags(cpu)];
  };
  assert.deepEqual(adds(0x7fffffff, 1), ['0x80000000', 0b1001]); // N V
  assert.deepEqual(adds(0xffffffff, 1), ['0x0', 0b0110]); // Z C
  assert.deepEqual(adds(0x80000000, 0x80000000), ['0x0', 0b0111]); // Z C V
  // SUBS r2, r0, r1 (opcode 0010): C is NOT borrow.
  const subs = (a: number, b: number) => {
    const cpu = cpuWith([0xe0502001], (c) => { c.setReg(0, a); c.setReg(1, b); });
    cpu.run(1);
    return [hex(cpu.getReg(2)), flags(cpu)];
  };
  assert.deepEqual(subs(0, 1), ['0xffffffff', 0b1000]);
  assert.deepEqual(subs(5, 5), ['0x0', 0b0110]);
  assert.deepEqual(subs(0x80000000, 1), ['0x7fffffff', 0b0011]);
  assert.deepEqual(subs(0x7fffffff, 0xffffffff), ['0x80000000', 0b1001]);
});

test('ADC/SBC/RSC use the carry in', () => {
  // ADCS r2, r0, r1 (opcode 0101) with C=1: 0xffffffff + 0 + 1 = 0, C=1, Z=1
  let cpu = cpuWith([0xe0b02001], (c) => { c.setReg(0, -1); c.setReg(1, 0); c.setCpsr(0x200001d3); });
  cpu.run(1);
  assert.equal(cpu.getReg(2), 0); assert.equal(flags(cpu), 0b0110);
  // SBCS r2, r0, r1 (opcode 0110) with C=0: 5 - 5 - 1 = -1, borrow: C=0, N=1
  cpu = cpuWith([0xe0d02001], (c) => { c.setReg(0, 5); c.setReg(1, 5); c.setCpsr(0x000001d3); });
  cpu.run(1);
  assert.equal(cpu.getReg(2), 0xffffffff); assert.equal(flags(cpu), 0b1000);
});

test('shifter carry-out: LSR #32, RRX, register shifts of 32 and more', () => {
  // MOVS r2, r0, LSR #32 (imm5 = 0 with LSR means 32): result 0, C = bit 31
  let cpu = cpuWith([0xe1b02020], (c) => c.setReg(0, 0x80000000));
  cpu.run(1);
  assert.equal(cpu.getReg(2), 0); assert.equal(flags(cpu) & 0b0110, 0b0110);
  // MOVS r2, r0, RRX with C=1, r0=1: result 0x80000000, C=1 (old bit 0), N=1
  cpu = cpuWith([0xe1b02060], (c) => { c.setReg(0, 1); c.setCpsr(0x200001d3); });
  cpu.run(1);
  assert.equal(cpu.getReg(2), 0x80000000); assert.equal(flags(cpu), 0b1010);
  // MOVS r2, r0, LSL r1: by 32 → 0 with C = bit 0; by 33 → 0 with C = 0; only the bottom byte of r1 counts
  const lslReg = (v: number, s: number) => {
    const c = cpuWith([0xe1b02110], (x) => { x.setReg(0, v); x.setReg(1, s); });
    c.run(1);
    return [hex(c.getReg(2)), flags(c)];
  };
  assert.deepEqual(lslReg(1, 32), ['0x0', 0b0110]);
  assert.deepEqual(lslReg(1, 33), ['0x0', 0b0100]);
  assert.deepEqual(lslReg(3, 0x101), ['0x6', 0b0000]);
  // by 0: value and C unchanged (C was set by reset? reset CPSR has only Z) → C stays 0
  assert.deepEqual(lslReg(0x80000000, 0x100), ['0x80000000', 0b1000]);
  // MOVS r2, r0, ASR r1 (type 10) by 200: all sign bits, C = bit 31
  cpu = cpuWith([0xe1b02150], (c) => { c.setReg(0, 0x80000000); c.setReg(1, 200); });
  cpu.run(1);
  assert.equal(cpu.getReg(2), 0xffffffff); assert.equal(flags(cpu), 0b1010);
  // MOVS r2, r0, ROR r1 (type 11) by 32: value unchanged, C = bit 31
  cpu = cpuWith([0xe1b02170], (c) => { c.setReg(0, 0x80000001); c.setReg(1, 32); });
  cpu.run(1);
  assert.equal(cpu.getReg(2), 0x80000001); assert.equal(flags(cpu), 0b1010);
  // MOVS r2, #0x80000000 (imm8 2, rot 1): a rotated immediate sets C to its bit 31
  cpu = cpuWith([0xe3b02102]);
  cpu.run(1);
  assert.equal(cpu.getReg(2), 0x80000000); assert.equal(flags(cpu), 0b1010);
});

test('SSAT/USAT saturate and set Q; Q is sticky', () => {
  // SSAT r2, #8, r0: cond 0110 101 sat_imm=7 Rd=2 imm5=0 sh=0 01 Rn=0
  const ssat = (v: number) => { const c = cpuWith([0xe6a72010], (x) => x.setReg(0, v)); c.run(1); return [c.getReg(2) | 0, (c.getCpsr() >>> 27) & 1]; };
  assert.deepEqual(ssat(300), [127, 1]);
  assert.deepEqual(ssat(-129), [-128, 1]);
  assert.deepEqual(ssat(-128), [-128, 0]);
  // USAT r2, #8, r0: cond 0110 111 sat_imm=8
  const usat = (v: number) => { const c = cpuWith([0xe6e82010], (x) => x.setReg(0, v)); c.run(1); return [c.getReg(2) | 0, (c.getCpsr() >>> 27) & 1]; };
  assert.deepEqual(usat(-5), [0, 1]);
  assert.deepEqual(usat(256), [255, 1]);
  assert.deepEqual(usat(255), [255, 0]);
  // QADD r2, r0, r1 (cond 0001 0000 Rn=1 Rd=2 0000 0101 Rm=0): saturates, Q set
  const c = cpuWith([0xe1012050], (x) => { x.setReg(0, 0x7fffffff); x.setReg(1, 1); });
  c.run(1);
  assert.equal(c.getReg(2), 0x7fffffff); assert.equal((c.getCpsr() >>> 27) & 1, 1);
});

test('parallel add: SADD16 and UADD8 GE bits, SEL by GE', () => {
  // SADD16 r2, r0, r1: cond 0110 0001 Rn=0 Rd=2 1111 0001 Rm=1
  let cpu = cpuWith([0xe6102f11], (c) => { c.setReg(0, 0x7fff8000); c.setReg(1, 0x00018000); });
  cpu.run(1);
  // high: 0x7fff+1 = 32768 ≥ 0 → GE[3:2]=11, result 0x8000; low: -32768 + -32768 < 0 → GE[1:0]=00, result 0
  assert.equal(cpu.getReg(2), 0x80000000); assert.equal((cpu.getCpsr() >>> 16) & 15, 0b1100);
  // UADD8 r2, r0, r1 then SEL r3, r4, r5 (cond 0110 1000 Rn=4 Rd=3 1111 1011 Rm=5)
  cpu = cpuWith([0xe6502f91, 0xe6843fb5], (c) => {
    c.setReg(0, 0x01ff80ff); c.setReg(1, 0x01018001); c.setReg(4, 0x11223344); c.setReg(5, 0xaabbccdd);
  });
  cpu.run(2);
  assert.equal(cpu.getReg(2), 0x02000000); // each of the low three bytes carries out
  assert.equal((cpu.getCpsr() >>> 16) & 15, 0b0111);
  assert.equal(cpu.getReg(3), 0xaa223344);
});

test('UMAAL, SMMUL/SMMLAR rounding, SDIV/UDIV corner cases', () => {
  // UMAAL r0, r1, r2, r3: cond 0000 0100 RdHi=1 RdLo=0 Rm=3 1001 Rn=2. All ones: the 64-bit result cannot overflow.
  let cpu = cpuWith([0xe0410392], (c) => { for (let i = 0; i < 4; i++) c.setReg(i, -1); });
  cpu.run(1);
  assert.equal(cpu.getReg(0), 0xffffffff); assert.equal(cpu.getReg(1), 0xffffffff);
  // SMMLAR r0, r1, r2, r3: cond 0111 0101 Rd=0 Ra=3 Rm=2 0011 Rn=1
  const smmlar = (a: number, b: number, acc: number) => { const c = cpuWith([0xe7503231], (x) => { x.setReg(1, a); x.setReg(2, b); x.setReg(3, acc); }); c.run(1); return c.getReg(0); };
  assert.equal(smmlar(0x40000000, 3, 0), 1); // 0xC0000000 + 0x80000000 carries into the top word
  assert.equal(smmlar(-1, 1, 0), 0); // -1 + 0x80000000 rounds to 0
  assert.equal(smmlar(0x40000000, 2, 5), 6); // (5 << 32) + 0x80000000 + 0x80000000, top word
  // SMMUL r0, r1, r2 (Ra=15, R=0): -1 * 1 = -1 → top word 0xffffffff (truncating)
  cpu = cpuWith([0xe750f211], (c) => { c.setReg(1, -1); c.setReg(2, 1); });
  cpu.run(1);
  assert.equal(cpu.getReg(0), 0xffffffff);
  // SDIV r2, r0, r1: cond 0111 0001 Rd=2 1111 Rm=1 0001 Rn=0; UDIV: 0111 0011
  const div = (insn: number, a: number, b: number) => { const c = cpuWith([insn], (x) => { x.setReg(0, a); x.setReg(1, b); }); c.run(1); return c.getReg(2); };
  assert.equal(div(0xe712f110, 7, 0), 0);
  assert.equal(div(0xe712f110, 0x80000000, -1), 0x80000000);
  assert.equal(div(0xe712f110, -7, 2), 0xfffffffd); // rounds toward zero
  assert.equal(div(0xe732f110, 0xffffffff, 2), 0x7fffffff);
});

test('banked registers follow the mode: FIQ r8–r14, r13/r14 per mode, SPSR per mode', () => {
  const cpu = cpuWith([]);
  cpu.setReg(8, 0x88); cpu.setReg(13, 0x5c); cpu.setReg(14, 0x1e); // SVC
  cpu.setCpsr(0x1d1); // FIQ
  assert.equal(cpu.getReg(8), 0); assert.equal(cpu.getReg(13), 0);
  cpu.setReg(8, 0xf8); cpu.setReg(13, 0xf13);
  cpu.setCpsr(0x1d2); // IRQ: r8 is the common one again, r13 its own
  assert.equal(cpu.getReg(8), 0x88); assert.equal(cpu.getReg(13), 0);
  cpu.setCpsr(0x1d3); // back to SVC
  assert.equal(cpu.getReg(13), 0x5c); assert.equal(cpu.getReg(14), 0x1e);
  assert.equal(cpu.getBanked(Mode.FIQ, 8), 0xf8); assert.equal(cpu.getBanked(Mode.FIQ, 13), 0xf13);
  cpu.setBanked(Mode.USR, 13, 0x1234);
  cpu.setCpsr(0x1df); // SYS shares USR's bank
  assert.equal(cpu.getReg(13), 0x1234);
  cpu.setSpsr(Mode.IRQ, 0x600001d0); cpu.setSpsr(Mode.ABT, 0x10);
  assert.equal(cpu.getSpsr(Mode.IRQ), 0x600001d0); assert.equal(cpu.getSpsr(Mode.ABT), 0x10);
});

test('STM^ stores the User bank; LDM {..,pc}^ returns with CPSR = SPSR', () => {
  const data = RAM + 0x1000;
  // STMIA r0, {r13}^ : cond 100 P0 U1 S1 W0 L0 Rn=0 list 0x2000
  let cpu = cpuWith([0xe8c02000], (c) => { c.setBanked(Mode.USR, 13, 0xabcd); c.setReg(13, 0x5555); c.setReg(0, data); });
  cpu.run(1);
  assert.equal(cpu.mem.read32(data, false), 0xabcd);
  // LDMIA r0, {r1, pc}^ : list 0x8002, S=1, L=1
  cpu = cpuWith([0xe8d08002], (c) => {
    c.setReg(0, data); c.setSpsr(Mode.SVC, 0x80000010);
    c.mem.write32(data, 0x11, false); c.mem.write32(data + 4, RAM + 0x200, false);
  });
  cpu.run(1);
  assert.equal(cpu.getReg(1), 0x11);
  assert.equal(cpu.getReg(15), RAM + 0x200);
  assert.equal(cpu.getCpsr(), 0x80000010);
  assert.equal(cpu.mode, Mode.USR);
});

test('exclusives: STREX succeeds once after LDREX, fails after CLREX or without a reservation', () => {
  const data = RAM + 0x1000;
  // LDREX r1, [r0]: cond 0001 1001 Rn=0 Rt=1 1111 1001 1111; STREX r2, r3, [r0]: cond 0001 1000 Rn=0 Rd=2 1111 1001 Rt=3
  const LDREX = 0xe1901f9f, STREX = 0xe1802f93, CLREX = 0xf57ff01f;
  let cpu = cpuWith([LDREX, STREX, STREX], (c) => { c.setReg(0, data); c.setReg(3, 0x77); c.mem.write32(data, 5, false); });
  cpu.run(2);
  assert.equal(cpu.getReg(1), 5); assert.equal(cpu.getReg(2), 0); assert.equal(cpu.mem.read32(data, false), 0x77);
  cpu.setReg(3, 0x99);
  cpu.run(1);
  assert.equal(cpu.getReg(2), 1); assert.equal(cpu.mem.read32(data, false), 0x77);
  cpu = cpuWith([LDREX, CLREX, STREX], (c) => { c.setReg(0, data); c.setReg(3, 0x77); });
  cpu.run(3);
  assert.equal(cpu.getReg(2), 1); assert.equal(cpu.mem.read32(data, false), 0);
});

test('exception entry: UDF, SVC, data abort, IRQ — mode, LR, SPSR, masks, vector', () => {
  // UDF #0 (0xe7f000f0) in SVC: UND mode, LR = insn + 4, vector 0x04 (SCTLR.V = 0, VBAR = 0)
  let cpu = cpuWith([0xe3a00000, 0xe7f000f0]);
  cpu.run(2);
  assert.equal(cpu.mode, Mode.UND); assert.equal(cpu.getReg(14), RAM + 8); assert.equal(cpu.getReg(15), 4);
  assert.equal(cpu.getSpsr(Mode.UND), 0x400001d3); assert.equal(cpu.getCpsr() & 0x1ff, 0x1db);
  // SVC #1 from USR with IRQs enabled: SVC mode, I set, A and F as before, LR = insn + 4, vector 0x08
  cpu = cpuWith([0xef000001], (c) => c.setCpsr(0x00000010));
  cpu.run(1);
  assert.equal(cpu.mode, Mode.SVC); assert.equal(cpu.getReg(14), RAM + 4); assert.equal(cpu.getReg(15), 8);
  assert.equal(cpu.getSpsr(Mode.SVC), 0x10); assert.equal(cpu.getCpsr() & 0x1ff, 0x093);
  // LDR r1, [r0] from an unmapped address: ABT mode, LR = insn + 8, DFSR 0x8 (external abort), DFAR, vector 0x10
  cpu = cpuWith([0xe5901000], (c) => c.setReg(0, 0x10000000));
  cpu.run(1);
  assert.equal(cpu.mode, Mode.ABT); assert.equal(cpu.getReg(14), RAM + 8); assert.equal(cpu.getReg(15), 0x10);
  assert.equal(cpu.cp15.read(5, 0, 0, 0, true), 0x8); assert.equal(cpu.cp15.read(6, 0, 0, 0, true), 0x10000000);
  // STR: WnR (bit 11) in DFSR
  cpu = cpuWith([0xe5801000], (c) => c.setReg(0, 0x10000004));
  cpu.run(1);
  assert.equal(cpu.cp15.read(5, 0, 0, 0, true), 0x808);
  // IRQ line high with I clear: taken before the next instruction, LR = next + 4, vector 0x18
  // (vectors moved into RAM through VBAR, filled with NOPs: the step runs the IRQ vector's instruction)
  const nops = new Array(0x120).fill(0xe1a00000);
  cpu = cpuWith(nops, (c) => { c.setCpsr(0x113); c.cp15.write(12, 0, 0, 0, RAM + 0x100, true); });
  cpu.run(1);
  cpu.setIrqLine(true);
  cpu.run(1);
  assert.equal(cpu.mode, Mode.IRQ); assert.equal(cpu.getReg(14), RAM + 8);
  assert.equal(cpu.getReg(15), RAM + 0x100 + 0x18 + 4);
  assert.equal(cpu.getCpsr() & 0x1c0, 0x180);
  // masked: not taken
  cpu = cpuWith([0xe1a00000, 0xe1a00000]);
  cpu.setIrqLine(true);
  cpu.run(2);
  assert.equal(cpu.mode, Mode.SVC); assert.equal(cpu.getReg(15), RAM + 8);
});

test('icount counts condition-failed instructions; a breakpoint stops before executing', () => {
  // MOVNE r0, #1 with Z set at reset: fails its condition but retires
  const cpu = cpuWith([0x13a00001, 0xe3a00002, 0xe3a01003]);
  assert.equal(cpu.run(2), StopReason.Budget);
  assert.equal(cpu.icount, 2); assert.equal(cpu.getReg(0), 2);
  cpu.addBreakpoint(RAM + 8);
  assert.equal(cpu.run(10), StopReason.Breakpoint);
  assert.equal(cpu.getReg(15), RAM + 8); assert.equal(cpu.getReg(1), 0);
  cpu.run(1);
  assert.equal(cpu.getReg(1), 3);
});

test('semihosting: SYS_WRITE0 prints, SYS_EXIT_EXTENDED ends the run with the status', () => {
  const out: number[] = [];
  let status = -1;
  const str = RAM + 0x800, block = RAM + 0x900;
  // MOV r0, #4; MOV r1, str (set up); SVC 0x123456; MOV r0, #0x20; MOV r1, block; SVC 0x123456
  const cpu = cpuWith([0xe3a00004, 0xef123456, 0xe3a00020, 0xe1a01002, 0xef123456], (c) => {
    c.setReg(1, str); c.setReg(2, block);
    [0x68, 0x69, 0x0a, 0].forEach((b, i) => c.mem.write8(str + i, b, false));
    c.mem.write32(block, 0x20026, false); c.mem.write32(block + 4, 3, false);
    c.semihosting = { write: (b) => out.push(...b), readByte: () => -1, exit: (s) => { status = s; }, commandLine: '', time: () => 0 };
  });
  const stop = cpu.run(100);
  assert.equal(Buffer.from(out).toString(), 'hi\n');
  assert.equal(status, 3);
  assert.equal(stop, StopReason.Halted);
});

test('unmapped vectors: an endless prefetch-abort loop still consumes the budget (no hang)', () => {
  // IRQ vector 0x18 and prefetch-abort vector 0x0c hold nothing: every fetch aborts.
  const cpu = cpuWith([0xe1a00000], (c) => c.setCpsr(0x113));
  cpu.setIrqLine(true);
  assert.equal(cpu.run(1000), StopReason.Budget);
  assert.equal(cpu.mode, Mode.ABT);
  assert.equal(cpu.getReg(15), 0x0c);
  assert.equal(cpu.cp15.read(5, 0, 0, 1, true), 0x8); // IFSR: external abort on the fetch
});
