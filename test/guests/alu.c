/* Data processing: every A32/T32 data-processing operation with every shifter form (immediate,
   LSL/LSR/ASR/ROR by immediate, RRX, and by register in ARM state), with input flags clear and set;
   prints result and NZCVQ for each combination. Thumb builds add explicit IT blocks. */
#include "ops.h"

T3(adds, "adds %[r], %[a], %[b]")
T3(adcs, "adcs %[r], %[a], %[b]")
T3(subs, "subs %[r], %[a], %[b]")
T3(sbcs, "sbcs %[r], %[a], %[b]")
T3(rsbs_imm, "rsbs %[r], %[a], #0x3fc")
T3(ands, "ands %[r], %[a], %[b]")
T3(orrs, "orrs %[r], %[a], %[b]")
T3(eors, "eors %[r], %[a], %[b]")
T3(bics, "bics %[r], %[a], %[b]")
T3(orns_or_mvns, "mvns %[r], %[b]")
T3(cmp, "cmp %[a], %[b]")
T3(cmn, "cmn %[a], %[b]")
T3(tst, "tst %[a], %[b]")
T3(teq, "teq %[a], %[b]")
T3(adds_lsl7, "adds %[r], %[a], %[b], lsl #7")
T3(subs_lsr1, "subs %[r], %[a], %[b], lsr #1")
T3(ands_lsr32, "ands %[r], %[a], %[b], lsr #32")
T3(eors_asr32, "eors %[r], %[a], %[b], asr #32")
T3(orrs_asr5, "orrs %[r], %[a], %[b], asr #5")
T3(bics_ror9, "bics %[r], %[a], %[b], ror #9")
T3(movs_rrx, "movs %[r], %[b], rrx")
T3(adcs_rrx, "adcs %[r], %[a], %[b], rrx")
T3(movs_lsl1, "movs %[r], %[b], lsl #1")
T3(movs_lsr32, "movs %[r], %[b], lsr #32")
T3(tst_imm_rot, "tst %[a], #0x80000000")
T3(movs_imm_rot, "movs %[r], #0x3f0")
T3(ands_imm_rot, "ands %[r], %[a], #0xff000000")
T3(add_noflags, "add %[r], %[a], %[b], lsl #3")
T3(mov_w, "movw %[r], #0xbeef")
T3(mov_t, "movt %[r], #0xdead")
T3(sbc_noflags, "sbc %[r], %[a], %[b]")
T3(cond_addeq, "addeq %[r], %[a], %[b]")
T3(cond_subhi, "subhi %[r], %[a], %[b]")
T3(cond_movlt, "movlt %[r], %[a]")
T3(cond_movge, "movge %[r], %[a]")
T3(cond_movgt, "movgt %[r], %[a]")
T3(cond_movle, "movle %[r], %[a]")
T3(cond_movls, "movls %[r], %[a]")
T3(cond_movvs, "movvs %[r], %[a]")
T3(cond_movmi, "movmi %[r], %[a]")
T3(cond_movcc, "movcc %[r], %[a]")
#ifdef __thumb__
T3(it_block, "cmp %[a], %[b]\n\tite hi\n\taddhi %[r], %[a], #1\n\tsubls %[r], %[b], #1")
T3(itt_flags, "cmp %[a], %[b]\n\titt ne\n\tmovne %[r], %[a]\n\taddsne %[r], %[r], %[b]")
T3(itete, "tst %[a], %[b]\n\titete eq\n\tmoveq %[r], #1\n\tmovne %[r], #2\n\taddeq %[r], %[r], #4\n\taddne %[r], %[r], #8")
T3(orns, "orns %[r], %[a], %[b]")
T3(orn_lsl, "orn %[r], %[a], %[b], lsl #4")
#else
T3(rscs, "rscs %[r], %[a], %[b]")
T3(rsbs_ror3, "rsbs %[r], %[a], %[b], ror #3")
TS(movs_lsl_reg, "movs %[r], %[b], lsl %[s]")
TS(movs_lsr_reg, "movs %[r], %[b], lsr %[s]")
TS(movs_asr_reg, "movs %[r], %[b], asr %[s]")
TS(movs_ror_reg, "movs %[r], %[b], ror %[s]")
TS(adds_lsl_reg, "adds %[r], %[a], %[b], lsl %[s]")
TS(ands_ror_reg, "ands %[r], %[a], %[b], ror %[s]")
TS(teq_asr_reg, "teq %[a], %[b], asr %[s]")
TS(rscs_lsr_reg, "rscs %[r], %[a], %[b], lsr %[s]")
#endif
#ifdef __thumb__
TS(movs_lsl_reg, "lsls %[r], %[b], %[s]")
TS(movs_lsr_reg, "lsrs %[r], %[b], %[s]")
TS(movs_asr_reg, "asrs %[r], %[b], %[s]")
TS(movs_ror_reg, "rors %[r], %[b], %[s]")
#endif

int main(void) {
  adds(); adcs(); subs(); sbcs(); rsbs_imm(); ands(); orrs(); eors(); bics(); orns_or_mvns();
  cmp(); cmn(); tst(); teq(); adds_lsl7(); subs_lsr1(); ands_lsr32(); eors_asr32(); orrs_asr5(); bics_ror9();
  movs_rrx(); adcs_rrx(); movs_lsl1(); movs_lsr32(); tst_imm_rot(); movs_imm_rot(); ands_imm_rot(); add_noflags();
  mov_w(); mov_t(); sbc_noflags(); cond_addeq(); cond_subhi(); cond_movlt(); cond_movge(); cond_movgt(); cond_movle();
  cond_movls(); cond_movvs(); cond_movmi(); cond_movcc();
  movs_lsl_reg(); movs_lsr_reg(); movs_asr_reg(); movs_ror_reg();
#ifdef __thumb__
  it_block(); itt_flags(); itete(); orns(); orn_lsl();
#else
  rscs(); rsbs_ror3(); adds_lsl_reg(); ands_ror_reg(); teq_asr_reg(); rscs_lsr_reg();
#endif
  return 0;
}
