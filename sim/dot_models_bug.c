/* dot_models_bug.c - the dot-product units of tests/verify_bug, deliberately
 * broken (tests/verify_dot_bug.sh proves the cross-check catches them):
 *   float8_e4m3fn/hopper-fp8:n=4 built with FP8_BUG_NARROW_WINDOW (every term
 *     one bit short: a window of F - 1 bits);
 *   float8_e4m3fn/hopper-fp8:n=16 built with FP8_BUG_TERM_RNE (terms rounded
 *     to nearest even instead of truncated toward zero);
 *   float8_e4m3fn/fp32:n=4:window=exact built with FP8_BUG_DROP_STICKY (the
 *     exact unit's C + S adder forgets the bits it shifts out);
 *   int8/kulisch27:n=4+no-hold built with FP8_BUG_NO_HOLD (the register
 *     follows the datapath with en_i low: only the control-protocol phase sees
 *     it; "+name" as in sim/models_bug.c). */
#include "dot_model.h"

FP8SIM_DOT_DECLARE(dot_e4m3fn_n4_f13)
FP8SIM_DOT_DECLARE(dot_e4m3fn_n16_f13)
FP8SIM_DOT_DECLARE(bug_dot_drop_sticky)
FP8SIM_DOT_DECLARE(bug_dot_no_hold)

const fp8sim_dot_model fp8sim_dot_models[] = {
  FP8SIM_DOT_ENTRY(dot_e4m3fn_n4_f13, "float8_e4m3fn/hopper-fp8:n=4", "float8_e4m3fn", "hopper-fp8:n=4",
                   "FP8_BUG_NARROW_WINDOW"),
  FP8SIM_DOT_ENTRY(dot_e4m3fn_n16_f13, "float8_e4m3fn/hopper-fp8:n=16", "float8_e4m3fn", "hopper-fp8:n=16",
                   "FP8_BUG_TERM_RNE"),
  FP8SIM_DOT_ENTRY(bug_dot_drop_sticky, "float8_e4m3fn/fp32:n=4:window=exact", "float8_e4m3fn",
                   "fp32:n=4:window=exact:c=fused", "FP8_BUG_DROP_STICKY"),
  FP8SIM_DOT_ENTRY(bug_dot_no_hold, "int8/kulisch27:n=4+no-hold", "int8", "kulisch:27:n=4", "FP8_BUG_NO_HOLD"),
  FP8SIM_DOT_END
};
