/* More of the MMU and the exception model: short-descriptor supersections (16 MiB, with the extended
   base address bits above 4 GiB seen through PAR and an external abort), PXN (short-descriptor
   section and page table, LPAE block: a PL1 fetch faults with a permission IFSR), SCTLR.V (vectors
   at 0xffff0000 through the MMU; VBAR ignored), SCTLR.TE (exceptions taken in Thumb state), and
   alignment: SCTLR.A=0 lets LDR/STR/LDRH/STRH be unaligned on normal memory while LDRD/STRD/LDM/STM/
   LDREX/VLDR still need alignment; SCTLR.A=1 faults them all. Fault status and address printed. */
#include "rt.h"
#include "mmu.h"

static u32 l1[4096] __attribute__((aligned(16384)));
static u32 l2[256] __attribute__((aligned(1024)));
static u64 ll1[4] __attribute__((aligned(32)));
static u64 ll2[512] __attribute__((aligned(4096)));
static volatile u32 resume_to, hv_hits, te_spsr, te_lr, te_kind;
extern u32 _vectors[];

void exc_dispatch(int kind, u32 *frame) {
  u32 spsr = get_spsr();
  if (kind == 4) {
    show("  dfsr", read_cp15(0, c5, c0, 0)); show("  dfar", read_cp15(0, c6, c0, 0));
    skip_insn(frame, spsr);
  } else if (kind == 3) {
    show("  ifsr", read_cp15(0, c5, c0, 1)); show("  ifar", read_cp15(0, c6, c0, 2));
    frame[13] = resume_to & ~1u;
  } else if (kind == 1) {
    show("  und.thumb", (spsr >> 5) & 1);
    frame[13] += 4;    /* A1 UDF, or T1 UDF + the 16-bit NOP after it */
  } else if (kind == 2) {
    show("  svc", 1);
  } else { show("unexpected", kind); show("lr", frame[13]); semi_exit(1); }
}

/* High-vector table (copied to VA 0xffff0000): each entry loads its handler's address; the undefined
   and SVC handlers count the hit and go on to the normal low-vector entry. */
__asm__(".syntax unified\n\t.pushsection .text\n\t.arm\n\t.balign 4\n"
        "hv_table:\n\t.rept 8\n\tldr pc, [pc, #24]\n\t.endr\n\t.word hv_other, hv_und, hv_svc, hv_other, hv_other, hv_other, hv_other, hv_other\n"
        "hv_und:\n\tpush {r0, r1}\n\tldr r0, =hv_hits\n\tldr r1, [r0]\n\tadd r1, r1, #1\n\tstr r1, [r0]\n\tpop {r0, r1}\n\tb _vectors + 4\n"
        "hv_svc:\n\tpush {r0, r1}\n\tldr r0, =hv_hits\n\tldr r1, [r0]\n\tadd r1, r1, #0x100\n\tstr r1, [r0]\n\tpop {r0, r1}\n\tb _vectors + 8\n"
        "hv_other:\n\tb .\n\t.ltorg\n"
        /* Thumb vector table for SCTLR.TE: undefined and SVC record SPSR and LR, then return. */
        "\t.thumb\n\t.balign 32\n"
        "te_table:\n\tb.w te_other\n\tb.w te_und\n\tb.w te_svc\n\tb.w te_other\n\tb.w te_other\n\tb.w te_other\n\tb.w te_other\n\tb.w te_other\n"
        "\t.thumb_func\nte_und:\n\tpush {r0, r1}\n\tmovs r1, #1\n\tb 1f\n"
        "\t.thumb_func\nte_svc:\n\tpush {r0, r1}\n\tmovs r1, #2\n1:\tldr r0, =te_kind\n\tstr r1, [r0]\n\tmrs r1, spsr\n\tldr r0, =te_spsr\n\tstr r1, [r0]\n"
        "\tldr r0, =te_lr\n\tmov r1, lr\n\tstr r1, [r0]\n\tpop {r0, r1}\n\tmovs pc, lr\n"
        "\t.thumb_func\nte_other:\n\tb .\n\t.ltorg\n"
        ASM_POP_SECTION);
extern u32 hv_table[], te_table[];

static int add3(int x) { return x + 3; }

static void call_at(u32 va, const char *name) {
  show(name, call_va(va, &resume_to));
}

static u32 ats1cpr(u32 va) {
  __asm__ volatile("mcr p15, 0, %0, c7, c8, 0\n\tisb" :: "r"(va));
  return read_cp15(0, c7, c4, 0);
}

