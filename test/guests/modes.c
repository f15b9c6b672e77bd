/* Processor modes and their register banks: CPS to every mode (each mode's SP), FIQ's own r8-r12,
   banked MRS/MSR from SVC, FIQ and SYS mode (every legal banked register, and the forms QEMU makes
   UNDEFINED: the current mode's own bank, USR r8-r12 outside FIQ mode, r13/LR_usr from SYS, Monitor
   and Hyp registers from PL1), SRS and RFE in every addressing mode with write-back, LDM/STM with ^
   (user bank) and LDM {..pc}^ (exception return), MOVS/SUBS PC, LR and ERET at PL1.
   Banked MRS/MSR belong to the Virtualization Extensions, which QEMU's cortex-a15 has only with EL2
   enabled, so QEMU runs this guest with virtualization=on (it starts in Hyp; start.S drops to SVC).
   QEMU-MACHINE: virt,virtualization=on */
#include "rt.h"
#include "mmu.h"

static volatile u32 undefs, svcs;
#ifdef __thumb__
static inline u32 r1_thumb(void) { return 1; }
#else
static inline u32 r1_thumb(void) { return 0; }
#endif
static u32 res[32];

void exc_dispatch(int kind, u32 *frame) {
  u32 spsr = get_spsr();
  if (kind == 1) {  /* lr (adjusted by 4) is the undefined instruction; banked MRS/MSR are 32 bits */
    undefs++;
    show("  undef.mode", spsr & 0x1f);
    frame[13] += 4;
  } else if (kind == 2) {  /* SVC #1 from user mode: come back in SVC mode */
    svcs++;
    show("  svc.from", spsr & 0x1f);
    __asm__ volatile("msr spsr_c, %0" :: "r"((spsr & ~0x1fu) | 0x13));
  } else { show("unexpected", kind); show("lr", frame[13]); semi_exit(1); }
}

/* CPS into each mode, reading CPSR and SP there; returns to SVC. */
static void cps_all(void) {
  u32 c[6], s[6];
#define CPS(i, m) __asm__ volatile("cps #" #m "\n\tmrs %0, cpsr\n\tmov %1, sp\n\tcps #0x13" : "=r"(c[i]), "=r"(s[i]) :: "memory")
  CPS(0, 0x11); CPS(1, 0x12); CPS(2, 0x17); CPS(3, 0x1b); CPS(4, 0x1f); CPS(5, 0x13);
  for (int i = 0; i < 6; i++) { show("cps.cpsr", c[i] & ~0x20u); show("cps.sp_offset", (u32)&c[0] - s[i]); }
  /* CPS with interrupt-mask changes, alone and with a mode change. */
  u32 a, b, d;
  __asm__ volatile("cpsie if\n\tmrs %0, cpsr\n\tcpsid f\n\tmrs %1, cpsr\n\tcpsid ai, #0x1f\n\tmrs %2, cpsr\n\tcps #0x13\n\tcpsid if"
                   : "=r"(a), "=r"(b), "=r"(d) :: "memory");
  show("cpsie_if", a & ~0x20u); show("cpsid_f", b & ~0x20u); show("cpsid_ai_sys", d & ~0x20u);
  /* Into USR with CPS, back to SVC through SVC #1 (the handler rewrites SPSR.M). */
  __asm__ volatile("cps #0x10\n\tmrs %0, cpsr\n\tsvc #1\n\tmrs %1, cpsr" : "=r"(a), "=r"(b) :: "r0", "r1", "r2", "r3", "r12", "lr", "memory");
  show("usr.cpsr", a & ~0x20u); show("back.cpsr", b & ~0x20u);
  /* In USR, CPS is a NOP and MSR cannot change the mode or the mask bits. */
  __asm__ volatile("mov r0, #0xd3\n\tcps #0x10\n\tcps #0x13\n\tcpsie if\n\tmsr cpsr_c, r0\n\tmrs %0, cpsr\n\tsvc #1" : "=r"(a) :: "r0", "r1", "r2", "r3", "r12", "lr", "memory");
  show("usr.cps_msr_ignored", a & ~0x20u);
}

