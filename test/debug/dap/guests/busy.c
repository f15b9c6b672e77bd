/* CPU-bound guest for bench/debug.ts: integer mixing for ITER iterations (set with -DITER=N). */
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