static void supersections(void) {
  /* VA 0x81000000 (16 MiB) -> PA 0x40000000: 16 identical entries with bit 18 set. */
  for (u32 i = 0; i < 16; i++) l1[0x810 + i] = 0x40000000u | (1u << 18) | SEC_RAM;
  /* VA 0x82000000 -> PA 0x5_40000000: extended base PA[35:32] in bits [23:20] (PA[39:36] in [8:5]
     stays 0: from 0x80_0000_0000 QEMU's virt has its high PCIe window, which reads as all ones). */
  for (u32 i = 0; i < 16; i++) l1[0x820 + i] = 0x40000000u | (5u << 20) | (1u << 18) | SEC_RAM;
  tlbiall();
  static volatile u32 x = 0x5eed1234u;
  u32 off = (u32)&x - 0x40000000u;
  show("ss.read", *(volatile u32 *)(0x81000000u + off));
  *(volatile u32 *)(0x81000000u + off + 0) = 0xc0ffee00u;
  show("ss.write_seen", x);
  show("ss.par", ats1cpr(0x81abc123u));
  show("ss.par_ext", ats1cpr(0x82abc123u));
  *(volatile u32 *)0x82000000u;   /* PA 0x5_40000000: nothing there, an external abort */
  show("ss.page_edge", *(volatile u32 *)(0x81000000u + 0x00fffffcu - 0x00fffffcu + 0x40u) == *(volatile u32 *)0x40000040u);
}

static void pxn_short(void) {
  u32 fn = (u32)add3, sec = fn & 0xfff00000u;
  l1[0x830] = sec | SEC_RAM | 1u;                 /* section with PXN (bit 0) */
  l1[0x831] = (u32)l2 | (1u << 2) | 1u;           /* page table with PXN (bit 2) */
  for (u32 i = 0; i < 256; i++) l2[i] = (sec + (i << 12)) | (3u << 4) | (1u << 6) | 2u;  /* small pages, AP=11, TEX=001 */
  l1[0x832] = sec | SEC_RAM;                      /* the same without PXN */
  tlbiall();
  call_at(0x83000000u + (fn - sec), "pxn.section");
  call_at(0x83100000u + (fn & 0xfffffu), "pxn.table");
  call_at(0x83200000u + (fn - sec), "pxn.none");
  show("pxn.data_read_ok", *(volatile u32 *)(0x83000000u + ((fn & ~1u) - sec)) == *(volatile u32 *)(fn & ~1u));
}

static void pxn_lpae(void) {
  const u64 AF = 1ull << 10, PXN = 1ull << 53, DEV = 1ull << 2, XN = 1ull << 54;
  write_cp15(0, c10, c2, 0, 0x00000044u);         /* MAIR0: attr0 normal NC, attr1 device */
  ll1[0] = AF | DEV | XN | 1;
  ll1[1] = (u64)(u32)ll2 | 3;
  ll1[2] = 0;
  ll1[3] = (u64)(u32)ll2 | 3 | (1ull << 59);      /* PXNTable on the second 1 GiB alias */
  for (u32 i = 0; i < 512; i++) ll2[i] = i < 64 ? ((0x40000000ull + ((u64)i << 21)) | AF | (1ull << 6) | 1) : 0;
  u32 fn = (u32)add3, blk = fn & ~0x1fffffu;
  ll2[64] = (u64)blk | AF | PXN | 1;              /* VA 0x48000000: PXN block of the code */
  mmu_off();
  write_cp15(0, c2, c0, 2, 0x80000000u);
  __asm__ volatile("mcrr p15, 0, %0, %1, c2" :: "r"((u32)ll1), "r"(0u));
  tlbiall();
  write_cp15(0, c1, c0, 0, read_cp15(0, c1, c0, 0) | 1);
  __asm__ volatile("isb" ::: "memory");
  call_at(0x48000000u + (fn - blk), "lpae.pxn_block");
  call_at(0xc0000000u + (fn - 0x40000000u), "lpae.pxn_table");
  call_at(fn, "lpae.plain");
  mmu_off();
  mmu_on(l1);
}

static void udf(void) {
#ifdef __thumb__
  __asm__ volatile(".inst.n 0xde00\n\tnop" ::: "memory");
#else
  __asm__ volatile(".inst 0xe7f000f0" ::: "memory");
#endif
}

static void high_vectors(void) {
  /* VA 0xfff00000 -> the 1 MiB at PA 0x40700000; the table goes to its last 64 KiB. */
  l1[0xfff] = 0x40700000u | SEC_RAM;
  tlbiall();
  for (int i = 0; i < 16; i++) *(volatile u32 *)(0x407f0000u + 4 * i) = hv_table[i];
  u32 sctlr = read_cp15(0, c1, c0, 0);
  write_cp15(0, c12, c0, 0, 0x40600000u);         /* VBAR: nothing there, ignored while V=1 */
  write_cp15(0, c1, c0, 0, sctlr | (1u << 13));
  __asm__ volatile("isb" ::: "memory");
  show("hv.sctlr_v", (read_cp15(0, c1, c0, 0) >> 13) & 1);
  udf();
  show("hv.hits_und", hv_hits);
  register u32 r0 __asm__("r0") = 1;
  __asm__ volatile("svc #3" : "+r"(r0) :: "memory");
  show("hv.hits_svc", hv_hits);
  write_cp15(0, c1, c0, 0, sctlr);
  write_cp15(0, c12, c0, 0, (u32)_vectors);
  __asm__ volatile("isb" ::: "memory");
}

