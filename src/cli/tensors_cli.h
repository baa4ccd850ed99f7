/* tensors_cli.h - what cmd_tensors.c hands to its report (tensors_report.c):
 * one row per analysed tensor, the summary and the two plots. */
#ifndef FP8_TENSORS_CLI_H
#define FP8_TENSORS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "format.h"
#include "tensors.h"

#define TENSORS_MAX_FORMATS 16

typedef struct tensor_row {
  const char *model;       /* label of the model (not owned) */
  char *name;              /* owned */
  char shape[64];
  size_t params;
  fp8_tensor_stats st;
  bool ok;                 /* false: constant or not finite, no bits */
  double bits[TENSORS_MAX_FORMATS];
  int best;                /* index into the format list; -1 if !ok */
} tensor_row;

typedef struct tensors_report {
  const tensor_row *rows;
  size_t nrows;
  const fp8_format *fmts;
  const char *const *fmt_names;
  size_t nf;
  const char *const *models;   /* labels, in order */
  size_t nmodels;
} tensors_report;

/* The models the README installs: {data file, member} pairs, and whether
 * they are there (and this build reads models). */
#define TENSORS_INSTALLED 2
extern const char *const tensors_installed[TENSORS_INSTALLED][2];
bool tensors_installed_present(void);

/* The per-tensor table (text or TSV) on out. */
void tensors_print_table(const tensors_report *r, FILE *out, bool tsv);
/* The summary: per model and over all models, per format: tensors won, share
 * of parameters won, parameter-weighted bits; then where the best format
 * changes with kurtosis.  As a table (tsv: TSV) on out. */
cli_table *tensors_summary_table(const tensors_report *r);
void tensors_print_change_points(const tensors_report *r, FILE *out);
/* Bits per layer for each format; bits against kurtosis.  0 or -1. */
int tensors_plot_layers(const tensors_report *r, const char *path);
int tensors_plot_kurtosis(const tensors_report *r, const char *path);

#endif
