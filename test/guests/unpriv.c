/* Unprivileged loads and stores (LDRT/STRT/LDRBT/STRBT/LDRHT/STRHT/LDRSBT/LDRSHT) executed at PL1:
   they check PL0 permissions, so they fault on a PL1-only page and on a stores to a PL0 read-only
   page, and work on a PL0 page (DFSR/DFAR printed for each fault; base write-back on post-indexed
   ARM forms). Also preload hints that never fault (PLD/PLDW/PLI on unmapped addresses), barriers and
   hints, the event register (SEV then WFE falls through), and the exclusives LDREX/STREX B/H/D. */
#include "rt.h"
#include "mmu.h"

static u32 l1[4096] __attribute__((aligned(16384)));
static volatile int aborts;

#define SCRATCH_PA 0x40800000u
#define PL1ONLY 0x80000000u   /* AP=01: PL1 RW, PL0 none */
#define USERRW 0x80100000u    /* AP=11: RW at both */
#define USERRO 0x80200000u    /* AP=10: PL1 RW, PL0 read-only */
#define UNMAPPED 0x90000000u

void exc_dispatch(int kind, u32 *frame) {
  u32 spsr = get_spsr();
  if (kind != 4) { show("unexpected", kind); show("lr", frame[13]); semi_exit(1); }
  aborts++;
  show("  dfsr", read_cp15(0, c5, c0, 0));
  show("  dfar", read_cp15(0, c6, c0, 0));
  skip_insn(frame, spsr);
}

#define LOAD(insn, name, base) do { u32 v_ = 0xdeadbeefu, a_ = (base); \
    __asm__ volatile(insn " %0, [%1]" : "+r"(v_) : "r"(a_) : "memory"); show(name, v_); } while (0)
#define STORE(insn, name, base, val) do { u32 a_ = (base); \
    __asm__ volatile(insn " %0, [%1]" : : "r"(val), "r"(a_) : "memory"); show(name, *(volatile u32 *)(SCRATCH_PA + ((base) & 0xfffffu) )); } while (0)

static void pages(const char *label, u32 base) {
  puts_(label); puts_("\n");
  LOAD("ldrt", "ldrt", base + 4);
  LOAD("ldrbt", "ldrbt", base + 5);
  LOAD("ldrht", "ldrht", base + 6);
  LOAD("ldrsbt", "ldrsbt", base + 7);
  LOAD("ldrsht", "ldrsht", base + 10);
  STORE("strt", "strt", base + 16, 0x11223344u);
  STORE("strbt", "strbt", base + 20, 0x55u);
  STORE("strht", "strht", base + 24, 0x6677u);
  /* The privileged forms for comparison: PL1 may write the PL0 read-only page. */
  LOAD("ldr", "ldr", base + 4);
  STORE("str", "str", base + 28, 0x99aabbccu);
  show("aborts", aborts);
}

