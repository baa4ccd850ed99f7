/* models_bug.c - the table of tests/verify_bug: deliberately broken units
 * that prove the cross-check can fail:
 *   fp8-e4/fp16 built with FP8_BUG_RNE_TIES_AWAY (fp8_fpacc_round rounds ties
 *     away from zero instead of to even);
 *   fp8-e4/fp32 built with FP8_BUG_DROP_STICKY (fp8_fpacc_align forgets the
 *     bits it shifts out);
 *   float8_e4m3fn/hopper-fp8:n=4 built with FP8_BUG_NARROW_WINDOW (every term
 *     one bit short: a window of F - 1 bits);
 *   float8_e4m3fn/hopper-fp8:n=16 built with FP8_BUG_TERM_RNE (terms rounded
 *     to nearest even instead of truncated toward zero);
 *   float8_e4m3fn/fp32:n=4:window=exact built with FP8_BUG_DROP_STICKY (the
 *     exact unit's C + S adder forgets the bits it shifts out);
 * and, for the control protocol, the loaded states and the worst-case steps,
 * units that every other check passes:
 *   int8/kulisch27 with FP8_BUG_LOAD_OVER_CLEAR (fp8_acc_reg: load beats
 *     clear), FP8_BUG_NO_HOLD (fp8_acc_reg follows the datapath with en_i
 *     low), FP8_BUG_RESET_KEEPS_FLAGS (the asynchronous reset leaves the
 *     flags set);
 *   float8_e5m2/fp32 with FP8_BUG_NAN_LOW_BIT (fp8_unpack's Inf test ignores
 *     the mantissa's low bit: a loaded NaN with that payload reads as Inf);
 *   int8/kulisch27:n=4 with FP8_BUG_NO_HOLD (only the protocol phase sees it)
 *     and with FP8_BUG_NARROW_SUM (fp8_dot_kulisch's step sum one bit narrower
 *     than its largest value, 4 x (-128 x -128) = 2^16, needs: only the
 *     worst-case steps see it).
 * The config names of the later ones carry the bug ("+name"), as one table
 * cannot hold two entries of one name. */
#include "model.h"

FP8SIM_DECLARE(mac_fp8_e4_fp16)
FP8SIM_DECLARE(mac_fp8_e4_fp32)
FP8SIM_DECLARE(dot_e4m3fn_n4_f13)
FP8SIM_DECLARE(dot_e4m3fn_n16_f13)
FP8SIM_DECLARE(bug_dot_drop_sticky)
FP8SIM_DECLARE(bug_load_over_clear)
FP8SIM_DECLARE(bug_no_hold)
FP8SIM_DECLARE(bug_reset_keeps_flags)
FP8SIM_DECLARE(bug_nan_low_bit)
FP8SIM_DECLARE(bug_dot_no_hold)
FP8SIM_DECLARE(bug_dot_narrow_sum)

const fp8sim_unit fp8sim_units[] = {
  FP8SIM_ENTRY(mac_fp8_e4_fp16, "fp8-e4/fp16", "fp8-e4", "fp16", 1, "FP8_BUG_RNE_TIES_AWAY"),
  FP8SIM_ENTRY(mac_fp8_e4_fp32, "fp8-e4/fp32", "fp8-e4", "fp32", 1, "FP8_BUG_DROP_STICKY"),
  FP8SIM_ENTRY(dot_e4m3fn_n4_f13, "float8_e4m3fn/hopper-fp8:n=4", "float8_e4m3fn", "hopper-fp8:n=4", 4,
               "FP8_BUG_NARROW_WINDOW"),
  FP8SIM_ENTRY(dot_e4m3fn_n16_f13, "float8_e4m3fn/hopper-fp8:n=16", "float8_e4m3fn", "hopper-fp8:n=16", 16,
               "FP8_BUG_TERM_RNE"),
  FP8SIM_ENTRY(bug_dot_drop_sticky, "float8_e4m3fn/fp32:n=4:window=exact", "float8_e4m3fn",
               "fp32:n=4:window=exact:c=fused", 4, "FP8_BUG_DROP_STICKY"),
  FP8SIM_ENTRY(bug_load_over_clear, "int8/kulisch27+load-over-clear", "int8", "kulisch:27", 1,
               "FP8_BUG_LOAD_OVER_CLEAR"),
  FP8SIM_ENTRY(bug_no_hold, "int8/kulisch27+no-hold", "int8", "kulisch:27", 1, "FP8_BUG_NO_HOLD"),
  FP8SIM_ENTRY(bug_reset_keeps_flags, "int8/kulisch27+reset-keeps-flags", "int8", "kulisch:27", 1,
               "FP8_BUG_RESET_KEEPS_FLAGS"),
  FP8SIM_ENTRY(bug_nan_low_bit, "float8_e5m2/fp32+nan-low-bit", "float8_e5m2", "fp32", 1,
               "FP8_BUG_NAN_LOW_BIT"),
  FP8SIM_ENTRY(bug_dot_no_hold, "int8/kulisch27:n=4+no-hold", "int8", "kulisch:27:n=4", 4, "FP8_BUG_NO_HOLD"),
  FP8SIM_ENTRY(bug_dot_narrow_sum, "int8/kulisch27:n=4+narrow-sum", "int8", "kulisch:27:n=4", 4,
               "FP8_BUG_NARROW_SUM"),
  FP8SIM_END
};
