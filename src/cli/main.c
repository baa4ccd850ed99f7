/* main.c - fp8lab: dispatch to a subcommand from the table in commands.c. */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "commands.h"

int main(int argc, char **argv)
{
  static const struct option opts[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}
  };
  /* Errors from GSL are reported by the experiments, never abort()ed. */
  gsl_set_error_handler_off();
  int c;
  while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
    switch (c) {
    case 'h':
      cli_print_usage(stdout);
      return cli_check_stdout();
    case 'V':
      printf("fp8lab %s\n", PACKAGE_VERSION);
      return cli_check_stdout();
    default:
      fprintf(stderr, "Try '%s --help'.\n", fp8_report_progname);
      return EXIT_USAGE;
    }
  }
  if (optind >= argc) {
    cli_print_usage(stderr);
    return EXIT_USAGE;
  }
  const cli_command *cmd = cli_find_command(argv[optind]);
  if (!cmd) {
    fprintf(stderr, "%s: unknown command '%s' (expected one of: ", fp8_report_progname, argv[optind]);
    for (const cli_command *k = cli_commands; k->name; k++)
      fprintf(stderr, "%s%s", k->name, k[1].name ? ", " : ")\n");
    return EXIT_USAGE;
  }
  int first = optind;
  optind = 0;  /* GNU getopt: 0 re-initialises for the command's own parse */
  /* getopt names argv[0] in its own messages: make that "fp8lab CMD". */
  char self[64];
  snprintf(self, sizeof self, "%s %s", fp8_report_progname, cmd->name);
  argv[first] = self;
  int rc = cmd->fn(argc - first, argv + first);
  int out = cli_check_stdout();
  return rc ? rc : out;
}
