/* verify_cov.h - the coverage report of `fp8lab verify --coverage`. */
#ifndef FP8_CLI_VERIFY_COV_H
#define FP8_CLI_VERIFY_COV_H

#include <stdbool.h>

#include "verify.h"

/* Run the configurations named (all when n == 0) with coverage, print the
 * table; o->vecdir/coverage receives the data and annotated sources.
 * seed_of gives a configuration's seed (as the plain run uses it).  Returns
 * the exit status. */
int cli_verify_coverage(const char *const *configs, int n, const fp8_verify_opts *o, bool tsv,
                        unsigned long (*seed_of)(unsigned long seed, const char *config));

#endif
