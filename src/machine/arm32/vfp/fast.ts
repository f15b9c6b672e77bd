// Fast paths with JS doubles, valid only in round-to-nearest with flush-to-zero off. Each returns the
// correctly rounded result and sets `fast.inexact` when it was rounded, or returns NaN when the case
// needs the exact slow path (a NaN or infinity involved, overflow, a result that may be tiny, or
// operands so large or small that the error-free transformations below could lose bits).
//
// Exactness is decided with error-free transformations: TwoSum for additions, Dekker's TwoProduct for
// products, and a back-multiplication for quotients and roots. Single precision is computed in double
// and rounded once more with Math.fround: for +, -, ·, / and √ that second rounding is innocuous
// because 53 ≥ 2·24 + 2. The fused multiply-adds use rounding to odd (Boldo and Melquiond, "Emulation
// of FMA and correctly rounded sums: proved algorithms using rounding to odd", IEEE TC 2008).

export const fast = { inexact: false };

const MIN32 = 2 ** -126;
const SPLIT = 134217729; // 2^27 + 1
/** Bounds inside which Dekker's product and its error terms neither overflow nor underflow. */
const SAFE_LO = 2 ** -900;
const SAFE_HI = 2 ** 995;

const scratch = new Float64Array(1);
const scratchW = new Uint32Array(scratch.buffer);

/** The error of p = RN(a·b): a·b = p + result exactly (within the SAFE bounds). */
function productError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** x rounded to odd, given d = RN(x) and the exact error e = x - d. */
function roundToOdd(d: number, e: number): number {
  if (e === 0) return d;
  scratch[0] = d;
  if ((scratchW[0] & 1) === 1) return d;
  // d is even: the odd neighbour lies on the side of the error.
  const away = (e > 0) === (d > 0);
  if (away) { scratchW[0] = (scratchW[0] + 1) >>> 0; if (scratchW[0] === 0) scratchW[1]++; }
  else { if (scratchW[0] === 0) scratchW[1]--; scratchW[0] = (scratchW[0] - 1) >>> 0; }
  return scratch[0];
}

export function add64(a: number, b: number): number {
  const s = a + b;
  if (s - s !== 0) return NaN; // infinity or NaN
  // A tiny sum is always exact (gradual underflow), so only inexactness needs checking.
  const bb = s - a;
  const err = (a - (s - bb)) + (b - bb);
  if (err !== 0) { if (err - err !== 0) return NaN; fast.inexact = true; }
  return s;
}

export function mul64(a: number, b: number): number {
  const p = a * b;
  const ap = Math.abs(p);
  if (ap === 0) return a - a === 0 && b - b === 0 && (a === 0 || b === 0) ? p : NaN;
  if (!(ap > SAFE_LO && ap < SAFE_HI) || !(Math.abs(a) < SAFE_HI && Math.abs(b) < SAFE_HI)) return NaN;
  if (productError(a, b, p) !== 0) fast.inexact = true;
  return p;
}

export function div64(a: number, b: number): number {
  const q = a / b;
  const aq = Math.abs(q);
  if (aq === 0) return a === 0 && b !== 0 && b - b === 0 ? q : NaN;
  const ab = Math.abs(b), aa = Math.abs(a);
  if (!(aq > SAFE_LO && aq < SAFE_HI && ab > SAFE_LO && ab < SAFE_HI && aa > SAFE_LO && aa < SAFE_HI)) return NaN;
  const p = q * b;
  if (p !== a || productError(q, b, p) !== 0) fast.inexact = true;
  return q;
}

export function sqrt64(a: number): number {
  if (!(a > SAFE_LO && a < SAFE_HI)) return a === 0 ? a : NaN;
  const s = Math.sqrt(a);
  const p = s * s;
  if (p !== a || productError(s, s, p) !== 0) fast.inexact = true;
  return s;
}

/** RN(c + a·b) with one rounding. */
export function fma64(c: number, a: number, b: number): number {
  if (c === 0) { const p = mul64(a, b); return p === 0 ? NaN : p; }
  const ac = Math.abs(c);
  if (!(ac > SAFE_LO && ac < SAFE_HI)) return NaN;
  const uh = a * b;
  // An exact zero product (a or b zero, both finite) leaves the addend: c + ±0 has IEEE's zero-sign rule.
  if (uh === 0 && (a === 0 || b === 0) && a - a === 0 && b - b === 0) return c + uh;
  const au = Math.abs(uh);
  if (!(au > SAFE_LO && au < SAFE_HI) || !(Math.abs(a) < SAFE_HI && Math.abs(b) < SAFE_HI)) return NaN;
  const ul = productError(a, b, uh);
  // (th, tl) = TwoSum(c, uh)
  const th = c + uh;
  let bb = th - c;
  const tl = (c - (th - bb)) + (uh - bb);
  // v = RO(tl + ul)
  const d = tl + ul;
  bb = d - tl;
  const e = (tl - (d - bb)) + (ul - bb);
  const v = roundToOdd(d, e);
  const z = th + v;
  const az = Math.abs(z);
  if (!(az > SAFE_LO && az < SAFE_HI)) return NaN;
  bb = z - th;
  const ez = (th - (z - bb)) + (v - bb);
  if (e !== 0 || ez !== 0) fast.inexact = true;
  return z;
}

// Single precision: operands are floats held exactly in doubles; results are Math.fround'ed.

export function add32(a: number, b: number): number {
  const s = a + b;
  const r = Math.fround(s);
  if (r - r !== 0) return NaN;
  const bb = s - a;
  const err = (a - (s - bb)) + (b - bb);
  if (err !== 0 || r !== s) fast.inexact = true;
  return r;
}

export function mul32(a: number, b: number): number {
  const p = a * b; // exact: 24 + 24 bits
  const r = Math.fround(p);
  if (r - r !== 0) return NaN;
  if (!(Math.abs(p) >= MIN32) && p !== 0) return NaN; // tiny: underflow rules on the slow path
  if (r !== p) fast.inexact = true;
  return r;
}

export function div32(a: number, b: number): number {
  const q = a / b;
  const r = Math.fround(q);
  if (r - r !== 0) return NaN;
  if (!(Math.abs(q) > MIN32) && q !== 0) return NaN;
  if (q === 0) return b !== 0 && a === 0 ? q : NaN;
  if (r * b !== a) fast.inexact = true; // r·b is exact in double
  return r;
}

export function sqrt32(a: number): number {
  if (!(a > 0 && a < Infinity)) return a === 0 ? a : NaN;
  const r = Math.fround(Math.sqrt(a));
  if (r * r !== a) fast.inexact = true;
  return r;
}

/** RN32(c + a·b): the product is exact in double; the sum is rounded to odd, then to single. */
export function fma32(c: number, a: number, b: number): number {
  const p = a * b;
  const s = c + p;
  const bb = s - c;
  const err = (c - (s - bb)) + (p - bb);
  if (s === 0 && err === 0) return s; // exact: zeros, or an addend cancelling the (exact) product
  const r = Math.fround(roundToOdd(s, err));
  if (r - r !== 0) return NaN;
  if (!(Math.abs(s) > MIN32)) return NaN;
  if (err !== 0 || r !== s) fast.inexact = true;
  return r;
}

