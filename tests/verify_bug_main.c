/* verify_bug_main.c - `fp8lab verify` linked with the deliberately broken
 * model table (sim/models_bug.c), for tests/verify_bug.sh. */
#include <gsl/gsl_errno.h>

#include "cli.h"
#include "commands.h"

int main(int argc, char **argv)
{
  gsl_set_error_handler_off();
  int rc = cmd_verify(argc, argv);
  int out = cli_check_stdout();
  return rc ? rc : out;
}
