/* verify_coverage.h - Verilator line and toggle coverage of the RTL under the
 * stimulus of `fp8lab verify` (sim/verify_coverage.c). */
#ifndef FP8_SIM_VERIFY_COVERAGE_H
#define FP8_SIM_VERIFY_COVERAGE_H

#include <stddef.h>

#include "verify.h"

typedef struct fp8_cov_tools {
  const char *srcroot;              /* holds rtl/ (blocks, tops/) and sim/ (vbuild.sh, shim.cpp) */
  const char *verilator;
  const char *verilator_coverage;
  const char *cxx;
} fp8_cov_tools;

/* s single-quoted for sh into out (paths come from the user's environment). */
void fp8_cov_shq(const char *s, char *out, size_t len);
/* A configuration's name as a file name ('/' and ':' become '-'). */
void fp8_cov_slug(const char *config, char *out, size_t len);

/* Build md's top with coverage in the folder dir, run the stimulus of o on it
 * (results added to r; mismatch vectors to o->vecdir) and write the counts to
 * dat.  0, or -1 with a message in err. */
int fp8_cov_run(const fp8sim_unit *md, const fp8_verify_opts *o, const fp8_cov_tools *t,
                const char *dir, const char *dat, fp8_verify_result *r, char *err, size_t errlen);

/* Coverage of one RTL block (one source file). */
typedef struct fp8_cov_block {
  char block[64];        /* file name without .sv, e.g. "fp8_acc_reg" */
  int lines, lines_hit;  /* source lines with line coverage points; of them hit */
  int bits, bits_hit;    /* toggle points (signal bits); of them toggled */
  int bits_waived;       /* never toggled, with a reason (fp8_cov_waiver) */
  char uncovered[256];   /* line numbers never hit, "12,40,41" ("..." if cut) */
  char untoggled[256];   /* signal bits never toggled and not waived, "acc_q[27],..." ("..." if cut) */
} fp8_cov_block;

/* A bit that cannot toggle in a configuration, and why (rtl/coverage_waivers.tsv):
 * config is a list of fnmatch(3) patterns separated by ',', block a
 * pattern, signal a name, bits lo..hi
 * (lo = -1: every bit, and a 1-bit signal). */
typedef struct fp8_cov_waiver {
  char config[128], block[64], signal[64];
  int lo, hi;
  char reason[160];
} fp8_cov_waiver;

/* Read dat (a coverage.dat) of configuration config through
 * verilator_coverage: annotated sources go to annotate_dir, the blocks (at
 * most max) to out, untoggled bits that a waiver covers counted apart.
 * Returns their number, or -1 with a message in err. */
int fp8_cov_count(const fp8_cov_tools *t, const char *config, const char *dat, const char *annotate_dir,
                  const fp8_cov_waiver *w, int nw, fp8_cov_block *out, int max, char *err, size_t errlen);
/* Read the waivers of path (tab-separated: config block signal bits reason;
 * '#' comments).  Returns their number (at most max), or -1 with a message. */
int fp8_cov_waivers_read(const char *path, fp8_cov_waiver *w, int max, char *err, size_t errlen);

#endif
