/* explore_cli.h - what cmd_explore.c and explore_block.c share: the points
 * of a sweep, the splits of a width, and the Pareto front. */
#ifndef FP8_EXPLORE_CLI_H
#define FP8_EXPLORE_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "format.h"

#define EXPLORE_MAX_ITEMS 16
#define EXPLORE_MAX_FORMATS 160

typedef struct explore_point {
  int bits, E, M;
  char format[48];
  int acc;          /* index into the accumulator list (block mode: the rule) */
  int dist;         /* index into the distribution list */
  double gates;     /* the cost: gates per MAC (block mode: bits per value) */
  double acc_bits;
  bool pareto;
  int block;        /* block mode: B */
} explore_point;

/* Every split of width n: intN, then eXmY:conv for X = 1..min(8, n-2) (a
 * convention impossible for a split is left out).  Returns how many. */
int explore_splits(int n, const char *conv, fp8_format *out, int max);
/* A point is on the front of its distribution if no point of that
 * distribution has cost <= and bits >=, one of them strictly. */
void explore_mark_pareto(explore_point *p, size_t n);
/* Plot order: gnuplot joins consecutive rows only, so each distribution's
 * front comes first and contiguous, in cost order (a qsort comparator). */
int explore_by_dist_front_cost(const void *a, const void *b);

/* The explore plot: a panel per distribution, bits of accuracy against a
 * cost, a marker per series, the front joined and labelled
 * "format/<col_label>".  Columns of t are 1-based gnuplot columns. */
typedef struct explore_plot_spec {
  const char *xlabel, *title;         /* title follows "<distribution>: " */
  int col_dist, col_series, col_x, col_y, col_pareto, col_label;
  const char *const *series;          /* values of col_series, one marker each */
  size_t nseries;
  const char *series_suffix;          /* appended to each series' key entry */
  const char *const *dists;
  size_t nd;
  const char *front_title;
  int width, panel_height;
} explore_plot_spec;
/* 0, or -1 (reported). */
struct cli_table;
int explore_plot_front(const char *out, const struct cli_table *t, const explore_plot_spec *ps);

typedef struct explore_block_opts {
  const int *widths;
  int nwidths;
  const char *conv, *blocks, *rules, *scale, *dists;
  bool tsv;
  const char *plot;
} explore_block_opts;

/* explore --block: the whole command from here; returns its exit status. */
int explore_block(const explore_block_opts *o);

#endif
