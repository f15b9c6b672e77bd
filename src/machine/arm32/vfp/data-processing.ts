// VFP data-processing instructions (the CDP space of cp10/cp11): arithmetic, fused and chained
// multiply-accumulate, VMOV immediate/register, VABS/VNEG/VSQRT and compares (conversions are in
// conversions.ts). Each
// tries the JS-double fast path (round to nearest, no flush-to-zero, nothing special) and otherwise
// computes exactly with softfloat.ts. The chained forms (VMLA…) round twice, as the architecture
// says; negations flip the sign bit even of NaNs, as FPNeg does, so NaN results match QEMU's.
import { UndefinedInstruction } from '../contracts';
import { FZ, IXC, LEN_STRIDE, SLOW_MODES } from './fpscr';
import * as sf from './softfloat';
import * as fx from './fast';
import { getBits, setBits } from './bits';
import { conversion } from './conversions';
import type { Vfpv4Unit } from './unit';

const undef = (): never => { throw UndefinedInstruction.instance; };

const SIGN64 = 1n << 63n;
const SIGN32 = 1n << 31n;

export function dataProcessing(u: Vfpv4Unit, w: number): void {
  const dbl = (w & 0x100) !== 0;
  const vd = (w >>> 12) & 15, D = (w >>> 22) & 1, vn = (w >>> 16) & 15, N = (w >>> 7) & 1, vm = w & 15, M = (w >>> 5) & 1;
  const d = dbl ? (D << 4) | vd : (vd << 1) | D;
  const n = dbl ? (N << 4) | vn : (vn << 1) | N;
  const m = dbl ? (M << 4) | vm : (vm << 1) | M;
  const opc = (((w >>> 23) & 1) << 2) | ((w >>> 20) & 3);
  const op6 = (w >>> 6) & 1;
  if (opc !== 7) {
    // Short vectors are not implemented by the Cortex-A15: non-zero LEN/STRIDE makes these UNDEFINED.
    if (u.fpscr & LEN_STRIDE) undef();
    if (opc === 4 && op6) undef();
    threeOperand(u, opc, op6, dbl, d, n, m);
    return;
  }
  other(u, w, dbl, d, m, vd, D, vm, M);
}

/**
 * The fast paths of the two- and three-operand forms, one function per precision so that every call
 * and array access is monomorphic. Returns false (nothing written) when the slow path must decide.
 */
function fast64(V: Float64Array, opc: number, op6: number, d: number, n: number, m: number): boolean {
  const a = V[n], b = V[m];
  fx.fast.inexact = false;
  let r: number;
  switch (opc) {
    case 0: { const p = fx.mul64(a, b); r = fx.add64(V[d], op6 ? -p : p); break; } // VMLA / VMLS
    case 1: { const p = fx.mul64(a, b); r = fx.add64(-V[d], op6 ? -p : p); break; } // VNMLS / VNMLA
    case 2: { const p = fx.mul64(a, b); r = op6 ? -p : p; break; } // VMUL / VNMUL
    case 3: r = fx.add64(a, op6 ? -b : b); break; // VADD / VSUB
    case 4: r = fx.div64(a, b); break;
    case 5: r = fx.fma64(-V[d], op6 ? -a : a, b); break; // VFNMS / VFNMA
    default: r = fx.fma64(V[d], op6 ? -a : a, b); break; // VFMA / VFMS
  }
  if (r !== r) return false;
  V[d] = r;
  return true;
}

function fast32(V: Float32Array, opc: number, op6: number, d: number, n: number, m: number): boolean {
  const a = V[n], b = V[m];
  fx.fast.inexact = false;
  let r: number;
  switch (opc) {
    case 0: { const p = fx.mul32(a, b); r = fx.add32(V[d], op6 ? -p : p); break; }
    case 1: { const p = fx.mul32(a, b); r = fx.add32(-V[d], op6 ? -p : p); break; }
    case 2: { const p = fx.mul32(a, b); r = op6 ? -p : p; break; }
    case 3: r = fx.add32(a, op6 ? -b : b); break;
    case 4: r = fx.div32(a, b); break;
    case 5: r = fx.fma32(-V[d], op6 ? -a : a, b); break;
    default: r = fx.fma32(V[d], op6 ? -a : a, b); break;
  }
  if (r !== r) return false;
  V[d] = r;
  return true;
}

