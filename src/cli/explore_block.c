/* explore_block.c - fp8lab explore --block: every element split of the given
 * widths as the element of a block format, for each block size and scale
 * rule, its bits of accuracy per distribution (analytic, block_mse.h)
 * against its bits per value (element bits + scale bits / B), with the
 * front of that trade marked. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "accuracy.h"
#include "block.h"
#include "cli.h"
#include "explore_cli.h"

#define CMD "explore"
#define MAX_ITEMS EXPLORE_MAX_ITEMS

static const char *const hdr[] = {"bits", "format", "E", "M", "block", "rule", "bits_per_value",
                                  "distribution", "accuracy_bits", "pareto"};
#define NCOLS 10

static cli_table *table_of(const explore_point *p, size_t n, const fp8_dist *dist)
{
  cli_table *t = cli_table_new(NCOLS, hdr);
  for (size_t i = 0; i < n; i++)
    cli_table_addf(t, "%d\t%s\t%d\t%d\t%d\t%s\t%.4f\t%s\t%.4f\t%s", p[i].bits, p[i].format, p[i].E,
                   p[i].M, p[i].block, fp8_block_rule_name((fp8_block_rule)p[i].acc), p[i].gates,
                   dist[p[i].dist].name, p[i].acc_bits, p[i].pareto ? "yes" : "no");
  return t;
}

int explore_block(const explore_block_opts *o)
{
  char items[MAX_ITEMS][CLI_ITEM_LEN], err[600];
  size_t nb, nr, nd;
  int blocks[MAX_ITEMS], rules[FP8_BLOCK_NRULES];
  if (cli_split_list(CMD, "--block", o->blocks, false, items, MAX_ITEMS, &nb))
    return EXIT_USAGE;
  for (size_t i = 0; i < nb; i++) {
    long b;
    if (cli_parse_long(CMD, "--block", items[i], 1, FP8_BLOCK_MAX, &b))
      return EXIT_USAGE;
    blocks[i] = (int)b;
  }
  if (cli_split_list(CMD, "--rule", o->rules, false, items, MAX_ITEMS, &nr))
    return EXIT_USAGE;
  size_t k = 0;
  for (size_t i = 0; i < nr; i++) {
    fp8_block_rule r;
    if (fp8_block_rule_lookup(items[i], &r))
      return cli_usage_error(CMD, "--rule: '%s' (expected floor, ceil, rceil or nearest)", items[i]);
    bool dup = false;
    for (size_t j = 0; j < k; j++)
      dup |= rules[j] == (int)r;
    if (!dup)
      rules[k++] = (int)r;
  }
  nr = k;
  if (cli_split_list(CMD, "--dist", o->dists, true, items, MAX_ITEMS, &nd))
    return EXIT_USAGE;
  fp8_dist dist[MAX_ITEMS];
  for (size_t d = 0; d < nd; d++)
    if (fp8_dist_parse(items[d], &dist[d], err, sizeof err))
      return cli_usage_error(CMD, "--dist: %s", err);
  /* the scale format, checked once through the block grammar */
  char spec[256];
  fp8_block_format probe;
  snprintf(spec, sizeof spec, "block:elem=int8:scale=%s", o->scale);
  if (fp8_block_parse(spec, &probe, err, sizeof err))
    return cli_usage_error(CMD, "--scale: %s", err);

  fp8_format fmts[EXPLORE_MAX_FORMATS];
  int nf = 0;
  for (int i = 0; i < o->nwidths; i++)
    nf += explore_splits(o->widths[i], o->conv, fmts + nf, EXPLORE_MAX_FORMATS - nf);
  size_t total = (size_t)nf * nb * nr * nd;
  explore_point *pts = calloc(total ? total : 1, sizeof *pts);
  fp8_accuracy_workspace *ws = fp8_accuracy_alloc();
  if (!pts || !ws) {
    free(pts);
    fp8_accuracy_free(ws);
    cli_error(CMD, "out of memory");
    return EXIT_FAIL;
  }
  size_t np = 0;
  int rc = EXIT_OK;
  bool progress = total > 32 && isatty(STDERR_FILENO);
  for (int i = 0; i < nf && rc == EXIT_OK; i++) {
    if (progress)
      fprintf(stderr, "\rfp8lab explore: %d/%d %-14s", i + 1, nf, fmts[i].name);
    for (size_t b = 0; b < nb && rc == EXIT_OK; b++)
      for (size_t r = 0; r < nr && rc == EXIT_OK; r++) {
        fp8_block_format bf = probe;
        bf.elem = fmts[i];
        bf.block = blocks[b];
        bf.rule = (fp8_block_rule)rules[r];
        for (size_t d = 0; d < nd; d++) {
          fp8_accuracy a;
          int st = fp8_accuracy_block(ws, &bf, &dist[d], &a);
          if (st || !isfinite(a.bits)) {
            cli_error(CMD, "%s in blocks of %d (%s) on %s: %s", fmts[i].name, blocks[b],
                      fp8_block_rule_name(bf.rule), dist[d].name,
                      st ? gsl_strerror(st) : "the result is not finite");
            rc = EXIT_FAIL;
            break;
          }
          explore_point *p = &pts[np++];
          p->bits = fmts[i].bits;
          p->E = fmts[i].ebits;
          p->M = fmts[i].mbits;
          snprintf(p->format, sizeof p->format, "%.47s", fmts[i].name);
          p->acc = rules[r];
          p->block = blocks[b];
          p->dist = (int)d;
          p->gates = fp8_block_bits_per_value(&bf);
          p->acc_bits = a.bits;
        }
      }
  }
  if (progress)
    fputc('\n', stderr);
  fp8_accuracy_free(ws);
  if (rc != EXIT_OK) {
    free(pts);
    return rc;
  }
  explore_mark_pareto(pts, np);
  cli_table *t = table_of(pts, np, dist);
  cli_table_print(t, stdout, o->tsv);
  cli_table_free(t);
  if (o->plot) {
    qsort(pts, np, sizeof *pts, explore_by_dist_front_cost);
    cli_table *pt = table_of(pts, np, dist);
    const char *dnames[MAX_ITEMS], *rnames[FP8_BLOCK_NRULES];
    for (size_t d = 0; d < nd; d++)
      dnames[d] = dist[d].name;
    for (size_t r = 0; r < nr; r++)
      rnames[r] = fp8_block_rule_name((fp8_block_rule)rules[r]);
    explore_plot_spec ps = {"bits per value (element + scale bits / block size)",
                            "block formats, accuracy against storage (front joined, labelled element/B)",
                            8, 6, 7, 9, 10, 5, rnames, nr, " rule", dnames, nd, "front", 1100, 460};
    if (explore_plot_front(o->plot, pt, &ps))
      rc = EXIT_FAIL;
    cli_table_free(pt);
  }
  free(pts);
  return rc;
}
