/* models.c - every Verilated top of rtl/tops/configs.tsv (via models.def). */
#include "model.h"

#define FP8SIM_MODEL(t, cfg, fmt, acc) FP8SIM_DECLARE(t)
#include "models.def"
#undef FP8SIM_MODEL

const fp8sim_model fp8sim_models[] = {
#define FP8SIM_MODEL(t, cfg, fmt, acc) FP8SIM_ENTRY(t, cfg, fmt, acc, NULL),
#include "models.def"
#undef FP8SIM_MODEL
  FP8SIM_END
};
