/* Event channels to itself with the 2-level ABI, delivered as the upcall PPI (31) through the GIC at
   Xen's guest addresses: interdomain loopback, IPI, VIRQ_CONSOLE with typed input (the test feeds
   "xyz\n" when the guest prints "waiting for input"), masking, status, close, error codes; and the
   generic timer's virtual PPI (27). */
#include "rt/xrt.h"

static u8 shared_page[4096] __attribute__((aligned(4096)));
static u8 vcpu_page[4096] __attribute__((aligned(4096)));
#define PENDING ((volatile u32 *)(shared_page + 48))
#define MASK ((volatile u32 *)(shared_page + 560))
#define VI_UPCALL (*(volatile u8 *)(vcpu_page + 0))
#define VI_SEL ((volatile u32 *)(vcpu_page + 8))

static volatile u32 hits[64];
static volatile u32 upcalls, timer_irqs;

static void on_irq(u32 irq) {
  if (irq == 27) { timer_irqs++; __asm__ volatile("mcr p15, 0, %0, c14, c3, 1" :: "r"(0)); return; } /* CNTV_CTL = 0 */
  if (irq != 31) return;
  upcalls++;
  VI_UPCALL = 0;
  /* Take the selector words, then every pending unmasked port in them (what Linux's 2-level handler does). */
  for (int w = 0; w < 2; w++) {
    u32 sel = VI_SEL[w];
    VI_SEL[w] = 0;
    for (int half = 0; sel; half++, sel >>= 1) {
      if (!(sel & 1)) continue;
      int word = w * 32 + half;  /* 64-bit selector bit n ↔ 64-port word n */
      for (int k = 0; k < 2; k++) {
        u32 bits = PENDING[word * 2 + k] & ~MASK[word * 2 + k];
        for (int b = 0; b < 32; b++) if (bits & (1u << b)) {
          u32 port = word * 64 + k * 32 + b;
          PENDING[word * 2 + k] &= ~(1u << b);
          if (port < 64) hits[port]++;
        }
      }
    }
  }
}

static long evtchn(int cmd, void *arg) { return HC(HYP_event_channel_op, cmd, arg, 0); }
static void settle(void) { for (volatile int i = 0; i < 200; i++); }

