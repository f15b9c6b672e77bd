/* CPU benchmark, floating point: a double-precision Mandelbrot set and a single-precision dot product. */
#include "rt.h"
int main(void) {
  u32 total = 0;
  for (int py = 0; py < 256; py++) for (int px = 0; px < 256; px++) {
    double cr = -2.0 + px * (2.6 / 256), ci = -1.2 + py * (2.4 / 256), zr = 0, zi = 0;
    int it = 0;
    while (it < 200 && zr * zr + zi * zi < 4.0) { double t = zr * zr - zi * zi + cr; zi = 2 * zr * zi + ci; zr = t; it++; }
    total += it;
  }
  float s = 0;
  for (int i = 0; i < 400000; i++) s += (float)i * 0.5f / (1.0f + (float)(i & 255));
  show("iterations", total);
  union { float f; u32 u; } cv = { s };
  show("dot", cv.u);
  return 0;
}
