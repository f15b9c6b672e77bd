/* SCHEDOP_block and SCHEDOP_poll with Xen 4.17's semantics on ARM, on two vCPUs (run with cpus = 2):
   block unmasks IRQs (CPSR.I) and sleeps until an interrupt is pending (a timer PPI, an event upcall
   from the other vCPU), returning at once when one already is; poll sleeps, without unmasking, until a
   listed port is pending, an interrupt is injected, or its absolute timeout (system time in ns)
   passes, and checks its arguments in Xen's order (-EINVAL past 128 ports or at the first invalid
   port, a pending port earlier in the list wins, -EFAULT for a list that does not map). Time is the
   virtual counter: a sleeping vCPU retires no instructions while the counter moves on. vCPU 1 sleeps
   in SCHEDOP_block between jobs that vCPU 0 hands it through an IPI event channel. At the end both vCPUs
   sleep until a key is typed on the PV console (VIRQ_CONSOLE), as an idle dom0 waits for its user. */
#include "rt/xrt.h"

#define CPU_ON 0x84000003u
#define SCHEDOP_yield 0
#define SCHEDOP_block 1
#define SCHEDOP_poll 3
#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_send 4
#define EVTCHNOP_alloc_unbound 6
#define EVTCHNOP_bind_ipi 7
#define BAD_PTR 0x10000000 /* not RAM */

static u8 shared_page[4096] __attribute__((aligned(4096)));
static u8 vcpu_pages[2][64] __attribute__((aligned(64)));
#define PENDING ((volatile u32 *)(shared_page + 48))
#define MASK ((volatile u32 *)(shared_page + 560))

struct sched_poll { u64 ports; u32 nr_ports, pad; u64 timeout; };

static volatile u32 timer_irqs, upcalls[2], started, jobs_done;
/* The job for vCPU 1: after spinning `job_delay` iterations, send on `job_port`. */
static volatile u32 job_go, job_port, job_delay;
static u32 ipi1; /* IPI port bound to vCPU 1 */

static u64 counter(void) {
  u32 lo, hi;
  __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
  return ((u64)hi << 32) | lo;
}
static void vtimer_in(u32 ticks) {
  __asm__ volatile("mcr p15, 0, %0, c14, c3, 0" :: "r"(ticks));  /* CNTV_TVAL */
  __asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" :: "r"(1)); /* CNTV_CTL: enabled, unmasked */
}
static u32 cpsr(void) { u32 v; __asm__ volatile("mrs %0, cpsr" : "=r"(v)); return v; }
static long evtchn(int cmd, void *arg) { return HC(HYP_event_channel_op, cmd, arg, 0); }
static long sched(int cmd, void *arg) { return HC(HYP_sched_op, cmd, arg, 0); }
static void spin(u32 n) { for (volatile u32 i = 0; i < n; i++); }

static void on_irq(u32 irq) {
  u32 me = mpidr() & 0xf;
  if (irq == 27) { timer_irqs++; __asm__ volatile("mcr p15, 0, %0, c14, c3, 1" :: "r"(0)); return; } /* CNTV_CTL = 0 */
  if (irq != 31) return;
  upcalls[me]++;
  vcpu_pages[me][0] = 0;
  *(volatile u32 *)(vcpu_pages[me] + 8) = 0;
  PENDING[0] &= MASK[0]; /* ports < 32: consume the unmasked ones, leave masked ones pending for poll */
}

void secondary_main(u32 context) {
  (void)context;
  gic_init_cpu();
  gic_enable(31);
  started = 1;
  for (;;) {
    /* The race-free idle loop SCHEDOP_block is made for: test with IRQs off, block (which enables them). */
    irq_off();
    while (!job_go) sched(SCHEDOP_block, 0);
    irq_on();
    job_go = 0;
    spin(job_delay);
    u32 port = job_port;
    evtchn(EVTCHNOP_send, &port);
    jobs_done++;
  }
}

static void job(u32 port, u32 delay) {
  job_port = port;
  job_delay = delay;
  job_go = 1;
  evtchn(EVTCHNOP_send, &ipi1);
}

static long poll(u32 *ports, u32 nr, u64 timeout) {
  struct sched_poll p = { (u32)ports, nr, 0, timeout };
  return sched(SCHEDOP_poll, &p);
}

/* Ticks of the 62.5 MHz counter as Xen system time (ns). */
static u64 ns_at(u64 ticks) { return ticks << 4; }

