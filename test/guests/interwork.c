/* Branches and interworking: BX/BLX (register) into the other instruction set and back, BLX
   (immediate) across states, loads to the PC (LDR, LDM/POP) with bit 0 selecting the state, data-
   processing writes to the PC (ARM: interworking in ARMv7; Thumb MOV PC: a plain branch), CBZ/CBNZ
   (T32) on zero and non-zero, and the state each target runs in (CPSR.T read through the SPSR of an
   SVC taken there). */
#include "rt.h"

static volatile u32 t_seen;
static u32 get_spsr(void) { u32 v; __asm__ volatile("mrs %0, spsr" : "=r"(v)); return v; }

void exc_dispatch(int kind, u32 *frame) {
  (void)frame;
  if (kind != 2) { show("unexpected", kind); semi_exit(1); }
  t_seen = (get_spsr() >> 5) & 1;   /* the SVC's state */
}

/* Targets in each state: report their state through an SVC (LR_svc saved around it: we run in SVC
   mode), return with BX LR. */
__asm__(".syntax unified\n\t.pushsection .text\n"
        "\t.arm\n\t.balign 4\n\t.global arm_target\n\t.type arm_target, %function\narm_target:\n\tpush {lr}\n\tsvc #1\n\tpop {r1}\n\tmov lr, r1\n\tadd r0, r0, #0x100\n\tbx lr\n"
        "\t.thumb\n\t.balign 4\n\t.global thumb_target\n\t.type thumb_target, %function\n\t.thumb_func\nthumb_target:\n\tpush {lr}\n\tsvc #1\n\tpop {r1}\n\tmov lr, r1\n\tadds r0, r0, #0x20\n\tbx lr\n"
        ASM_POP_SECTION);
extern int arm_target(int), thumb_target(int);

static void report(const char *name, u32 r0) { show(name, r0); show("  t", t_seen); t_seen = 9; }

int main(void) {
  u32 r;
  u32 at = (u32)arm_target, tt = (u32)thumb_target;   /* tt has bit 0 set */
  show("thumb_bit", tt & 1);
  /* BLX register to both. */
  __asm__ volatile("mov r0, #1\n\tblx %1\n\tmov %0, r0" : "=r"(r) : "r"(at) : "r0", "r1", "r2", "r3", "r12", "lr", "memory"); report("blx_reg_arm", r);
  __asm__ volatile("mov r0, #2\n\tblx %1\n\tmov %0, r0" : "=r"(r) : "r"(tt) : "r0", "r1", "r2", "r3", "r12", "lr", "memory"); report("blx_reg_thumb", r);
  /* BLX immediate (the assembler picks BLX for a target in the other state). */
#ifdef __thumb__
  __asm__ volatile("mov r0, #3\n\tblx arm_target\n\tmov %0, r0" : "=r"(r) :: "r0", "r1", "r2", "r3", "r12", "lr", "memory"); report("blx_imm_arm", r);
#else
  __asm__ volatile("mov r0, #3\n\tblx thumb_target\n\tmov %0, r0" : "=r"(r) :: "r0", "r1", "r2", "r3", "r12", "lr", "memory"); report("blx_imm_thumb", r);
#endif
  /* BX with a return address set by hand. */
  __asm__ volatile("mov r0, #4\n\tadr lr, 1f\n"
#ifdef __thumb__
                   "\torr lr, lr, #1\n"
#endif
                   "\tbx %1\n\t.balign 4\n1:\tmov %0, r0" : "=r"(r) : "r"(at) : "r0", "r1", "r2", "r3", "r12", "lr", "memory"); report("bx_arm", r);
  /* LDR PC and POP {PC} with bit 0 choosing the state. */
  static u32 slot[2];
  slot[0] = tt;
  __asm__ volatile("mov r0, #5\n\tadr lr, 1f\n"
#ifdef __thumb__
                   "\torr lr, lr, #1\n"
#endif
                   "\tldr pc, [%1]\n\t.balign 4\n1:\tmov %0, r0" : "=r"(r) : "r"(slot) : "r0", "r1", "r2", "r3", "r12", "lr", "memory"); report("ldr_pc_thumb", r);
  slot[0] = at;
  __asm__ volatile("mov r0, #6\n\tadr lr, 1f\n"
#ifdef __thumb__
                   "\torr lr, lr, #1\n"
#endif
                   "\tldr r1, [%1]\n\tpush {r1}\n\tpop {pc}\n\t.balign 4\n1:\tmov %0, r0" : "=r"(r) : "r"(slot) : "r0", "r1", "r2", "r3", "r12", "lr", "memory"); report("pop_pc_arm", r);
#ifndef __thumb__
  /* ARMv7 ARM state: MOV/ADD to the PC interwork too. */
  __asm__ volatile("mov r0, #7\n\tadr lr, 1f\n\tmov pc, %1\n\t.balign 4\n1:\tmov %0, r0" : "=r"(r) : "r"(tt) : "r0", "r1", "r2", "r3", "r12", "lr", "memory"); report("mov_pc_thumb", r);
  __asm__ volatile("mov r0, #8\n\tadr lr, 1f\n\tadd pc, %1, #0\n\t.balign 4\n1:\tmov %0, r0" : "=r"(r) : "r"(tt) : "r0", "r1", "r2", "r3", "r12", "lr", "memory"); report("add_pc_thumb", r);
#else
  /* CBZ/CBNZ. */
  for (u32 v = 0; v < 3; v += 2) {
    __asm__ volatile("movs %0, #0\n\tcbz %1, 1f\n\tadds %0, #1\n1:\tcbnz %1, 2f\n\tadds %0, #2\n2:" : "=&l"(r) : "l"(v) : "cc");
    show("cbz_cbnz", r);
  }
  /* Thumb MOV PC, Rm: a plain branch that stays in Thumb (bit 0 ignored). */
  __asm__ volatile("adr r1, 1f\n\tmov r0, #9\n\tmov pc, r1\n\tmov r0, #10\n\t.balign 4\n1:\tmov %0, r0" : "=r"(r) :: "r0", "r1", "memory");
  show("thumb_mov_pc", r);
#endif
  return 0;
}
