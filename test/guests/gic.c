/* The GICv2 CPU interface driven by polling (IRQs masked in the CPU): pending state set through
   GICD_ISPENDR/SGIR, acknowledge order by priority, preemption by group priority under different
   binary points, running priority through nested acknowledges, EOImode 1 with GICC_DIR, active and
   pending set/clear registers, edge vs level configuration for SPIs. */
#include "rt.h"
#define GICD 0x08000000u
#define GICC 0x08010000u
#define IAR() mmio32(GICC + 0x0c)
#define EOI(v) (mmio32(GICC + 0x10) = (v))

static void state(const char *what) {
  puts_(what); puts_(": ");
  put_hex(mmio32(GICC + 0x14)); puts_(" "); put_hex(mmio32(GICC + 0x18)); puts_(" ");
  put_hex(mmio32(GICD + 0x200)); puts_(" "); put_hex(mmio32(GICD + 0x204)); puts_(" ");
  put_hex(mmio32(GICD + 0x300)); puts_(" "); put_hex(mmio32(GICD + 0x304)); puts_(" ");
  put_hex(mmio32(GICC + 0xd0)); puts_("\n");
}

int main(void) {
  mmio32(GICD + 0) = 1;
  mmio32(GICC + 4) = 0xff;
  mmio32(GICC + 0) = 1;
  /* SPIs 40..43 enabled with different priorities; SGI 1 and 2 too. */
  mmio32(GICD + 0x104) = 0xf00;
  mmio8(GICD + 0x400 + 40) = 0x80; mmio8(GICD + 0x400 + 41) = 0x88; mmio8(GICD + 0x400 + 42) = 0x40; mmio8(GICD + 0x400 + 43) = 0x90;
  mmio8(GICD + 0x400 + 1) = 0x20; mmio8(GICD + 0x400 + 2) = 0xa0;
  state("idle");
  mmio32(GICD + 0x204) = 1u << 8;                   /* pend SPI 40 */
  state("pend40");
  u32 a = IAR(); show("iar", a); state("ack40");
  mmio32(GICD + 0x204) = 1u << 9;                   /* SPI 41: same group priority under BPR 0? 0x88 vs 0x80 */
  show("iar_41_bpr0", IAR()); state("nested41");
  EOI(41); state("eoi41");
  mmio32(GICC + 8) = 3;                             /* BPR 3: group priority = bits [7:4] */
  mmio32(GICD + 0x204) = 1u << 11;                  /* SPI 43 prio 0x90: lower group priority */
  mmio32(GICD + 0x204) = 1u << 9;
  show("iar_bpr3", IAR()); state("bpr3");
  mmio32(GICD + 0x204) = 1u << 10;                  /* SPI 42 prio 0x40 preempts */
  show("iar_42", IAR()); state("nested42");
  EOI(42); state("eoi42");
  EOI(a); state("eoi40");
  show("iar_after", IAR()); state("after");
  u32 x;
  while ((x = IAR()) != 1023) { show("drain", x); EOI(x); }
  mmio32(GICC + 8) = 0;
  /* SGIs: set through SGIR and GICD_SPENDSGIR, cleared through GICD_CPENDSGIR. */
  mmio32(GICD + 0xf00) = (2u << 24) | 1;
  mmio32(GICD + 0xf00) = (2u << 24) | 2;
  state("sgis");
  mmio8(GICD + 0xf10 + 2) = 1;                      /* CPENDSGIR: clear SGI 2 from CPU 0 */
  state("cpendsgi2");
  mmio32(GICD + 0x200) = 0x6;                       /* ISPENDR0 writes to SGI bits are ignored */
  state("ispendr_sgi");
  show("iar_sgi", x = IAR()); EOI(x);
  /* EOImode 1: EOIR drops priority only; GICC_DIR deactivates. */
  mmio32(GICC + 0) = 0x201;
  mmio32(GICD + 0x204) = 1u << 8;
  x = IAR(); show("iar_eoimode", x);
  EOI(x); state("eoimode_after_eoi");
  mmio32(GICC + 0x1000) = x; state("eoimode_after_dir");
  mmio32(GICC + 0) = 1;
  /* Active set/clear. */
  mmio32(GICD + 0x304) = 1u << 11; state("isactive43");
  mmio32(GICD + 0x384) = 1u << 11; state("icactive43");
  /* Edge configuration for SPI 40, then a pend/clear cycle. */
  mmio32(GICD + 0xc08) = 2u << 16;
  show("icfgr2", mmio32(GICD + 0xc08));
  mmio32(GICD + 0x204) = 1u << 8; state("edge_pend");
  mmio32(GICD + 0x284) = 1u << 8; state("edge_clear");
  /* Disabled but pending: not delivered, still visible in ISPENDR. */
  mmio32(GICD + 0x184) = 1u << 8;
  mmio32(GICD + 0x204) = 1u << 8;
  show("iar_disabled", IAR()); state("disabled_pending");
  /* Distributor off: nothing is forwarded. */
  mmio32(GICD + 0x104) = 1u << 8;
  mmio32(GICD + 0) = 0;
  show("iar_dist_off", IAR());
  mmio32(GICD + 0) = 1;
  show("iar_dist_on", x = IAR()); EOI(x);
  state("end");
  return 0;
}