int main(void) {
  print("events guest\n");
  struct { u16 domid, size; u32 space; u64 idx, gpfn; } x = { 0x7ff0, 0, 0, 0, (u32)shared_page >> 12 };
  check("map shared_info", HC(HYP_memory_op, 7, &x, 0), 0);
  check("init_control (FIFO) is refused", evtchn(11, shared_page), -ENOSYS);
  u32 vi[4] = { (u32)vcpu_page >> 12, 0, 0, 0 };
  check("register_vcpu_info", HC(HYP_vcpu_op, 10, 0, vi), 0);
  irq_handler = on_irq;
  gic_init_cpu();
  gic_enable(31);
  gic_enable(27);
  irq_on();
  settle();
  check("the registration's spurious upcall arrived", upcalls, 1);

  struct { u16 dom, remote; u32 port; } au = { 0x7ff0, 0x7ff0, 0 };
  check("alloc_unbound", evtchn(6, &au), 0);
  u32 a = au.port;
  check("first port is 1", a, 1);
  struct { u32 remote_dom, remote_port, local_port; } bi = { 0x7ff0, a, 0 };
  check("bind_interdomain to own unbound port", evtchn(0, &bi), 0);
  u32 b = bi.local_port;
  check("second port is 2", b, 2);
  settle();
  check("bind_interdomain notifies the new port", hits[b], 1);
  bi.remote_port = a;
  check("bind_interdomain to a bound port", evtchn(0, &bi), -EINVAL);
  check("send a -> b", evtchn(4, &a), 0);
  settle();
  check("b received", hits[b], 2);
  check("send b -> a", evtchn(4, &b), 0);
  settle();
  check("a received", hits[a], 1);

  /* status */
  struct { u16 dom, pad; u32 port, status, vcpu; u16 rdom, pad2; u32 rport; } st = { 0x7ff0, 0, a };
  check("status(a)", evtchn(5, &st), 0);
  check("a is interdomain", st.status, 2);
  check("a's remote port is b", st.rport, b);
  st.port = 4095;
  check("status of a never-valid port", evtchn(5, &st), -EINVAL);

  /* masking: an event on a masked port stays pending without an upcall until unmask */
  MASK[0] |= 1u << a;
  u32 before = upcalls;
  evtchn(4, &b);
  settle();
  check("masked: no upcall", upcalls, before);
  check("masked: pending bit set", (PENDING[0] >> a) & 1, 1);
  check("unmask", evtchn(9, &a), 0);
  settle();
  check("unmask delivers the pending event", hits[a], 2);

  /* IPI to ourselves */
  struct { u32 vcpu, port; } ipi = { 0, 0 };
  check("bind_ipi", evtchn(7, &ipi), 0);
  evtchn(4, &ipi.port);
  settle();
  check("ipi received", hits[ipi.port], 1);
  ipi.vcpu = 3;
  check("bind_ipi to a missing vCPU", evtchn(7, &ipi), -ENOENT);

  /* VIRQs */
  struct { u32 virq, vcpu, port; } bv = { 2, 0, 0 };
  check("bind_virq(VIRQ_CONSOLE)", evtchn(1, &bv), 0);
  u32 con = bv.port;
  check("bind_virq(VIRQ_CONSOLE) twice", evtchn(1, &bv), -EEXIST);
  bv.vcpu = 1;
  check("bind_virq global VIRQ on vCPU 1", evtchn(1, &bv), -EINVAL);
  bv.virq = 40; bv.vcpu = 0;
  check("bind_virq(40)", evtchn(1, &bv), -EINVAL);
  struct { u32 port, vcpu; } bvc = { con, 2 };
  check("bind_vcpu to a missing vCPU", evtchn(8, &bvc), -ENOENT);
  bvc.vcpu = 0;
  check("bind_vcpu(VIRQ_CONSOLE port, 0)", evtchn(8, &bvc), 0);

  print("waiting for input\n");
  for (int i = 0; i < 1000 && !hits[con]; i++) settle();
  check("VIRQ_CONSOLE raised by input", hits[con], 1);
  char buf[16];
  long n = HC(HYP_console_io, 1, sizeof buf, buf);
  check("console_io(read) returns the typed bytes", n, 4);
  check("typed bytes", memcmp_(buf, "xyz\n", 4), 0);
  check("console_io(read) again: nothing", HC(HYP_console_io, 1, sizeof buf, buf), 0);

  /* close */
  check("close(b)", evtchn(3, &b), 0);
  st.port = a;
  evtchn(5, &st);
  check("a is unbound after b closed", st.status, 1);
  check("send on unbound a is dropped", evtchn(4, &a), 0);
  check("send on closed b", evtchn(4, &b), -EINVAL);
  u32 zero = 0, big = 5000;
  check("close(0)", evtchn(3, &zero), -EINVAL);
  check("send(5000)", evtchn(4, &big), -EINVAL);
  check("bad event_channel_op", evtchn(99, &a), -ENOSYS);
  check("event_channel_op bad pointer", HC(HYP_event_channel_op, 4, 0x10000000, 0), -EFAULT);

  /* the virtual timer's PPI 27 */
  __asm__ volatile("mcr p15, 0, %0, c14, c3, 0" :: "r"(5000));  /* CNTV_TVAL */
  __asm__ volatile("mcr p15, 0, %0, c14, c3, 1" :: "r"(1));     /* CNTV_CTL: enable */
  for (int i = 0; i < 10 && !timer_irqs; i++) wfi();
  check("virtual timer interrupt", timer_irqs, 1);
  return 0;
}
