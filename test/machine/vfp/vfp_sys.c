/* VFP system registers and enable rules: ID registers, FPSCR/FPEXC writable bits, which instructions
   are UNDEFINED with FPSCR.LEN/STRIDE non-zero (the A15 has no short vectors), with FPEXC.EN clear and
   with CPACR denying cp10/cp11. Prints 1 where an instruction was UNDEFINED, 0 where it executed. */
#include "rt.h"

static volatile u32 undefs;
/* Where an UNDEFINED instruction resumes: the end of the TRY block (independent of how LR_und is set). */
static volatile u32 resume;

static volatile u32 aborts;

void exc_dispatch(int kind, u32 *frame) {
  if (kind == 1) undefs++;
  else if (kind == 4) aborts++;
  else { show("unexpected exception", kind); semi_exit(1); }
  frame[13] = resume;
}

/* Data aborts of VFP loads and stores: prints the count and the fault status and address. */
#define TRY_ABORT(name, insn)                                                             \
  do {                                                                                    \
    aborts = 0;                                                                           \
    __asm__ volatile(ADR " r1, 1f\n\tstr r1, [%0]\n\t" insn "\n1:"                        \
                     :: "r"(&resume), "r"(scratch) : "r0", "r1", "s0", "s1", "s2", "d3", "memory"); \
    show(name, aborts);                                                                   \
    if (aborts) { show("  dfsr", read_cp15(0, c5, c0, 0)); show("  dfar offset", read_cp15(0, c6, c0, 0) - (u32)scratch); } \
  } while (0)

#ifdef __thumb__
#define ADR "adr.w"
#else
#define ADR "adr"
#endif
#define TRY(name, insn)                                                                   \
  do {                                                                                    \
    undefs = 0;                                                                           \
    __asm__ volatile(ADR " r1, 1f\n\tstr r1, [%0]\n\t" insn "\n1:"                        \
                     :: "r"(&resume) : "r0", "r1", "s0", "s1", "s2", "d3", "memory");    \
    show(name, undefs);                                                                   \
  } while (0)

static u32 fpscr(void) { u32 v; __asm__ volatile("vmrs %0, fpscr" : "=r"(v)); return v; }
static void set_fpscr(u32 v) { __asm__ volatile("vmsr fpscr, %0" :: "r"(v)); }
static u32 fpexc(void) { u32 v; __asm__ volatile("vmrs %0, fpexc" : "=r"(v)); return v; }
static void set_fpexc(u32 v) { __asm__ volatile("vmsr fpexc, %0" :: "r"(v)); }

static u32 scratch[8] __attribute__((aligned(8)));

static void vector_insns(const char *mode) {
  puts_(mode); puts_("\n");
  TRY("  vadd", "vadd.f32 s0, s1, s2");
  TRY("  vadd.f64", "vadd.f64 d3, d3, d3");
  TRY("  vmul", "vmul.f32 s0, s1, s2");
  TRY("  vmla", "vmla.f32 s0, s1, s2");
  TRY("  vdiv", "vdiv.f32 s0, s1, s2");
  TRY("  vfma", "vfma.f32 s0, s1, s2");
  TRY("  vmov.reg", "vmov.f32 s0, s1");
  TRY("  vmov.imm", "vmov.f32 s0, #1.0");
  TRY("  vabs", "vabs.f32 s0, s1");
  TRY("  vneg", "vneg.f64 d3, d3");
  TRY("  vsqrt", "vsqrt.f32 s0, s1");
  TRY("  vcmp", "vcmp.f32 s0, s1");
  TRY("  vcvt.f64.f32", "vcvt.f64.f32 d3, s0");
  TRY("  vcvt.s32.f32", "vcvt.s32.f32 s0, s1");
  TRY("  vcvt.fixed", "vcvt.s32.f32 s0, s0, #3");
  TRY("  vcvtb", "vcvtb.f16.f32 s0, s1");
  TRY("  vmov.core", "vmov r0, s1");
  TRY("  vldr", "vldr s0, [sp]");
}

