/* fuzz_configs.c - an RTL tree's tops/configs.tsv as 'fp8lab synth --rtl DIR'
 * reads it.  Asks for a configuration no table lists, so synth stops after
 * reading and checking the table (Yosys is never run: FP8LAB_YOSYS=/bin/false). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "commands.h"
#include "fuzz.h"

FUZZ_TARGET(configs)
{
  static char rtl[512];
  if (!rtl[0]) {
    snprintf(rtl, sizeof rtl, "%s/rtl", fuzz_dir());
    char tops[600];
    snprintf(tops, sizeof tops, "%s/tops", rtl);
    mkdir(rtl, 0700);
    mkdir(tops, 0700);
    setenv("FP8LAB_YOSYS", "/bin/false", 1);
  }
  fuzz_file("rtl/tops/configs.tsv", data, size);
  const char *argv[] = {"synth", "--rtl", rtl, "--config", "no-such-config.fuzz", "--tsv"};
  fuzz_run(cmd_synth, 6, argv, NULL, 0);
  return 0;
}
