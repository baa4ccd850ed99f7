/* accuracy_cli.h - what cmd_accuracy.c and accuracy_plot.c share: the rows of
 * an accuracy run. */
#ifndef FP8_ACCURACY_CLI_H
#define FP8_ACCURACY_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

typedef struct acc_row {
  size_t dist;          /* index into the run's distributions */
  char dist_name[80];
  double nu;            /* Student's t nu (the sweep's x axis), else 0 */
  char format[CLI_ITEM_LEN]; /* format spelling as given, or lloyd-max[:N] */
  const char *range;    /* "mse", "max", or "opt" for a Lloyd-Max codebook */
  double scale, mse, bits;
  double mc_mse, mc_se, mc_bits;  /* NaN unless Monte Carlo ran */
} acc_row;

/* Figure 5 (one panel per distribution, a bar per format and range, the
 * Lloyd-Max level as a dashed line), or with sweep the lines of bits against
 * nu, one per format and range.  0 or -1 (reported). */
int acc_plot(const char *path, const acc_row *rows, size_t nrows, size_t ndists,
             const char *const *ranges, size_t nranges, bool sweep);

#endif