/* r8-r12 are banked in FIQ mode only. */
static void fiq_bank(void) {
  u32 *p = res;
  __asm__ volatile(
    "mov r8, #8\n\tmov r9, #9\n\tmov r10, #10\n\tmov r11, #11\n\tmov r12, #12\n\t"
    "cps #0x11\n\tstmia %0!, {r8-r12}\n\t"
    "mov r8, #0x80\n\tmov r9, #0x90\n\tmov r10, #0xa0\n\tmov r11, #0xb0\n\tmov r12, #0xc0\n\t"
    "cps #0x12\n\tstmia %0!, {r8-r12}\n\t"
    "cps #0x11\n\tstmia %0!, {r8-r12}\n\t"
    "cps #0x13\n\tstmia %0!, {r8-r12}\n\t"
    : "+r"(p) : : "r8", "r9", "r10", "r11", "r12", "memory");
  for (int i = 0; i < 20; i++) show("fiqbank", res[i]);
}

#define MRSB(reg) ({ u32 v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_) :: "memory"); v_; })
#define MSRB(reg, v) __asm__ volatile("msr " #reg ", %0" :: "r"((u32)(v)) : "memory")

static void banked(void) {
  /* From SVC: write every other mode's banked registers, read them back, then read them natively. */
  u32 usp = MRSB(SP_usr), ulr = MRSB(LR_usr);
  MSRB(SP_usr, 0x10d); MSRB(LR_usr, 0x10e);
  MSRB(r8_fiq, 0x118); MSRB(r9_fiq, 0x119); MSRB(r10_fiq, 0x11a); MSRB(r11_fiq, 0x11b); MSRB(r12_fiq, 0x11c);
  u32 fsp = MRSB(SP_fiq), flr = MRSB(LR_fiq);
  MSRB(SP_fiq, 0x11d); MSRB(LR_fiq, 0x11e); MSRB(SPSR_fiq, 0x800001d1u);
  u32 isp = MRSB(SP_irq), asp = MRSB(SP_abt), dsp = MRSB(SP_und);
  MSRB(SP_irq, 0x12d); MSRB(LR_irq, 0x12e); MSRB(SPSR_irq, 0x400001d2u);
  MSRB(SP_abt, 0x17d); MSRB(LR_abt, 0x17e); MSRB(SPSR_abt, 0x200001d7u);
  MSRB(SP_und, 0x1bd); MSRB(LR_und, 0x1be); MSRB(SPSR_und, 0x100001dbu);
  show("mrs.sp_usr", MRSB(SP_usr)); show("mrs.lr_usr", MRSB(LR_usr));
  show("mrs.r8_fiq", MRSB(r8_fiq)); show("mrs.r11_fiq", MRSB(r11_fiq)); show("mrs.sp_fiq", MRSB(SP_fiq)); show("mrs.lr_fiq", MRSB(LR_fiq));
  show("mrs.spsr_fiq", MRSB(SPSR_fiq)); show("mrs.spsr_irq", MRSB(SPSR_irq)); show("mrs.spsr_abt", MRSB(SPSR_abt)); show("mrs.spsr_und", MRSB(SPSR_und));
  show("mrs.sp_irq", MRSB(SP_irq)); show("mrs.lr_irq", MRSB(LR_irq)); show("mrs.sp_abt", MRSB(SP_abt)); show("mrs.lr_abt", MRSB(LR_abt));
  show("mrs.sp_und", MRSB(SP_und)); show("mrs.lr_und", MRSB(LR_und));
  /* Native reads in each mode (SP, LR, SPSR; r8-r12 in SYS and FIQ). */
  u32 *p = res;
  __asm__ volatile(
    "cps #0x1f\n\tstmia %0!, {r8-r12}\n\tstr sp, [%0], #4\n\tstr lr, [%0], #4\n\t"
    "cps #0x11\n\tstmia %0!, {r8-r12}\n\tstr sp, [%0], #4\n\tstr lr, [%0], #4\n\tmrs r1, spsr\n\tstr r1, [%0], #4\n\t"
    "cps #0x12\n\tstr sp, [%0], #4\n\tstr lr, [%0], #4\n\tmrs r1, spsr\n\tstr r1, [%0], #4\n\t"
    "cps #0x17\n\tstr sp, [%0], #4\n\tstr lr, [%0], #4\n\tmrs r1, spsr\n\tstr r1, [%0], #4\n\t"
    "cps #0x1b\n\tstr sp, [%0], #4\n\tstr lr, [%0], #4\n\tmrs r1, spsr\n\tstr r1, [%0], #4\n\t"
    "cps #0x13" : "+r"(p) : : "r1", "r8", "r9", "r10", "r12", "memory");
  for (u32 *q = res; q < p; q++) show("native", *q);
  MSRB(SP_usr, usp); MSRB(LR_usr, ulr); MSRB(SP_fiq, fsp); MSRB(LR_fiq, flr);
  MSRB(SP_irq, isp); MSRB(SP_abt, asp); MSRB(SP_und, dsp);
  /* From FIQ mode: the USR r8-r12 are accessible (they are banked there); SYS sees the writes. */
  u32 a, b;
  __asm__ volatile("cps #0x11\n\tmrs %0, r9_usr\n\tmsr r10_usr, %2\n\tmsr r8_usr, %2\n\tmsr r12_usr, %2\n\tmrs %1, r12_usr\n\tcps #0x13" : "=&r"(a), "=&r"(b) : "r"(0x5a5a) : "memory");
  show("fiq.mrs_r9_usr", a); show("fiq.r12_usr", b);
  p = res;
  __asm__ volatile("cps #0x1f\n\tstmia %0!, {r8-r12}\n\tcps #0x13" : "+r"(p) : : "memory");
  for (u32 *q = res; q < p; q++) show("sys.r8_r12", *q);
  /* UNDEFINED (QEMU): own bank, USR r8-r12 from non-FIQ, r13/LR_usr from SYS, Monitor and Hyp registers. */
  show("undefs_before", undefs);
  __asm__ volatile("mrs r0, r8_usr\n\tmsr r12_usr, r0\n\tmrs r0, SP_svc\n\tmrs r0, LR_svc\n\tmrs r0, SPSR_svc\n\tmsr SP_svc, r0\n\tmsr SPSR_svc, r0" ::: "r0", "memory");
  __asm__ volatile("mrs r0, SP_mon\n\tmrs r0, SPSR_mon\n\tmsr LR_mon, r0\n\tmrs r0, ELR_hyp\n\tmrs r0, SPSR_hyp\n\tmrs r0, SP_hyp\n\tmsr ELR_hyp, r0" ::: "r0", "memory");
  __asm__ volatile("cps #0x1f\n\tmrs r0, r8_usr\n\tmsr r12_usr, r0\n\tmrs r0, SP_usr\n\tmrs r0, LR_usr\n\tmrs r0, r8_fiq\n\tcps #0x13" ::: "r0", "memory");
  __asm__ volatile("cps #0x11\n\tmrs r0, r8_fiq\n\tmrs r0, SP_fiq\n\tmrs r0, SPSR_fiq\n\tmrs r0, SP_usr\n\tmrs r0, r12_usr\n\tcps #0x13" ::: "r0", "memory");
  show("undefs_after", undefs);
}

