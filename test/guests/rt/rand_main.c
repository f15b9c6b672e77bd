/* Main program of the random-sequence differential test: runs the generated test_seq (see
   test/machine/diff-random-gen.ts) and prints every register, APSR, FPSCR, S0-S31 and the scratch area. */
#include "rt.h"
extern void test_seq(void);
extern u32 state_out[48];
extern u32 scratch[64];

int main(void) {
  test_seq();
  static const char *names[] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "apsr", "fpscr" };
  for (int i = 0; i < 13; i++) show(names[i], state_out[i]);
  show("apsr", state_out[13]);
  show("fpscr", state_out[14]);
  for (int i = 0; i < 32; i++) { char n[4] = { 's', '0' + i / 10, '0' + i % 10, 0 }; show(n, state_out[16 + i]); }
  for (int i = 0; i < 64; i++) { char n[6] = { 'm', '0' + i / 10, '0' + i % 10, 0 }; show(n, scratch[i]); }
  return 0;
}
