/* Runtime of the Xen test guests (see xrt.h). */
#include "xrt.h"

int failures;
volatile u32 exc_count[8];
void (*irq_handler)(u32 irq);

u32 strlen_(const char *s) { u32 n = 0; while (s[n]) n++; return n; }
void memset_(void *p, int c, u32 n) { u8 *q = p; while (n--) *q++ = (u8)c; }
int memcmp_(const void *a, const void *b, u32 n) {
  const u8 *x = a, *y = b;
  for (u32 i = 0; i < n; i++) if (x[i] != y[i]) return x[i] - y[i];
  return 0;
}

void print_n(const char *s, u32 n) { HC(HYP_console_io, 0, n, s); }
void print(const char *s) { print_n(s, strlen_(s)); }
void print_hex(u32 v) {
  char b[11]; b[0] = '0'; b[1] = 'x';
  for (int i = 0; i < 8; i++) b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
  b[10] = 0;
  print(b);
}
void print_dec(long v) {
  char b[16]; int i = 15; b[i] = 0;
  unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
  do { b[--i] = '0' + u % 10; u /= 10; } while (u);
  if (v < 0) b[--i] = '-';
  print(b + i);
}
void show(const char *name, long v) { print(name); print(" = "); print_dec(v); print("\n"); }
void check(const char *what, long got, long expected) {
  if (got == expected) { print("ok "); print(what); print("\n"); return; }
  failures++;
  print("FAIL "); print(what); print(": got "); print_dec(got); print(" expected "); print_dec(expected); print("\n");
}

void shutdown(u32 reason) {
  u32 r = reason;
  HC(HYP_sched_op, 2, &r, 0);
  for (;;) wfi();
}
void guest_exit(int status) {
  if (status) failures++;
  print(failures ? "RESULT: FAIL " : "RESULT: PASS "); print_dec(failures); print(" failure(s)\n");
  shutdown(failures ? 3 : 0);
}

__attribute__((weak)) void exc_dispatch(int kind, u32 *frame) {
  exc_count[kind]++;
  if (kind == 6) {
    u32 iar = mmio32(GICC + 0x0c);
    u32 id = iar & 0x3ff;
    if (id != 1023 && irq_handler) irq_handler(id);
    if (id != 1023) mmio32(GICC + 0x10) = iar;
    return;
  }
  if (kind == 1) { frame[13] += 4; return; } /* undefined: skip the instruction (ARM state) */
  print("unexpected exception "); print_dec(kind); print(" at "); print_hex(frame[13]); print("\n");
  failures++;
  guest_exit(1);
}

static volatile int dist_on;
void gic_init_cpu(void) {
  if (!dist_on) { mmio32(GICD + 0) = 1; dist_on = 1; }
  mmio32(GICC + 0x04) = 0xf0; /* PMR */
  mmio32(GICC + 0x00) = 1;    /* enable */
}
void gic_enable(u32 irq) {
  mmio32(GICD + 0x400 + (irq & ~3u)) &= ~(0xffu << ((irq & 3) * 8)); /* priority 0 */
  mmio32(GICD + 0x100 + (irq / 32) * 4) = 1u << (irq % 32);
}

/* gcc emits calls to these for structure copies and initialisers. */
void *memset(void *p, int c, u32 n) { memset_(p, c, n); return p; }
void *memcpy(void *d, const void *s, u32 n) { u8 *a = d; const u8 *b = s; while (n--) *a++ = *b++; return d; }

/* A vCPU started by PSCI CPU_ON with no handler of the guest's own: turns itself off. */
__attribute__((weak)) void secondary_main(u32 context) { (void)context; smccc(0x84000002, 0, 0, 0); for (;;) wfi(); }
