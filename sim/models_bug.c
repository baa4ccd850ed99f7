/* models_bug.c - the table of tests/verify_bug: two deliberately broken units
 * that prove the cross-check can fail:
 *   fp8-e4/fp16 built with FP8_BUG_RNE_TIES_AWAY (fp8_fpacc_round rounds ties
 *     away from zero instead of to even);
 *   fp8-e4/fp32 built with FP8_BUG_DROP_STICKY (fp8_fpacc_align forgets the
 *     bits it shifts out). */
#include "model.h"

FP8SIM_DECLARE(mac_fp8_e4_fp16)
FP8SIM_DECLARE(mac_fp8_e4_fp32)

const fp8sim_model fp8sim_models[] = {
  FP8SIM_ENTRY(mac_fp8_e4_fp16, "fp8-e4/fp16", "fp8-e4", "fp16", "FP8_BUG_RNE_TIES_AWAY"),
  FP8SIM_ENTRY(mac_fp8_e4_fp32, "fp8-e4/fp32", "fp8-e4", "fp32", "FP8_BUG_DROP_STICKY"),
  {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}
};
