/* Per-vCPU generic timers on two vCPUs (run with cpus = 2): vCPU 1, started by PSCI CPU_ON, arms its
   own virtual timer (PPI 27, banked per CPU) and waits for it in WFI, several times, while vCPU 0
   (a) waits in WFI for its own later timer, (b) spins, (c) keeps reprogramming its own timer as a
   tickless kernel does. Each secondary wait must end with vCPU 1's timer interrupt. SYSTEM_OFF ends. */
#include "rt/xrt.h"

#define CPU_ON 0x84000003u
#define SYSTEM_OFF 0x84000008u
#define ROUNDS 5

static volatile u32 started, hits[2], go, done_rounds, early_wakes;

static inline void cntv_tval(u32 v) { __asm__ volatile("mcr p15, 0, %0, c14, c3, 0" :: "r"(v)); __asm__ volatile("isb"); }
static inline void cntv_ctl(u32 v) { __asm__ volatile("mcr p15, 0, %0, c14, c3, 1" :: "r"(v)); __asm__ volatile("isb"); }

static void on_irq(u32 irq) {
  u32 me = mpidr() & 0xf;
  if (irq != 27) return;
  cntv_ctl(2); /* masked: the level drops */
  hits[me]++;
}

/* Arms this vCPU's virtual timer `ticks` ahead and sleeps in WFI until its interrupt was taken. */
static void sleep_ticks(u32 ticks) {
  u32 me = mpidr() & 0xf, before = hits[me];
  irq_off();
  cntv_tval(ticks);
  cntv_ctl(1);
  while (hits[me] == before) {
    wfi();
    irq_on(); irq_off(); /* take it here */
  }
  irq_on();
}

void secondary_main(u32 context) {
  (void)context;
  gic_init_cpu();
  gic_enable(27);
  irq_on();
  started = 1;
  for (u32 r = 0; r < 3 * ROUNDS; r++) {
    while (go <= r);
    sleep_ticks(20000);
    done_rounds = r + 1;
  }
  for (;;) wfi();
}

static void wait_rounds(u32 n, int mode) {
  for (u32 i = 0; i < 400000 && done_rounds < n; i++) {
    if (mode == 0) sleep_ticks(500000);  /* (a) own timer later than vCPU 1's */
    else if (mode == 2) { cntv_tval(3000); cntv_ctl(1); } /* (c) re-arm every few instructions */
  }
}

int main(void) {
  print("smp timer guest\n");
  irq_handler = on_irq;
  gic_init_cpu();
  gic_enable(27);
  irq_on();
  check("CPU_ON(cpu 1)", smccc(CPU_ON, 1, (u32)secondary_entry, 0), 0);
  for (u32 i = 0; i < 1000000 && !started; i++);
  check("cpu 1 started", started, 1);
  static const char *const names[3] = { "cpu 0 in WFI", "cpu 0 spinning", "cpu 0 re-arming its timer" };
  for (int mode = 0; mode < 3; mode++) {
    for (u32 r = 0; r < ROUNDS; r++) {
      u32 n = mode * ROUNDS + r + 1;
      go = n;
      wait_rounds(n, mode);
      if (done_rounds != n) break;
    }
    cntv_ctl(0);
    print(names[mode]); print(": ");
    check("cpu 1 timer wakeups", hits[1], (mode + 1) * ROUNDS);
  }
  print(failures ? "RESULT: FAIL\n" : "RESULT: PASS 0 failure(s)\n");
  if (failures) return 1;
  smccc(SYSTEM_OFF, 0, 0, 0);
  return 1;
}
