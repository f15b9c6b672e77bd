/* Checks what the dom0 builder handed over and ends the way the command line asks. With a device tree
   (r1 = 0xffffffff) it reads /chosen (bootargs, initrd range), /memory, /hypervisor and /psci; with
   ATAGS (r1 = a machine number) it walks the list. Then "shutdown=N" in the command line ends with
   SCHEDOP_shutdown(N) (after SCHEDOP_shutdown_code(M) for "shutdown_code=M"; "remote_shutdown=N" uses
   SCHEDOP_remote_shutdown on domain 0), "block" blocks with nothing to wake it, "psci=off|reset" with PSCI SYSTEM_OFF/RESET, "watchdog" arms a 1 s watchdog and
   sleeps on the timer until it fires, anything else powers off. The initrd's first 8 bytes must be
   "INITRD!\n". */
#include "rt/xrt.h"
#include "rt/fdt.h"

static const char *cmdline = "";

static int has(const char *word) {
  u32 n = strlen_(word);
  for (const char *p = cmdline; *p; p++) if (memcmp_(p, word, n) == 0) return 1;
  return 0;
}
static u32 number_after(const char *word) {
  u32 n = strlen_(word), v = 0;
  for (const char *p = cmdline; *p; p++) if (memcmp_(p, word, n) == 0) {
    for (p += n; *p >= '0' && *p <= '9'; p++) v = v * 10 + (*p - '0');
    return v;
  }
  return 0;
}

static void check_initrd(u32 start, u32 end) {
  show("initrd size", end - start);
  check("initrd content", memcmp_((const void *)start, "INITRD!\n", 8), 0);
}

static void from_tree(const u8 *fdt) {
  check("tree magic", be32(fdt), 0xd00dfeed);
  int chosen = fdt_path(fdt, "/chosen");
  check("/chosen exists", chosen >= 0, 1);
  u32 len;
  const char *args = fdt_prop(fdt, chosen, "bootargs", &len);
  if (args) { cmdline = args; print("bootargs: "); print(args); print("\n"); }
  const u8 *is = fdt_prop(fdt, chosen, "linux,initrd-start", &len);
  const u8 *ie = fdt_prop(fdt, chosen, "linux,initrd-end", 0);
  if (is && ie) check_initrd(be32(is + len - 4), be32(ie + len - 4));
  int hyp = fdt_path(fdt, "/hypervisor");
  check("/hypervisor exists", hyp >= 0, 1);
  if (hyp >= 0) {
    const char *compat = fdt_prop(fdt, hyp, "compatible", 0);
    print("hypervisor compatible: "); print(compat); print("\n");
    const u8 *reg = fdt_prop(fdt, hyp, "reg", &len);
    check("hypervisor reg: grant table base", be32(reg + 4), 0x38000000);
    const u8 *irq = fdt_prop(fdt, hyp, "interrupts", &len);
    check("hypervisor interrupts: PPI 15 (31)", be32(irq + 4), 15);
  }
  int mem = fdt_path(fdt, "/memory");
  const u8 *mreg = fdt_prop(fdt, mem, "reg", &len);
  show("memory MiB", be32(mreg + 12) >> 20);
  int extra = fdt_path(fdt, "/overlay-node");
  if (extra >= 0) { print("overlay node: "); print(fdt_prop(fdt, extra, "note", 0)); print("\n"); }
}

static void from_atags(const u32 *t) {
  for (int i = 0; i < 32 && t[0]; i++) {
    switch (t[1]) {
      case 0x54410001: print("ATAG_CORE\n"); break;
      case 0x54410002: show("ATAG_MEM MiB", t[2] >> 20); print("ATAG_MEM start "); print_hex(t[3]); print("\n"); break;
      case 0x54420005: print("ATAG_INITRD2\n"); check_initrd(t[2], t[2] + t[3]); break;
      case 0x54410009: cmdline = (const char *)&t[2]; print("ATAG_CMDLINE: "); print(cmdline); print("\n"); break;
      default: print("unknown tag "); print_hex(t[1]); print("\n");
    }
    t += t[0];
  }
}

int main(u32 r0, u32 r1, u32 r2) {
  print("boot guest: r0 "); print_hex(r0); print(" r1 "); print_hex(r1); print(" r2 "); print_hex(r2); print("\n");
  if (r1 == 0xffffffff) from_tree((const u8 *)r2);
  else { show("machine number", r1); from_atags((const u32 *)r2); }
  if (failures) return 1;
  if (has("shutdown_code=")) {
    u32 code = number_after("shutdown_code=");
    check("sched_op(shutdown_code)", HC(HYP_sched_op, 5, &code, 0), 0);
  }
  if (has("remote_shutdown=")) {
    struct { u16 domid, pad; u32 reason; } rs = { 0x7ff0, 0, number_after("remote_shutdown=") };
    check("remote_shutdown(DOMID_SELF) is not a domain id", HC(HYP_sched_op, 4, &rs, 0), -ESRCH);
    rs.domid = 0;
    HC(HYP_sched_op, 4, &rs, 0);
    print("FAIL remote_shutdown of dom0 returned\n");
    return 1;
  }
  if (has("block")) { /* nothing armed, no event bound: SCHEDOP_block never wakes */
    HC(HYP_sched_op, 1, 0, 0);
    print("FAIL SCHEDOP_block returned with nothing to wake it\n");
    return 1;
  }
  if (has("shutdown=")) shutdown(number_after("shutdown="));
  if (has("psci=off")) smccc(0x84000008u, 0, 0, 0);
  if (has("psci=reset")) smccc(0x84000009u, 0, 0, 0);
  if (has("watchdog")) {
    u32 wd[2] = { 0, 1 };
    check("watchdog armed", HC(HYP_sched_op, 6, wd, 0), 1);
    /* Sleep on the virtual timer, 0.5 s at a time, IRQs masked (WFI wakes on the pending PPI anyway):
       the watchdog ends the run after 1 s of virtual time. */
    gic_init_cpu();
    gic_enable(27);
    for (int i = 0; i < 8; i++) {
      __asm__ volatile("mcr p15, 0, %0, c14, c3, 0" :: "r"(31250000));
      __asm__ volatile("mcr p15, 0, %0, c14, c3, 1" :: "r"(1));
      wfi();
    }
    print("FAIL the watchdog did not fire\n");
    return 1;
  }
  return 0;
}
