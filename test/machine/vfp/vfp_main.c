/* Runner of a generated VFP sequence (vfp-gen.ts): prints one line per step with FPSCR and the
   destination's double register as the sequence recorded them, then FPSCR and D0-D31 at the end. */
#include "rt.h"

extern u32 vfp_seq(u32 *out);
static u32 out[3 * 8192 + 1 + 64];

static char *hex8(char *p, u32 v) {
  for (int i = 7; i >= 0; i--) { u32 d = (v >> (i * 4)) & 15; *p++ = d < 10 ? '0' + d : 'a' + d - 10; }
  return p;
}

int main(void) {
  u32 n = vfp_seq(out);
  char line[64];
  for (u32 i = 0; i < n; i++) {
    char *p = hex8(line, i);
    *p++ = ' '; p = hex8(p, out[3 * i]);
    *p++ = ' '; p = hex8(p, out[3 * i + 2]); p = hex8(p, out[3 * i + 1]);
    *p++ = '\n'; *p = 0;
    puts_(line);
  }
  const u32 *f = out + 3 * n;
  show("final fpscr", f[0]);
  for (int d = 0; d < 32; d++) {
    char *p = line;
    *p++ = 'd'; *p++ = '0' + d / 10; *p++ = '0' + d % 10; *p++ = ' ';
    p = hex8(p, f[2 + 2 * d]); p = hex8(p, f[1 + 2 * d]);
    *p++ = '\n'; *p = 0;
    puts_(line);
  }
  return 0;
}
