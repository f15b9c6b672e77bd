// The JS-double fast paths (fast.ts) against the exact BigInt arithmetic (softfloat.ts, which the QEMU
// differential tests check): wherever a fast path answers, its result bits and its inexact flag must
// be exactly those of the slow path in round-to-nearest, and the slow path must raise nothing else.
// Operands are drawn to stress the hard cases: ties and near-ties (short mantissas), wide exponent
// gaps, results near the overflow and underflow bounds, and fused multiply-adds whose addend cancels
// the rounded product (so the result is the product's rounding error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fx from '../../../src/machine/arm32/vfp/fast';
import * as sf from '../../../src/machine/arm32/vfp/softfloat';
import { IXC } from '../../../src/machine/arm32/vfp/fpscr';

const CASES = Number(process.env.XENARM_VFP_FAST_CASES ?? 40000);

let state = 0x2545f491;
function next(): number { state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0; return state; }

const f64 = new Float64Array(1), w64 = new Uint32Array(f64.buffer), b64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1), w32 = new Uint32Array(f32.buffer);

function rand64(): number {
  const sign = next() & 1;
  const exp = next() % 8 === 0 ? next() % 2047 : 1023 + (next() % 120) - 60;
  const shortMantissa = next() % 3 === 0;
  w64[1] = ((sign << 31) | (exp << 20) | (shortMantissa ? (next() & 0xf0000) : next() & 0xfffff)) >>> 0;
  w64[0] = shortMantissa ? (next() % 4 === 0 ? 0xffffffff : 0) : next();
  return f64[0];
}
function rand32(): number {
  const sign = next() & 1;
  const exp = next() % 8 === 0 ? next() % 255 : 127 + (next() % 60) - 30;
  const shortMantissa = next() % 3 === 0;
  w32[0] = ((sign << 31) | (exp << 23) | (shortMantissa ? (next() & 0x7c0000) | (next() % 4 === 0 ? 0x3ffff : 0) : next() & 0x7fffff)) >>> 0;
  return f32[0];
}
const bits64 = (x: number): bigint => { f64[0] = x; return b64[0]; };
const bits32 = (x: number): bigint => { f32[0] = x; return BigInt(w32[0]); };

type Op = { name: string; dbl: boolean; arity: number; fast: (...a: number[]) => number; slow: (a: bigint[], ctx: sf.FpContext) => bigint };
const ops: Op[] = [
  { name: 'add64', dbl: true, arity: 2, fast: fx.add64, slow: ([a, b], c) => sf.add(a, b, sf.F64, c) },
  { name: 'mul64', dbl: true, arity: 2, fast: fx.mul64, slow: ([a, b], c) => sf.mul(a, b, sf.F64, c) },
  { name: 'div64', dbl: true, arity: 2, fast: fx.div64, slow: ([a, b], c) => sf.div(a, b, sf.F64, c) },
  { name: 'sqrt64', dbl: true, arity: 1, fast: fx.sqrt64, slow: ([a], c) => sf.sqrt(a, sf.F64, c) },
  { name: 'fma64', dbl: true, arity: 3, fast: fx.fma64, slow: ([c0, a, b], c) => sf.fma(c0, a, b, sf.F64, c) },
  { name: 'add32', dbl: false, arity: 2, fast: fx.add32, slow: ([a, b], c) => sf.add(a, b, sf.F32, c) },
  { name: 'mul32', dbl: false, arity: 2, fast: fx.mul32, slow: ([a, b], c) => sf.mul(a, b, sf.F32, c) },
  { name: 'div32', dbl: false, arity: 2, fast: fx.div32, slow: ([a, b], c) => sf.div(a, b, sf.F32, c) },
  { name: 'sqrt32', dbl: false, arity: 1, fast: fx.sqrt32, slow: ([a], c) => sf.sqrt(a, sf.F32, c) },
  { name: 'fma32', dbl: false, arity: 3, fast: fx.fma32, slow: ([c0, a, b], c) => sf.fma(c0, a, b, sf.F32, c) },
];

for (const op of ops) {
  test(`fast path ${op.name} agrees with the exact slow path (${CASES} operand sets)`, (t) => {
    const ctx = new sf.FpContext();
    const rnd = op.dbl ? rand64 : rand32;
    const bits = op.dbl ? bits64 : bits32;
    const round = op.dbl ? (x: number) => x : Math.fround;
    let answered = 0;
    for (let i = 0; i < CASES; i++) {
      const args = Array.from({ length: op.arity }, rnd);
      if (op.arity === 3 && i % 2 === 0) {
        // Addend cancelling the rounded product, perturbed by a few units in the last place.
        const p = round(args[1] * args[2]);
        const k = (next() % 5) - 2;
        args[0] = round(-p * (1 + k * (op.dbl ? 2 ** -52 : 2 ** -23)));
      }
      if (op.arity === 2 && op.name.startsWith('add') && i % 3 === 0) args[1] = round(-args[0] * (1 + ((next() % 7) - 3) * 2 ** -20));
      fx.fast.inexact = false;
      const r = op.fast(...args);
      if (r !== r) continue;
      answered++;
      ctx.load(0);
      const exact = op.slow(args.map(bits), ctx);
      const got = bits(r);
      const what = () => `${op.name}(${args.map((a) => bits(a).toString(16)).join(', ')})`;
      assert.equal(got.toString(16), exact.toString(16), `${what()}: result`);
      assert.equal(fx.fast.inexact, (ctx.flags & IXC) !== 0, `${what()}: inexact flag`);
      assert.equal(ctx.flags & ~IXC, 0, `${what()}: the slow path raised 0x${ctx.flags.toString(16)}, the fast path must not answer`);
    }
    t.diagnostic(`${answered} of ${CASES} answered by the fast path`);
    assert.ok(answered > CASES / 4, 'the fast path answers the common cases');
  });
}
