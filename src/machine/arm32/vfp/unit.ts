// The VFPv4-D32 unit of a Cortex-A15 without Advanced SIMD: the register file (S0–S31 / D0–D31), the
// system registers (FPSID, FPSCR, FPEXC, MVFR0/1), the enable rules (CPACR cp10/cp11, FPEXC.EN,
// privilege), and the decoder for every VFP instruction. Arithmetic and conversions are in
// data-processing.ts, loads, stores and register transfers in transfers.ts.
import { UndefinedInstruction, type VfpUnit, type VfpHost } from '../contracts';
import { FPEXC_EN, FPSCR_WRITABLE } from './fpscr';
import { FpContext } from './softfloat';
import { dataProcessing } from './data-processing';
import { transfer, loadStore } from './transfers';

export class Vfpv4Unit implements VfpUnit {
  /** S0..S63 words (D0..D31 as pairs, low word first), with float views of the same bytes. */
  readonly regs: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  fpscr = 0;
  fpexc = 0;
  /** Rounding controls and raised flags of the current slow-path operation. */
  readonly ctx = new FpContext();
  /** Cortex-A15 r2p0 as QEMU models it: implementer ARM, VFPv3-or-later subarchitecture, part 0x30, variant 0xf. */
  readonly fpsid = 0x410430f0;
  /** 32 double registers, single and double arithmetic with divide and square root, all rounding modes; no short vectors. */
  readonly mvfr0 = 0x10110222;
  /**
   * QEMU's cortex-a15 with neon=off: FTZ and default-NaN supported, half-precision conversions (FPHP),
   * fused multiply-accumulate (SIMDFMAC, which Linux reads as "VFPv4"); every Advanced SIMD field zero.
   */
  readonly mvfr1 = 0x11000011;

  constructor(readonly host: VfpHost) {
    const buf = new ArrayBuffer(256);
    this.regs = new Uint32Array(buf);
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
  }

  reset(): void { this.regs.fill(0); this.fpscr = 0; this.fpexc = 0; }

  /** CPACR.cp10 (cp11 must equal it): 0 no access, 1 PL1 only, 3 full; 2 is reserved and traps. */
  private checkCpacr(): void {
    const access = (this.host.cp15.cpacr >>> 20) & 3;
    if (access === 0 || access === 2 || (access === 1 && !this.host.privileged)) throw UndefinedInstruction.instance;
  }

  /** A32 and T32 encodings of VFP instructions share their low 28 bits, so one decoder serves both. */
  execute(w: number): void {
    // The unconditional space (ARM cond 0b1111, Thumb's 111T with T=1) holds only Advanced SIMD and
    // ARMv8 instructions in coprocessors 10/11: UNDEFINED here.
    if (w >>> 28 === 0xf) throw UndefinedInstruction.instance;
    this.checkCpacr();
    const op = (w >>> 24) & 0xf;
    if (op === 0xe && (w & 0x10) !== 0 && ((w >>> 21) & 7) === 7 && (w & 0x100) === 0) { this.systemRegister(w); return; }
    if (!(this.fpexc & FPEXC_EN)) throw UndefinedInstruction.instance;
    if (op === 0xe) {
      if (w & 0x10) transfer(this, w); else dataProcessing(this, w);
      return;
    }
    loadStore(this, w);
  }

  /** VMRS / VMSR. FPSID, FPEXC and MVFR0/1 are PL1-only and usable with FPEXC.EN clear; FPSCR needs EN. */
  private systemRegister(w: number): void {
    if ((w & 0xff) !== 0x10) throw UndefinedInstruction.instance;
    const reg = (w >>> 16) & 15, rt = (w >>> 12) & 15, load = (w >>> 20) & 1;
    const priv = this.host.privileged;
    switch (reg) {
      case 1: if (!(this.fpexc & FPEXC_EN)) throw UndefinedInstruction.instance; break;
      case 0: case 6: case 7: case 8: if (!priv) throw UndefinedInstruction.instance; break;
      default: throw UndefinedInstruction.instance;
    }
    if (load) {
      const v = reg === 1 ? this.fpscr : reg === 0 ? this.fpsid : reg === 6 ? this.mvfr1 : reg === 7 ? this.mvfr0 : this.fpexc;
      // Rt = 15 (APSR_nzcv) takes bits 31:28 of whichever register is read, FPEXC and the IDs too (as QEMU does).
      if (rt === 15) this.host.setNzcv(v);
      else this.host.setReg(rt, v >>> 0);
      return;
    }
    // Rt = 15 is UNPREDICTABLE; QEMU writes the PC value, and so does this.
    const v = this.host.getReg(rt);
    if (reg === 1) this.fpscr = (v & FPSCR_WRITABLE) >>> 0;
    else if (reg === 8) this.fpexc = (v & FPEXC_EN) >>> 0;
    // FPSID and MVFR0/1 writes are ignored.
  }
}
