/* commands.c - the subcommand table (kmod style): one line per subcommand.
 * 'fp8lab help', the man-page check and the README tour are all read from it. */
#include "cli.h"
#include "commands.h"

const cli_command cli_commands[] = {
  {"formats", cmd_formats, "list format presets with their limits and MAC widths"},
  {"table",   cmd_table,   "list every code of a format: hex, fields, class, value"},
  {"cast",    cmd_cast,    "encode numbers into a format (text or binary float32)"},
  /* issue 3: mac, accumulate */
  {"mac",     cmd_mac,     "run the golden MAC model (Kulisch or FP accumulator) on lines of codes"},
  {"accumulate", cmd_accumulate, "relative error of FP accumulators vs the exact sum, by dot-product length"},

  /* issue 11: gemm */
  {"gemm",    cmd_gemm,    "matrix product of code matrices through a dot-product unit (hopper-fp8, ...)"},

  /* issue 4: verify */
  {"verify",  cmd_verify,  "cross-check the Verilated RTL MACs against the golden model"},

  /* issue 5: gates, synth */
  {"gates",   cmd_gates,   "2-input gate counts of MAC units per format and accumulator (Fig. 3)"},
  {"synth",   cmd_synth,   "Yosys synthesis of the RTL, cells weighted like the gate counts"},
  /* issue 13: window */
  {"window",  cmd_window,  "dot-product units: gates per product and error against the alignment window"},

  /* issue 6: accuracy */
  {"accuracy", cmd_accuracy, "bits of accuracy of formats on distributions (Figure 5), Lloyd-Max bound"},

  /* issue 7: explore, figures */
  {"explore", cmd_explore, "every exponent/mantissa split: gates against bits of accuracy, Pareto front"},
  {"figures", cmd_figures, "regenerate every table and plot into a folder, with an index page"},

  /* issue 15: tensors */
  {"tensors", cmd_tensors, "bits of accuracy per format on the weights of real models (ONNX, .npz)"},

  {"help",    cmd_help,    "show help for fp8lab or one subcommand"},
  {NULL, NULL, NULL}
};
