/* Test guest for the smccc filter: a dom0 that asks PSCI for its version over HVC #0 (SMCCC), then
   powers the machine off with PSCI SYSTEM_OFF. No semihosting: it runs under the hypervisor. */
#include "rt.h"

volatile u32 psci_version;

static u32 smccc(u32 fn, u32 a1) {
  register u32 r0 __asm__("r0") = fn;
  register u32 r1 __asm__("r1") = a1;
  __asm__ volatile("hvc #0" : "+r"(r0), "+r"(r1) : : "r2", "r3", "memory");
  return r0;
}

int main(void) {
  psci_version = smccc(0x84000000, 0);   /* @psci-version: PSCI_VERSION */
  smccc(0x84000008, 0);                  /* @system-off: PSCI_SYSTEM_OFF */
  for (;;) {}
}
