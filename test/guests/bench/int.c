/* CPU benchmark, integer: bitwise CRC-32 and xorshift/multiply mixing (branches, shifts, multiplies). */
#include "rt.h"
int main(void) {
  u32 crc = 0xffffffffu, x = 2463534242u, acc = 0;
  for (u32 i = 0; i < 10000000; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    u32 b = x & 0xff;
    crc ^= b;
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    acc += (x * 2654435761u) >> (i & 15);
  }
  show("crc", ~crc); show("acc", acc);
  return 0;
}
