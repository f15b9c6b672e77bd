/* Table-driven instruction tests: run one asm snippet over operand tables with input flags, print
   "name a b flags result NZCVQ" per combination (the differential tests compare these lines). */
#ifndef OPS_H
#define OPS_H
#include "rt.h"
static const u32 vals[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678, 0x80000001, 0xfedcba98 };
static const u32 shifts[] = { 0, 1, 4, 31, 32, 33, 255, 0x101 };
static const u32 flags_in[] = { 0x00000000, 0xf0000000, 0x20000000, 0x50000000 };
#define NV (sizeof vals / sizeof vals[0])
#define NF (sizeof flags_in / sizeof flags_in[0])

static void out(const char *name, u32 a, u32 b, u32 fl, u32 r, u32 f) {
  char line[120]; char *p = line;
  const char *n = name; while (*n) *p++ = *n++;
  *p++ = ' ';
  u32 w[5] = { a, b, fl >> 28, r, f & 0xf80f0000 };
  for (int k = 0; k < 5; k++) {
    for (int i = (k == 2 ? 0 : 7); i >= 0; i--) { u32 d = (w[k] >> (i * 4)) & 15; *p++ = d < 10 ? '0' + d : 'a' + d - 10; }
    *p++ = k == 4 ? '\n' : ' ';
  }
  *p = 0;
  puts_(line);
}

#define T3(name, insn)                                                                          \
  static void name(void) {                                                                      \
    for (u32 i = 0; i < NV; i++) for (u32 j = 0; j < NV; j++) for (u32 k = 0; k < NF; k++) {   \
      u32 a = vals[i], b = vals[j], fl = flags_in[k], r = 0x55555555, f;                        \
      __asm__ volatile("msr APSR_nzcvq, %[fl]\n\t" insn "\n\tmrs %[f], APSR"                    \
                       : [r] "+&r"(r), [f] "=&r"(f) : [a] "r"(a), [b] "r"(b), [fl] "r"(fl) : "cc"); \
      out(#name, a, b, fl, r, f);                                                               \
    }                                                                                           \
  }
#define TS(name, insn)                                                                          \
  static void name(void) {                                                                      \
    for (u32 i = 0; i < NV; i++) for (u32 j = 0; j < sizeof shifts / 4; j++) for (u32 k = 0; k < NF; k += 1) { \
      u32 a = vals[i], s = shifts[j], b = vals[(i + j) % NV], fl = flags_in[k], r = 0x55555555, f;   \
      __asm__ volatile("msr APSR_nzcvq, %[fl]\n\t" insn "\n\tmrs %[f], APSR"                    \
                       : [r] "+&r"(r), [f] "=&r"(f) : [a] "r"(a), [b] "r"(b), [s] "r"(s), [fl] "r"(fl) : "cc"); \
      out(#name, a, s, fl, r, f);                                                               \
    }                                                                                           \
  }


/* Three registers: r = f(a, b, c), r preloaded with c (for accumulating forms). */
#define T4(name, insn)                                                                          \
  static void name(void) {                                                                      \
    for (u32 i = 0; i < NV; i++) for (u32 j = 0; j < NV; j++) {                                 \
      u32 a = vals[i], b = vals[j], c = vals[(i * 3 + j) % NV], fl = flags_in[(i + j) % NF], r = c, r2 = vals[(i + 5 * j) % NV], f; \
      __asm__ volatile("msr APSR_nzcvq, %[fl]\n\t" insn "\n\tmrs %[f], APSR"                   \
                       : [r] "+&r"(r), [r2] "+&r"(r2), [f] "=&r"(f) : [a] "r"(a), [b] "r"(b), [c] "r"(c), [fl] "r"(fl) : "cc"); \
      out(#name, a, b, fl, r, f); out(#name ".hi", c, 0, 0, r2, 0);                             \
    }                                                                                           \
  }
#endif
