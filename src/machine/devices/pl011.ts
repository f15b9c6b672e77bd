// An ARM PrimeCell PL011 UART as QEMU's `pl011` models it for the `virt` board (rev1 IDs, instant
// transmission, a 16-entry receive FIFO when LCR_H.FEN is set, one entry otherwise, the receive
// interrupt raised as soon as one character is waiting). Register facts: the PL011 TRM (ARM DDI 0183)
// and QEMU 7.2's hw/char/pl011.c behaviour, which Linux's amba-pl011 driver runs against.
//
// Output goes to `onTransmit` byte by byte. Input is queued without limit by `receive()` and moved into
// the FIFO as the guest drains it, so a host can paste a whole line without losing characters.
import type { MmioDevice } from '../bus';

/** Interrupt bits of RIS/MIS/IMSC/ICR. */
export const PL011_INT = { RX: 1 << 4, TX: 1 << 5, RT: 1 << 6 } as const;

const FR_RXFE = 1 << 4, FR_TXFF = 1 << 5, FR_RXFF = 1 << 6, FR_TXFE = 1 << 7;
const LCR_FEN = 1 << 4;
const FIFO_DEPTH = 16;
/** PeriphID0..3 then PCellID0..3 (0xfe0..0xffc): a PL011 revision 1, as QEMU reports. */
const IDS = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export interface Pl011Options {
  /** Called with each byte the guest transmits. */
  onTransmit(byte: number): void;
  /** Drives the UART's interrupt line (level). */
  setIrq(level: boolean): void;
}

export class Pl011 implements MmioDevice {
  private fifo: number[] = [];
  private readonly pending: number[] = [];
  private intLevel = 0;
  private imsc = 0;
  private lcr = 0;
  private cr = 0x300;
  private ifls = 0x12;
  private ibrd = 0;
  private fbrd = 0;
  private ilpr = 0;
  private dmacr = 0;
  private rsr = 0;
  private lastLine = false;

  constructor(private readonly opts: Pl011Options) {}

  /** Queues host input; characters enter the receive FIFO as it has room. */
  receive(bytes: Uint8Array | number[]): void {
    for (const b of bytes) this.pending.push(b & 0xff);
    this.refill();
  }

  /** Input queued but not yet read by the guest (FIFO included). */
  get inputBacklog(): number {
    return this.pending.length + this.fifo.length;
  }

  private get depth(): number {
    return this.lcr & LCR_FEN ? FIFO_DEPTH : 1;
  }

  private refill(): void {
    while (this.pending.length > 0 && this.fifo.length < this.depth) {
      this.fifo.push(this.pending.shift()!);
      this.intLevel |= PL011_INT.RX;
    }
    this.update();
  }

  private flags(): number {
    let f = FR_TXFE; // transmission is instant: the TX FIFO is always empty, never busy
    if (this.fifo.length === 0) f |= FR_RXFE;
    if (this.fifo.length >= this.depth) f |= FR_RXFF;
    return f & ~FR_TXFF;
  }

  private update(): void {
    const line = (this.intLevel & this.imsc) !== 0;
    if (line !== this.lastLine) {
      this.lastLine = line;
      this.opts.setIrq(line);
    }
  }

  read(offset: number, _size: 1 | 2 | 4): number {
    if (offset >= 0xfe0 && offset < 0x1000) return IDS[(offset - 0xfe0) >> 2];
    switch (offset) {
      case 0x000: {
        const c = this.fifo.shift();
        if (this.fifo.length === 0) this.intLevel &= ~PL011_INT.RX;
        this.refill();
        this.rsr = 0;
        return c ?? 0;
      }
      case 0x004: return this.rsr;
      case 0x018: return this.flags();
      case 0x020: return this.ilpr;
      case 0x024: return this.ibrd;
      case 0x028: return this.fbrd;
      case 0x02c: return this.lcr;
      case 0x030: return this.cr;
      case 0x034: return this.ifls;
      case 0x038: return this.imsc;
      case 0x03c: return this.intLevel;
      case 0x040: return this.intLevel & this.imsc;
      case 0x048: return this.dmacr;
      default: return 0; // reserved and write-only registers read as zero
    }
  }

  write(offset: number, _size: 1 | 2 | 4, value: number): void {
    switch (offset) {
      case 0x000:
        this.opts.onTransmit(value & 0xff);
        this.intLevel |= PL011_INT.TX;
        this.update();
        return;
      case 0x004: this.rsr = 0; return;
      case 0x020: this.ilpr = value & 0xff; return;
      case 0x024: this.ibrd = value & 0xffff; return;
      case 0x028: this.fbrd = value & 0x3f; return;
      case 0x02c: {
        // Switching the FIFO on or off flushes it, as QEMU does (queued host input is kept).
        if ((this.lcr ^ value) & LCR_FEN) { this.fifo = []; this.intLevel &= ~PL011_INT.RX; }
        this.lcr = value & 0xff;
        this.refill();
        return;
      }
      case 0x030: this.cr = value & 0xffff; return;
      case 0x034: this.ifls = value & 0x3f; return;
      case 0x038: this.imsc = value & 0x7ff; this.update(); return;
      case 0x044: this.intLevel &= ~value; this.update(); return;
      case 0x048: this.dmacr = value & 0x7; return;
      default: return; // read-only and reserved registers ignore writes
    }
  }
}