function threeOperand(u: Vfpv4Unit, opc: number, op6: number, dbl: boolean, d: number, n: number, m: number): void {
  if ((u.fpscr & SLOW_MODES) === 0 && (dbl ? fast64(u.f64, opc, op6, d, n, m) : fast32(u.f32, opc, op6, d, n, m))) {
    if (fx.fast.inexact) u.fpscr = (u.fpscr | IXC) >>> 0;
    return;
  }
  const f = dbl ? sf.F64 : sf.F32;
  const sign = dbl ? SIGN64 : SIGN32;
  const ctx = u.ctx.load(u.fpscr);
  const a = getBits(u, n, dbl), b = getBits(u, m, dbl), c = getBits(u, d, dbl);
  let r: bigint;
  switch (opc) {
    case 0: { const p = sf.mul(a, b, f, ctx); r = sf.add(c, op6 ? p ^ sign : p, f, ctx); break; }
    case 1: { const p = sf.mul(a, b, f, ctx); r = sf.add(c ^ sign, op6 ? p ^ sign : p, f, ctx); break; }
    case 2: { const p = sf.mul(a, b, f, ctx); r = op6 ? p ^ sign : p; break; }
    case 3: r = sf.add(a, b, f, ctx, op6 === 1); break;
    case 4: r = sf.div(a, b, f, ctx); break;
    case 5: r = sf.fma(c ^ sign, op6 ? a ^ sign : a, b, f, ctx); break;
    default: r = sf.fma(c, op6 ? a ^ sign : a, b, f, ctx); break;
  }
  setBits(u, d, dbl, r);
  u.fpscr = (u.fpscr | ctx.flags) >>> 0;
}

/** VMOV immediate: abcdefgh expands to a:NOT(b):bbb…:cdefgh:0…. */
function vmovImmediate(u: Vfpv4Unit, w: number, dbl: boolean, d: number): void {
  const imm8 = (((w >>> 16) & 15) << 4) | (w & 15);
  const sign = imm8 >>> 7, b = (imm8 >>> 6) & 1, R = u.regs;
  if (dbl) {
    const exp = ((b ^ 1) << 10) | (b ? 0x3fc : 0) | ((imm8 >>> 4) & 3);
    R[2 * d] = 0;
    R[2 * d + 1] = ((sign << 31) | (exp << 20) | ((imm8 & 15) << 16)) >>> 0;
  } else {
    const exp = ((b ^ 1) << 7) | (b ? 0x7c : 0) | ((imm8 >>> 4) & 3);
    R[d] = ((sign << 31) | (exp << 23) | ((imm8 & 15) << 19)) >>> 0;
  }
}

function other(u: Vfpv4Unit, w: number, dbl: boolean, d: number, m: number, vd: number, D: number, vm: number, M: number): void {
  const opc2 = (w >>> 16) & 15, opc3 = (w >>> 6) & 3;
  const R = u.regs;
  if ((opc3 & 1) === 0) {
    if ((w & 0xf0) !== 0) undef();
    if (u.fpscr & LEN_STRIDE) undef();
    vmovImmediate(u, w, dbl, d);
    return;
  }
  switch (opc2) {
    case 0: case 1: {
      if (u.fpscr & LEN_STRIDE) undef();
      if (opc2 === 1 && opc3 === 3) { sqrt(u, dbl, d, m); return; }
      const hi = dbl ? 2 * m + 1 : m, dhi = dbl ? 2 * d + 1 : d;
      if (dbl) R[2 * d] = R[2 * m];
      // VMOV, VABS, VNEG: bit operations, no exceptions, NaNs untouched.
      R[dhi] = opc2 === 1 ? (R[hi] ^ 0x80000000) >>> 0 : opc3 === 3 ? (R[hi] & 0x7fffffff) >>> 0 : R[hi];
      return;
    }
    case 4: case 5: { // VCMP / VCMPE, with a register or with +0
      if (opc2 === 5 && (vm | M) !== 0) undef();
      if ((u.fpscr & FZ) === 0) {
        // Ordered operands: a plain comparison, no flags (NaNs and flushed denormals take the slow path).
        const V = dbl ? u.f64 : u.f32;
        const a = V[d], b = opc2 === 5 ? 0 : V[m];
        if (a === a && b === b) {
          u.fpscr = ((u.fpscr & 0x0fffffff) | (a === b ? 0x60000000 : a < b ? 0x80000000 : 0x20000000)) >>> 0;
          return;
        }
      }
      const ctx = u.ctx.load(u.fpscr);
      const b = opc2 === 5 ? 0n : getBits(u, m, dbl);
      const nzcv = sf.compare(getBits(u, d, dbl), b, dbl ? sf.F64 : sf.F32, ctx, ((w >>> 7) & 1) === 1);
      u.fpscr = (((u.fpscr & 0x0fffffff) | nzcv | ctx.flags) >>> 0);
      return;
    }
    case 2: case 3: case 7: case 8: case 10: case 11: case 12: case 13: case 14: case 15:
      conversion(u, w, dbl, opc2, opc3, d, m, vd, D, vm, M);
      return;
    default: undef();
  }
}

function sqrt(u: Vfpv4Unit, dbl: boolean, d: number, m: number): void {
  const V = dbl ? u.f64 : u.f32;
  if ((u.fpscr & SLOW_MODES) === 0) {
    fx.fast.inexact = false;
    const r = dbl ? fx.sqrt64(V[m]) : fx.sqrt32(V[m]);
    if (r === r) {
      V[d] = r;
      if (fx.fast.inexact) u.fpscr = (u.fpscr | IXC) >>> 0;
      return;
    }
  }
  const ctx = u.ctx.load(u.fpscr);
  setBits(u, d, dbl, sf.sqrt(getBits(u, m, dbl), dbl ? sf.F64 : sf.F32, ctx));
  u.fpscr = (u.fpscr | ctx.flags) >>> 0;
}
