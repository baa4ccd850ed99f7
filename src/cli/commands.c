/* commands.c - the subcommand table (kmod style): one line per subcommand.
 * 'fp8lab help', the man-page check and the README tour are all read from it. */
#include "cli.h"
#include "commands.h"

const cli_command cli_commands[] = {
  {"formats", cmd_formats, "list format presets with their limits and MAC widths"},
  {"table",   cmd_table,   "list every code of a format: hex, fields, class, value"},
  {"cast",    cmd_cast,    "encode numbers into a format (text or binary float32)"},
  {"help",    cmd_help,    "show help for fp8lab or one subcommand"},
  {NULL, NULL, NULL}
};
