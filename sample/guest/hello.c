/* The example guest: a bare-metal program for the QEMU-virt-like board, reporting through ARM
   semihosting. It prints a greeting, the CPU it runs on, a small computation and its exit status.
   Build: sample/guest/build.sh (Debian's arm-linux-gnueabihf-gcc); the ELF is committed beside it. */
typedef unsigned int u32;

static int semihost(int op, const void *arg) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

static void puts_(const char *s) { semihost(4, s); }

static void put_hex(u32 v) {
  char b[11] = "0x";
  for (int i = 0; i < 8; i++) { u32 d = (v >> (28 - 4 * i)) & 15; b[2 + i] = d < 10 ? '0' + d : 'a' + d - 10; }
  b[10] = 0;
  puts_(b);
}

static u32 read_midr(void) { u32 v; __asm__ volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(v)); return v; }

u32 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(void) {
  puts_("Hello from a guest on xenarm's ARMv7-A core\n");
  puts_("MIDR: "); put_hex(read_midr()); puts_(" (Cortex-A15)\n");
  puts_("fib(20) = "); put_hex(fib(20)); puts_("\n");
  return 0;
}

void _start(void) __attribute__((naked, section(".text.start")));
void _start(void) {
  __asm__ volatile(
    "ldr sp, =0x40100000\n"
    "bl main\n"
    "mov r1, r0\n"
    "ldr r2, =0x20026\n"         /* ADP_Stopped_ApplicationExit */
    "sub sp, sp, #8\n"
    "str r2, [sp]\n"
    "str r1, [sp, #4]\n"
    "mov r1, sp\n"
    "mov r0, #0x20\n"            /* SYS_EXIT_EXTENDED */
    "svc 0x123456\n"
    "b .\n");
}
