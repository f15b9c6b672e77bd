// Exact IEEE 754 arithmetic on raw bit patterns (half, single, double) with the ARM VFP rules: every
// rounding mode, flush-to-zero of inputs (IDC) and of tiny results (UFC, tininess detected before
// rounding), default-NaN mode, ARM NaN priority, the alternative half-precision format, and the
// cumulative exception flags. Values are held exactly as sign · sig · 2^exp with BigInt significands,
// so every operation, fused multiply-add included, rounds once. This is the slow path: the unit tries
// JS doubles first (fast.ts) and comes here for anything that is not a plain round-to-nearest result.
import { IOC, DZC, OFC, UFC, IXC, IDC, RMode } from './fpscr';

export interface Format {
  readonly width: number;
  readonly ebits: number;
  readonly fbits: number;
  readonly bias: number;
  /** ARM alternative half precision: no infinities or NaNs, exponent 31 is a normal exponent. */
  readonly ahp: boolean;
}
export const F16: Format = { width: 16, ebits: 5, fbits: 10, bias: 15, ahp: false };
export const F16AHP: Format = { width: 16, ebits: 5, fbits: 10, bias: 15, ahp: true };
export const F32: Format = { width: 32, ebits: 8, fbits: 23, bias: 127, ahp: false };
export const F64: Format = { width: 64, ebits: 11, fbits: 52, bias: 1023, ahp: false };

/** The FPSCR controls for one operation, and the flags it raised. */
export class FpContext {
  rmode: number = RMode.Nearest;
  fz = false;
  dn = false;
  ahp = false;
  flags = 0;
  load(fpscr: number): this {
    this.rmode = (fpscr >>> 22) & 3;
    this.fz = ((fpscr >>> 24) & 1) === 1;
    this.dn = ((fpscr >>> 25) & 1) === 1;
    this.ahp = ((fpscr >>> 26) & 1) === 1;
    this.flags = 0;
    return this;
  }
}

export const enum Cls { Zero, Normal, Inf, QNaN, SNaN }

/** An unpacked operand: value = (-1)^sign · sig · 2^exp for Normal (denormals included). */
export interface Unpacked { cls: Cls; sign: number; exp: number; sig: bigint }

export function bitLength(x: bigint): number {
  let n = 0;
  while (x > 0xffffffffn) { x >>= 32n; n += 32; }
  return n + 32 - Math.clz32(Number(x));
}

const signBit = (f: Format) => 1n << BigInt(f.width - 1);
const expMask = (f: Format) => BigInt((1 << f.ebits) - 1) << BigInt(f.fbits);
const quietBit = (f: Format) => 1n << BigInt(f.fbits - 1);
const fracMask = (f: Format) => (1n << BigInt(f.fbits)) - 1n;

export function zero(sign: number, f: Format): bigint { return sign ? signBit(f) : 0n; }
export function inf(sign: number, f: Format): bigint { return zero(sign, f) | expMask(f); }
export function defaultNaN(f: Format): bigint { return expMask(f) | quietBit(f); }
function maxNormal(sign: number, f: Format): bigint {
  return zero(sign, f) | (BigInt((1 << f.ebits) - 2) << BigInt(f.fbits)) | fracMask(f);
}

export function unpack(bits: bigint, f: Format, ctx: FpContext, flush = ctx.fz): Unpacked {
  const frac = bits & fracMask(f);
  const e = Number((bits >> BigInt(f.fbits)) & BigInt((1 << f.ebits) - 1));
  const sign = Number(bits >> BigInt(f.width - 1)) & 1;
  if (e === (1 << f.ebits) - 1 && !f.ahp) {
    if (frac === 0n) return { cls: Cls.Inf, sign, exp: 0, sig: 0n };
    return { cls: frac & quietBit(f) ? Cls.QNaN : Cls.SNaN, sign, exp: 0, sig: frac };
  }
  if (e === 0) {
    if (frac === 0n) return { cls: Cls.Zero, sign, exp: 0, sig: 0n };
    if (flush) { ctx.flags |= IDC; return { cls: Cls.Zero, sign, exp: 0, sig: 0n }; }
    return { cls: Cls.Normal, sign, exp: 1 - f.bias - f.fbits, sig: frac };
  }
  return { cls: Cls.Normal, sign, exp: e - f.bias - f.fbits, sig: frac | (1n << BigInt(f.fbits)) };
}

