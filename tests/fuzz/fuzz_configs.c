/* fuzz_configs.c - an RTL tree's tops/configs.tsv as 'fp8lab synth --rtl DIR'
 * reads it.  Asks for a configuration no table lists, so synth stops after
 * reading and checking the table (Yosys is never run: FP8LAB_YOSYS=/bin/false). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "commands.h"
#include "fuzz.h"

/* A cost table of its own (Appendix B's costs), so no data folder is needed. */
static const char costs[] =
  "NOT\t0\nAND2\t1\nNAND2\t1\nOR2\t1\nNOR2\t1\nAO21\t2\nAOI21\t2\nOA21\t2\nOAI21\t2\n"
  "MUX2\t3\nXOR2\t3\nXNOR2\t3\nHA\t3\nFA\t2*HA + OR2\nFF\t2*MUX2\n";

FUZZ_TARGET(configs)
{
  static char rtl[512], table[512];
  if (!rtl[0]) {
    snprintf(rtl, sizeof rtl, "%s/rtl", fuzz_dir());
    char tops[600];
    snprintf(tops, sizeof tops, "%s/tops", rtl);
    mkdir(rtl, 0700);
    mkdir(tops, 0700);
    setenv("FP8LAB_YOSYS", "/bin/false", 1);
    snprintf(table, sizeof table, "%s", fuzz_file("costs.tsv", (const uint8_t *)costs, sizeof costs - 1));
  }
  fuzz_file("rtl/tops/configs.tsv", data, size);
  const char *argv[] = {"synth", "--rtl", rtl, "--components", table, "--config", "no-such-config.fuzz",
                        "--tsv"};
  fuzz_run(cmd_synth, 8, argv, NULL, 0);
  return 0;
}
