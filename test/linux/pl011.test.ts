// The PL011 model against the facts Linux's amba-pl011 driver relies on, as the PL011 TRM (ARM DDI
// 0183) specifies them and QEMU 7.2 models them: reset values, IDs (rev1), flags, the receive FIFO
// (16 entries with LCR_H.FEN, 1 without), RX/TX interrupts through IMSC/MIS/ICR, and queued input.
// The end-to-end reference is test/linux/virt-boot.test.ts, where Linux drives it like QEMU's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pl011, PL011_INT } from '../../src/machine/devices/pl011';

function uart() {
  const sent: number[] = [];
  const irq: boolean[] = [];
  const u = new Pl011({ onTransmit: (b) => sent.push(b), setIrq: (l) => irq.push(l) });
  return { u, sent, irq };
}

test('reset values and identification registers as QEMU reports them (PL011 rev1)', () => {
  const { u } = uart();
  assert.equal(u.read(0x018, 4), 0x90, 'FR: TXFE | RXFE');
  assert.equal(u.read(0x030, 4), 0x300, 'CR: TXE | RXE');
  assert.equal(u.read(0x034, 4), 0x12, 'IFLS: half-full triggers');
  const ids = [0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => u.read(o, 4));
  assert.deepEqual(ids, [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
});

test('transmit: bytes reach the host at once, TX interrupt raised until cleared through ICR', () => {
  const { u, sent, irq } = uart();
  u.write(0x038, 4, PL011_INT.TX);
  u.write(0x000, 4, 0x141); // only the low 8 bits are data
  assert.deepEqual(sent, [0x41]);
  assert.equal(u.read(0x03c, 4) & PL011_INT.TX, PL011_INT.TX);
  assert.equal(u.read(0x040, 4), PL011_INT.TX);
  assert.deepEqual(irq, [true]);
  u.write(0x044, 4, PL011_INT.TX);
  assert.equal(u.read(0x040, 4), 0);
  assert.deepEqual(irq, [true, false]);
});

test('receive: one-entry holding register without FEN, 16-entry FIFO with it, the rest queued', () => {
  const { u, irq } = uart();
  u.write(0x038, 4, PL011_INT.RX);
  u.receive(Buffer.from('abc'));
  assert.deepEqual(irq, [true]);
  assert.equal(u.read(0x018, 4) & 0x50, 0x40, 'RXFF set, RXFE clear with one entry');
  assert.equal(u.read(0x000, 4), 0x61);
  u.write(0x02c, 4, 0x70); // 8 bits, FIFO on: flushes the holding register, queued input refills
  const got: number[] = [];
  while (!(u.read(0x018, 4) & 0x10)) got.push(u.read(0x000, 4));
  assert.deepEqual(Buffer.from(got).toString(), 'c', 'switching FEN flushed "b", as QEMU does');
  assert.equal(u.read(0x03c, 4) & PL011_INT.RX, 0, 'RX interrupt drops when the FIFO empties');
  assert.equal(irq.at(-1), false);
  u.receive(Buffer.from('0123456789abcdefXYZ'));
  assert.equal(u.read(0x018, 4) & 0x40, 0x40, 'RXFF after 16');
  assert.equal(u.inputBacklog, 19);
  const all: number[] = [];
  while (!(u.read(0x018, 4) & 0x10)) all.push(u.read(0x000, 4));
  assert.equal(Buffer.from(all).toString(), '0123456789abcdefXYZ');
});

test('masked interrupts do not drive the line; unmasking a raised one does', () => {
  const { u, irq } = uart();
  u.receive([0x0d]);
  assert.deepEqual(irq, []);
  assert.equal(u.read(0x03c, 4), PL011_INT.RX);
  u.write(0x038, 4, PL011_INT.RX | PL011_INT.RT);
  assert.deepEqual(irq, [true]);
});
