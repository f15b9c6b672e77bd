/* Exceptions: undefined instruction, SVC (immediate read back from the instruction), BKPT (prefetch
   abort debug event), prefetch abort from an unmapped address, data aborts (external, alignment with
   SCTLR.A, LDRD/LDREX alignment), IRQs from the generic timer and from SGIs through the GICv2, with
   the registers each handler sees: SPSR, return address, FSR/FAR, GICC_IAR/RPR/HPPIR. */
#include "rt.h"
#define GICD 0x08000000u
#define GICC 0x08010000u
#define UNMAPPED 0x0e000000u
#ifdef __thumb__
#define r1_thumb 1u
#else
#define r1_thumb 0u
#endif

static volatile int irqs, last_kind;
static volatile u32 resume_to;   /* for prefetch aborts: where to go back to */

static u32 get_spsr(void) { u32 v; __asm__ volatile("mrs %0, spsr" : "=r"(v)); return v; }

void exc_dispatch(int kind, u32 *frame) {
  u32 spsr = get_spsr();
  last_kind = kind;
  show("exc.kind", kind);
  show("exc.spsr", spsr);
  show("exc.cpsr", get_cpsr());
  switch (kind) {
    case 1: /* undefined: lr (adjusted by 4) + 4 is the next instruction for ARM and 16-bit Thumb */
      show("und.at", frame[13] + ((spsr & 0x20) ? 2 : 0));
      frame[13] += 4;
      break;
    case 2: { /* SVC: lr is the next instruction */
      u32 lr = frame[13];
      u32 imm = (spsr & 0x20) ? *(u16 *)(lr - 2) & 0xff : *(u32 *)(lr - 4) & 0xffffff;
      show("svc.imm", imm);
      show("svc.r0", frame[0]);
      frame[0] += 100;
      break;
    }
    case 3:
      show("pabt.ifsr", read_cp15(0, c5, c0, 1));
      show("pabt.ifar", read_cp15(0, c6, c0, 2));
      frame[13] = resume_to & ~1u;   /* the faulting branch kept the instruction set (T in SPSR) */
      break;
    case 4:
      show("dabt.dfsr", read_cp15(0, c5, c0, 0));
      show("dabt.dfar", read_cp15(0, c6, c0, 0));
      if (spsr & 0x20) frame[13] += (*(u16 *)frame[13] >> 11) >= 0x1d ? 4 : 2; /* 32- or 16-bit Thumb */
      else frame[13] += 4;
      break;
    case 6: {
      u32 iar = mmio32(GICC + 0xc);
      show("irq.iar", iar);
      show("irq.rpr", mmio32(GICC + 0x14));
      show("irq.hppir", mmio32(GICC + 0x18));
      if ((iar & 0x3ff) == 30) write_cp15(0, c14, c2, 1, 0); /* CNTP_CTL: stop the timer */
      irqs++;
      mmio32(GICC + 0x10) = iar;
      show("irq.rpr_after_eoi", mmio32(GICC + 0x14));
      break;
    }
    default:
      show("unexpected", kind);
      semi_exit(1);
  }
}

