/* Semihosting calls in the instruction set of the build (SVC 0x123456 in ARM, SVC 0xAB in Thumb):
   SYS_OPEN/CLOSE/WRITE/READ on ":tt", WRITEC, WRITE0, READC, CLOCK, TIME, ELAPSED, HEAPINFO,
   GET_CMDLINE, ERRNO after a failed open, and an exit chosen by the image's name (the command line
   both QEMU and xenarm give): "...-exit-x<n>.elf" SYS_EXIT_EXTENDED with status n, "...-exit-e0.elf"
   SYS_EXIT with ApplicationExit, "...-exit-e1.elf" SYS_EXIT with RunTimeErrorUnknown, otherwise
   SYS_EXIT_EXTENDED 42. Only "...-stdin..." images read the console (SYS_READ, SYS_READC): QEMU 7.2
   loses console input that arrives through a pipe, so that variant runs on xenarm alone
   (test/machine/semihosting.test.ts). Host-dependent values (clock, time) are plausibility checks.
   QEMU writes ":tt" output to its own stdout rather than to the semihosting chardev, so this guest is
   compared by test/machine/semihosting.test.ts with the chardev on stdio, not by diff-programs.
   QEMU-CONSOLE: stdio */
#include "rt.h"

static int semi(int op, const void *arg) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
#ifdef __thumb__
  __asm__ volatile("svc 0xab" : "+r"(r0) : "r"(r1) : "memory");
#else
  __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
#endif
  return r0;
}

static u32 len(const char *s) { u32 n = 0; while (s[n]) n++; return n; }
static int sopen(const char *name, u32 mode) { u32 a[3] = { (u32)name, mode, len(name) }; return semi(0x01, a); }
static int swrite(int fd, const char *s, u32 n) { u32 a[3] = { (u32)fd, (u32)s, n }; return semi(0x05, a); }
static int sread(int fd, char *b, u32 n) { u32 a[3] = { (u32)fd, (u32)b, n }; return semi(0x06, a); }

int main(void) {
  int in = sopen(":tt", 0), out = sopen(":tt", 4), err = sopen(":tt", 8);
  show("open.in_ok", in >= 0); show("open.out_ok", out >= 0); show("open.err_ok", err >= 0);
  show("write.ret", swrite(out, "written with SYS_WRITE\n", 23));
  char c = '!';
  semi(0x03, &c); semi(0x03, "\n");                      /* SYS_WRITEC */
  semi(0x04, "SYS_WRITE0 line\n");                       /* SYS_WRITE0 */
  /* GET_CMDLINE: the image name (QEMU's -kernel path, xenarm's IMAGE argument). */
  char cmd[256]; u32 ca[2] = { (u32)cmd, sizeof cmd };
  show("cmdline.ret", semi(0x15, ca));
  show("cmdline.len_matches", ca[1] == len(cmd));
  const char *name = cmd;
  for (const char *p = cmd; *p; p++) if (*p == '/') name = p + 1;
  puts_("cmdline.name="); puts_(name); puts_("\n");
  int use_stdin = 0;
  const char *exit_how = 0;
  for (const char *p = name; *p; p++) {
    if (p[0] == 's' && p[1] == 't' && p[2] == 'd' && p[3] == 'i' && p[4] == 'n') use_stdin = 1;
    if (p[0] == 'e' && p[1] == 'x' && p[2] == 'i' && p[3] == 't' && p[4] == '-') exit_how = p + 5;
  }
  if (use_stdin) {
  /* SYS_READ: reads up to the end of a line; returns the count NOT read. */
  char buf[64];
  for (int i = 0; i < 64; i++) buf[i] = 0;
  int left = sread(in, buf, 40);
  show("read.not_read", left);
  puts_("read.text="); puts_(buf);
  /* SYS_READC, one character at a time. */
  char line[16]; int n = 0;
  for (;;) { int ch = semi(0x07, 0); if (ch == '\n' || ch < 0 || n == 15) break; line[n++] = (char)ch; }
  line[n] = 0;
  puts_("readc.text="); puts_(line); puts_("\n");
  /* At the end of input: READ returns the full count (nothing read), READC -1. */
  show("read.eof_not_read", sread(in, buf, 8));
  show("readc.eof", semi(0x07, 0));
  }
  /* Clocks: plausibility only (QEMU's run on host time). */
  int cs = semi(0x10, 0);
  show("clock.plausible", cs >= 0 && cs < 100 * 600);
  int t = semi(0x11, 0);
  show("time.plausible", t > 1600000000);
  u32 e1[2], e2[2];
  show("elapsed.ret", semi(0x30, e1));
  for (volatile int i = 0; i < 20000; i++) { }
  semi(0x30, e2);
  show("elapsed.monotonic", ((u64)e2[1] << 32 | e2[0]) > ((u64)e1[1] << 32 | e1[0]));
  /* HEAPINFO: a block of four words (heap base, heap limit, stack base, stack limit). */
  u32 hi[4] = { 0, 0, 0, 0 };
  u32 *hp = hi;
  show("heapinfo.ret", semi(0x16, &hp));
  show("heapinfo.sane", hi[0] != 0 && hi[1] >= hi[0] && hi[2] != 0);
  /* A failed open: -1, and SYS_ERRNO says why (ENOENT). */
  show("open.missing", sopen("/nonexistent-xenarm-semihosting-file", 0));
  show("errno", semi(0x13, 0));
  show("close.out", semi(0x02, (u32[]){ (u32)out }));
  show("close.err", semi(0x02, (u32[]){ (u32)err }));
  /* The exit the image name asks for. */
  u32 code = 42;
  if (exit_how) { code = 0; for (int i = 1; exit_how[i] >= '0' && exit_how[i] <= '9'; i++) code = code * 10 + (exit_how[i] - '0'); }
  if (exit_how && exit_how[0] == 'e') semi(0x18, (const void *)(code ? 0x20024u : 0x20026u));
  u32 block[2] = { 0x20026u, code };
  semi(0x20, block);
  return 99;
}
