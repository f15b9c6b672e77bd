// VFP conversions: VCVTB/VCVTT (half ↔ single, with the alternative half-precision format), VCVT
// double ↔ single, integer → float (FPSCR rounding), float → integer (VCVT rounds towards zero, VCVTR
// by FPSCR) and fixed point ↔ float in place. Common cases use JS doubles; the rest is exact
// (softfloat.ts).
import { UndefinedInstruction } from '../contracts';
import { FZ, IXC, RMode, SLOW_MODES } from './fpscr';
import * as sf from './softfloat';
import { getBits, setBits } from './bits';
import type { Vfpv4Unit } from './unit';

const undef = (): never => { throw UndefinedInstruction.instance; };

export function conversion(u: Vfpv4Unit, w: number, dbl: boolean, opc2: number, opc3: number, d: number, m: number, vd: number, D: number, vm: number, M: number): void {
  const R = u.regs;
  switch (opc2) {
    case 2: case 3: { // VCVTB / VCVTT between half and single precision
      if (dbl) undef();
      const top = (w >>> 7) & 1;
      const ctx = u.ctx.load(u.fpscr);
      const half = ctx.ahp ? sf.F16AHP : sf.F16;
      const sd = (vd << 1) | D, sm = (vm << 1) | M;
      if (opc2 === 2) {
        const h = top ? R[sm] >>> 16 : R[sm] & 0xffff;
        R[sd] = Number(sf.convert(BigInt(h), half, sf.F32, ctx));
      } else {
        const h = Number(sf.convert(BigInt(R[sm]), sf.F32, half, ctx));
        R[sd] = top ? ((R[sd] & 0xffff) | (h << 16)) >>> 0 : ((R[sd] & 0xffff0000) | h) >>> 0;
      }
      u.fpscr = (u.fpscr | ctx.flags) >>> 0;
      return;
    }
    case 7: { // VCVT between double and single
      if (opc3 !== 3) undef();
      const sd = (vd << 1) | D, dd = (D << 4) | vd;
      if ((u.fpscr & SLOW_MODES) === 0) {
        if (dbl) {
          const a = u.f64[m], r = Math.fround(a);
          if (r - r === 0 && (Math.abs(a) >= 2 ** -126 || a === 0)) {
            u.f32[sd] = r;
            if (r !== a) u.fpscr = (u.fpscr | IXC) >>> 0;
            return;
          }
        } else {
          const a = u.f32[m];
          if (a === a) { u.f64[dd] = a; return; }
        }
      }
      const ctx = u.ctx.load(u.fpscr);
      if (dbl) R[sd] = Number(sf.convert(getBits(u, m, true), sf.F64, sf.F32, ctx));
      else setBits(u, dd, true, sf.convert(BigInt(R[m]), sf.F32, sf.F64, ctx));
      u.fpscr = (u.fpscr | ctx.flags) >>> 0;
      return;
    }
    case 8: { // VCVT from 32-bit integer (in Sm) with FPSCR rounding
      const sm = (vm << 1) | M;
      const v = (w & 0x80) ? R[sm] | 0 : R[sm];
      if (dbl) { u.f64[d] = v; return; } // always exact
      if ((u.fpscr & SLOW_MODES) === 0) {
        const r = Math.fround(v);
        u.f32[d] = r;
        if (r !== v) u.fpscr = (u.fpscr | IXC) >>> 0;
        return;
      }
      const ctx = u.ctx.load(u.fpscr);
      R[d] = Number(sf.fromInt(v, 0, sf.F32, ctx));
      u.fpscr = (u.fpscr | ctx.flags) >>> 0;
      return;
    }
    case 10: case 11: case 14: case 15: { // VCVT between floating point and fixed point (in place)
      const toFixed = (opc2 & 4) !== 0, unsigned = (opc2 & 1) === 1, size = (w & 0x80) ? 32 : 16;
      // An immediate above the size gives negative fraction bits: UNPREDICTABLE; QEMU scales by 2^-fracBits anyway.
      const fracBits = size - ((vm << 1) | M);
      const ctx = u.ctx.load(u.fpscr);
      const f = dbl ? sf.F64 : sf.F32;
      if (toFixed) {
        const r = sf.toInt(getBits(u, d, dbl), f, ctx, unsigned, size, fracBits, RMode.Zero);
        if (dbl) { R[2 * d] = r >>> 0; R[2 * d + 1] = !unsigned && r < 0 ? 0xffffffff : 0; } else R[d] = r >>> 0;
      } else {
        const lo = dbl ? R[2 * d] : R[d];
        const v = size === 16 ? (unsigned ? lo & 0xffff : (lo << 16) >> 16) : unsigned ? lo >>> 0 : lo | 0;
        // Fixed to float always rounds to nearest (as QEMU does), whatever FPSCR.RMode says.
        setBits(u, d, dbl, sf.fromInt(v, fracBits, f, ctx, RMode.Nearest));
      }
      u.fpscr = (u.fpscr | ctx.flags) >>> 0;
      return;
    }
    case 12: case 13: { // VCVT / VCVTR to 32-bit integer (in Sd)
      const unsigned = opc2 === 12, roundZero = (w & 0x80) !== 0;
      const sd = (vd << 1) | D;
      if (roundZero && (u.fpscr & FZ) === 0) {
        const a = dbl ? u.f64[m] : u.f32[m];
        const t = Math.trunc(a);
        if (unsigned ? t >= 0 && t <= 0xffffffff : t >= -0x80000000 && t <= 0x7fffffff) {
          R[sd] = t >>> 0;
          if (t !== a) u.fpscr = (u.fpscr | IXC) >>> 0;
          return;
        }
      }
      const ctx = u.ctx.load(u.fpscr);
      R[sd] = sf.toInt(getBits(u, m, dbl), dbl ? sf.F64 : sf.F32, ctx, unsigned, 32, 0, roundZero ? RMode.Zero : ctx.rmode) >>> 0;
      u.fpscr = (u.fpscr | ctx.flags) >>> 0;
      return;
    }
    default: undef();
  }
}
