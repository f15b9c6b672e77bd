/* CPU benchmark, memory: insertion-free quicksort of pseudo-random arrays and block copies. */
#include "rt.h"
#define N 65536
static u32 a[N], b[N];
static void qs(u32 *v, int lo, int hi) {
  while (lo < hi) {
    u32 p = v[(lo + hi) >> 1]; int i = lo, j = hi;
    while (i <= j) { while (v[i] < p) i++; while (v[j] > p) j--; if (i <= j) { u32 t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; } }
    if (j - lo < hi - i) { qs(v, lo, j); lo = i; } else { qs(v, i, hi); hi = j; }
  }
}
int main(void) {
  u32 x = 88172645u, sum = 0;
  for (int round = 0; round < 12; round++) {
    for (int i = 0; i < N; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; a[i] = x; }
    qs(a, 0, N - 1);
    for (int k = 0; k < 8; k++) for (int i = 0; i < N; i++) b[i] = a[(i + k * 97) & (N - 1)];
    for (int i = 0; i < N; i += 61) sum += b[i] ^ a[i];
  }
  show("sum", sum);
  return 0;
}
