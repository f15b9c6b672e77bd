// The debugger's C expression evaluator against gcc itself: seeded random integer expressions
// (usual arithmetic conversions, casts, shifts, division, comparisons, ?:) are compiled and printed
// by gcc and evaluated by us; value, size and signedness must agree. Plus registers, symbols and
// memory reads through a context, and positioned errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, ExprError, intValue, Types, type EvalContext } from '../../src/debug/expr';
import { xorshift32 } from '../support/xorshift';

/** A small deterministic PRNG (xorshift32), so a failing expression can be reproduced from its seed. */
function rng(seed: number) {
  const next = xorshift32(seed);
  return (n: number) => next() % n;
}

const CASTS = ['int', 'unsigned', 'unsigned char', 'signed char', 'short', 'unsigned short', 'long long', 'unsigned long long'];
const LITERALS = ['0', '1', '7', '-1', '255', '0x7fffffff', '0x80000000', '0xffffffff', '2147483647', '4294967295', '0x100000000', '123456789012LL', '0xffffffffffffffffULL', '3u', '40000', '-32768', "'A'", '017', '0x1234abcd'];

function gen(r: (n: number) => number, depth: number): string {
  if (depth === 0 || r(4) === 0) return LITERALS[r(LITERALS.length)];
  switch (r(7)) {
    case 0: return `(${CASTS[r(CASTS.length)]})(${gen(r, depth - 1)})`;
    case 1: return `${['-', '~', '!'][r(3)]}(${gen(r, depth - 1)})`;
    case 2: return `(${gen(r, depth - 1)}) ${['<<', '>>'][r(2)]} ${r(31)}`;
    case 3: return `(${gen(r, depth - 1)}) ${['/', '%'][r(2)]} ${[3, 7, 10, 255, 65536][r(5)] * (r(2) ? 1 : -1)}`;
    case 4: return `(${gen(r, depth - 1)}) ? (${gen(r, depth - 1)}) : (${gen(r, depth - 1)})`;
    default: return `(${gen(r, depth - 1)}) ${['+', '-', '*', '&', '|', '^', '<', '>=', '==', '!=', '&&', '||'][r(12)]} (${gen(r, depth - 1)})`;
  }
}

test('random integer expressions evaluate as gcc evaluates them', (t) => {
  if (spawnSync('gcc', ['--version']).status !== 0) {
    if (process.env.CI) assert.fail('gcc is not installed');
    t.skip('gcc not installed');
    return;
  }
  const seed = Number(process.env.EXPR_SEED ?? 20261125);
  const count = Number(process.env.EXPR_COUNT ?? 600);
  const r = rng(seed);
  const exprs: string[] = [];
  while (exprs.length < count) {
    const e = gen(r, 4);
    // Left shifts of negative values and INT_MIN / -1 are undefined in C; leave them out.
    try { evaluate(e); } catch { continue; }
    if (/<</.test(e) && /-/.test(e)) continue;
    exprs.push(e);
  }
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-expr-'));
  const c = ['#include <stdio.h>', 'int main(void) {'];
  for (const e of exprs) {
    c.push(`  { __typeof__(${e}) v = (${e}); printf("%d %d %s\\n", (int)sizeof(v), (__typeof__(v))-1 < 0, (__typeof__(v))-1 < 0 ? ({ static char b[32]; sprintf(b, "%lld", (long long)v); b; }) : ({ static char b[32]; sprintf(b, "%llu", (unsigned long long)v); b; })); }`);
  }
  c.push('  return 0;', '}');
  writeFileSync(join(dir, 'e.c'), c.join('\n'));
  const cc = spawnSync('gcc', ['-w', '-fwrapv', '-O0', join(dir, 'e.c'), '-o', join(dir, 'e')], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr.slice(0, 2000));
  const lines = spawnSync(join(dir, 'e'), { encoding: 'utf8' }).stdout.trim().split('\n');
  assert.equal(lines.length, exprs.length);
  exprs.forEach((e, k) => {
    const v = evaluate(e);
    const ours = `${v.type.kind === 'pointer' ? 4 : v.type.bits / 8} ${v.type.kind === 'int' && v.type.signed ? 1 : 0} ${v.v}`;
    assert.equal(ours, lines[k], `seed ${seed}, expression #${k}: ${e}`);
  });
});

test('registers, symbols, casts to pointers and memory reads', () => {
  const mem = new Uint8Array(64);
  new DataView(mem.buffer).setUint32(8, 0xc0ffee01, true);
  new DataView(mem.buffer).setUint16(12, 0xfffe, true);
  new DataView(mem.buffer).setInt32(16, 5, true);
  const ctx: EvalContext = {
    register: (n) => (n === 'r0' ? intValue(0x1008, Types.uint) : n === 'pc' ? intValue(0xc0008000, Types.uint) : undefined),
    symbol: (n) => (n === 'counter' ? { type: Types.int, v: 5n, address: 0x1010 } : undefined),
    readMemory: (a, size) => (a >= 0x1000 && a + size <= 0x1040 ? mem.subarray(a - 0x1000, a - 0x1000 + size) : undefined),
  };
  assert.equal(evaluate('*(u32 *)0x1008', ctx).v, 0xc0ffee01n);
  assert.equal(evaluate('*(u32 *)$r0 >> 24', ctx).v, 0xc0n);
  assert.equal(evaluate('*(short *)($r0 + 4)', ctx).v, -2n);
  assert.equal(evaluate('(u16 *)$r0', ctx).type.kind, 'pointer');
  assert.equal(evaluate('$pc - 0xc0000000', ctx).v, 0x8000n);
  assert.equal(evaluate('counter * 2 + 1', ctx).v, 11n);
  assert.equal(evaluate('&counter', ctx).v, 0x1010n);
  assert.equal(evaluate('*(&counter) == 5', ctx).v, 1n);
  assert.equal(evaluate('*((u8 *)0x1008 + 3)', ctx).v, 0xc0n);
  assert.equal(evaluate('sizeof(unsigned long long) + sizeof(char *)', ctx).v, 12n);
  // && and ?: do not evaluate what they skip, so an unreadable pointer there is fine.
  assert.equal(evaluate('0 && *(u32 *)0', ctx).v, 0n);
  assert.equal(evaluate('1 ? 2 : *(u32 *)0', ctx).v, 2n);
});

test('errors name the problem and its column', () => {
  const at = (src: string, ctx: EvalContext = {}) => {
    try { evaluate(src, ctx); } catch (e) { assert.ok(e instanceof ExprError); return `${e.column}: ${e.message}`; }
    return 'no error';
  };
  assert.equal(at('1 +'), '4: expression expected');
  assert.equal(at('(1 + 2'), "7: expected ')'");
  assert.equal(at('$r99'), "1: no register '$r99'");
  assert.equal(at('x + 1'), "1: no symbol 'x' in the current context");
  assert.equal(at('10 / (3 - 3)'), '4: division by zero');
  assert.equal(at('*(u32 *)0x10'), '1: cannot read 4 bytes at 0x10');
  assert.equal(at('*5'), '1: cannot dereference a value of type int; cast it to a pointer type first');
  assert.equal(at('1 << 40'), '3: shift count 40 is out of range for int');
  assert.equal(at('12abc'), "1: bad number '12abc'");
  assert.equal(at('1 # 2'), "3: unexpected character '#'");
});