static void indexed_forms(void) {
#ifdef __thumb__
  /* T32 has only the positive 8-bit immediate offset, no write-back. */
  u32 v = 0, a = USERRW;
  __asm__ volatile("ldrt %0, [%1, #8]" : "=r"(v) : "r"(a) : "memory"); show("t.ldrt+8", v);
  __asm__ volatile("ldrsbt %0, [%1, #255]" : "=r"(v) : "r"(a) : "memory"); show("t.ldrsbt+255", v);
  __asm__ volatile("strht %0, [%1, #34]" : : "r"(0xabcd), "r"(a) : "memory"); show("t.strht+34", *(volatile u32 *)(SCRATCH_PA + 32));
  a = PL1ONLY;
  __asm__ volatile("ldrt %0, [%1, #12]" : "=r"(v) : "r"(a) : "memory");
#else
  /* A32: post-indexed with immediate and (shifted) register offsets; base written back. */
  u32 v = 0, a = USERRW + 8, r = 3;
  __asm__ volatile("ldrt %0, [%1], #4" : "=r"(v), "+r"(a) :: "memory"); show("a.ldrt", v); show("a.base", a);
  __asm__ volatile("ldrt %0, [%1], -%2, lsl #2" : "=r"(v), "+r"(a) : "r"(r) : "memory"); show("a.ldrt_reg", v); show("a.base", a);
  __asm__ volatile("ldrbt %0, [%1], %2, ror #31" : "=r"(v), "+r"(a) : "r"(r) : "memory"); show("a.ldrbt_ror", v); show("a.base", a);
  __asm__ volatile("ldrht %0, [%1], #-2" : "=r"(v), "+r"(a) :: "memory"); show("a.ldrht", v); show("a.base", a);
  __asm__ volatile("ldrsht %0, [%1], %2" : "=r"(v), "+r"(a) : "r"(r) : "memory"); show("a.ldrsht_reg", v); show("a.base", a);
  __asm__ volatile("ldrsbt %0, [%1], -%2" : "=r"(v), "+r"(a) : "r"(r) : "memory"); show("a.ldrsbt_reg", v); show("a.base", a);
  __asm__ volatile("strt %2, [%1], #8" : "+r"(v), "+r"(a) : "r"(0x01020304u) : "memory"); show("a.strt_base", a);
  __asm__ volatile("strbt %2, [%1], -%3" : "+r"(v), "+r"(a) : "r"(0xf0u), "r"(r) : "memory"); show("a.strbt_base", a);
  __asm__ volatile("strht %2, [%1], %3" : "+r"(v), "+r"(a) : "r"(0xbeefu), "r"(r) : "memory"); show("a.strht_base", a);
  for (int i = 0; i < 12; i++) show("a.mem", *(volatile u32 *)(SCRATCH_PA + 4 * i));
  /* A faulting post-indexed LDRT leaves its base register unchanged. */
  a = PL1ONLY + 12;
  __asm__ volatile("ldrt %0, [%1], #4" : "=r"(v), "+r"(a) :: "memory"); show("a.fault_base", a);
  a = USERRO + 12;
  __asm__ volatile("strbt %1, [%0], #1" : "+r"(a) : "r"(v) : "memory"); show("a.fault_base", a);
#endif
  show("aborts", aborts);
}

static void hints(void) {
  /* Preloads are hints: no fault on unmapped, PL1-only or device addresses. */
  u32 u = UNMAPPED, p = PL1ONLY, d = 0x09000000u;
  __asm__ volatile("pld [%0]\n\tpld [%0, #-8]\n\tpldw [%0, #64]\n\tpli [%0]\n\tpld [%1]\n\tpldw [%1]\n\tpli [%1, #4]\n\tpld [%2]"
                   :: "r"(u), "r"(p), "r"(d) : "memory");
  __asm__ volatile("pld [%0, %1]\n\tpldw [%0, %1, lsl #2]\n\tpli [%0, %1]" :: "r"(u), "r"(16) : "memory");
  show("hints.aborts", aborts);
  __asm__ volatile("dmb sy\n\tdmb st\n\tdmb ish\n\tdmb ishst\n\tdmb nsh\n\tdmb nshst\n\tdmb osh\n\tdmb oshst\n\t"
                   "dsb sy\n\tdsb st\n\tdsb ish\n\tdsb ishst\n\tdsb nsh\n\tdsb nshst\n\tdsb osh\n\tdsb oshst\n\t"
                   "isb sy\n\tyield\n\tnop" ::: "memory");
  show("barriers.cpsr", get_cpsr());
  /* SEV sets the event register, so the next WFE clears it and falls through. */
  __asm__ volatile("sev\n\twfe" ::: "memory");
  __asm__ volatile("sev\n\twfe\n\tsev\n\twfe" ::: "memory");
  show("sev_wfe", 1);
}

