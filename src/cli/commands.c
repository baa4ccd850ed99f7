/* commands.c - the subcommand table (kmod style): one line per subcommand.
 * 'fp8lab help', the man-page check and the README tour are all read from it. */
#include <string.h>

#include "cli.h"
#include "commands.h"

const cli_command cli_commands[] = {
  {"formats", cmd_formats, "list format presets with their limits and MAC widths"},
  {"table",   cmd_table,   "list every code of a format: hex, fields, class, value"},
  {"cast",    cmd_cast,    "encode numbers into a format (text or binary float32)"},
  {"mac",     cmd_mac,     "run the golden MAC model (Kulisch or FP accumulator) on lines of codes"},
  {"accumulate", cmd_accumulate, "relative error of FP accumulators vs the exact sum, by dot-product length"},
  {"gemm",    cmd_gemm,    "matrix product of code matrices through a dot-product unit (hopper-fp8, ...)"},
  {"verify",  cmd_verify,  "cross-check the Verilated RTL units (MACs and N-term dot products) against the golden model"},
  {"gates",   cmd_gates,   "2-input gate counts of MAC units per format and accumulator (Fig. 3)"},
  {"synth",   cmd_synth,   "Yosys synthesis of the RTL, cells weighted like the gate counts"},
  {"window",  cmd_window,  "dot-product units: gates per product and error against the alignment window"},
  {"accuracy", cmd_accuracy, "bits of accuracy of formats on distributions (Figure 5), Lloyd-Max bound"},
  {"explore", cmd_explore, "every exponent/mantissa split: gates against bits of accuracy, Pareto front"},
  {"figures", cmd_figures, "regenerate every table and plot into a folder, with an index page"},
  {"tensors", cmd_tensors, "bits of accuracy per format on the weights of real models (ONNX, .npz)"},
  {"help",    cmd_help,    "show help for fp8lab or one subcommand"},
  {NULL, NULL, NULL}
};

const cli_command *cli_find_command(const char *name)
{
  for (const cli_command *c = cli_commands; c->name; c++)
    if (strcmp(c->name, name) == 0)
      return c;
  return NULL;
}

void cli_print_usage(FILE *out)
{
  fprintf(out,
          "Usage: %s [--help] [--version] COMMAND [ARGS]\n"
          "What a small number format costs in silicon and buys in accuracy.\n\n"
          "Commands:\n", fp8_report_progname);
  for (const cli_command *c = cli_commands; c->name; c++)
    fprintf(out, "  %-10s %s\n", c->name, c->help);
  fprintf(out, "\nRun '%s COMMAND --help' for a command's options; see fp8lab(1).\n", fp8_report_progname);
}

int cmd_help(int argc, char **argv)
{
  if (argc > 1 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0) {
    const cli_command *c = cli_find_command(argv[1]);
    if (!c) {
      cli_error("help", "unknown command '%s' (expected one of the commands 'fp8lab help' lists)", argv[1]);
      return EXIT_USAGE;
    }
    char *sub[] = {argv[1], "--help", NULL};
    return c->fn(2, sub);
  }
  cli_print_usage(stdout);
  return cli_check_stdout();
}
