/* models_none.c - the model table of a build without Verilator: empty, so
 * `fp8lab verify` reports that it was built without Verilator. */
#include "model.h"

const fp8sim_model fp8sim_models[] = {
  FP8SIM_END
};
