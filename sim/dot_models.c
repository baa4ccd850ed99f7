/* dot_models.c - every Verilated dot-product top of rtl/tops/configs.tsv
 * (via dot_models.def). */
#include "dot_model.h"

#define FP8SIM_DOT_MODEL(t, cfg, fmt, unit) FP8SIM_DOT_DECLARE(t)
#include "dot_models.def"
#undef FP8SIM_DOT_MODEL

const fp8sim_dot_model fp8sim_dot_models[] = {
#define FP8SIM_DOT_MODEL(t, cfg, fmt, unit) FP8SIM_DOT_ENTRY(t, cfg, fmt, unit, NULL),
#include "dot_models.def"
#undef FP8SIM_DOT_MODEL
  FP8SIM_DOT_END
};
