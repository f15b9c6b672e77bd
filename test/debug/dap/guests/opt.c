/* Optimised code for the variables-vs-gdb test (built -O2 -g, DWARF 5 and 4): parameters and locals
 * in registers, moved between registers and the stack, computed (DW_OP_stack_value), split in pieces
 * (a 64-bit value in two registers), dead after their last use (entry values, location lists), and
 * live in callers' callee-saved registers across calls, folded into DW_AT_const_value, and an inlined
 * call shown as a frame. The @markers name the lines the test stops at. */
#include "rt.h"

volatile u32 sink_v;
__attribute__((noinline)) void sink(u32 v) { sink_v = v; }

__attribute__((noinline)) u32 mix(u32 a, u32 b) {
  u32 t = a * 31u + b;
  u32 u = t ^ (t >> 7);
  sink(u); /* @mix-sink */
  return u + a; /* @mix-ret */
}

__attribute__((noinline)) u64 widen(u32 x, u32 y) {
  u64 w = ((u64)x << 32) | y;
  u64 v = w * 3u;
  sink((u32)(v >> 32)); /* @widen-sink */
  return v + x;
}

/* Always inlined into walk(): gdb shows it as a frame of its own, with its own arguments. */
static inline __attribute__((always_inline)) u32 scale(u32 v, u32 f) {
  u32 r = v * f + 1;
  sink(r); /* @scale-sink */
  return r;
}

__attribute__((noinline)) u32 walk(const u32 *p, u32 n) {
  u32 sum = 0, k;
  for (k = 0; k < n; k++) {
    sum += scale(p[k], k + 1);
    sink(sum); /* @walk-sink */
  }
  return sum ^ n;
}

static const u32 table[5] = { 3, 1, 4, 1, 5 };

int main(void) {
  u32 seed = sink_v + 7;
  u32 m = mix(seed, 11);
  u64 w = widen(m, seed);
  u32 s = walk(table, 5);
  show("m", m);
  show("w", (u32)w);
  u64 big = 0x0123456789abcdefull; /* a constant wider than a register: DW_OP_implicit_value */
  show("s", s); /* @main-show */
  show64("big", big + w);
  return 0;
}