const isNaN_ = (u: Unpacked) => u.cls === Cls.QNaN || u.cls === Cls.SNaN;

/** Result for a NaN operand: signalling NaNs raise Invalid and are quieted; DN gives the default NaN. */
function propagate(u: Unpacked, bits: bigint, f: Format, ctx: FpContext): bigint {
  if (u.cls === Cls.SNaN) ctx.flags |= IOC;
  return ctx.dn ? defaultNaN(f) : bits | quietBit(f);
}

function invalid(f: Format, ctx: FpContext): bigint { ctx.flags |= IOC; return defaultNaN(f); }

/** ARM operand priority for two operands: first signalling NaN, then first quiet NaN. */
function nan2(a: Unpacked, ab: bigint, b: Unpacked, bb: bigint, f: Format, ctx: FpContext): bigint | null {
  if (a.cls === Cls.SNaN) return propagate(a, ab, f, ctx);
  if (b.cls === Cls.SNaN) return propagate(b, bb, f, ctx);
  if (a.cls === Cls.QNaN) return propagate(a, ab, f, ctx);
  if (b.cls === Cls.QNaN) return propagate(b, bb, f, ctx);
  return null;
}

/**
 * Rounds the exact non-zero value (-1)^sign · sig · 2^exp to format f under ctx, raising UFC/OFC/IXC
 * (and IOC for alternative half precision overflow). `flush`: tiny results become zero with UFC only.
 */
export function round(sign: number, sig: bigint, exp: number, f: Format, ctx: FpContext, flush = ctx.fz): bigint {
  const len = bitLength(sig);
  const emin = 1 - f.bias;
  const tiny = exp + len - 1 < emin;
  if (tiny && flush) { ctx.flags |= UFC; return zero(sign, f); }
  let q = tiny ? emin - f.fbits : exp + len - 1 - f.fbits;
  let m: bigint;
  let inexact = false;
  if (exp >= q) m = sig << BigInt(exp - q);
  else {
    const s = BigInt(q - exp);
    m = sig >> s;
    const rem = sig & ((1n << s) - 1n);
    if (rem !== 0n) {
      inexact = true;
      let up: boolean;
      switch (ctx.rmode) {
        case RMode.Nearest: { const half = 1n << (s - 1n); up = rem > half || (rem === half && (m & 1n) === 1n); break; }
        case RMode.PlusInf: up = sign === 0; break;
        case RMode.MinusInf: up = sign === 1; break;
        default: up = false;
      }
      if (up) {
        m += 1n;
        if (m === 1n << BigInt(f.fbits + 1)) { m >>= 1n; q += 1; }
      }
    }
  }
  if (tiny && inexact) ctx.flags |= UFC;
  const hidden = 1n << BigInt(f.fbits);
  let biased = 0;
  if (m >= hidden) { biased = q + f.fbits + f.bias; m -= hidden; }
  const maxBiased = (1 << f.ebits) - (f.ahp ? 1 : 2);
  if (biased > maxBiased) {
    if (f.ahp) { ctx.flags |= IOC; return zero(sign, f) | expMask(f) | fracMask(f); }
    ctx.flags |= OFC | IXC;
    const toInf = ctx.rmode === RMode.Nearest || (ctx.rmode === RMode.PlusInf && sign === 0) || (ctx.rmode === RMode.MinusInf && sign === 1);
    return toInf ? inf(sign, f) : maxNormal(sign, f);
  }
  if (inexact) ctx.flags |= IXC;
  return zero(sign, f) | (BigInt(biased) << BigInt(f.fbits)) | m;
}

