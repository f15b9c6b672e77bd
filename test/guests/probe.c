/* Identification registers a guest sees at reset: CPU ID registers and the GICv2's ID/type registers
   and reset state on QEMU virt (distributor 0x08000000, CPU interface 0x08010000). */
#include "rt.h"
#define GICD 0x08000000u
#define GICC 0x08010000u

int main(void) {
  show("midr", read_cp15(0, c0, c0, 0));
  show("mpidr", read_cp15(0, c0, c0, 5));
  show("ctr", read_cp15(0, c0, c0, 1));
  show("id_pfr0", read_cp15(0, c0, c1, 0));
  show("id_pfr1", read_cp15(0, c0, c1, 1));
  show("id_mmfr0", read_cp15(0, c0, c1, 4));
  show("id_isar0", read_cp15(0, c0, c2, 0));
  show("sctlr", read_cp15(0, c1, c0, 0));
  show("cpsr", get_cpsr());
  u32 fpsid; __asm__ volatile("vmrs %0, fpsid" : "=r"(fpsid)); show("fpsid", fpsid);
  u32 mvfr0; __asm__ volatile("vmrs %0, mvfr0" : "=r"(mvfr0)); show("mvfr0", mvfr0);
  /* MVFR1 is not printed: QEMU reports Advanced SIMD (0x11111111), which xenarm deliberately lacks. */
  u32 fpscr; __asm__ volatile("vmrs %0, fpscr" : "=r"(fpscr)); show("fpscr", fpscr);
  show("gicd_ctlr", mmio32(GICD + 0));
  show("gicd_typer", mmio32(GICD + 4));
  show("gicd_iidr", mmio32(GICD + 8));
  show("gicd_igroupr0", mmio32(GICD + 0x80));
  show("gicd_isenabler0", mmio32(GICD + 0x100));
  show("gicd_icfgr0", mmio32(GICD + 0xc00));
  show("gicd_icfgr1", mmio32(GICD + 0xc04));
  show("gicd_icfgr2", mmio32(GICD + 0xc08));
  show("gicd_itargetsr0", mmio32(GICD + 0x800));
  show("gicd_itargetsr7", mmio32(GICD + 0x81c));
  show("gicd_itargetsr8", mmio32(GICD + 0x820));
  mmio32(GICD + 0x400) = 0xffffffff;
  show("gicd_ipriorityr0_after_ff", mmio32(GICD + 0x400));
  mmio32(GICD + 0x820) = 0xffffffff;
  show("gicd_itargetsr8_after_ff", mmio32(GICD + 0x820));
  mmio32(GICD + 0xc08) = 0xffffffff;
  show("gicd_icfgr2_after_ff", mmio32(GICD + 0xc08));
  mmio32(GICD + 0xc04) = 0xffffffff;
  show("gicd_icfgr1_after_ff", mmio32(GICD + 0xc04));
  mmio32(GICD + 0x180) = 0xffffffff;
  show("gicd_isenabler0_after_clear", mmio32(GICD + 0x100));
  for (u32 o = 0xfd0; o < 0x1000; o += 4) show("gicd_id", mmio32(GICD + o));
  show("gicc_ctlr", mmio32(GICC + 0));
  show("gicc_pmr", mmio32(GICC + 4));
  show("gicc_bpr", mmio32(GICC + 8));
  mmio32(GICC + 4) = 0xff; show("gicc_pmr_after_ff", mmio32(GICC + 4));
  mmio32(GICC + 8) = 0; show("gicc_bpr_after_0", mmio32(GICC + 8));
  mmio32(GICC + 8) = 7; show("gicc_bpr_after_7", mmio32(GICC + 8));
  show("gicc_rpr", mmio32(GICC + 0x14));
  show("gicc_hppir", mmio32(GICC + 0x18));
  show("gicc_iar_disabled", mmio32(GICC + 0xc));
  show("gicc_abpr", mmio32(GICC + 0x1c));
  show("gicc_apr0", mmio32(GICC + 0xd0));
  show("gicc_iidr", mmio32(GICC + 0xfc));
  /* CP14, the sequence Linux's hw_breakpoint.c and thumbee notifier run (debug v7.1, ThumbEE). */
  u32 v;
#define RD14(o1, n, m, o2) ({ __asm__ volatile("mrc p14, " #o1 ", %0, " #n ", " #m ", " #o2 : "=r"(v)); v; })
#define WR14(o1, n, m, o2, x) __asm__ volatile("mcr p14, " #o1 ", %0, " #n ", " #m ", " #o2 :: "r"(x))
  show("dbgdidr", RD14(0, c0, c0, 0));
  show("dbgdrar", RD14(0, c1, c0, 0));
  show("dbgdsar", RD14(0, c2, c0, 0));
  show("dbgoslsr", RD14(0, c1, c1, 4));
  WR14(0, c1, c0, 4, 0u); /* DBGOSLAR: unlock */
  show("dbgoslsr_unlocked", RD14(0, c1, c1, 4));
  show("dbgosdlr", RD14(0, c1, c3, 4));
  WR14(0, c0, c7, 0, 0u);
  /* DBGVCR is not read back: QEMU implements it as a NOP register whose MRC leaves Rt unchanged. */
  WR14(0, c0, c5, 5, 0u); WR14(0, c0, c5, 4, 0x12345678u);
  show("dbgbvr5", RD14(0, c0, c5, 4));
  WR14(0, c0, c3, 6, 0u); WR14(0, c0, c3, 7, 0xff << 5);
  show("dbgwcr3_bas", RD14(0, c0, c3, 7));
  WR14(0, c0, c2, 2, RD14(0, c0, c1, 0) | (1u << 15)); /* MDBGen through DBGDSCRext */
  show("dbgdscrint_mdbgen", RD14(0, c0, c1, 0) & (1u << 15));
  WR14(6, c0, c0, 0, 0xffffffffu);
  show("teecr", RD14(6, c0, c0, 0));
  WR14(6, c1, c0, 0, 0xcafef00du);
  show("teehbr", RD14(6, c1, c0, 0));
  return 0;
}