static void in_range(const char *what, u64 delta, u64 lo, u64 hi) {
  show(what, (long)delta);
  check(what, delta >= lo && delta < hi, 1);
}

int main(void) {
  print("sched guest\n");
  struct { u16 domid, size; u32 space; u64 idx, gpfn; } x = { 0x7ff0, 0, 0, 0, (u32)shared_page >> 12 };
  check("map shared_info", HC(HYP_memory_op, 7, &x, 0), 0);
  for (u32 i = 0; i < 2; i++) {
    u32 vi[4] = { (u32)vcpu_pages >> 12, 0, ((u32)vcpu_pages[i]) & 0xfff, 0 };
    check("register_vcpu_info", HC(HYP_vcpu_op, 10, i, vi), 0);
  }
  irq_handler = on_irq;
  gic_init_cpu();
  gic_enable(27);
  gic_enable(31);
  irq_on();
  spin(200); /* the registration's upcall */
  check("yield", sched(SCHEDOP_yield, 0), 0);

  /* block, woken by the virtual timer 50000 ticks later; IRQs were masked before and are not after. */
  irq_off();
  u32 taken = timer_irqs;
  vtimer_in(50000);
  u64 t0 = counter();
  check("block (timer wakes it)", sched(SCHEDOP_block, 0), 0);
  u64 t1 = counter();
  check("block unmasked IRQs (CPSR.I clear)", cpsr() & 0x80, 0);
  check("the timer interrupt was taken on return", timer_irqs, taken + 1);
  in_range("block slept until the timer", t1 - t0, 50000, 52000);

  /* block with an interrupt already pending returns at once. */
  irq_off();
  vtimer_in(1);
  spin(50); /* the timer fires: pending, masked */
  t0 = counter();
  check("block with an interrupt pending", sched(SCHEDOP_block, 0), 0);
  t1 = counter();
  check("the pending timer interrupt was taken", timer_irqs, taken + 2);
  in_range("block returned at once", t1 - t0, 0, 2000);

  /* vCPU 1 comes up and sleeps in SCHEDOP_block until it is given a job. */
  struct { u32 vcpu, port; } ipi = { 1, 0 };
  check("bind_ipi(vcpu 1)", evtchn(EVTCHNOP_bind_ipi, &ipi), 0);
  ipi1 = ipi.port;
  struct { u32 vcpu, port; } ipi0 = { 0, 0 };
  check("bind_ipi(vcpu 0)", evtchn(EVTCHNOP_bind_ipi, &ipi0), 0);
  check("CPU_ON(cpu 1)", smccc(CPU_ON, 1, (u32)secondary_entry, 0), 0);
  for (int i = 0; i < 100000 && !started; i++);
  check("cpu 1 started", started, 1);

  /* block woken by an event-channel upcall that vCPU 1 sends 30000 iterations later. */
  irq_off();
  u32 up0 = upcalls[0];
  job(ipi0.port, 30000);
  t0 = counter();
  check("block (an event wakes it)", sched(SCHEDOP_block, 0), 0);
  t1 = counter();
  check("the upcall was taken on return", upcalls[0], up0 + 1);
  check("vcpu 1 did its job", jobs_done, 1);
  in_range("block slept until vcpu 1 sent", t1 - t0, 30000, 400000);

  /* poll: argument errors, in Xen's order. */
  struct { u16 dom, remote; u32 port; } au = { 0x7ff0, 0x7ff0, 0 };
  check("alloc_unbound", evtchn(EVTCHNOP_alloc_unbound, &au), 0);
  u32 a = au.port;
  struct { u32 remote_dom, remote_port, local_port; } bi = { 0x7ff0, a, 0 };
  check("bind_interdomain", evtchn(EVTCHNOP_bind_interdomain, &bi), 0);
  u32 b = bi.local_port;
  au.port = 0;
  check("alloc_unbound (c)", evtchn(EVTCHNOP_alloc_unbound, &au), 0);
  u32 c = au.port;
  spin(200); /* IRQs are on (block enabled them): bind_interdomain's notification of b is consumed */
  MASK[0] |= (1u << a) | (1u << b) | (1u << c);
  PENDING[0] &= ~((1u << a) | (1u << b) | (1u << c));
  irq_off(); /* from here on vCPU 0 polls with IRQs masked, as a poller does */

  static u32 many[129];
  for (int i = 0; i < 129; i++) many[i] = a;
  check("poll 129 ports", poll(many, 129, 0), -EINVAL);
  u32 bad[2] = { 5000, a };
  check("poll an invalid port", poll(bad, 2, 0), -EINVAL);
  check("poll a list that does not map", poll((u32 *)BAD_PTR, 1, 0), -EFAULT);
  check("poll with an argument that does not map", sched(SCHEDOP_poll, (void *)BAD_PTR), -EFAULT);
  PENDING[0] |= 1u << a;
  u32 first_pending[2] = { a, 5000 };
  check("poll: a pending port before an invalid one wins", poll(first_pending, 2, 0), 0);
  u32 invalid_first[2] = { 5000, a };
  check("poll: an invalid port before a pending one", poll(invalid_first, 2, 0), -EINVAL);

  /* poll returns at once for a pending port or a timeout already past. */
  t0 = counter();
  check("poll a pending masked port", poll(&a, 1, 0), 0);
  check("poll with a timeout in the past", poll(&c, 1, 1), 0);
  t1 = counter();
  in_range("both returned at once", t1 - t0, 0, 2000);
  PENDING[0] &= ~(1u << a);

  /* poll sleeps until its timeout (absolute system time), with vCPU 1 blocked too: time skips ahead. */
  t0 = counter();
  check("poll until the timeout", poll(&a, 1, ns_at(t0 + 40000)), 0);
  t1 = counter();
  in_range("poll slept until the timeout", t1 - t0, 40000, 41000);
  check("poll did not unmask IRQs", cpsr() & 0x80, 0x80);
  u32 none[1];
  t0 = counter();
  check("poll no ports until a timeout", poll(none, 0, ns_at(t0 + 20000)), 0);
  t1 = counter();
  in_range("poll of no ports slept until the timeout", t1 - t0, 20000, 21000);

  /* poll woken by vCPU 1 sending to the masked port's peer: the port is pending, no upcall. */
  up0 = upcalls[0];
  job(b, 20000);
  t0 = counter();
  check("poll (vcpu 1 sends)", poll(&a, 1, ns_at(t0 + 10000000)), 0);
  t1 = counter();
  check("the polled port is pending", (PENDING[0] >> a) & 1, 1);
  check("no upcall for a masked port", upcalls[0], up0);
  check("vcpu 1 did its second job", jobs_done, 2);
  in_range("poll slept until the send", t1 - t0, 20000, 400000);
  PENDING[0] &= ~(1u << a);

  /* poll of two ports, woken by the second. */
  u32 two[2] = { c, a };
  job(b, 10000);
  t0 = counter();
  check("poll two ports (the second is sent to)", poll(two, 2, ns_at(t0 + 10000000)), 0);
  t1 = counter();
  check("the second port is pending", (PENDING[0] >> a) & 1, 1);
  in_range("poll of two ports slept until the send", t1 - t0, 10000, 400000);
  PENDING[0] &= ~(1u << a);

  /* poll woken by an interrupt injected while IRQs are masked (Xen's vcpu_kick unblocks a poller). */
  taken = timer_irqs;
  vtimer_in(30000);
  t0 = counter();
  check("poll (a timer interrupt wakes it)", poll(&a, 1, ns_at(t0 + 10000000)), 0);
  t1 = counter();
  in_range("poll slept until the timer fired", t1 - t0, 30000, 32000);
  check("the timer interrupt waits for IRQs to be unmasked", timer_irqs, taken);
  irq_on();
  spin(10);
  check("and is taken then", timer_irqs, taken + 1);

  /* Last, with vCPU 1 asleep too: block until console input arrives. Nothing else can wake either vCPU,
     so the run stops (every vCPU idle, no deadline) until the test types a key: VIRQ_CONSOLE wakes it. */
  struct { u32 virq, vcpu, port; } bv = { 2, 0, 0 };
  check("bind_virq(VIRQ_CONSOLE)", evtchn(1, &bv), 0);
  irq_off();
  up0 = upcalls[0];
  print("waiting for console input\n");
  check("block (console input wakes it)", sched(SCHEDOP_block, 0), 0);
  check("the VIRQ_CONSOLE upcall was taken", upcalls[0], up0 + 1);
  char in[8];
  check("console_io(read) gets the typed key", HC(HYP_console_io, 1, sizeof in, in), 1);
  check("the typed key", in[0], 'k');
  guest_exit(0);
}
