// Block translation (src/machine/arm32/block-translator.ts) against the interpreter it must mirror: the same
// program gives the same registers, flags, memory and instruction count with translation off
// (XENARM_NO_JIT's switch, cpu.jit = false) and on; breakpoints inside a translated block still stop it;
// an abort in the middle of a block is taken at the faulting instruction with the count of an
// interpreted run; code rewritten by the block itself takes effect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bus } from '../../../src/machine/bus';
import { Arm32Cpu } from '../../../src/machine/arm32/cpu';
import { Mode, StopReason } from '../../../src/machine/arm32/contracts';

const RAM = 0x40000000;

// r4 = 0x41000000 (data 16 MiB away from the code, so stores do not hit a code page);
// loop: add r0,r0,r1; eor r2,r0,r0,lsl #3; adds r3,r2,r1,ror #7; adc r5,r5,r3; str r5,[r4,#0x800]!;
//       ldr r6,[r4],#-0x800; subs r1,r1,#1; bne loop — then udf #0 (objdump of GNU as output).
const LOOP = [0xe3a00000, 0xe3a010c8, 0xe3a04441, 0xe0800001, 0xe0202180, 0xe09233e1, 0xe0a55003, 0xe5a45800,
  0xe4146800, 0xe2511001, 0x1afffff7, 0xe7f000f0];

function cpuWith(words: number[], jit: boolean): { cpu: Arm32Cpu; bus: Bus } {
  const bus = new Bus();
  const ram = bus.addRam(RAM, 32 << 20);
  words.forEach((w, i) => ram.view.setUint32(4 * i, w >>> 0, true));
  const cpu = new Arm32Cpu({ index: 0, bus, mpidr: 0x80000000 });
  cpu.jit = jit;
  cpu.reset(RAM);
  return { cpu, bus };
}

const state = (cpu: Arm32Cpu, bus: Bus) => ({
  regs: Array.from({ length: 16 }, (_, i) => cpu.getReg(i)), cpsr: cpu.getCpsr(), mode: cpu.mode, icount: cpu.icount,
  mem: bus.peek(RAM + 0x1000800, 4),
});

test('a hot loop gives the same state, memory and instruction count translated as interpreted', () => {
  const runs = [false, true].map((jit) => {
    const { cpu, bus } = cpuWith(LOOP, jit);
    cpu.run(5000);
    return { s: state(cpu, bus), translations: cpu.translations };
  });
  assert.equal(runs[0].translations, 0);
  assert.ok(runs[1].translations > 0, 'the loop was translated');
  assert.deepEqual(runs[1].s, runs[0].s);
  assert.equal(runs[1].s.regs[1], 0, 'the loop ran to its end');
});

test('budgets that end inside the loop stop at the same instruction either way', () => {
  for (const budget of [1, 7, 100, 333, 1000]) {
    const a = cpuWith(LOOP, false), b = cpuWith(LOOP, true);
    a.cpu.run(budget); b.cpu.run(budget);
    assert.deepEqual(state(b.cpu, b.bus), state(a.cpu, a.bus), `budget ${budget}`);
  }
});

test('a breakpoint added inside an already translated block stops there', () => {
  const { cpu } = cpuWith(LOOP, true);
  cpu.run(200);
  assert.ok(cpu.translations > 0);
  cpu.addBreakpoint(RAM + 0x18); // adc, in the middle of the loop body
  assert.equal(cpu.run(1000), StopReason.Breakpoint);
  assert.equal(cpu.getReg(15), RAM + 0x18);
  cpu.removeBreakpoint(RAM + 0x18);
  assert.equal(cpu.run(100000), StopReason.Budget);
  assert.equal(cpu.getReg(1), 0, 'the loop ran to its end');
});

