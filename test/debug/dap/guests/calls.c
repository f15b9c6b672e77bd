/* Test guest for the debug adapter's scenario tests (built with -O0 -g in ARM and Thumb).
   Markers in comments (@name) let the tests find line numbers without hard-coding them. */
#include "rt.h"

volatile u32 counter;           /* written in main (see the write-counter marker) */
volatile u32 spin;              /* set by a test to make main loop forever */
volatile u32 ticks;
volatile u32 do_abort;          /* set by a test: main then reads unmapped memory (a data abort) */
u32 results[4];

static u32 leaf(u32 x) {
  u32 y = x * 3;                /* @leaf-body */
  return y + 1;
}

u32 middle(u32 x) {
  u32 r = leaf(x + 1);          /* @middle-call */
  return r * 2;                 /* @middle-return */
}

u32 outer(u32 n) {
  u32 sum = 0;
  for (u32 i = 0; i < n; i++) {
    sum += middle(i);           /* @outer-call */
  }
  return sum;                   /* @outer-return */
}

/* Skips the undefined instruction main executes on purpose (kind 1); anything else is fatal. */
void exc_dispatch(int kind, u32 *frame) {
  /* The vector took 4 off lr (ARM's offset): +4 lands after a 4-byte ARM or a 2-byte Thumb UDF. */
  if (kind == 1) { frame[13] += 4; return; }
  /* Data abort: the vector took 8 off lr, leaving it on the faulting load; skip that (ARM) load. */
  if (kind == 4) { frame[13] += 4; return; }
  show("unexpected exception", kind);
  semi_exit(1);
}

int main(void) {
  puts_("calls: start\n");      /* @main-start */
  counter = 1;
  u32 s = outer(3);             /* @main-outer */
  counter = s;                  /* @write-counter */
  results[0] = s;
  show("sum", s);               /* @main-show */
  __asm__ volatile("udf #0");   /* @udf: permanently undefined */
  if (do_abort) ticks = *(volatile u32 *)0x1000;   /* @abort: nothing is mapped below RAM */
  while (spin) ticks++;         /* @spin */
  puts_("calls: done\n");
  return 7;                     /* @main-return */
}
