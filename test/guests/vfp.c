/* VFPv4: single and double arithmetic (add, sub, mul, div, sqrt, fused and chained multiply-
   accumulate), conversions (float<->double, int<->float with FPSCR rounding and round-to-zero,
   fixed point, half precision), comparisons, over special values (zeros, denormals, infinities,
   quiet and signalling NaNs, extremes) in all four rounding modes with and without flush-to-zero and
   default NaN; prints each result's bits and the cumulative exception flags and NZCV it set. */
#include "rt.h"

static const u32 sv[] = { 0x00000000, 0x80000000, 0x3f800000, 0xbfc00000, 0x40400000, 0x3eaaaaab, 0x7f7fffff, 0x00800000,
  0x00000001, 0x807fffff, 0x7f800000, 0xff800000, 0x7fc00001, 0x7f800001, 0x4b800001, 0x501502f9, 0xc0200000, 0x33800000 };
static const u64 dv[] = { 0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0x3fd5555555555555ull,
  0x7fefffffffffffffull, 0x0010000000000000ull, 0x0000000000000001ull, 0x7ff0000000000000ull, 0xfff8000000000001ull,
  0x7ff0000000000001ull, 0x41dfffffffc00000ull, 0xc1e0000000200000ull, 0x3e70000000000001ull, 0x4330000000000001ull };
#define NS (sizeof sv / 4)
#define ND (sizeof dv / 8)
/* Rounding modes RN, RP, RM, RZ; then RN with FZ, then RN with DN, then RZ with FZ+DN. */
static const u32 modes[] = { 0 << 22, 1 << 22, 2 << 22, 3 << 22, 1 << 24, 1 << 25, (3 << 22) | (3 << 24) };
#define NM (sizeof modes / 4)

static void line(const char *name, u32 m, u32 a, u32 b, u32 r_hi, u32 r, u32 fpscr) {
  char buf[128]; char *p = buf;
  while (*name) *p++ = *name++;
  u32 w[6] = { m >> 22, a, b, r_hi, r, fpscr };
  for (int k = 0; k < 6; k++) {
    *p++ = ' ';
    for (int i = (k == 0 ? 1 : 7); i >= 0; i--) { u32 d = (w[k] >> (i * 4)) & 15; *p++ = d < 10 ? '0' + d : 'a' + d - 10; }
  }
  *p++ = '\n'; *p = 0;
  puts_(buf);
}