static void thumb_exceptions(void) {
  u32 sctlr = read_cp15(0, c1, c0, 0);
  write_cp15(0, c12, c0, 0, (u32)te_table);
  write_cp15(0, c1, c0, 0, sctlr | (1u << 30));   /* SCTLR.TE */
  __asm__ volatile("isb" ::: "memory");
  show("te.sctlr_te", (read_cp15(0, c1, c0, 0) >> 30) & 1);
  u32 at;
#ifdef __thumb__
  __asm__ volatile("adr %0, 1f\n\t.inst.n 0xde01\n1:" : "=r"(at) :: "memory");
#else
  __asm__ volatile("adr %0, 1f\n\t.inst 0xe7f000f1\n1:" : "=r"(at) :: "memory");
#endif
  show("te.kind", te_kind); show("te.spsr", te_spsr); show("te.lr_minus_next", te_lr - at);
  __asm__ volatile("svc #5" ::: "r0", "memory");
  show("te.kind", te_kind); show("te.spsr", te_spsr);
  write_cp15(0, c1, c0, 0, sctlr);
  write_cp15(0, c12, c0, 0, (u32)_vectors);
  __asm__ volatile("isb" ::: "memory");
}

static void alignment(const char *label) {
  static u32 buf[8] __attribute__((aligned(16))) = { 0x03020100u, 0x07060504u, 0x0b0a0908u, 0x0f0e0d0cu, 0x13121110u, 0x17161514u, 0x1b1a1918u, 0x1f1e1d1cu };
  u8 *b = (u8 *)buf;
  u32 v = 0, w = 0;
  puts_(label); puts_("\n");
  __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(b + 1) : "memory"); show("ldr+1", v);
  __asm__ volatile("ldrh %0, [%1]" : "+r"(v) : "r"(b + 3) : "memory"); show("ldrh+3", v);
  __asm__ volatile("ldrsh %0, [%1]" : "+r"(v) : "r"(b + 7) : "memory"); show("ldrsh+7", v);
  __asm__ volatile("str %0, [%1]" :: "r"(0xa1a2a3a4u), "r"(b + 17) : "memory");
  __asm__ volatile("strh %0, [%1]" :: "r"(0xb1b2u), "r"(b + 23) : "memory");
  show("mem4", buf[4]); show("mem5", buf[5]);
  __asm__ volatile("ldrd %0, %H0, [%1]" : "=&r"(*(u64 *)&buf[6]) : "r"(b + 4) : "memory"); show64("ldrd+4", *(u64 *)&buf[6]);
  __asm__ volatile("ldrd r2, r3, [%0]" :: "r"(b + 2) : "r2", "r3", "memory");
  __asm__ volatile("strd r2, r3, [%0]" :: "r"(b + 6) : "r2", "r3", "memory");
  __asm__ volatile("ldm %0, {r2, r3}" :: "r"(b + 2) : "r2", "r3", "memory");
  __asm__ volatile("stm %0, {r2, r3}" :: "r"(b + 1) : "r2", "r3", "memory");
  __asm__ volatile("ldrex %0, [%1]" : "=r"(w) : "r"(b + 1) : "memory");
  __asm__ volatile("vldr s0, [%0]" :: "r"(b + 2) : "s0", "memory");
  __asm__ volatile("vldr d0, [%0]" :: "r"(b + 4) : "d0", "memory");
  __asm__ volatile("vldm %0, {s0-s1}" :: "r"(b + 2) : "s0", "s1", "memory");
  /* (No Advanced SIMD: xenarm reports it absent, as issue 2 allows; QEMU's cortex-a15 has it.) */
  __asm__ volatile("pld [%0, #1]" :: "r"(b) : "memory");
}

int main(void) {
  identity_map(l1);
  mmu_on(l1);
  supersections();
  pxn_short();
  pxn_lpae();
  high_vectors();
  thumb_exceptions();
  alignment("sctlr.a=0");
  u32 sctlr = read_cp15(0, c1, c0, 0);
  write_cp15(0, c1, c0, 0, sctlr | 2);
  __asm__ volatile("isb" ::: "memory");
  alignment("sctlr.a=1");
  write_cp15(0, c1, c0, 0, sctlr);
  mmu_off();
  return 0;
}