int main(void) {
  u32 v;
  __asm__ volatile("vmrs %0, fpsid" : "=r"(v)); show("fpsid", v);
  __asm__ volatile("vmrs %0, mvfr0" : "=r"(v)); show("mvfr0", v);
  __asm__ volatile("vmrs %0, mvfr1" : "=r"(v)); show("mvfr1", v);
  show("fpexc", fpexc());
  set_fpexc(0xffffffff); show("fpexc after writing ones", fpexc());
  set_fpexc(0x40000000);
  set_fpscr(0xffffffff); show("fpscr after writing ones", fpscr());
  set_fpscr(0x00370000); show("fpscr len/stride", fpscr());
  set_fpscr(0);
  TRY("vmsr fpsid", "mov r0, #0\n\t.inst 0xeee00a10"); /* vmsr fpsid, r0 */
  __asm__ volatile("vmrs %0, fpsid" : "=r"(v)); show("fpsid after write", v);
  TRY("vmsr mvfr0", "mov r0, #0\n\t.inst 0xeee70a10");
  TRY("vmsr mvfr1", "mov r0, #0\n\t.inst 0xeee60a10");
  TRY("vmrs fpinst", ".inst 0xeef90a10");
  TRY("vmrs apsr_nzcv, fpexc", ".inst 0xeef8fa10");
  TRY("vmsr fpscr, pc", ".inst 0xeee1fa10");
  show("fpscr after vmsr fpscr, pc", fpscr());
  set_fpscr(0);
  TRY("vmov.s8 scalar (simd)", ".inst 0xee500b30");
  TRY("vdup (simd)", ".inst 0xee800b10");
  TRY("vcvtb.f64.f16 (v8)", ".inst 0xeeb20b40");
  TRY("vrintr (v8)", ".inst 0xeeb60a40");
  TRY("vmov two singles s31", ".inst 0xec510a3f");
  TRY("vcmp #0 with M set", ".inst 0xeeb50a60");
  TRY("vcmp #0 with Vm set", ".inst 0xeeb50a41");
  TRY("vmov imm with bit 5 set", ".inst 0xeeb70a20");
  TRY("vmov imm with bit 7 set", ".inst 0xeeb70a80");
  TRY("vmov s0, r0 with bit 5 set", ".inst 0xee000a30");
  TRY("vmov.32 d0[0], r0 with bit 0 set", ".inst 0xee000b11");
  TRY("vmov r0, r1, d0 with bit 6 set", ".inst 0xec510b50");
  TRY("vldm empty", "mov r0, sp\n\t.inst 0xec900a00");
  TRY("vldm past d31", "mov r0, sp\n\t.inst 0xecd0fb04");
  /* Alignment: VLDR/VSTR/VLDM/VSTM need word alignment whatever SCTLR.A says; doublewords need only words. */
  TRY_ABORT("vldr s +1", "add r0, %1, #1\n\tvldr s0, [r0]");
  TRY_ABORT("vstr s +2", "add r0, %1, #2\n\tvstr s0, [r0]");
  TRY_ABORT("vldr d +4", "add r0, %1, #4\n\tvldr d3, [r0]");
  TRY_ABORT("vstr d +3", "add r0, %1, #3\n\tvstr d3, [r0]");
  TRY_ABORT("vldmia +2", "add r0, %1, #2\n\tvldmia r0, {s0-s1}");
  TRY_ABORT("vstmia d +4", "add r0, %1, #4\n\tvstmia r0, {d3}");
  /* Fixed-point conversions whose immediate exceeds the size (UNPREDICTABLE): QEMU scales by 2^-fracbits. */
  __asm__ volatile("vmov s0, %1\n\t.inst 0xeeba0a4a\n\tvmov %0, s0" : "=r"(v) : "r"(3) : "s0");
  show("vcvt.f32.s16 s0, s0, #-4", v);
  __asm__ volatile("vmov s0, %1\n\t.inst 0xeebe0a4a\n\tvmov %0, s0" : "=r"(v) : "r"(0x447a0000) : "s0");
  show("vcvt.s16.f32 s0, s0, #-4", v);
  set_fpscr(1 << 16); vector_insns("fpscr.len=1");
  set_fpscr(1 << 20); vector_insns("fpscr.stride=1");
  set_fpscr(0);
  set_fpexc(0);
  puts_("fpexc.en=0\n");
  TRY("  vmrs fpscr", "vmrs r0, fpscr");
  TRY("  vmsr fpscr", "mov r0, #0\n\tvmsr fpscr, r0");
  TRY("  vmrs fpsid", "vmrs r0, fpsid");
  TRY("  vmrs mvfr0", "vmrs r0, mvfr0");
  TRY("  vmrs mvfr1", "vmrs r0, mvfr1");
  TRY("  vmrs fpexc", "vmrs r0, fpexc");
  TRY("  vadd", "vadd.f32 s0, s1, s2");
  TRY("  vmov.core", "vmov r0, s1");
  TRY("  vldr", "vldr s0, [sp]");
  set_fpexc(0x40000000);
  u32 cpacr = read_cp15(0, c1, c0, 2);
  write_cp15(0, c1, c0, 2, cpacr & ~0x00f00000);
  __asm__ volatile("isb");
  puts_("cpacr cp10/cp11 no access\n");
  TRY("  vmrs fpexc", "vmrs r0, fpexc");
  TRY("  vmrs fpsid", "vmrs r0, fpsid");
  TRY("  vadd", "vadd.f32 s0, s1, s2");
  write_cp15(0, c1, c0, 2, (cpacr & ~0x00f00000) | 0x00500000);
  __asm__ volatile("isb");
  puts_("cpacr cp10/cp11 PL1 only\n");
  TRY("  vmrs fpexc", "vmrs r0, fpexc");
  TRY("  vadd", "vadd.f32 s0, s1, s2");
  write_cp15(0, c1, c0, 2, cpacr);
  __asm__ volatile("isb");
  (void)scratch;
  return 0;
}
