/* The generic timer's virtual (CNTV_*, PPI 27) and physical (CNTP_*, PPI 30) timers against QEMU,
   whose counter runs on host time: only behaviour that does not depend on the count is printed —
   ISTATUS after the deadline, the TVAL sign on both sides of it, IMASK holding the interrupt back
   (GIC pending bit), the IRQ taken through the GIC once unmasked, CTL with the timer disabled, CVAL
   read back, a negative TVAL firing at once, and WFE woken by the pending (CPSR-masked) timer IRQ. */
#include "rt.h"
#define GICD 0x08000000u
#define GICC 0x08010000u

static volatile u32 irqs, last_iar;

static u32 get_spsr(void) { u32 v; __asm__ volatile("mrs %0, spsr" : "=r"(v)); return v; }

void exc_dispatch(int kind, u32 *frame) {
  (void)frame;
  if (kind != 6) { show("unexpected", kind); semi_exit(1); }
  u32 iar = mmio32(GICC + 0xc);
  last_iar = iar;
  show("  irq.iar", iar);
  show("  irq.spsr_i", (get_spsr() >> 7) & 1);
  /* Mask the timer that fired (its output is level: it stays asserted until masked or re-armed). */
  if ((iar & 0x3ff) == 27) { show("  irq.cntv_ctl", read_cp15(0, c14, c3, 1)); write_cp15(0, c14, c3, 1, 3); }
  if ((iar & 0x3ff) == 30) { show("  irq.cntp_ctl", read_cp15(0, c14, c2, 1)); write_cp15(0, c14, c2, 1, 3); }
  irqs++;
  mmio32(GICC + 0x10) = iar;
}

/* Timer registers by name: v = virtual (c14, c3), p = physical (c14, c2). */
#define CTL_R(t) (t ? read_cp15(0, c14, c3, 1) : read_cp15(0, c14, c2, 1))
#define CTL_W(t, v) do { if (t) write_cp15(0, c14, c3, 1, v); else write_cp15(0, c14, c2, 1, v); __asm__ volatile("isb"); } while (0)
#define TVAL_R(t) (t ? read_cp15(0, c14, c3, 0) : read_cp15(0, c14, c2, 0))
#define TVAL_W(t, v) do { if (t) write_cp15(0, c14, c3, 0, v); else write_cp15(0, c14, c2, 0, v); __asm__ volatile("isb"); } while (0)

static u64 cval_r(int t) {
  u32 lo, hi;
  if (t) __asm__ volatile("mrrc p15, 3, %0, %1, c14" : "=r"(lo), "=r"(hi));
  else __asm__ volatile("mrrc p15, 2, %0, %1, c14" : "=r"(lo), "=r"(hi));
  return ((u64)hi << 32) | lo;
}
static void cval_w(int t, u64 v) {
  if (t) __asm__ volatile("mcrr p15, 3, %0, %1, c14\n\tisb" :: "r"((u32)v), "r"((u32)(v >> 32)));
  else __asm__ volatile("mcrr p15, 2, %0, %1, c14\n\tisb" :: "r"((u32)v), "r"((u32)(v >> 32)));
}
static u32 pending(u32 id) { return (mmio32(GICD + 0x200) >> id) & 1; }

static void one_timer(int t, const char *name, u32 ppi) {
  puts_(name); puts_("\n");
  CTL_W(t, 0);
  show("disabled.ctl", CTL_R(t));
  cval_w(t, 0x0123456789abcdefull);
  show64("cval_readback", cval_r(t));
  cval_w(t, 0);
  show("disabled_past_deadline.ctl", CTL_R(t));        /* no ISTATUS while disabled */
  /* Masked, deadline far ahead: not firing, TVAL positive. */
  TVAL_W(t, 0x40000000u);
  CTL_W(t, 3);
  show("future.ctl", CTL_R(t));
  show("future.tval_sign", TVAL_R(t) >> 31);
  show("future.pending", pending(ppi));
  /* Short deadline, masked: poll until ISTATUS; the GIC sees nothing while IMASK is set. */
  TVAL_W(t, 20000);
  while (!(CTL_R(t) & 4)) { }
  show("fired_masked.ctl", CTL_R(t));
  show("fired_masked.tval_sign", TVAL_R(t) >> 31);
  show("fired_masked.pending", pending(ppi));
  /* Unmask with IRQs masked in the CPU: pending in the GIC, taken once the CPU unmasks. */
  CTL_W(t, 1);
  show("unmasked.ctl", CTL_R(t));
  show("unmasked.pending", pending(ppi));
  show("unmasked.hppir", mmio32(GICC + 0x18));
  irqs = 0;
  __asm__ volatile("cpsie i\n\tnop\n\tnop\n\tcpsid i" ::: "memory");
  show("irqs", irqs);
  show("after_irq.ctl", CTL_R(t));
  show("after_irq.pending", pending(ppi));
  /* A negative TVAL is a deadline in the past: ISTATUS at once. */
  CTL_W(t, 3);
  TVAL_W(t, (u32)-1000);
  show("negative_tval.ctl", CTL_R(t));
  show("negative_tval.tval_sign", TVAL_R(t) >> 31);
  /* Re-arming in the future clears ISTATUS. */
  TVAL_W(t, 0x40000000u);
  show("rearmed.ctl", CTL_R(t));
  /* WFE with the IRQ masked in the CPU: the timer's pending interrupt wakes it (QEMU never sleeps in
     WFE; xenarm skips ahead to the deadline). */
  TVAL_W(t, 30000);
  CTL_W(t, 1);
  while (!pending(ppi)) __asm__ volatile("wfe" ::: "memory");
  show("wfe_woken.pending", pending(ppi));
  show("wfe_woken.ctl", CTL_R(t));
  irqs = 0;
  __asm__ volatile("cpsie i\n\tnop\n\tnop\n\tcpsid i" ::: "memory");
  show("irqs", irqs);
  CTL_W(t, 0);
}

int main(void) {
  mmio32(GICD + 0x0) = 1;
  mmio32(GICC + 0x4) = 0xf0;
  mmio32(GICC + 0x0) = 1;
  mmio8(GICD + 0x400 + 27) = 0xa0;
  mmio8(GICD + 0x400 + 30) = 0xa0;
  mmio32(GICD + 0x100) = (1u << 27) | (1u << 30);
  show("cntfrq", read_cp15(0, c14, c0, 0));
  show("cntkctl", read_cp15(0, c14, c1, 0));
  one_timer(1, "virtual", 27);
  one_timer(0, "physical", 30);
  return 0;
}