test('a data abort inside a translated block is taken at the faulting store, counted as when interpreted', () => {
  // The loop with "add r4, r4, #0x100000" after the ldr: r4 walks up 1 MiB a turn and leaves the 32 MiB of
  // RAM on the 17th turn (the block is translated by then), where the str raises an external abort.
  const words = [...LOOP.slice(0, 9), 0xe2844601, ...LOOP.slice(9)];
  words[words.length - 2] = 0x1afffff6; // bne loop (one more instruction in the body)
  const runs = [false, true].map((jit) => {
    const { cpu, bus } = cpuWith(words, jit);
    cpu.run(2000);
    return { s: state(cpu, bus), dfar: cpu.cp15.dfar, dfsr: cpu.cp15.dfsr, lr: cpu.getBanked(Mode.ABT, 14), translations: cpu.translations };
  });
  assert.equal(runs[0].s.mode, Mode.ABT, 'the interpreted run took a data abort');
  assert.equal(runs[0].dfar, RAM + 0x2000800);
  assert.ok(runs[1].translations > 0);
  assert.deepEqual({ ...runs[1], translations: 0 }, { ...runs[0], translations: 0 });
});

test('code rewritten by a translated block takes effect at once', () => {
  // 0: mov r1,#20  4: ldr r7,lit (= "mov r9,#5")  8: add r8,pc,#12 (= 0x1c)
  // c: loop: cmp r1,#5  10: streq r7,[r8]  14: subs r1,r1,#1  18: b 1c  1c: mov r9,#1  20: add r10,r10,r9
  // 24: bne loop  28: udf  2c: lit. Both blocks are hot before the store at r1 == 5 rewrites 0x1c:
  // 15 turns add 1, then 5 turns add 5.
  const words = [0xe3a01014, 0xe59f7020, 0xe28f800c, 0xe3510005, 0x05887000, 0xe2511001, 0xeaffffff, 0xe3a09001,
    0xe08aa009, 0x1afffff8, 0xe7f000f0, 0xe3a09005];
  const runs = [false, true].map((jit) => {
    const { cpu, bus } = cpuWith(words, jit);
    cpu.run(1000);
    return { s: state(cpu, bus), translations: cpu.translations };
  });
  assert.equal(runs[0].s.regs[10], 40);
  assert.ok(runs[1].translations >= 2, 'both blocks were translated');
  assert.deepEqual(runs[1].s, runs[0].s);
});

test('T32: a hot loop with 16- and 32-bit encodings, CBZ and flag-setting 16-bit forms gives the interpreted state', () => {
  // movs r0,#0; movs r1,#200; mov.w r4,#0x41000000; loop: add r0,r1; eor.w r2,r0,r0,lsl #3; adds.w r3,r2,r1,ror #7;
  // adc.w r5,r5,r3; str.w r5,[r4,#128]!; ldr.w r6,[r4],#-128; cbz r6,skip; lsls r7,r6,#3; skip: subs r1,#1;
  // bne.n loop; udf #0 (GNU as, -march=armv7-a -mthumb)
  const hws = [0x2000, 0x21c8, 0xf04f, 0x4482, 0x4408, 0xea80, 0x02c0, 0xeb12, 0x13f1, 0xeb45, 0x0503, 0xf844, 0x5f80,
    0xf854, 0x6980, 0xb106, 0x00f7, 0x3901, 0xd1f0, 0xde00];
  const words: number[] = [];
  for (let i = 0; i < hws.length; i += 2) words.push(hws[i] | ((hws[i + 1] ?? 0) << 16));
  for (const budget of [50, 1001, 5000]) {
    const runs = [false, true].map((jit) => {
      const { cpu, bus } = cpuWith(words, jit);
      cpu.reset(RAM | 1);
      cpu.run(budget);
      return { s: { ...state(cpu, bus), mem: bus.peek(RAM + 0x1000080, 4) }, translations: cpu.translations };
    });
    if (budget === 5000) {
      assert.ok(runs[1].translations > 0, 'the Thumb loop was translated');
      assert.equal(runs[0].s.regs[1], 0, 'the loop ran to its end');
    }
    assert.deepEqual(runs[1].s, runs[0].s, `budget ${budget}`);
  }
});
