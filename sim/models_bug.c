/* models_bug.c - the table of tests/verify_bug: deliberately broken units
 * that prove the cross-check can fail:
 *   fp8-e4/fp16 built with FP8_BUG_RNE_TIES_AWAY (fp8_fpacc_round rounds ties
 *     away from zero instead of to even);
 *   fp8-e4/fp32 built with FP8_BUG_DROP_STICKY (fp8_fpacc_align forgets the
 *     bits it shifts out);
 * and, for the control protocol and the loaded states (issue 10), units that
 * every datapath check passes:
 *   int8/kulisch27 with FP8_BUG_LOAD_OVER_CLEAR (fp8_acc_reg: load beats
 *     clear), FP8_BUG_NO_HOLD (fp8_acc_reg follows the datapath with en_i
 *     low), FP8_BUG_RESET_KEEPS_FLAGS (the asynchronous reset leaves the
 *     flags set);
 *   float8_e5m2/fp32 with FP8_BUG_NAN_LOW_BIT (fp8_unpack's Inf test ignores
 *     the mantissa's low bit: a loaded NaN with that payload reads as Inf).
 * The config names of the later ones carry the bug ("+name"), as one table
 * cannot hold two entries of one name. */
#include "model.h"

FP8SIM_DECLARE(mac_fp8_e4_fp16)
FP8SIM_DECLARE(mac_fp8_e4_fp32)
FP8SIM_DECLARE(bug_load_over_clear)
FP8SIM_DECLARE(bug_no_hold)
FP8SIM_DECLARE(bug_reset_keeps_flags)
FP8SIM_DECLARE(bug_nan_low_bit)

const fp8sim_model fp8sim_models[] = {
  FP8SIM_ENTRY(mac_fp8_e4_fp16, "fp8-e4/fp16", "fp8-e4", "fp16", "FP8_BUG_RNE_TIES_AWAY"),
  FP8SIM_ENTRY(mac_fp8_e4_fp32, "fp8-e4/fp32", "fp8-e4", "fp32", "FP8_BUG_DROP_STICKY"),
  FP8SIM_ENTRY(bug_load_over_clear, "int8/kulisch27+load-over-clear", "int8", "kulisch:27",
               "FP8_BUG_LOAD_OVER_CLEAR"),
  FP8SIM_ENTRY(bug_no_hold, "int8/kulisch27+no-hold", "int8", "kulisch:27", "FP8_BUG_NO_HOLD"),
  FP8SIM_ENTRY(bug_reset_keeps_flags, "int8/kulisch27+reset-keeps-flags", "int8", "kulisch:27",
               "FP8_BUG_RESET_KEEPS_FLAGS"),
  FP8SIM_ENTRY(bug_nan_low_bit, "float8_e5m2/fp32+nan-low-bit", "float8_e5m2", "fp32",
               "FP8_BUG_NAN_LOW_BIT"),
  FP8SIM_END
};
