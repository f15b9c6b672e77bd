/* xenarm's example dom0: a small guest that does what a kernel booting under Xen does first. It prints
   through the PV console (console_io), asks Xen who it is (xen_version, features), walks the device
   tree Xen generated (the hypervisor node, memory, CPUs, bootargs), sets up event channels (shared_info,
   vcpu_info, the event PPI on the GIC, VIRQ_CONSOLE) and then echoes what you type until you type
   "poweroff" or "reboot". Build with ./build.sh; run with `xenarm run sample/guest/dom0.elf`. */
#include "xen-dom0.h"

static struct shared_info shared __attribute__((aligned(4096)));
static struct vcpu_info vcpu0 __attribute__((aligned(64)));
static volatile int console_event;
static unsigned console_port;

/* ---- output ---- */
static unsigned length(const char *s) { unsigned n = 0; while (s[n]) n++; return n; }
static void write(const char *s, unsigned n) { xen_hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, n, (long)s); }
static void print(const char *s) { write(s, length(s)); }
static void print_num(u32 v, u32 base) {
  char b[24]; int i = 23; b[i] = 0;
  do { b[--i] = "0123456789abcdef"[v % base]; v /= base; } while (v);
  if (base == 16) { b[--i] = 'x'; b[--i] = '0'; }
  print(b + i);
}

/* ---- the flattened device tree Xen handed over in r2 ---- */
static u32 be32(const void *p) { const u8 *b = p; return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3]; }
static int same(const char *a, const char *b) { while (*a && *a == *b) a++, b++; return *a == *b; }
static int starts(const char *s, const char *prefix) { while (*prefix) if (*s++ != *prefix++) return 0; return 1; }

static void show_property(const char *node, const char *name, const u8 *value, u32 len) {
  print("  "); print(node); print(" "); print(name); print(" = ");
  if (same(name, "compatible") || same(name, "bootargs")) {
    for (u32 i = 0; i < len; i++) if (value[i]) write((const char *)value + i, 1); else if (i + 1 < len) print(", ");
  } else {
    for (u32 i = 0; i + 4 <= len; i += 4) { print_num(be32(value + i), 16); print(" "); }
  }
  print("\n");
}

/* Prints the interesting parts of the tree and returns the number of CPUs it describes. */
static int walk_tree(const u8 *fdt) {
  const u8 *s = fdt + be32(fdt + 8);
  const char *strings = (const char *)fdt + be32(fdt + 12);
  const char *path[8] = { "" };
  int depth = -1, cpus = 0;            /* the root node is depth 0, its children depth 1 */
  for (u32 off = 0;;) {
    u32 token = be32(s + off);
    if (token == 1) {                   /* FDT_BEGIN_NODE */
      const char *name = (const char *)s + off + 4;
      if (++depth < 8) path[depth] = name;
      if (depth == 2 && same(path[1], "cpus") && starts(name, "cpu@")) cpus++;
      off += 4 + ((length(name) + 4) & ~3u);
    } else if (token == 2) {            /* FDT_END_NODE */
      depth--; off += 4;
    } else if (token == 3) {            /* FDT_PROP */
      u32 len = be32(s + off + 4);
      const char *name = strings + be32(s + off + 8);
      const u8 *value = s + off + 12;
      if (depth == 1 && (same(path[1], "hypervisor") || starts(path[1], "memory") || same(path[1], "chosen"))
          && !same(name, "device_type"))
        show_property(path[1], name, value, len);
      off += 12 + ((len + 3) & ~3u);
    } else if (token == 4) {            /* FDT_NOP */
      off += 4;
    } else break;                       /* FDT_END */
  }
  return cpus;
}

/* ---- events: the upcall arrives as PPI 31 through the GIC ---- */
#define mmio(a) (*(volatile u32 *)(a))
void irq_entry(void) {
  u32 iar = mmio(GUEST_GICC_BASE + 0x0c);
  if ((iar & 0x3ff) == GUEST_EVTCHN_PPI) {
    vcpu0.evtchn_upcall_pending = 0;
    u64 sel = vcpu0.evtchn_pending_sel;
    vcpu0.evtchn_pending_sel = 0;
    for (int w = 0; w < 64; w++) {
      if (!(sel & (1ull << w))) continue;
      u64 pending = shared.evtchn_pending[w] & ~shared.evtchn_mask[w];
      shared.evtchn_pending[w] &= ~pending;
      if (w == (int)(console_port / 64) && (pending & (1ull << (console_port % 64)))) console_event = 1;
    }
  }
  if ((iar & 0x3ff) != 1023) mmio(GUEST_GICC_BASE + 0x10) = iar;
}

