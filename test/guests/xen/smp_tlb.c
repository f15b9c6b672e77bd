/* Broadcast TLB maintenance on two vCPUs (run with cpus = 2). Both vCPUs run with the MMU on over one
   shared short-descriptor table; vCPU 1 reads through a test section, so its TLB holds that translation.
   vCPU 0 then points the section at another physical megabyte and invalidates with an inner-shareable
   operation only (TLBIMVAIS, TLBIMVAAIS, TLBIALLIS, TLBIASIDIS for a non-global section): vCPU 1's next
   read must see the new page, since ID_MMFR3 says maintenance is broadcast (Linux relies on it and sends
   no IPI). While the IS forms acted on the issuing vCPU only, every check reading page B failed. */
#include "rt/xrt.h"

#define CPU_ON 0x84000003u
#define SEC_RAM (0x2u | (3u << 10) | (1u << 12))  /* section, AP=11, TEX=001 normal non-cacheable */
#define SEC_DEV (0x2u | (3u << 10) | (1u << 2) | (1u << 4))
#define NG (1u << 17)
#define TEST_VA 0x60000000u
#define PA_A 0x44000000u
#define PA_B 0x44100000u

static u32 l1[4096] __attribute__((aligned(16384)));
static volatile u32 step, seen;

#define mcr(crn, crm, op2, v) __asm__ volatile("mcr p15, 0, %0, " #crn ", " #crm ", " #op2 :: "r"(v) : "memory")
static inline void dsb_isb(void) { __asm__ volatile("dsb\n\tisb" ::: "memory"); }

static void mmu_on(void) {
  mcr(c2, c0, 2, 0u);           /* TTBCR: short descriptors, TTBR0 only */
  mcr(c2, c0, 0, (u32)l1);      /* TTBR0 */
  mcr(c3, c0, 0, 0x55555555u);  /* DACR: every domain client */
  mcr(c13, c0, 1, 5u);          /* CONTEXTIDR: ASID 5 */
  mcr(c8, c7, 0, 0u);           /* TLBIALL (local) */
  dsb_isb();
  u32 sctlr;
  __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
  mcr(c1, c0, 0, sctlr | 1);
  dsb_isb();
}

/* vCPU 1: on every odd step, read the test section and publish what it saw. */
void secondary_main(u32 context) {
  (void)context;
  mmu_on();
  for (u32 s = 1; ; s += 2) {
    while (step != s);
    seen = *(volatile u32 *)TEST_VA;
    step = s + 1;
  }
}

/* Asks vCPU 1 to read the test section; returns what it read. */
static u32 remote_read(void) {
  static u32 s = 1;
  step = s;
  while (step != s + 1);
  s += 2;
  return seen;
}

static void remap(u32 pa, u32 ng) {
  l1[TEST_VA >> 20] = pa | SEC_RAM | ng;
  __asm__ volatile("dsb" ::: "memory");
}

int main(void) {
  print("smp tlb guest\n");
  for (u32 i = 0; i < 4096; i++) {
    u32 pa = i << 20;
    l1[i] = pa < 0x40000000u ? pa | SEC_DEV : pa < 0x48000000u ? pa | SEC_RAM : 0;
  }
  remap(PA_A, 0);
  mmu_on();
  *(volatile u32 *)PA_A = 0xaaaa0001u;
  *(volatile u32 *)PA_B = 0xbbbb0002u;
  check("CPU_ON(cpu 1)", smccc(CPU_ON, 1, (u32)secondary_entry, 0), 0);
  check("cpu 1 reads page A", remote_read(), 0xaaaa0001u);

  remap(PA_B, 0);
  mcr(c8, c3, 1, TEST_VA | 5); dsb_isb();   /* TLBIMVAIS */
  check("after TLBIMVAIS, cpu 1 reads page B", remote_read(), 0xbbbb0002u);

  remap(PA_A, 0);
  mcr(c8, c3, 3, TEST_VA); dsb_isb();       /* TLBIMVAAIS */
  check("after TLBIMVAAIS, cpu 1 reads page A", remote_read(), 0xaaaa0001u);

  remap(PA_B, 0);
  mcr(c8, c3, 0, 0u); dsb_isb();            /* TLBIALLIS */
  check("after TLBIALLIS, cpu 1 reads page B", remote_read(), 0xbbbb0002u);

  /* A non-global section, then TLBIASIDIS with the ASID both vCPUs run under. */
  remap(PA_A, NG);
  mcr(c8, c3, 0, 0u); dsb_isb();
  check("cpu 1 reads the non-global page A", remote_read(), 0xaaaa0001u);
  remap(PA_B, NG);
  mcr(c8, c3, 2, 5u); dsb_isb();            /* TLBIASIDIS, their ASID */
  check("after TLBIASIDIS(5), cpu 1 reads page B", remote_read(), 0xbbbb0002u);
  return 0;
}
