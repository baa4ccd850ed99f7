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
#include "plot.h"

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

/* A panel per distribution: a marker per rule, the front joined and labelled
 * element/B. */
static int make_plot(const char *out, const cli_table *t, const int *rules, size_t nr,
                     const fp8_dist *dist, size_t nd)
{
  size_t cap = 4096 + 1024 * nd * (nr + 2);
  char *body = malloc(cap);
  if (!body)
    return -1;
  size_t len = 0;
#define ADD(...) len += (size_t)snprintf(body + len, cap - len, __VA_ARGS__)
  ADD("set grid\nset key outside right top noenhanced\nset offsets 0, 0, graph 0.08, 0\n"
      "set xlabel 'bits per value (element + scale bits / block size)'\nset ylabel 'bits of accuracy'\n");
  if (nd > 1)
    ADD("set multiplot layout %zu,1\n", nd);
  static const int pt[] = {7, 5, 9, 11};
  for (size_t d = 0; d < nd; d++) {
    ADD("set title '%s: block formats, accuracy against storage (front joined, labelled element/B)' "
        "noenhanced\nplot ", dist[d].name);
    for (size_t r = 0; r < nr; r++) {
      const char *rn = fp8_block_rule_name((fp8_block_rule)rules[r]);
      ADD("datafile using (strcol(8) eq '%s' && strcol(6) eq '%s' ? $7 : NaN):9 with points pt %d ps 1.2 "
          "title '%s rule', ", dist[d].name, rn, pt[r % 4], rn);
    }
    ADD("datafile using (strcol(8) eq '%s' && strcol(10) eq 'yes' ? $7 : NaN):9 with lines lw 2 lc rgb "
        "'black' title 'front', ", dist[d].name);
    ADD("datafile using (strcol(8) eq '%s' && strcol(10) eq 'yes' ? $7 : NaN):9:(sprintf('%%s/%%s', "
        "strcol(2), strcol(5))) with labels offset 0,0.9 font ',8' notitle\n", dist[d].name);
  }
  if (nd > 1)
    ADD("unset multiplot\n");
#undef ADD
  cli_plot_opts po = {1100, (int)(460 * (nd > 1 ? nd : 1.3))};
  int rc = cli_plot(CMD, out, t, body, &po);
  free(body);
  return rc;
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
    if (make_plot(o->plot, pt, rules, nr, dist, nd))
      rc = EXIT_FAIL;
    cli_table_free(pt);
  }
  free(pts);
  return rc;
}