static void setup_events(void) {
  struct xen_add_to_physmap map = { DOMID_SELF, 0, XENMAPSPACE_shared_info, 0, (u32)&shared >> 12 };
  xen_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (long)&map, 0);
  struct vcpu_register_vcpu_info info = { (u32)&vcpu0 >> 12, (u32)&vcpu0 & 0xfff, 0 };
  xen_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, (long)&info);
  mmio(GUEST_GICD_BASE + 0x000) = 1;                                   /* distributor on */
  mmio(GUEST_GICD_BASE + 0x100) = 1u << GUEST_EVTCHN_PPI;              /* enable PPI 31 */
  mmio(GUEST_GICC_BASE + 0x004) = 0xf0;                                /* priority mask */
  mmio(GUEST_GICC_BASE + 0x000) = 1;                                   /* CPU interface on */
  struct evtchn_bind_virq bind = { VIRQ_CONSOLE, 0, 0 };
  xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, (long)&bind, 0);
  console_port = bind.port;
  print("VIRQ_CONSOLE is bound to event channel "); print_num(console_port, 10); print("\n");
  __asm__ volatile("cpsie i");
}

/* Reads one line from the PV console, echoing as a terminal would; returns its length. Bytes read
   past the end of the line stay in `buf` for the next call. */
static char buf[64];
static long buffered, used;
static unsigned read_line(char *line, unsigned max) {
  unsigned n = 0;
  for (;;) {
    if (used == buffered) {
      used = 0;
      buffered = xen_hypercall(__HYPERVISOR_console_io, CONSOLEIO_read, sizeof buf, (long)buf);
      if (buffered <= 0) {
        buffered = 0;
        /* Sleep until Xen raises VIRQ_CONSOLE. IRQs are masked between the test and WFI (which still
           wakes on a pending interrupt), so an event arriving in between is not slept through. */
        __asm__ volatile("cpsid i" ::: "memory");
        while (!console_event) __asm__ volatile("wfi\n\tcpsie i\n\tisb\n\tcpsid i" ::: "memory");
        __asm__ volatile("cpsie i" ::: "memory");
        console_event = 0;
        continue;
      }
    }
    while (used < buffered) {
      char c = buf[used++];
      if (c == '\r' || c == '\n') { print("\n"); line[n] = 0; return n; }
      if ((c == 0x7f || c == 8) && n) { n--; print("\b \b"); continue; }
      if (c >= ' ' && n + 1 < max) { line[n++] = c; write(&c, 1); }
    }
  }
}

static void shutdown(u32 reason) {
  struct sched_shutdown s = { reason };
  xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (long)&s, 0);
}

int main(u32 r0, u32 r1, u32 r2) {
  print("Hello from xenarm's example dom0!\n");
  print("console colours: \033[1;32mgreen\033[0m \033[31mred\033[0m plain\n");
  print("boot registers: r0 = "); print_num(r0, 16); print(", r1 = "); print_num(r1, 16);
  print(", r2 = "); print_num(r2, 16); print(" (the device tree)\n");

  long version = xen_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
  char extra[16];
  xen_hypercall(__HYPERVISOR_xen_version, XENVER_extraversion, (long)extra, 0);
  struct xen_feature_info features = { 0, 0 };
  xen_hypercall(__HYPERVISOR_xen_version, XENVER_get_features, (long)&features, 0);
  print("running on Xen "); print_num(version >> 16, 10); print("."); print_num(version & 0xffff, 10); print(extra);
  print((features.submap >> XENFEAT_dom0) & 1 ? " as dom0\n" : " as a guest\n");

  print("the device tree Xen generated:\n");
  int cpus = walk_tree((const u8 *)r2);
  print("  "); print_num(cpus, 10); print(" CPU(s)\n");

  setup_events();
  for (;;) {
    char line[80];
    print("type a line (\"poweroff\" or \"reboot\" to finish): ");
    read_line(line, sizeof line);
    if (same(line, "poweroff")) { print("powering off\n"); shutdown(SHUTDOWN_poweroff); }
    if (same(line, "reboot")) { print("rebooting\n"); shutdown(SHUTDOWN_reboot); }
    print("you typed: \""); print(line); print("\"\n");
  }
}
