/* models_none.c - the unit table of a build without Verilator: empty, so
 * `fp8lab verify` reports that it was built without Verilator. */
#include "model.h"

const fp8sim_unit fp8sim_units[] = {
  FP8SIM_END
};
