/* PSCI 1.1 and SMCCC 1.2 over HVC #0 with three vCPUs (run with cpus = 3): version and feature
   queries, CPU_ON with the entry state and context, ALREADY_ON, INVALID_PARAMETERS, AFFINITY_INFO
   following CPU_OFF, restarting a vCPU, the PSCI 0.1 cpu_on ID from the device tree, an event-channel
   IPI to a secondary vCPU, CPU_SUSPEND sleeping until an interrupt is pending, and SYSTEM_OFF to end. */
#include "rt/xrt.h"

#define PSCI_VERSION 0x84000000u
#define CPU_SUSPEND 0x84000001u
#define CPU_OFF 0x84000002u
#define CPU_ON 0x84000003u
#define AFFINITY_INFO 0x84000004u
#define MIGRATE_INFO_TYPE 0x84000006u
#define SYSTEM_OFF 0x84000008u
#define PSCI_FEATURES 0x8400000au

static volatile u32 started[4], context_seen[4], cpsr_seen[4], sctlr_seen[4], release[4], ipi_hits[4];
static u8 shared_page[4096] __attribute__((aligned(4096)));
static u8 vcpu_pages[4][64] __attribute__((aligned(64)));

static inline u32 cntvct_lo(void) { u32 lo, hi; __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi)); return lo; }

static void on_irq(u32 irq) {
  u32 me = mpidr() & 0xf;
  if (irq != 31) return;
  vcpu_pages[me][0] = 0;
  *(volatile u32 *)(vcpu_pages[me] + 8) = 0;
  *(volatile u32 *)(shared_page + 48) = 0; /* ports < 32: all handled here */
  ipi_hits[me]++;
}

void secondary_main(u32 context) {
  u32 me = mpidr() & 0xf, cpsr, sctlr;
  __asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
  __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
  cpsr_seen[me] = cpsr;
  sctlr_seen[me] = sctlr;
  context_seen[me] = context;
  gic_init_cpu();
  gic_enable(31);
  irq_on();
  started[me]++;
  while (!release[me]);  /* a store from vCPU 0 wakes nothing: spin */
  release[me] = 0;
  smccc(CPU_OFF, 0, 0, 0);
  print("FAIL CPU_OFF returned\n");
  for (;;) wfi();
}

static void wait_for(volatile u32 *flag, u32 value) { for (int i = 0; i < 100000 && *flag != value; i++); }