/** Exact sum of two non-zero finite values, rounded once. An exact zero is +0 (-0 when rounding down). */
function addExact(sa: number, ma: bigint, ea: number, sb: number, mb: bigint, eb: number, f: Format, ctx: FpContext): bigint {
  const e = Math.min(ea, eb);
  const a = ma << BigInt(ea - e), b = mb << BigInt(eb - e);
  const sum = (sa ? -a : a) + (sb ? -b : b);
  if (sum === 0n) return zero(ctx.rmode === RMode.MinusInf ? 1 : 0, f);
  return sum < 0n ? round(1, -sum, e, f, ctx) : round(0, sum, e, f, ctx);
}

/** Sum of two signed zeros: their sign if equal, else +0 (-0 when rounding towards minus infinity). */
function zeroSum(sa: number, sb: number, f: Format, ctx: FpContext): bigint {
  return zero(sa === sb ? sa : ctx.rmode === RMode.MinusInf ? 1 : 0, f);
}

/** a + b, or a - b when `sub` (the sign of b flips, except in NaN propagation). */
export function add(ab: bigint, bb: bigint, f: Format, ctx: FpContext, sub = false): bigint {
  const a = unpack(ab, f, ctx), b = unpack(bb, f, ctx);
  const n = nan2(a, ab, b, bb, f, ctx);
  if (n !== null) return n;
  const bs = b.sign ^ (sub ? 1 : 0);
  if (a.cls === Cls.Inf) return b.cls === Cls.Inf && a.sign !== bs ? invalid(f, ctx) : inf(a.sign, f);
  if (b.cls === Cls.Inf) return inf(bs, f);
  if (a.cls === Cls.Zero) return b.cls === Cls.Zero ? zeroSum(a.sign, bs, f, ctx) : round(bs, b.sig, b.exp, f, ctx);
  if (b.cls === Cls.Zero) return round(a.sign, a.sig, a.exp, f, ctx);
  return addExact(a.sign, a.sig, a.exp, bs, b.sig, b.exp, f, ctx);
}

export function mul(ab: bigint, bb: bigint, f: Format, ctx: FpContext): bigint {
  const a = unpack(ab, f, ctx), b = unpack(bb, f, ctx);
  const n = nan2(a, ab, b, bb, f, ctx);
  if (n !== null) return n;
  const s = a.sign ^ b.sign;
  if (a.cls === Cls.Inf || b.cls === Cls.Inf) return a.cls === Cls.Zero || b.cls === Cls.Zero ? invalid(f, ctx) : inf(s, f);
  if (a.cls === Cls.Zero || b.cls === Cls.Zero) return zero(s, f);
  return round(s, a.sig * b.sig, a.exp + b.exp, f, ctx);
}

