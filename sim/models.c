/* models.c - every Verilated top of rtl/tops/configs.tsv (via models.def):
 * the MACs (n = 1) and the dot-product units. */
#include "model.h"

#define FP8SIM_UNIT(t, cfg, fmt, unit, n) FP8SIM_DECLARE(t)
#include "models.def"
#undef FP8SIM_UNIT

const fp8sim_unit fp8sim_units[] = {
#define FP8SIM_UNIT(t, cfg, fmt, unit, n) FP8SIM_ENTRY(t, cfg, fmt, unit, n, NULL),
#include "models.def"
#undef FP8SIM_UNIT
  FP8SIM_END
};