#define S2(name, insn)                                                                                 \
  static void name(void) {                                                                             \
    for (u32 m = 0; m < NM; m++) for (u32 i = 0; i < NS; i++) for (u32 j = 0; j < NS; j += (i % 3) + 1) { \
      u32 a = sv[i], b = sv[j], r, f;                                                                  \
      __asm__ volatile("vmov s14, %[a]\n\tvmov s15, %[b]\n\tvmov s13, %[b]\n\tvmsr fpscr, %[m]\n\t" insn \
                       "\n\tvmrs %[f], fpscr\n\tvmov %[r], s13"                                        \
                       : [r] "=r"(r), [f] "=&r"(f) : [a] "r"(a), [b] "r"(b), [m] "r"(modes[m]) : "s13", "s14", "s15", "memory"); \
      line(#name, modes[m], a, b, 0, r, f);                                                            \
    }                                                                                                  \
  }
#define D2(name, insn)                                                                                 \
  static void name(void) {                                                                             \
    for (u32 m = 0; m < NM; m++) for (u32 i = 0; i < ND; i++) for (u32 j = 0; j < ND; j++) {           \
      u64 a = dv[i], b = dv[j]; u32 rl, rh, f;                                                         \
      __asm__ volatile("vmov d5, %Q[a], %R[a]\n\tvmov d6, %Q[b], %R[b]\n\tvmov d7, %Q[b], %R[b]\n\tvmsr fpscr, %[m]\n\t" insn \
                       "\n\tvmrs %[f], fpscr\n\tvmov %[rl], %[rh], d7"                                 \
                       : [rl] "=r"(rl), [rh] "=r"(rh), [f] "=&r"(f) : [a] "r"(a), [b] "r"(b), [m] "r"(modes[m]) : "d5", "d6", "d7", "memory"); \
      line(#name, modes[m], (u32)(a >> 32) ^ (u32)a, (u32)(b >> 32) ^ (u32)b, rh, rl, f);             \
    }                                                                                                  \
  }

S2(vadd_f32, "vadd.f32 s13, s14, s15")
S2(vsub_f32, "vsub.f32 s13, s14, s15")
S2(vmul_f32, "vmul.f32 s13, s14, s15")
S2(vnmul_f32, "vnmul.f32 s13, s14, s15")
S2(vdiv_f32, "vdiv.f32 s13, s14, s15")
S2(vsqrt_f32, "vsqrt.f32 s13, s14")
S2(vabs_neg_f32, "vabs.f32 s13, s14\n\tvneg.f32 s13, s13")
S2(vfma_f32, "vfma.f32 s13, s14, s15")
S2(vfms_f32, "vfms.f32 s13, s14, s15")
S2(vfnma_f32, "vfnma.f32 s13, s14, s15")
S2(vmla_f32, "vmla.f32 s13, s14, s15")
S2(vnmls_f32, "vnmls.f32 s13, s14, s15")
S2(vcmp_f32, "vcmp.f32 s14, s15\n\tvmrs APSR_nzcv, fpscr\n\tmrs r0, apsr\n\tvmov s13, r0")
S2(vcmpe_f32, "vcmpe.f32 s14, s15")
S2(vcmp_zero, "vcmp.f32 s14, #0")
S2(vcvt_f64_f32, "vcvt.f64.f32 d7, s14\n\tvmov r0, r1, d7\n\teor r0, r0, r1\n\tvmov s13, r0")
S2(vcvt_s32_f32, "vcvt.s32.f32 s13, s14")
S2(vcvtr_s32_f32, "vcvtr.s32.f32 s13, s14")
S2(vcvt_u32_f32, "vcvt.u32.f32 s13, s14")
S2(vcvtr_u32_f32, "vcvtr.u32.f32 s13, s14")
S2(vcvt_f32_s32, "vcvt.f32.s32 s13, s14")
S2(vcvt_f32_u32, "vcvt.f32.u32 s13, s14")
S2(vcvt_fixed_s16, "vmov s13, s14\n\tvcvt.s16.f32 s13, s13, #4")
S2(vcvt_fixed_u32, "vmov s13, s14\n\tvcvt.u32.f32 s13, s13, #20")
S2(vcvt_f32_fixed, "vmov s13, s14\n\tvcvt.f32.s32 s13, s13, #7")
S2(vcvtb_f16_f32, "vcvtb.f16.f32 s13, s14")
S2(vcvtt_f32_f16, "vcvtt.f32.f16 s13, s14")
S2(vmov_imm, "vmov.f32 s13, #-1.75")
D2(vadd_f64, "vadd.f64 d7, d5, d6")
D2(vsub_f64, "vsub.f64 d7, d5, d6")
D2(vmul_f64, "vmul.f64 d7, d5, d6")
D2(vdiv_f64, "vdiv.f64 d7, d5, d6")
D2(vsqrt_f64, "vsqrt.f64 d7, d5")
D2(vfma_f64, "vfma.f64 d7, d5, d6")
D2(vfnms_f64, "vfnms.f64 d7, d5, d6")
D2(vmls_f64, "vmls.f64 d7, d5, d6")
D2(vcmpe_f64, "vcmpe.f64 d5, d6\n\tvmrs APSR_nzcv, fpscr\n\tmrs r0, apsr\n\tvmov d7, r0, r0")
D2(vcvt_f32_f64, "vcvt.f32.f64 s14, d5\n\tvmov r0, s14\n\tvmov d7, r0, r0")
D2(vcvt_s32_f64, "vcvt.s32.f64 s14, d5\n\tvmov r0, s14\n\tvmov d7, r0, r0")
D2(vcvtr_u32_f64, "vcvtr.u32.f64 s14, d5\n\tvmov r0, s14\n\tvmov d7, r0, r0")
D2(vcvt_f64_s32, "vmov r0, s11\n\tvcvt.f64.s32 d7, s11")

int main(void) {
  vadd_f32(); vsub_f32(); vmul_f32(); vnmul_f32(); vdiv_f32(); vsqrt_f32(); vabs_neg_f32(); vfma_f32(); vfms_f32(); vfnma_f32();
  vmla_f32(); vnmls_f32(); vcmp_f32(); vcmpe_f32(); vcmp_zero(); vcvt_f64_f32(); vcvt_s32_f32(); vcvtr_s32_f32(); vcvt_u32_f32();
  vcvtr_u32_f32(); vcvt_f32_s32(); vcvt_f32_u32(); vcvt_fixed_s16(); vcvt_fixed_u32(); vcvt_f32_fixed(); vcvtb_f16_f32();
  vcvtt_f32_f16(); vmov_imm();
  vadd_f64(); vsub_f64(); vmul_f64(); vdiv_f64(); vsqrt_f64(); vfma_f64(); vfnms_f64(); vmls_f64(); vcmpe_f64(); vcvt_f32_f64();
  vcvt_s32_f64(); vcvtr_u32_f64(); vcvt_f64_s32();
  return 0;
}