export function div(ab: bigint, bb: bigint, f: Format, ctx: FpContext): bigint {
  const a = unpack(ab, f, ctx), b = unpack(bb, f, ctx);
  const n = nan2(a, ab, b, bb, f, ctx);
  if (n !== null) return n;
  const s = a.sign ^ b.sign;
  if (a.cls === Cls.Inf) return b.cls === Cls.Inf ? invalid(f, ctx) : inf(s, f);
  if (b.cls === Cls.Inf) return zero(s, f);
  if (b.cls === Cls.Zero) { if (a.cls === Cls.Zero) return invalid(f, ctx); ctx.flags |= DZC; return inf(s, f); }
  if (a.cls === Cls.Zero) return zero(s, f);
  // Enough quotient bits for the round bit, then a sticky bit for the remainder.
  const k = Math.max(0, f.fbits + 3 + bitLength(b.sig) - bitLength(a.sig));
  const num = a.sig << BigInt(k);
  const q = num / b.sig;
  const sticky = num % b.sig !== 0n ? 1n : 0n;
  return round(s, (q << 1n) | sticky, a.exp - b.exp - k - 1, f, ctx);
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  if (x === 0n) x = 1n;
  // Newton from a float estimate (which may be far off for huge n), then exact correction.
  for (;;) { const y = (x + n / x) >> 1n; if (y >= x) break; x = y; }
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

export function sqrt(ab: bigint, f: Format, ctx: FpContext): bigint {
  const a = unpack(ab, f, ctx);
  if (isNaN_(a)) return propagate(a, ab, f, ctx);
  if (a.cls === Cls.Zero) return zero(a.sign, f);
  if (a.sign) return invalid(f, ctx);
  if (a.cls === Cls.Inf) return inf(0, f);
  let m = a.sig, e = a.exp;
  if (e & 1) { m <<= 1n; e -= 1; }
  const k = Math.max(0, Math.ceil((2 * (f.fbits + 3) + 1 - bitLength(m)) / 2));
  m <<= BigInt(2 * k);
  e -= 2 * k;
  const r = isqrt(m);
  return round(0, (r << 1n) | (r * r === m ? 0n : 1n), e / 2 - 1, f, ctx);
}

/**
 * Fused (addend + n·m) with one rounding. Negated forms are made by the caller flipping sign bits
 * first (NaNs included, as the architecture's FPNeg does).
 */
export function fma(cb: bigint, ab: bigint, bb: bigint, f: Format, ctx: FpContext): bigint {
  const c = unpack(cb, f, ctx), a = unpack(ab, f, ctx), b = unpack(bb, f, ctx);
  const infZero = (a.cls === Cls.Inf && b.cls === Cls.Zero) || (a.cls === Cls.Zero && b.cls === Cls.Inf);
  if (isNaN_(a) || isNaN_(b) || isNaN_(c)) {
    if (infZero && c.cls === Cls.QNaN) return invalid(f, ctx);
    if (c.cls === Cls.SNaN) return propagate(c, cb, f, ctx);
    if (a.cls === Cls.SNaN) return propagate(a, ab, f, ctx);
    if (b.cls === Cls.SNaN) return propagate(b, bb, f, ctx);
    if (c.cls === Cls.QNaN) return propagate(c, cb, f, ctx);
    if (a.cls === Cls.QNaN) return propagate(a, ab, f, ctx);
    return propagate(b, bb, f, ctx);
  }
  if (infZero) return invalid(f, ctx);
  const ps = a.sign ^ b.sign;
  if (a.cls === Cls.Inf || b.cls === Cls.Inf) return c.cls === Cls.Inf && c.sign !== ps ? invalid(f, ctx) : inf(ps, f);
  if (c.cls === Cls.Inf) return inf(c.sign, f);
  const pZero = a.cls === Cls.Zero || b.cls === Cls.Zero;
  if (pZero) return c.cls === Cls.Zero ? zeroSum(ps, c.sign, f, ctx) : round(c.sign, c.sig, c.exp, f, ctx);
  if (c.cls === Cls.Zero) return round(ps, a.sig * b.sig, a.exp + b.exp, f, ctx);
  return addExact(ps, a.sig * b.sig, a.exp + b.exp, c.sign, c.sig, c.exp, f, ctx);
}

/** FPSCR.NZCV (in bits 31:28) for a compare; `quietSignals` (VCMPE) raises Invalid for quiet NaNs too. */
export function compare(ab: bigint, bb: bigint, f: Format, ctx: FpContext, quietSignals: boolean): number {
  const a = unpack(ab, f, ctx), b = unpack(bb, f, ctx);
  if (isNaN_(a) || isNaN_(b)) {
    if (quietSignals || a.cls === Cls.SNaN || b.cls === Cls.SNaN) ctx.flags |= IOC;
    return 0x30000000;
  }
  const va = value(a), vb = value(b);
  return va === vb ? 0x60000000 : va < vb ? 0x80000000 | 0 : 0x20000000;
}

function value(u: Unpacked): number {
  const mag = u.cls === Cls.Zero ? 0 : u.cls === Cls.Inf ? Infinity : Number(u.sig) * 2 ** u.exp;
  return u.sign ? -mag : mag;
}

/**
 * Float to float conversion (f16 ↔ f32 ↔ f64). Half-precision values are never flushed (FZ does not
 * apply to them); AHP targets turn NaN into a zero of the NaN's sign and infinity into the largest
 * magnitude, both with Invalid.
 */
export function convert(bits: bigint, from: Format, to: Format, ctx: FpContext): bigint {
  const a = unpack(bits, from, ctx, from.width !== 16 && ctx.fz);
  const toFlush = to.width !== 16 && ctx.fz;
  switch (a.cls) {
    case Cls.QNaN: case Cls.SNaN: {
      if (to.ahp) { ctx.flags |= IOC; return zero(a.sign, to); }
      if (a.cls === Cls.SNaN) ctx.flags |= IOC;
      if (ctx.dn) return defaultNaN(to);
      const shift = to.fbits - from.fbits;
      const frac = shift >= 0 ? a.sig << BigInt(shift) : a.sig >> BigInt(-shift);
      return zero(a.sign, to) | expMask(to) | quietBit(to) | frac;
    }
    case Cls.Inf:
      if (to.ahp) { ctx.flags |= IOC; return zero(a.sign, to) | expMask(to) | fracMask(to); }
      return inf(a.sign, to);
    case Cls.Zero: return zero(a.sign, to);
    default: return round(a.sign, a.sig, a.exp, to, ctx, toFlush);
  }
}

/**
 * Float to (fixed-point) integer of `size` bits: value · 2^fracBits rounded by `rmode`, saturated with
 * Invalid when out of range (NaN gives 0), Inexact otherwise when rounded. Returns the 32-bit register
 * value: 16-bit results sign- or zero-extended.
 */
export function toInt(bits: bigint, f: Format, ctx: FpContext, unsigned: boolean, size: number, fracBits: number, rmode: number): number {
  const a = unpack(bits, f, ctx);
  const max = unsigned ? 2 ** size - 1 : 2 ** (size - 1) - 1;
  const min = unsigned ? 0 : -(2 ** (size - 1));
  if (a.cls === Cls.QNaN || a.cls === Cls.SNaN) { ctx.flags |= IOC; return 0; }
  if (a.cls === Cls.Zero) return 0;
  if (a.cls === Cls.Inf) { ctx.flags |= IOC; return (a.sign ? min : max) | 0; }
  const e = a.exp + fracBits;
  let r: number;
  let inexact = false;
  if (e >= 0) {
    if (e > 64) { ctx.flags |= IOC; return (a.sign ? min : max) | 0; }
    r = Number(a.sig << BigInt(e));
  } else {
    const s = BigInt(-e);
    let m = a.sig >> s;
    const rem = a.sig & ((1n << s) - 1n);
    if (rem !== 0n) {
      inexact = true;
      let up: boolean;
      switch (rmode) {
        case RMode.Nearest: { const half = 1n << (s - 1n); up = rem > half || (rem === half && (m & 1n) === 1n); break; }
        case RMode.PlusInf: up = a.sign === 0; break;
        case RMode.MinusInf: up = a.sign === 1; break;
        default: up = false;
      }
      if (up) m += 1n;
    }
    r = Number(m);
  }
  if (a.sign) r = -r;
  if (r > max || r < min) { ctx.flags |= IOC; return (r > max ? max : min) | 0; }
  if (inexact) ctx.flags |= IXC;
  return r | 0;
}

/** Integer (or fixed-point with fracBits) to float, rounded by `rmode`. */
export function fromInt(v: number, fracBits: number, f: Format, ctx: FpContext, rmode = ctx.rmode): bigint {
  if (v === 0) return zero(0, f);
  const saved = ctx.rmode;
  ctx.rmode = rmode;
  const r = round(v < 0 ? 1 : 0, BigInt(Math.abs(v)), -fracBits, f, ctx);
  ctx.rmode = saved;
  return r;
}