int main(void) {
  print("psci guest\n");
  check("PSCI_VERSION is 1.1", smccc(PSCI_VERSION, 0, 0, 0), 0x10001);
  check("SMCCC_VERSION is 1.2", smccc(0x80000000u, 0, 0, 0), 0x10002);
  check("PSCI_FEATURES(CPU_ON)", smccc(PSCI_FEATURES, CPU_ON, 0, 0), 0);
  check("PSCI_FEATURES(SYSTEM_RESET)", smccc(PSCI_FEATURES, 0x84000009u, 0, 0), 0);
  check("PSCI_FEATURES(MIGRATE)", smccc(PSCI_FEATURES, 0x84000005u, 0, 0), -1);
  check("SMCCC_ARCH_FEATURES(WORKAROUND_1)", smccc(0x80000001u, 0x80008000u, 0, 0), -1);
  check("MIGRATE_INFO_TYPE", smccc(MIGRATE_INFO_TYPE, 0, 0, 0), 2);
  check("unknown function", smccc(0x8400ffffu, 0, 0, 0), -1);
  check("64-bit CPU_ON from a 32-bit guest", smccc(0xc4000003u, 1, 0, 0), -1);
  check("AFFINITY_INFO(self)", smccc(AFFINITY_INFO, 0, 0, 0), 0);
  check("AFFINITY_INFO(cpu 1) before CPU_ON: off", smccc(AFFINITY_INFO, 1, 0, 0), 1);
  check("AFFINITY_INFO(cpu 9): no such cpu", smccc(AFFINITY_INFO, 9, 0, 0), -2);

  struct { u16 domid, size; u32 space; u64 idx, gpfn; } x = { 0x7ff0, 0, 0, 0, (u32)shared_page >> 12 };
  check("map shared_info", HC(HYP_memory_op, 7, &x, 0), 0);
  for (u32 i = 0; i < 3; i++) {
    u32 vi[4] = { (u32)vcpu_pages >> 12, 0, ((u32)vcpu_pages[i]) & 0xfff, 0 }; /* u64 mfn, u32 offset */
    check("register_vcpu_info", HC(HYP_vcpu_op, 10, i, vi), 0);
  }
  irq_handler = on_irq;
  gic_init_cpu();

  check("CPU_ON(cpu 1)", smccc(CPU_ON, 1, (u32)secondary_entry, 0x1111), 0);
  wait_for(&started[1], 1);
  check("cpu 1 started", started[1], 1);
  check("cpu 1 got its context id in r0", context_seen[1], 0x1111);
  check("cpu 1 starts in SVC with A/I/F masked", cpsr_seen[1] & 0x1df, 0x1d3);
  check("cpu 1 starts with the MMU off", sctlr_seen[1] & 1, 0);
  check("CPU_ON(cpu 1) again", smccc(CPU_ON, 1, (u32)secondary_entry, 0), -4);
  check("CPU_ON(cpu 7)", smccc(CPU_ON, 7, (u32)secondary_entry, 0), -2);
  check("AFFINITY_INFO(cpu 1): on", smccc(AFFINITY_INFO, 1, 0, 0), 0);

  /* an IPI event channel bound to vCPU 1 */
  struct { u32 vcpu, port; } ipi = { 1, 0 };
  check("bind_ipi(vcpu 1)", HC(HYP_event_channel_op, 7, &ipi, 0), 0);
  check("send ipi", HC(HYP_event_channel_op, 4, &ipi.port, 0), 0);
  wait_for(&ipi_hits[1], 1);
  check("vcpu 1 took the upcall", ipi_hits[1], 1);
  check("vcpu 0 did not", ipi_hits[0], 0);

  release[1] = 1;
  for (int i = 0; i < 1000 && smccc(AFFINITY_INFO, 1, 0, 0) != 1; i++);
  check("AFFINITY_INFO(cpu 1) after CPU_OFF: off", smccc(AFFINITY_INFO, 1, 0, 0), 1);
  check("CPU_ON(cpu 1) once more", smccc(CPU_ON, 1, (u32)secondary_entry, 0x2222), 0);
  wait_for(&started[1], 2);
  check("cpu 1 restarted with the new context", context_seen[1], 0x2222);
  check("PSCI 0.1 cpu_on (ID 2) starts cpu 2", smccc(2, 2, (u32)secondary_entry, 0), 0);
  wait_for(&started[2], 1);
  check("cpu 2 started", started[2], 1);
  check("AFFINITY_INFO level 1 (cluster 0): on", smccc(AFFINITY_INFO, 0, 1, 0), 0);
  release[1] = 1;
  release[2] = 1;
  for (int i = 0; i < 1000 && (smccc(AFFINITY_INFO, 1, 0, 0) != 1 || smccc(AFFINITY_INFO, 2, 0, 0) != 1); i++);
  check("cpus 1 and 2 off again", smccc(AFFINITY_INFO, 1, 0, 0) + smccc(AFFINITY_INFO, 2, 0, 0), 2);
  /* CPU_SUSPEND blocks until an interrupt is pending, even with IRQs masked (Xen's vpsci), then returns
     success: with the virtual timer 200000 ticks ahead, at least that much time has passed. */
  irq_off();
  gic_enable(27);
  __asm__ volatile("mcr p15, 0, %0, c14, c3, 0\n\tmcr p15, 0, %1, c14, c3, 1\n\tisb" :: "r"(200000), "r"(1));
  u32 t0 = cntvct_lo();
  check("CPU_SUSPEND with IRQs masked", smccc(CPU_SUSPEND, 0, 0, 0), 0);
  u32 slept = cntvct_lo() - t0;
  check("CPU_SUSPEND returned once the timer interrupt was pending", slept >= 200000 && slept < 210000, 1);
  __asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" :: "r"(0));
  irq_on();
  print(failures ? "RESULT: FAIL\n" : "RESULT: PASS 0 failure(s)\n");
  if (failures) return 1;
  smccc(SYSTEM_OFF, 0, 0, 0);
  print("FAIL SYSTEM_OFF returned\n");
  return 1;
}