/* SRS: store LR and SPSR of the current mode onto another mode's stack, in every addressing mode. */
static void srs_rfe(void) {
  static u32 area[16] __attribute__((aligned(8)));
  u32 saved = MRSB(SP_irq);
  __asm__ volatile("msr spsr_fsxc, %0" :: "r"(0x600001d3u));
  u32 lr_now, sp;
#define SRS(form) do { MSRB(SP_irq, (u32)&area[8]); for (int i = 0; i < 16; i++) area[i] = 0; \
    __asm__ volatile("mov %0, lr\n\tmov lr, #0x77\n\t" form " #0x12!\n\tmov lr, %0" : "=&r"(lr_now) :: "memory"); \
    sp = MRSB(SP_irq); show(form ".sp_delta", sp - (u32)&area[8]); \
    for (int i = 0; i < 16; i++) if (area[i]) { show(form ".slot", i); show(form ".word", area[i]); } } while (0)
  SRS("srsdb sp,"); SRS("srsia sp,");
#ifndef __thumb__
  SRS("srsda sp,"); SRS("srsib sp,");
#endif
  /* Without write-back. */
  MSRB(SP_irq, (u32)&area[8]);
  __asm__ volatile("mov %0, lr\n\tmov lr, #0x66\n\tsrsdb sp, #0x12\n\tmov lr, %0" : "=&r"(lr_now) :: "memory");
  show("srsdb.nowb.sp_delta", MRSB(SP_irq) - (u32)&area[8]); show("srsdb.nowb.w6", area[6]);
  MSRB(SP_irq, saved);

  /* RFE: load PC and CPSR from memory; the CPSR sets flags and the mode (SVC again here). */
  u32 cpsr, base, off;
