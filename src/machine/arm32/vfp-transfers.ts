// A minimal VFP unit: the register file, FPSCR/FPEXC and every transfer instruction (VMRS/VMSR, VMOV
// between core and VFP registers, VLDR/VSTR, VLDM/VSTM/VPUSH/VPOP, VMOV register and immediate).
// Arithmetic is not here: it is UNDEFINED until the full VFP unit replaces this one.
import { UndefinedInstruction, type VfpUnit, type VfpHost } from './contracts';

function bits(w: number, hi: number, lo: number): number { return (w >>> lo) & ((1 << (hi - lo + 1)) - 1); }

export class VfpTransfers implements VfpUnit {
  readonly regs = new Uint32Array(64);
  fpscr = 0;
  fpexc = 0;
  readonly fpsid = 0x410430f0;
  readonly mvfr0 = 0x10110222;
  readonly mvfr1 = 0x00000000;
  constructor(private readonly host: VfpHost) {}
  reset(): void { this.regs.fill(0); this.fpscr = 0; this.fpexc = 0; }

  private enabledFor(): void {
    const cpacr = this.host.cp15.cpacr;
    const access = (cpacr >>> 20) & 3;
    if (access === 0 || (access === 1 && !this.host.privileged) || access === 2) throw UndefinedInstruction.instance;
  }

