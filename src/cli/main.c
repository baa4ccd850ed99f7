/* main.c - fp8lab: dispatch to a subcommand from the table in commands.c. */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "commands.h"

static void print_usage(FILE *out)
{
  fprintf(out,
          "Usage: %s [--help] [--version] COMMAND [ARGS]\n"
          "What a small number format costs in silicon and buys in accuracy.\n\n"
          "Commands:\n", fp8_report_progname);
  for (const cli_command *c = cli_commands; c->name; c++)
    fprintf(out, "  %-10s %s\n", c->name, c->help);
  fprintf(out, "\nRun '%s COMMAND --help' for a command's options; see fp8lab(1).\n", fp8_report_progname);
}

static const cli_command *find_command(const char *name)
{
  for (const cli_command *c = cli_commands; c->name; c++)
    if (strcmp(c->name, name) == 0)
      return c;
  return NULL;
}

int cmd_help(int argc, char **argv)
{
  if (argc > 1 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0) {
    const cli_command *c = find_command(argv[1]);
    if (!c) {
      cli_error("help", "unknown command '%s' (expected one of the commands 'fp8lab help' lists)", argv[1]);
      return EXIT_USAGE;
    }
    char *sub[] = {argv[1], "--help", NULL};
    return c->fn(2, sub);
  }
  print_usage(stdout);
  return cli_check_stdout();
}

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
      print_usage(stdout);
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
    print_usage(stderr);
    return EXIT_USAGE;
  }
  const cli_command *cmd = find_command(argv[optind]);
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