#ifdef __thumb__
#define TBIT "orr r2, r2, #0x20\n\t"
#else
#define TBIT ""
#endif
#define RFE(form, o1, o2) do { base = (u32)&area[8]; \
    __asm__ volatile("adr r1, 1f\n\tmrs r2, cpsr\n\tbic r2, r2, #0xf0000000\n\torr r2, r2, #0x90000000\n\t" TBIT \
                     "str r1, [%1, #" #o1 "]\n\tstr r2, [%1, #" #o2 "]\n\t" form " %1!\n\tb 2f\n\t.balign 4\n1:\tmrs %0, cpsr\n2:" \
                     : "=&r"(cpsr), "+&r"(base) :: "r1", "r2", "cc", "memory"); \
    off = base - (u32)&area[8]; show(form ".cpsr", cpsr); show(form ".wb", off); } while (0)
  RFE("rfedb", -8, -4); RFE("rfeia", 0, 4);
#ifndef __thumb__
  RFE("rfeda", -4, 0); RFE("rfeib", 4, 8);
#endif
}

/* Exception-return forms: SUBS PC, LR, #imm; MOVS PC, LR; ERET (= SUBS PC, LR, #0 at PL1);
   LDM {..,pc}^ and the user-bank LDM/STM ^ (ARM only). Each returns to SYS mode with new flags, then
   CPS back to SVC. */
static void exception_returns(void) {
  u32 c, r;
#define ERET(name, prep, insn) do { \
    __asm__ volatile("msr spsr_fsxc, %2\n\tadr lr, 1f\n\t" prep "\n\t" insn "\n\t.balign 4\n1:\tmrs %0, cpsr\n\tmov %1, sp\n\tcps #0x13" \
                     : "=&r"(c), "=&r"(r) : "r"(0x500001dfu | (r1_thumb() << 5)) : "lr", "cc", "memory"); \
    show(name ".cpsr", c & ~0x20u); show(name ".in_sys_stack", r != (u32)&c); } while (0)
  ERET("subs_pc_lr_0", "", "subs pc, lr, #0");
  ERET("subs_pc_lr_4", "add lr, lr, #4", "subs pc, lr, #4");
  ERET("movs_pc_lr", "", "movs pc, lr");
  ERET("eret", "", "eret");
#ifndef __thumb__
  /* (Not ADDS/ANDS/... PC: the architecture makes every flag-setting data-processing write to the PC
     an exception return, QEMU 7.2 only SUBS and MOVS.) */
  /* LDM with PC and ^: CPSR from SPSR. */
  static u32 blk[4];
  __asm__ volatile("msr spsr_fsxc, %2\n\tadr r2, 1f\n\tmov r1, #0x42\n\tstmia %3, {r1, r2}\n\tmov r1, #0\n\tldmia %3, {r1, pc}^\n\t.balign 4\n1:\tmrs %0, cpsr\n\tmov %1, r1\n\tcps #0x13"
                   : "=&r"(c), "=&r"(r) : "r"(0x300001dfu), "r"(blk) : "r1", "r2", "cc", "memory");
  show("ldm_pc_hat.cpsr", c); show("ldm_pc_hat.r2", r);
  /* User-bank STM/LDM ^ from SVC: touch USR r13/r14 (and r8) while SVC's stay. */
  u32 usp = MRSB(SP_usr), ulr = MRSB(LR_usr);
  blk[0] = 0xaaaa0008; blk[1] = 0xaaaa000d; blk[2] = 0xaaaa000e;
  u32 mysp;
  __asm__ volatile("mov %0, sp\n\tldmia %1, {r8, sp, lr}^\n\tnop" : "=&r"(mysp) : "r"(blk) : "r8", "lr", "memory");
  show("ldm_hat.sp_kept", mysp == (u32)({ u32 s_; __asm__ volatile("mov %0, sp" : "=r"(s_)); s_; }));
  { u32 r8u; __asm__ volatile("cps #0x1f\n\tmov %0, r8\n\tcps #0x13" : "=r"(r8u)); show("ldm_hat.r8_usr", r8u); } show("ldm_hat.sp_usr", MRSB(SP_usr)); show("ldm_hat.lr_usr", MRSB(LR_usr));
  MSRB(SP_usr, 0x1234); MSRB(LR_usr, 0x5678);
  blk[0] = blk[1] = 0;
  __asm__ volatile("stmia %0, {sp, lr}^" :: "r"(blk) : "memory");
  show("stm_hat.0", blk[0]); show("stm_hat.1", blk[1]);
  MSRB(SP_usr, usp); MSRB(LR_usr, ulr);
#endif
}

int main(void) {
  cps_all();
  fiq_bank();
  banked();
  srs_rfe();
  exception_returns();
  show("undefs", undefs); show("svcs", svcs);
  return 0;
}
