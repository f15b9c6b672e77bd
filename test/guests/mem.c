/* Loads and stores: every addressing mode (immediate/register/scaled-register offsets, pre/post-index,
   writeback), every size and sign, LDRD/STRD, LDM/STM in all four modes, unaligned word/halfword
   accesses, LDREX/STREX of every size with the monitor's pass/fail rules, SWP-free. Prints the
   loaded values, the updated base registers and a checksum of the buffer after each store. */
#include "rt.h"

static u8 buf[256] __attribute__((aligned(8)));

static void fill(void) { for (int i = 0; i < 256; i++) buf[i] = (u8)(i * 37 + 11); }
static u32 sum(void) { u32 h = 2166136261u; for (int i = 0; i < 256; i++) h = (h ^ buf[i]) * 16777619u; return h; }

#define LD(name, insn, off)                                                              \
  static void name(void) {                                                               \
    fill();                                                                              \
    u32 base = (u32)(buf + 64), r = 0, o = (off);                                        \
    __asm__ volatile(insn : [r] "=&r"(r), [b] "+&r"(base) : [o] "r"(o) : "memory");      \
    show(#name ".val", r); show(#name ".base", base - (u32)buf);                         \
  }
#define ST(name, insn, off)                                                              \
  static void name(void) {                                                               \
    fill();                                                                              \
    u32 base = (u32)(buf + 64), v = 0x89abcdef, o = (off);                              \
    __asm__ volatile(insn : [b] "+&r"(base) : [v] "r"(v), [o] "r"(o) : "memory");        \
    show(#name ".sum", sum()); show(#name ".base", base - (u32)buf);                     \
  }

LD(ldr_imm, "ldr %[r], [%[b], #12]", 0)
LD(ldr_negimm, "ldr %[r], [%[b], #-20]", 0)
LD(ldr_pre, "ldr %[r], [%[b], #8]!", 0)
LD(ldr_post, "ldr %[r], [%[b]], #-4", 0)
LD(ldr_reg, "ldr %[r], [%[b], %[o]]", 24)
LD(ldr_reg_lsl, "ldr %[r], [%[b], %[o], lsl #2]", 5)
LD(ldrb_imm, "ldrb %[r], [%[b], #3]", 0)
LD(ldrsb_imm, "ldrsb %[r], [%[b], #5]", 0)
LD(ldrh_imm, "ldrh %[r], [%[b], #6]", 0)
LD(ldrsh_imm, "ldrsh %[r], [%[b], #10]", 0)
LD(ldrsh_reg, "ldrsh %[r], [%[b], %[o]]", 14)
LD(ldrh_pre, "ldrh %[r], [%[b], #-2]!", 0)
LD(ldr_unaligned, "ldr %[r], [%[b], #1]", 0)
LD(ldr_unaligned3, "ldr %[r], [%[b], #-3]", 0)
LD(ldrh_unaligned, "ldrh %[r], [%[b], #7]", 0)
LD(ldrsh_unaligned, "ldrsh %[r], [%[b], #9]", 0)
LD(ldrex, "ldrex %[r], [%[b]]", 0)
LD(ldrexb, "ldrexb %[r], [%[b]]", 0)
LD(ldrexh, "ldrexh %[r], [%[b]]", 0)
#ifndef __thumb__
LD(ldr_post_reg, "ldr %[r], [%[b]], %[o]", 12)
LD(ldr_reg_neg_asr, "ldr %[r], [%[b], -%[o], asr #1]", 16)
LD(ldr_reg_ror, "ldr %[r], [%[b], %[o], ror #31]", 4)
LD(ldr_reg_pre_lsr, "ldr %[r], [%[b], %[o], lsr #3]!", 64)
LD(ldrb_post_rrx, "ldrb %[r], [%[b]], %[o], rrx", 0x10)
LD(ldrsb_reg_neg, "ldrsb %[r], [%[b], -%[o]]", 33)
LD(ldrh_post_reg, "ldrh %[r], [%[b]], -%[o]", 8)
#else
LD(ldr_reg_lsl3, "ldr %[r], [%[b], %[o], lsl #3]", 3)
LD(ldrsb_neg_w, "ldrsb %[r], [%[b], #-33]!", 0)
LD(ldrh_post_w, "ldrh %[r], [%[b]], #-8", 0)
#endif
ST(str_imm, "str %[v], [%[b], #12]", 0)
ST(str_pre, "str %[v], [%[b], #-16]!", 0)
ST(str_post, "str %[v], [%[b]], #4", 0)
ST(strb_reg, "strb %[v], [%[b], %[o]]", 7)
ST(strh_imm, "strh %[v], [%[b], #6]", 0)
ST(strh_post, "strh %[v], [%[b]], #-6", 0)
ST(str_unaligned, "str %[v], [%[b], #3]", 0)
ST(strh_unaligned, "strh %[v], [%[b], #5]", 0)
ST(str_reg_lsl, "str %[v], [%[b], %[o], lsl #1]", 6)
#ifndef __thumb__
ST(str_post_reg_neg, "str %[v], [%[b]], -%[o], lsl #2", 3)
ST(strb_pre_asr, "strb %[v], [%[b], %[o], asr #2]!", 0xfffffff0)
#endif

static void dual(void) {
  fill();
  u32 o[3], base = (u32)(buf + 64);
  __asm__ volatile("ldrd r4, r5, [%0, #8]\n\tstm %1, {r4, r5}" : : "r"(base), "r"(o) : "r4", "r5", "memory");
  show("ldrd.lo", o[0]); show("ldrd.hi", o[1]);
  __asm__ volatile("ldrd r4, r5, [%0], #-16\n\tstm %1, {r4, r5}" : "+&r"(base) : "r"(o) : "r4", "r5", "memory");
  show("ldrd_post.lo", o[0]); show("ldrd_post.hi", o[1]); show("ldrd_post.base", base - (u32)buf);
  __asm__ volatile("ldr r4, =0x11223344\n\tldr r5, =0x55667788\n\tstrd r4, r5, [%0, #24]!" : "+&r"(base) : : "r4", "r5", "memory");
  show("strd.sum", sum()); show("strd.base", base - (u32)buf);
}

static void multiple(void) {
  u32 out[8], base;
#define LDM(name, insn)                                                                              \
  fill(); base = (u32)(buf + 128);                                                                   \
  __asm__ volatile("mov r0, %1\n\t" insn "\n\tstm %2, {r2-r5}\n\tmov %0, r0"                         \
                   : "=&r"(base) : "r"(base), "r"(out) : "r0", "r2", "r3", "r4", "r5", "memory");    \
  show(name ".base", base - (u32)buf); for (int i = 0; i < 4; i++) show(name, out[i]);
  LDM("ldmia", "ldmia r0!, {r2-r5}")
  LDM("ldmdb", "ldmdb r0!, {r2-r5}")
  LDM("ldmia_nowb", "ldmia r0, {r2, r3, r4, r5}")
#ifndef __thumb__
  LDM("ldmib", "ldmib r0!, {r2-r5}")
  LDM("ldmda", "ldmda r0!, {r2-r5}")
#endif
#define STM(name, insn)                                                                              \
  fill(); base = (u32)(buf + 128);                                                                   \
  __asm__ volatile("mov r0, %1\n\tmov r2, #2\n\tmov r3, #3\n\tmov r4, #4\n\tmov r5, #5\n\t" insn "\n\tmov %0, r0" \
                   : "=&r"(base) : "r"(base) : "r0", "r2", "r3", "r4", "r5", "memory");              \
  show(name ".base", base - (u32)buf); show(name ".sum", sum());
  STM("stmia", "stmia r0!, {r2-r5}")
  STM("stmdb", "stmdb r0!, {r2, r4}")
#ifndef __thumb__
  STM("stmib", "stmib r0!, {r3-r5}")
  STM("stmda", "stmda r0, {r2-r5}")
#endif
}

static void exclusive(void) {
  fill();
  u32 *p = (u32 *)(buf + 32), v, st;
  __asm__ volatile("ldrex %0, [%2]\n\tstrex %1, %3, [%2]" : "=&r"(v), "=&r"(st) : "r"(p), "r"(0x1234u) : "memory");
  show("strex_ok", st); show("strex_val", *p);
  __asm__ volatile("strex %0, %2, [%1]" : "=&r"(st) : "r"(p), "r"(0x5678u) : "memory");
  show("strex_nomonitor", st); show("strex_nomonitor_val", *p);
  __asm__ volatile("ldrex %0, [%2]\n\tclrex\n\tstrex %1, %3, [%2]" : "=&r"(v), "=&r"(st) : "r"(p), "r"(0x9abcu) : "memory");
  show("strex_after_clrex", st); show("strex_after_clrex_val", *p);
  __asm__ volatile("ldrexb %0, [%2]\n\tstrexb %1, %3, [%2]" : "=&r"(v), "=&r"(st) : "r"(buf + 33), "r"(0xeeu) : "memory");
  show("strexb", st); show("strexb_sum", sum());
  __asm__ volatile("ldrexh %0, [%2]\n\tstrexh %1, %3, [%2]" : "=&r"(v), "=&r"(st) : "r"(buf + 34), "r"(0xdddd) : "memory");
  show("strexh", st); show("strexh_sum", sum());
  u32 o[3];
  __asm__ volatile("ldr r2, =0xaaaa5555\n\tldr r3, =0x5555aaaa\n\tldrexd r4, r5, [%0]\n\tstrexd r6, r2, r3, [%0]\n\tstm %1, {r4, r5, r6}"
                   : : "r"(buf + 40), "r"(o) : "r2", "r3", "r4", "r5", "r6", "memory");
  show("ldrexd.lo", o[0]); show("ldrexd.hi", o[1]); show("strexd", o[2]); show("strexd_sum", sum());
  /* QEMU's STREX is a compare-and-swap against the value LDREX loaded: an intervening plain store of
     a different value makes it fail (the architecture leaves this IMPLEMENTATION DEFINED). */
  __asm__ volatile("ldrex %0, [%2]\n\tstr %3, [%2]\n\tstrex %1, %3, [%2]" : "=&r"(v), "=&r"(st) : "r"(p), "r"(7u) : "memory");
  show("strex_after_store", st);
}

int main(void) {
  ldr_imm(); ldr_negimm(); ldr_pre(); ldr_post(); ldr_reg(); ldr_reg_lsl(); ldrb_imm(); ldrsb_imm(); ldrh_imm(); ldrsh_imm();
  ldrsh_reg(); ldrh_pre(); ldr_unaligned(); ldr_unaligned3(); ldrh_unaligned(); ldrsh_unaligned(); ldrex(); ldrexb(); ldrexh();
#ifndef __thumb__
  ldr_post_reg(); ldr_reg_neg_asr(); ldr_reg_ror(); ldr_reg_pre_lsr(); ldrb_post_rrx(); ldrsb_reg_neg(); ldrh_post_reg();
  str_post_reg_neg(); strb_pre_asr();
#else
  ldr_reg_lsl3(); ldrsb_neg_w(); ldrh_post_w();
#endif
  str_imm(); str_pre(); str_post(); strb_reg(); strh_imm(); strh_post(); str_unaligned(); strh_unaligned(); str_reg_lsl();
  dual(); multiple(); exclusive();
  return 0;
}
