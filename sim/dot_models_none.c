/* dot_models_none.c - the empty dot-product table of a build without Verilator. */
#include "dot_model.h"

const fp8sim_dot_model fp8sim_dot_models[] = {FP8SIM_DOT_END};