  execute(w: number): void {
    const op = bits(w, 27, 24);
    const dbl = bits(w, 8, 8) === 1;
    this.enabledFor();
    // VMRS/VMSR
    if (op === 0xe && bits(w, 23, 21) === 7 && bits(w, 4, 4) && !dbl) {
      const reg = bits(w, 19, 16), rt = bits(w, 15, 12), l = bits(w, 20, 20);
      if (reg !== 8 && reg !== 0 && !(this.fpexc & 0x40000000)) throw UndefinedInstruction.instance;
      if ((reg === 8 || reg === 0) && !this.host.privileged) throw UndefinedInstruction.instance;
      if (l) {
        const v = reg === 1 ? this.fpscr : reg === 8 ? this.fpexc : reg === 0 ? this.fpsid : reg === 7 ? this.mvfr0 : reg === 6 ? this.mvfr1 : undefined;
        if (v === undefined) throw UndefinedInstruction.instance;
        if (rt === 15) { if (reg !== 1) throw UndefinedInstruction.instance; this.host.setNzcv(v); } else this.host.setReg(rt, v);
      } else {
        const v = this.host.getReg(rt);
        if (reg === 1) this.fpscr = v & 0xffc09f9f & ~0x9f00;
        else if (reg === 8) this.fpexc = v & 0x40000000;
        else if (reg !== 0) throw UndefinedInstruction.instance;
      }
      return;
    }
    if (!(this.fpexc & 0x40000000)) throw UndefinedInstruction.instance;
    const R = this.regs;
    const sIdx = (v: number, x: number) => (v << 1) | x;
    const dIdx = (v: number, x: number) => (x << 4) | v;
    if (op === 0xe && bits(w, 4, 4)) {
      const l = bits(w, 20, 20), rt = bits(w, 15, 12);
      if (!dbl && bits(w, 23, 21) === 0) { // VMOV core <-> single
        const s = sIdx(bits(w, 19, 16), bits(w, 7, 7));
        if (l) this.host.setReg(rt, R[s]); else R[s] = this.host.getReg(rt);
        return;
      }
      if (dbl && bits(w, 22, 22) === 0 && bits(w, 6, 5) === 0) { // VMOV.32 scalar
        const d = dIdx(bits(w, 19, 16), bits(w, 7, 7)), idx = 2 * d + bits(w, 21, 21);
        if (l) this.host.setReg(rt, R[idx]); else R[idx] = this.host.getReg(rt);
        return;
      }
      throw UndefinedInstruction.instance;
    }
    if (op === 0xe) {
      // VMOV register / immediate only.
      const opc1 = bits(w, 23, 20) & 0xb, opc2 = bits(w, 19, 16), opc3 = bits(w, 7, 6);
      if (opc1 !== 0xb) throw UndefinedInstruction.instance;
      if ((opc3 & 1) === 0) {
        const imm8 = (bits(w, 19, 16) << 4) | bits(w, 3, 0);
        const sign = imm8 >>> 7, b6 = (imm8 >>> 6) & 1;
        if (dbl) {
          const exp = ((b6 ^ 1) << 10) | (b6 ? 0x3fc : 0) | ((imm8 >>> 4) & 3);
          const d = dIdx(bits(w, 15, 12), bits(w, 22, 22));
          R[2 * d] = 0; R[2 * d + 1] = ((sign << 31) | (exp << 20) | ((imm8 & 15) << 16)) >>> 0;
        } else {
          const exp = ((b6 ^ 1) << 7) | (b6 ? 0x7c : 0) | ((imm8 >>> 4) & 3);
          R[sIdx(bits(w, 15, 12), bits(w, 22, 22))] = ((sign << 31) | (exp << 23) | ((imm8 & 15) << 19)) >>> 0;
        }
        return;
      }
      if (opc2 === 0 && opc3 === 1) {
        if (dbl) { const d = dIdx(bits(w, 15, 12), bits(w, 22, 22)), m = dIdx(bits(w, 3, 0), bits(w, 5, 5)); R[2 * d] = R[2 * m]; R[2 * d + 1] = R[2 * m + 1]; }
        else R[sIdx(bits(w, 15, 12), bits(w, 22, 22))] = R[sIdx(bits(w, 3, 0), bits(w, 5, 5))];
        return;
      }
      throw UndefinedInstruction.instance;
    }
    // Loads, stores and 64-bit transfers.
    const p = bits(w, 24, 24), u = bits(w, 23, 23), wb = bits(w, 21, 21), l = bits(w, 20, 20), rn = bits(w, 19, 16), imm8 = bits(w, 7, 0);
    const mem = this.host.mem, user = !this.host.privileged;
    if (!p && !u && !wb) {
      const rt = bits(w, 15, 12), rt2 = bits(w, 19, 16);
      if (dbl) {
        const m = dIdx(bits(w, 3, 0), bits(w, 5, 5));
        if (l) { this.host.setReg(rt, R[2 * m]); this.host.setReg(rt2, R[2 * m + 1]); } else { R[2 * m] = this.host.getReg(rt); R[2 * m + 1] = this.host.getReg(rt2); }
      } else {
        const m = sIdx(bits(w, 3, 0), bits(w, 5, 5));
        if (l) { this.host.setReg(rt, R[m]); this.host.setReg(rt2, R[m + 1]); } else { R[m] = this.host.getReg(rt); R[m + 1] = this.host.getReg(rt2); }
      }
      return;
    }
    const base = rn === 15 ? (this.host.getReg(15) & ~3) >>> 0 : this.host.getReg(rn);
    if (p && !wb) { // VLDR / VSTR
      const addr = (u ? base + imm8 * 4 : base - imm8 * 4) >>> 0;
      mem.checkAlignment(addr, 4, !l);
      if (dbl) {
        const d = dIdx(bits(w, 15, 12), bits(w, 22, 22));
        if (l) { R[2 * d] = mem.read32(addr, user); R[2 * d + 1] = mem.read32((addr + 4) >>> 0, user); }
        else { mem.write32(addr, R[2 * d], user); mem.write32((addr + 4) >>> 0, R[2 * d + 1], user); }
      } else {
        const s = sIdx(bits(w, 15, 12), bits(w, 22, 22));
        if (l) R[s] = mem.read32(addr, user); else mem.write32(addr, R[s], user);
      }
      return;
    }
    const words = dbl ? imm8 & ~1 : imm8;
    let addr = (p ? base - imm8 * 4 : base) >>> 0;
    mem.checkAlignment(addr, 4, !l);
    const first = dbl ? 2 * dIdx(bits(w, 15, 12), bits(w, 22, 22)) : sIdx(bits(w, 15, 12), bits(w, 22, 22));
    for (let i = 0; i < words; i++) {
      if (l) R[first + i] = mem.read32(addr, user); else mem.write32(addr, R[first + i], user);
      addr = (addr + 4) >>> 0;
    }
    if (wb) this.host.setReg(rn, u ? base + imm8 * 4 : base - imm8 * 4);
  }
}
