/* Block transfers and the remaining control-flow instructions of issue 2's list: LDM/STM in every
   addressing mode (IA/IB/DA/DB, with and without write-back; T32 has only IA and DB), STM and LDM with
   the base register in the list (no write-back), TBB/TBH (T32), UDF in its A1, T1 and T2 encodings,
   and SMC at PL1, UNDEFINED on QEMU's virt board (no EL3) as on xenarm's bare board. Not HVC: QEMU 7.2's
   virt board answers every HVC as a PSCI call (r0 = -1, NOT_SUPPORTED, for an unknown function), a
   firmware xenarm's bare board does not have; HVC reaching the layer above is the hypervisor's tests. */
#include "rt.h"

static volatile u32 excs;
static u32 mem[16];

static u32 get_spsr(void) { u32 v; __asm__ volatile("mrs %0, spsr" : "=r"(v)); return v; }

void exc_dispatch(int kind, u32 *frame) {
  u32 spsr = get_spsr();
  excs++;
  show("  exc.kind", kind);
  show("  exc.thumb", (spsr >> 5) & 1);
  if (kind == 1) {   /* the vector already took 4 off lr: ARM -> the instruction, Thumb -> 2 before it */
    u32 at = frame[13] + ((spsr & 0x20) ? 2 : 0);
    u32 first = (spsr & 0x20) ? *(u16 *)at : *(u32 *)at;
    show("  und.insn", first);
    frame[13] = at + (((spsr & 0x20) && (first >> 11) < 0x1d) ? 2 : 4);
  } else { show("unexpected", kind); semi_exit(1); }
}

static void reset_mem(void) { for (int i = 0; i < 16; i++) mem[i] = 0xee000000u | i; }
static void dump(const char *name, u32 base_after) {
  show(name, base_after - (u32)&mem[8]);
  for (int i = 0; i < 16; i++) if (mem[i] != (0xee000000u | i)) { show("  slot", i); show("  word", mem[i]); }
}

static void block_transfers(void) {
  u32 b, out[3];
#define STM(name, insn) do { reset_mem(); b = (u32)&mem[8]; \
    __asm__ volatile("mov r4, #0x44\n\tmov r5, #0x55\n\tmov r6, #0x66\n\t" insn : "+r"(b) :: "r4", "r5", "r6", "memory"); dump(name, b); } while (0)
#define LDM(name, insn) do { for (int i = 0; i < 16; i++) mem[i] = 0x100u + i; b = (u32)&mem[8]; \
    __asm__ volatile(insn "\n\tstmia %1, {r4, r5, r6}" : "+r"(b) : "r"(out) : "r4", "r5", "r6", "memory"); \
    show(name, b - (u32)&mem[8]); show("  r4", out[0]); show("  r5", out[1]); show("  r6", out[2]); } while (0)
  STM("stmia", "stmia %0, {r4-r6}"); STM("stmia!", "stmia %0!, {r4-r6}");
  STM("stmdb", "stmdb %0, {r4-r6}"); STM("stmdb!", "stmdb %0!, {r4-r6}");
  LDM("ldmia", "ldmia %0, {r4-r6}"); LDM("ldmia!", "ldmia %0!, {r4-r6}");
  LDM("ldmdb", "ldmdb %0, {r4-r6}"); LDM("ldmdb!", "ldmdb %0!, {r4-r6}");
  STM("stm_one", "stmia %0!, {r5}"); LDM("ldm_one", "ldmdb %0!, {r6}");
#ifndef __thumb__
  STM("stmib", "stmib %0, {r4-r6}"); STM("stmib!", "stmib %0!, {r4-r6}");
  STM("stmda", "stmda %0, {r4-r6}"); STM("stmda!", "stmda %0!, {r4-r6}");
  LDM("ldmib", "ldmib %0, {r4-r6}"); LDM("ldmib!", "ldmib %0!, {r4-r6}");
  LDM("ldmda", "ldmda %0, {r4-r6}"); LDM("ldmda!", "ldmda %0!, {r4-r6}");
  /* Base in the list, no write-back: STM stores the original base, LDM loads it. */
  reset_mem();
  __asm__ volatile("mov r4, %0\n\tmov r5, #0x55\n\tstmia r4, {r4, r5}" :: "r"(&mem[8]) : "r4", "r5", "memory");
  show("stm_base_in_list", mem[8] - (u32)&mem[8]); show("  next", mem[9]);
  mem[8] = 0x1234; mem[9] = 0x5678;
  __asm__ volatile("mov r5, %1\n\tldmia r5, {r4, r5}\n\tstmia %0, {r4, r5}" :: "r"(out), "r"(&mem[8]) : "r4", "r5", "memory");
  show("ldm_base_in_list.r4", out[0]); show("ldm_base_in_list.r5", out[1]);
#endif
}

#ifdef __thumb__
static u32 tbb(u32 i) {
  u32 r;
  __asm__ volatile("tbb [pc, %1]\n0:\n\t.byte (1f-0b)/2, (2f-0b)/2, (3f-0b)/2, (4f-0b)/2\n"
                   "1:\tmov %0, #11\n\tb 9f\n2:\tmov %0, #22\n\tb 9f\n3:\tmov %0, #33\n\tb 9f\n4:\tmov %0, #44\n9:" : "=r"(r) : "r"(i));
  return r;
}
static u32 tbh(u32 i) {
  u32 r;
  __asm__ volatile("tbh [pc, %1, lsl #1]\n0:\n\t.hword (1f-0b)/2, (2f-0b)/2, (3f-0b)/2\n\t.balign 2\n"
                   "1:\tmov %0, #0x111\n\tb 9f\n2:\tmov %0, #0x222\n\tb 9f\n3:\tmov %0, #0x333\n9:" : "=r"(r) : "r"(i));
  return r;
}
#endif

int main(void) {
  block_transfers();
#ifdef __thumb__
  for (u32 i = 0; i < 4; i++) show("tbb", tbb(i));
  for (u32 i = 0; i < 3; i++) show("tbh", tbh(i));
  __asm__ volatile(".inst.n 0xde7f" ::: "memory");          /* UDF #0x7f (T1) */
  __asm__ volatile(".inst.w 0xf7f1a234" ::: "memory");      /* UDF.W #0x1234 (T2) */
  __asm__ volatile("mov r0, #0\n\t.inst.w 0xf7f08000" ::: "r0", "memory"); /* SMC #0 */
#else
  __asm__ volatile(".inst 0xe7f123f4" ::: "memory");        /* UDF #0x1234 (A1) */
  __asm__ volatile(".inst 0xe7fabcfe" ::: "memory");        /* UDF #0xabce */
  __asm__ volatile("mov r0, #0\n\t.inst 0xe1600070" ::: "r0", "memory");   /* SMC #0 */
#endif
  show("excs", excs);
  return 0;
}
