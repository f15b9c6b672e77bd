/* Semihosting console output and the default exception handler. */
#include "rt.h"

void puts_(const char *s) { semi_call(4, s); }   /* SYS_WRITE0 */

static char *hex8(char *p, u32 v) {
  for (int i = 7; i >= 0; i--) { u32 d = (v >> (i * 4)) & 15; *p++ = d < 10 ? '0' + d : 'a' + d - 10; }
  return p;
}

void put_hex(u32 v) { char b[9]; *hex8(b, v) = 0; puts_(b); }

void put_dec(u32 v) {
  char b[12]; char *p = b + 11; *p = 0;
  do { *--p = '0' + v % 10; v /= 10; } while (v);
  puts_(p);
}

void show(const char *name, u32 v) {
  char b[96]; char *p = b;
  while (*name && p < b + 80) *p++ = *name++;
  *p++ = '='; p = hex8(p, v); *p++ = '\n'; *p = 0;
  puts_(b);
}

void show64(const char *name, u64 v) {
  char b[100]; char *p = b;
  while (*name && p < b + 80) *p++ = *name++;
  *p++ = '='; p = hex8(p, (u32)(v >> 32)); p = hex8(p, (u32)v); *p++ = '\n'; *p = 0;
  puts_(b);
}

__attribute__((weak)) void exc_dispatch(int kind, u32 *frame) {
  show("unexpected exception", kind);
  show("lr", frame[13]);
  show("cpsr", get_cpsr());
  semi_exit(1);
}