static void exclusives(void) {
  static u32 w[4] __attribute__((aligned(8))) = { 0x11111111u, 0x22222222u, 0x33333333u, 0x44444444u };
  u8 *b = (u8 *)w;
  u16 *h = (u16 *)w;
  u32 v, s;
  u64 d;
  __asm__ volatile("ldrexb %0, [%1]" : "=r"(v) : "r"(b + 1) : "memory"); show("ldrexb", v);
  __asm__ volatile("strexb %0, %1, [%2]" : "=&r"(s) : "r"(0x1ab), "r"(b + 1) : "memory"); show("strexb", s);
  __asm__ volatile("strexb %0, %1, [%2]" : "=&r"(s) : "r"(0xcd), "r"(b + 1) : "memory"); show("strexb_again", s);
  show("w0", w[0]);
  __asm__ volatile("ldrexh %0, [%1]" : "=r"(v) : "r"(h + 3) : "memory"); show("ldrexh", v);
  __asm__ volatile("strexh %0, %1, [%2]" : "=&r"(s) : "r"(0x12345), "r"(h + 3) : "memory"); show("strexh", s);
  __asm__ volatile("ldrexh %0, [%1]" : "=r"(v) : "r"(h + 2) : "memory");
  __asm__ volatile("clrex" ::: "memory");
  __asm__ volatile("strexh %0, %1, [%2]" : "=&r"(s) : "r"(0x5555), "r"(h + 2) : "memory"); show("strexh_after_clrex", s);
  show("w1", w[1]);
  __asm__ volatile("ldrexd %0, %H0, [%1]" : "=&r"(d) : "r"(w + 2) : "memory"); show64("ldrexd", d);
  __asm__ volatile("strexd %0, %1, %H1, [%2]" : "=&r"(s) : "r"(0x0123456789abcdefull), "r"(w + 2) : "memory"); show("strexd", s);
  show64("w23", *(u64 *)(w + 2));
  __asm__ volatile("strexd %0, %1, %H1, [%2]" : "=&r"(s) : "r"(0ull), "r"(w + 2) : "memory"); show("strexd_again", s);
  __asm__ volatile("ldrex %0, [%1]" : "=r"(v) : "r"(w) : "memory");
  __asm__ volatile("clrex" ::: "memory");
  __asm__ volatile("strex %0, %1, [%2]" : "=&r"(s) : "r"(7), "r"(w) : "memory"); show("strex_after_clrex", s);
  __asm__ volatile("ldrex %0, [%1]" : "=r"(v) : "r"(w) : "memory");
  __asm__ volatile("strex %0, %1, [%2]" : "=&r"(s) : "r"(7), "r"(w) : "memory"); show("strex", s);
  show("w0", w[0]);
  /* Alignment: exclusives fault on unaligned addresses whatever SCTLR.A says. */
  __asm__ volatile("ldrexh %0, [%1]" : "=r"(v) : "r"(b + 1) : "memory");
  __asm__ volatile("ldrexd %0, %H0, [%1]" : "=&r"(d) : "r"(w + 1) : "memory");
  /* (Not STREXD to an unaligned address with the monitor open: QEMU 7.2 fails it without the
     alignment check, where the architecture checks alignment first.) */
  __asm__ volatile("ldrex %0, [%1]" : "=r"(v) : "r"(b + 2) : "memory");
  show("excl.aborts", aborts);
}

int main(void) {
  identity_map(l1);
  l1[PL1ONLY >> 20] = SCRATCH_PA | (SEC_RAM & ~(3u << 10)) | (1u << 10);
  l1[USERRW >> 20] = SCRATCH_PA | SEC_RAM;
  l1[USERRO >> 20] = SCRATCH_PA | (SEC_RAM & ~(3u << 10)) | (2u << 10);
  for (u32 i = 0; i < 64; i++) *(volatile u32 *)(SCRATCH_PA + 4 * i) = 0x80c0e0f0u + i * 0x01010101u;
  mmu_on(l1);
  pages("pl1-only page", PL1ONLY);
  pages("user rw page", USERRW);
  pages("user ro page", USERRO);
  indexed_forms();
  hints();
  exclusives();
  mmu_off();
  return 0;
}
