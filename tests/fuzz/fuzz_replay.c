/* fuzz_replay.c - 'fp8lab verify --replay FILE' vector lines (config, load,
 * clear, step).  The whole file is the input.  Built with the Verilated models
 * when configure found Verilator, else with none (every config is unknown). */
#include "commands.h"
#include "fuzz.h"

FUZZ_TARGET(replay)
{
  const char *path = fuzz_file("replay.vec", data, size);
  const char *argv[] = {"verify", "--replay", path};
  fuzz_run(cmd_verify, 3, argv, NULL, 0);
  return 0;
}