int main(void) {
  /* Undefined instruction: architecturally UNDEFINED encodings. */
#ifdef __thumb__
  __asm__ volatile(".inst.n 0xde00" ::: "memory");        /* UDF #0 (T1) */
#else
  __asm__ volatile(".inst 0xe7f000f0" ::: "memory");      /* UDF #0 (A1) */
#endif
  show("after_und", last_kind);

  /* SVC with an immediate: the handler adds 100 to r0. */
  register u32 r0 __asm__("r0") = 5;
#ifdef __thumb__
  __asm__ volatile("svc #0x42" : "+r"(r0) :: "memory");
#else
  __asm__ volatile("svc #0x4242" : "+r"(r0) :: "memory");
#endif
  show("after_svc", r0);

  /* BKPT without a debugger: a prefetch abort with the debug-event status. */
  __asm__ volatile("adr r1, 1f\n\t"
#ifdef __thumb__
                   "orr r1, r1, #1\n\t"
#endif
                   "str r1, [%0]\n\tbkpt #7\n\tnop\n1:" : : "r"(&resume_to) : "r1", "memory");
  show("after_bkpt", last_kind);

  /* Prefetch abort: branch to an address with nothing mapped. */
  __asm__ volatile("adr r1, 1f\n\t"
#ifdef __thumb__
                   "orr r1, r1, #1\n\t"
#endif
                   "str r1, [%0]\n\tblx %1\n1:" : : "r"(&resume_to), "r"(UNMAPPED | (r1_thumb)) : "r1", "lr", "memory");
  show("after_pabt", last_kind);

  /* Data aborts. */
  u32 v = 0;
  __asm__ volatile("ldr %0, [%1]" : "=l"(v) : "l"(UNMAPPED + 0x24) : "memory");
  __asm__ volatile("str %0, [%1]" : : "l"(v), "l"(UNMAPPED + 0x1000) : "memory");
  static u32 words[4] __attribute__((aligned(8)));
  __asm__ volatile("ldrex %0, [%1]" : "=r"(v) : "r"((u32)words + 2) : "memory");  /* 32-bit in Thumb too: see below */
  show("after_ldrex_align", last_kind);
  u32 sctlr = read_cp15(0, c1, c0, 0);
  write_cp15(0, c1, c0, 0, sctlr | 2);  /* SCTLR.A: alignment checking */
  __asm__ volatile("isb\n\tldr %0, [%1]" : "=l"(v) : "l"((u32)words + 1) : "memory");
  __asm__ volatile("ldrh %0, [%1]" : "=l"(v) : "l"((u32)words + 3) : "memory");
  write_cp15(0, c1, c0, 0, sctlr);
  __asm__ volatile("isb" ::: "memory");

  /* GICv2 + generic timer: PPI 30 (non-secure physical timer). */
  mmio32(GICD + 0x0) = 1;
  mmio32(GICC + 0x4) = 0xf0;
  mmio32(GICC + 0x0) = 1;
  mmio8(GICD + 0x400 + 30) = 0xa0;
  mmio32(GICD + 0x100) = 1u << 30;
  show("cntfrq", read_cp15(0, c14, c0, 0));
  /* CNTP_TVAL: 32 ms, so that QEMU (whose timer runs on wall-clock time) cannot fire it before the
     CNTP_CTL read below, which the lock-step test compares with ISTATUS included. */
  write_cp15(0, c14, c2, 0, 2000000);
  write_cp15(0, c14, c2, 1, 1);        /* CNTP_CTL.ENABLE */
  show("cntp_ctl", read_cp15(0, c14, c2, 1) & 3);
  /* Wait with IRQs masked (WFI still wakes on a pending interrupt), then unmask at one known point, so
     the instruction stream is the same whenever the timer fires (QEMU's timer runs on wall-clock time;
     the lock-step test depends on this). */
  while (irqs == 0) __asm__ volatile("wfi\n\tcpsie i\n\tnop\n\tcpsid i" ::: "memory");
  show("cntp_ctl_after", read_cp15(0, c14, c2, 1));

  /* SGIs to ourselves: target-list filter 2 (self), then list filter with our bit; priorities decide order. */
  mmio8(GICD + 0x400 + 3) = 0x80;
  mmio8(GICD + 0x400 + 5) = 0x40;
  mmio32(GICD + 0xf00) = (2u << 24) | 3;
  mmio32(GICD + 0xf00) = (0u << 24) | (1u << 16) | 5;
  show("spendsgir3", mmio8(GICD + 0xf20 + 3));
  show("ispendr0", mmio32(GICD + 0x200));
  show("hppir", mmio32(GICC + 0x18));
  irqs = 0;
  __asm__ volatile("cpsie i\n\tnop\n\tnop\n\tcpsid i" ::: "memory");
  show("sgi_irqs", irqs);
  /* Priority mask: an SGI at priority 0xf0 is not signalled with PMR 0xf0. */
  mmio8(GICD + 0x400 + 7) = 0xf0;
  mmio32(GICD + 0xf00) = (2u << 24) | 7;
  show("iar_masked", mmio32(GICC + 0xc));
  mmio32(GICC + 0x4) = 0xf8;
  u32 iar = mmio32(GICC + 0xc);
  show("iar_unmasked", iar);
  show("rpr_active", mmio32(GICC + 0x14));
  show("isactiver0", mmio32(GICD + 0x300));
  mmio32(GICC + 0x10) = iar;
  show("isactiver0_after", mmio32(GICD + 0x300));
  show("gicc_iar_idle", mmio32(GICC + 0xc));
  return 0;
}
