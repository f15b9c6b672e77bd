// Unit tests of T32 details found by differential runs against QEMU 7.2 (cortex-a15) and checked in the
// ARM ARM (DDI 0406C): the Undefined Instruction exception's LR offset in Thumb state, and UNDEFINED
// encodings of the 32-bit multiply space. Instructions are hand-encoded; fields are spelled out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bus } from '../../../src/machine/bus';
import { Arm32Cpu } from '../../../src/machine/arm32/cpu';
import { Mode } from '../../../src/machine/arm32/contracts';

const RAM = 0x40000000;

/** A CPU in Thumb state at RAM with the given halfwords as its program. */
function thumbCpu(halfwords: number[]): Arm32Cpu {
  const bus = new Bus();
  const ram = bus.addRam(RAM, 1 << 20);
  halfwords.forEach((h, i) => ram.view.setUint16(2 * i, h, true));
  const cpu = new Arm32Cpu({ index: 0, bus, mpidr: 0x80000000 });
  cpu.reset(RAM | 1);
  return cpu;
}

test('Thumb UNDEFINED: LR_und = instruction address + 2 for 16- and 32-bit encodings (B1.9.5, Table B1-7)', () => {
  // UDF #0 (16-bit, 0xde00) after a NOP: LR = RAM + 2 + 2
  let cpu = thumbCpu([0xbf00, 0xde00]);
  cpu.run(2);
  assert.equal(cpu.mode, Mode.UND);
  assert.equal(cpu.getReg(14), RAM + 4);
  // UDF.W #0 (32-bit, 0xf7f0 0xa000) after a NOP: LR = RAM + 2 + 2, not + 4 (QEMU and Linux's __und_svc agree)
  cpu = thumbCpu([0xbf00, 0xf7f0, 0xa000]);
  cpu.run(2);
  assert.equal(cpu.mode, Mode.UND);
  assert.equal(cpu.getReg(14), RAM + 4);
});

test('T32 multiply space: hw2 bits 7:6 must be 00, else UNDEFINED (A6.3.16)', () => {
  // MUL r6, r4, r0 = 0xfb04 0xf600 executes; 0xfb04 0xf640 (bits 7:4 = 0100) is UNDEFINED on QEMU too.
  let cpu = thumbCpu([0xfb04, 0xf600]);
  cpu.setReg(4, 6); cpu.setReg(0, 7);
  cpu.run(1);
  assert.equal(cpu.getReg(6), 42);
  assert.equal(cpu.mode, Mode.SVC);
  cpu = thumbCpu([0xfb04, 0xf640]);
  cpu.run(1);
  assert.equal(cpu.mode, Mode.UND);
  assert.equal(cpu.getReg(14), RAM + 2);
});
