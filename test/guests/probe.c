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
  return 0;
}
