/* CPU-bound guest for bench/debug.ts: integer mixing for ITER iterations (set with -DITER=N).
 * never_called() is code the guest never runs, laid out right after main on the same page, so the
 * benchmark can put breakpoints on the hot loop's page without hitting them. */
#include "rt.h"
#ifndef ITER
#define ITER 400000
#endif
int main(void) {
  u32 x = 2463534242u, acc = 0;
  for (u32 i = 0; i < ITER; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    acc += (x * 2654435761u) >> (i & 15);
  }
  show("acc", acc);
  return 0;
}

__attribute__((used, noinline)) void never_called(void) {
  __asm__ volatile(".rept 256\n\tnop\n\t.endr");
}
