/* Short-descriptor helpers shared by the MMU-using guests: an identity map of QEMU virt's devices and
   RAM, MMU on/off, TLB invalidation, and skipping the instruction a data abort stopped at. */
#ifndef MMU_H
#define MMU_H
#include "rt.h"
#define SEC_RAM (0x2u | (3u << 10) | (1u << 12))              /* section, AP=11, TEX=001 normal NC */
#define SEC_DEV (0x2u | (3u << 10) | (1u << 2) | (1u << 4))   /* section, AP=11, device, XN */

static inline void tlbiall(void) { __asm__ volatile("dsb\n\tmcr p15, 0, %0, c8, c7, 0\n\tdsb\n\tisb" :: "r"(0) : "memory"); }

/* Identity map: devices below 1 GiB, RAM 0x40000000..0x47ffffff, nothing else. */
static inline void identity_map(u32 *l1) {
  for (u32 i = 0; i < 4096; i++) {
    u32 pa = i << 20;
    l1[i] = pa < 0x40000000u ? pa | SEC_DEV : pa < 0x48000000u ? pa | SEC_RAM : 0;
  }
}

static inline void mmu_on(u32 *l1) {
  write_cp15(0, c2, c0, 2, 0);          /* TTBCR: short descriptors, N=0 */
  write_cp15(0, c2, c0, 0, (u32)l1);    /* TTBR0 */
  write_cp15(0, c3, c0, 0, 0x55555555u); /* DACR: every domain client */
  tlbiall();
  write_cp15(0, c1, c0, 0, read_cp15(0, c1, c0, 0) | 1);
  __asm__ volatile("isb" ::: "memory");
}

static inline void mmu_off(void) {
  write_cp15(0, c1, c0, 0, read_cp15(0, c1, c0, 0) & ~1u);
  __asm__ volatile("isb" ::: "memory");
}

/* Moves the saved return address (frame[13], the aborted instruction) past it: 4 bytes in ARM,
   2 or 4 in Thumb by the first halfword's encoding. */
static inline void skip_insn(u32 *frame, u32 spsr) {
  if (spsr & 0x20) frame[13] += (*(u16 *)frame[13] >> 11) >= 0x1d ? 4 : 2;
  else frame[13] += 4;
}

static inline u32 get_spsr(void) { u32 v; __asm__ volatile("mrs %0, spsr" : "=r"(v)); return v; }

/* Calls the function at va with 4 in r0, first storing the return address in *resume so that a prefetch
   abort handler can resume there when va does not execute; returns what r0 holds afterwards. */
static inline u32 call_va(u32 va, volatile u32 *resume) {
  u32 res;
  __asm__ volatile("adr r1, 1f\n\t"
#ifdef __thumb__
                   "orr r1, r1, #1\n\t"
#endif
                   "str r1, [%1]\n\tmov r0, #4\n\tblx %2\n1:\n\tmov %0, r0" : "=r"(res) : "r"(resume), "r"(va) : "r0", "r1", "r2", "r3", "r12", "lr", "memory");
  return res;
}
#endif
