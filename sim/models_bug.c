/* models_bug.c - the table of tests/verify_bug: fp8-e4/fp16 built with
 * FP8_BUG_RNE_TIES_AWAY (fp8_fpacc_round rounds ties away from zero), the
 * deliberately broken unit that proves the cross-check can fail. */
#include "model.h"

FP8SIM_DECLARE(mac_fp8_e4_fp16)

const fp8sim_model fp8sim_models[] = {
  FP8SIM_ENTRY(mac_fp8_e4_fp16, "fp8-e4/fp16", "fp8-e4", "fp16", "FP8_BUG_RNE_TIES_AWAY"),
  {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}
};
