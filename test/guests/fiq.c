/* FIQ as an exception. QEMU's virt GICv2 has interrupt groups (a GICv2 without the Security
   Extensions): with GICC_CTLR.FIQEn set, group 0 interrupts are signalled on the CPU's FIQ input,
   which the virt board wires to the cortex-a15. SGI 2 stays in group 0 (FIQ), SGI 1 goes to group 1
   (IRQ) through GICD_IGROUPR0. Printed: the mode, SPSR, masks and return address of each entry, FIQ's
   banked r8-r12 seen by the handler, FIQ taken before IRQ and preempting nothing when masked
   (CPSR.F), group enables in GICD_CTLR/GICC_CTLR, and GICC_CTLR/IGROUPR read back. */
#include "rt.h"
#define GICD 0x08000000u
#define GICC 0x08010000u

static volatile u32 order[8], n_order, fiq_r8, total;
static u32 get_spsr(void) { u32 v; __asm__ volatile("mrs %0, spsr" : "=r"(v)); return v; }

void exc_dispatch(int kind, u32 *frame) {
  u32 spsr = get_spsr();
  u32 iar = mmio32(GICC + 0xc);
  show("  exc.kind", kind);
  show("  exc.cpsr", get_cpsr());
  show("  exc.spsr", spsr);
  show("  exc.iar", iar);
  show("  exc.return_minus_resume", frame[13] - (u32)order[7]);
  if (kind == 7) { u32 r8; __asm__ volatile("mov %0, r8" : "=r"(r8)); fiq_r8 = r8; }
  order[n_order++ & 3] = kind;
  if (++total > 20) { show("runaway", total); semi_exit(3); }
  if ((iar & 0x3ff) != 1023) mmio32(GICC + 0x10) = iar;
}

static void unmask_and_wait(const char *what, u32 psr_bits) {
  u32 resume;
  n_order = 0;
  /* Unmask at one point (the pending interrupts are taken right after the CPSIE) and come back. */
  if (psr_bits == 3)
    __asm__ volatile("adr %0, 1f\n\tstr %0, [%1]\n\tcpsie if\n1:\tnop\n\tcpsid if" : "=&r"(resume) : "r"(&order[7]) : "memory");
  else
    __asm__ volatile("adr %0, 1f\n\tstr %0, [%1]\n\tcpsie i\n1:\tnop\n\tcpsid i" : "=&r"(resume) : "r"(&order[7]) : "memory");
  show(what, n_order);
  for (u32 i = 0; i < n_order && i < 4; i++) show("  order", order[i]);
}

int main(void) {
  /* FIQ mode's own r8 (banked), to see it in the handler. */
  __asm__ volatile("cps #0x11\n\tmovw r8, #0xf18\n\tcps #0x13" ::: "r8");
  mmio32(GICD + 0x0) = 3;                            /* EnableGrp0 | EnableGrp1 */
  show("gicd_ctlr", mmio32(GICD + 0x0));
  mmio32(GICD + 0x80) = 1u << 1;                     /* IGROUPR0: SGI 1 in group 1 */
  show("igroupr0", mmio32(GICD + 0x80));
  mmio32(GICC + 0x4) = 0xf0;
  mmio32(GICC + 0x0) = 0x1 | 0x2 | 0x8;              /* EnableGrp0 | EnableGrp1 | FIQEn */
  show("gicc_ctlr", mmio32(GICC + 0x0));
  mmio8(GICD + 0x400 + 1) = 0x80;
  mmio32(GICD + 0x100) = 0x2;
  mmio32(GICD + 0xf00) = (2u << 24) | 1;
  /* Without AckCtl a group 1 interrupt reads as 1022 in GICC_HPPIR and GICC_IAR (and stays pending). */
  show("hppir_no_ackctl", mmio32(GICC + 0x18));
  show("iar_no_ackctl", mmio32(GICC + 0xc));
  mmio8(GICD + 0xf10 + 1) = 1;                        /* CPENDSGIR: drop it again */
  mmio32(GICC + 0x0) = 0x1 | 0x2 | 0x4 | 0x8;        /* + AckCtl */
  show("gicc_ctlr", mmio32(GICC + 0x0));
  mmio8(GICD + 0x400 + 1) = 0x80;
  mmio8(GICD + 0x400 + 2) = 0x40;   /* the FIQ source has the higher priority: taken first, and the IRQ
                                      waits for the FIQ handler's return (no timing dependence) */
  mmio32(GICD + 0x100) = 0x6;
  /* Both pending with IRQ and FIQ masked; F and I unmasked together: FIQ first, then the IRQ. */
  mmio32(GICD + 0xf00) = (2u << 24) | 1;
  mmio32(GICD + 0xf00) = (2u << 24) | 2;
  show("hppir", mmio32(GICC + 0x18));
  unmask_and_wait("both_unmasked", 3);
  show("fiq_r8", fiq_r8);
  /* FIQ pending but CPSR.F set: only the IRQ is taken. */
  mmio32(GICD + 0xf00) = (2u << 24) | 2;
  mmio32(GICD + 0xf00) = (2u << 24) | 1;
  unmask_and_wait("irq_only", 1);
  unmask_and_wait("then_fiq", 3);
  /* FIQEn off: group 0 is signalled as IRQ. */
  mmio32(GICC + 0x0) = 0x7;
  mmio32(GICD + 0xf00) = (2u << 24) | 2;
  unmask_and_wait("fiqen_off", 1);
  /* Group 0 disabled in the CPU interface: SGI 2 stays pending, not signalled. */
  mmio32(GICC + 0x0) = 0x2 | 0x4 | 0x8;
  mmio32(GICD + 0xf00) = (2u << 24) | 2;
  unmask_and_wait("grp0_disabled", 3);
  show("ispendr0", mmio32(GICD + 0x200) & 6);
  mmio32(GICC + 0x0) = 0x1 | 0x2 | 0x4 | 0x8;
  unmask_and_wait("grp0_enabled", 3);
  return 0;
}
