/* figures_tensors.c - the index page's verdict on the real layers: read back
 * DIR/tensors.tsv (what `fp8lab tensors --installed --tsv` wrote), split the
 * layers where the best format changes with kurtosis, and say in a sentence
 * whether the paper's outlier claim holds, with the numbers behind it. */
#include "figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "tensors_cli.h"

#define MAXF TENSORS_MAX_FORMATS

typedef struct layer {
  double kurt;
  double bits[MAXF];
  int best;
} layer;

typedef struct table {
  char fmt[MAXF][48];
  int ebits[MAXF];
  size_t nf;
  layer *l;
  size_t n;
} table;

static char *next_cell(char **p)
{
  char *c = *p, *tab = strchr(c, '\t');
  if (tab) {
    *tab = 0;
    *p = tab + 1;
  } else {
    c[strcspn(c, "\r\n")] = 0;
    *p = c + strlen(c);
  }
  return c;
}

/* Columns: model tensor shape params absmax rms kurtosis FORMAT... best. */
static int read_table(const char *dir, table *t)
{
  char path[4096], line[8192];
  snprintf(path, sizeof path, "%s/tensors.tsv", dir);
  FILE *fp = fopen(path, "r");
  if (!fp)
    return -1;
  memset(t, 0, sizeof *t);
  int ncol = 0;
  if (fgets(line, sizeof line, fp)) {
    char *p = line;
    for (ncol = 0; *p; ncol++) {
      char *c = next_cell(&p);
      if (ncol >= 7 && strcmp(c, "best") && t->nf < MAXF) {
        fp8_format f;
        snprintf(t->fmt[t->nf], sizeof t->fmt[0], "%.47s", c);
        t->ebits[t->nf++] = fp8_format_parse(c, &f, NULL, 0) ? -1 : f.ebits;
      }
    }
  }
  size_t cap = 0;
  while (t->nf && fgets(line, sizeof line, fp)) {
    char *p = line, *cells[8 + MAXF];
    int k = 0;
    while (*p && k < 8 + MAXF)
      cells[k++] = next_cell(&p);
    if (k != 8 + (int)t->nf || !strcmp(cells[7], "-"))
      continue;                          /* a constant tensor: no bits */
    if (t->n == cap) {
      cap = cap ? 2 * cap : 128;
      t->l = realloc(t->l, cap * sizeof *t->l);
    }
    layer *l = &t->l[t->n++];
    l->kurt = atof(cells[6]);
    l->best = 0;
    for (size_t f = 0; f < t->nf; f++) {
      l->bits[f] = atof(cells[7 + f]);
      if (l->bits[f] > l->bits[l->best])
        l->best = (int)f;
    }
  }
  fclose(fp);
  return t->n ? 0 : -1;
}

typedef struct group {
  size_t n, won[MAXF];
  double mean[MAXF], kmin, kmax;
} group;

static void tally(const table *t, double lo, double hi, group *g)
{
  memset(g, 0, sizeof *g);
  g->kmin = INFINITY;
  g->kmax = -INFINITY;
  for (size_t i = 0; i < t->n; i++) {
    const layer *l = &t->l[i];
    if (!(l->kurt >= lo && l->kurt < hi))
      continue;
    g->n++;
    g->won[l->best]++;
    g->kmin = fmin(g->kmin, l->kurt);
    g->kmax = fmax(g->kmax, l->kurt);
    for (size_t f = 0; f < t->nf; f++)
      g->mean[f] += l->bits[f];
  }
  for (size_t f = 0; f < t->nf && g->n; f++)
    g->mean[f] /= (double)g->n;
}

static size_t top(const group *g, size_t nf)
{
  size_t b = 0;
  for (size_t f = 1; f < nf; f++)
    if (g->won[f] > g->won[b])
      b = f;
  return b;
}

static int find(const table *t, const char *name)
{
  for (size_t f = 0; f < t->nf; f++)
    if (!strcmp(t->fmt[f], name))
      return (int)f;
  return -1;
}

void fig_compare_tensors(const char *dir, void *html_fp)
{
  FILE *fp = html_fp;
  table t;
  if (read_table(dir, &t)) {
    fputs("<p class=\"st\">No real-layer table to compare.</p>\n", fp);
    return;
  }
  double *k = malloc(t.n * sizeof *k);
  int *high = malloc(t.n * sizeof *high);
  for (size_t i = 0; i < t.n; i++) {
    k[i] = t.l[i].kurt;
    high[i] = t.ebits[t.l[i].best] >= 3;
  }
  size_t agree = 0;
  double cp = fp8_tensors_change_point(k, high, t.n, &agree);
  group lo, hi;
  tally(&t, -INFINITY, isfinite(cp) ? cp : INFINITY, &lo);
  tally(&t, isfinite(cp) ? cp : INFINITY, INFINITY, &hi);
  int i8 = find(&t, "int8");
  fputs("<p><b>Do the real layers bear out the paper's claim?</b> ", fp);
  if (!isfinite(cp) || !lo.n || !hi.n) {
    size_t b = top(&lo, t.nf);
    fprintf(fp, "Not visibly: one side wins every one of the %zu layers (%s wins %zu), so the best "
            "format does not change with kurtosis here.</p>\n", t.n, t.fmt[b], lo.won[b]);
  } else {
    size_t bl = top(&lo, t.nf), bh = top(&hi, t.nf);
    bool yes = t.ebits[bl] <= 2 && t.ebits[bh] >= 3 && agree * 4 >= t.n * 3;
    fprintf(fp, "%s The best format changes at an excess kurtosis of about %.3g (%zu of %zu layers "
            "on the expected side): below it %s wins %zu of %zu layers (%.2f bits on average, against "
            "%.2f for %s), above it (kurtosis up to %.0f) %s wins %zu of %zu (%.2f bits, against %.2f "
            "for %s)",
            yes ? "Yes." : "Only partly.", cp, agree, t.n, t.fmt[bl], lo.won[bl], lo.n,
            lo.mean[bl], lo.mean[bh], t.fmt[bh], hi.kmax, t.fmt[bh], hi.won[bh], hi.n, hi.mean[bh],
            hi.mean[bl], t.fmt[bl]);
    if (i8 >= 0)
      fprintf(fp, "; INT8 wins %zu layers and trails by %.2f bits on the well-behaved ones and "
              "%.2f on the outlier ones", lo.won[i8] + hi.won[i8], lo.mean[bl] - lo.mean[i8],
              hi.mean[bh] - hi.mean[i8]);
    fputs("; no layer is won by", fp);
    const char *sep = " ";
    for (size_t f = 0; f < t.nf; f++)
      if (!lo.won[f] && !hi.won[f]) {
        fprintf(fp, "%s%s", sep, t.fmt[f]);
        sep = ", ";
      }
    if (!strcmp(sep, " "))
      fputs(" none of them", fp);
    fputs(yes ? ". As the paper argues, the outlier layers want more exponent bits and the "
          "well-behaved ones fewer; on these weights the gain from the extra exponent bit is "
          "large where the tails are heavy and the loss small where they are not.</p>\n"
              : ".</p>\n", fp);
  }
  fputs("<table><tr><th>layers</th><th>n</th>", fp);
  for (size_t f = 0; f < t.nf; f++)
    fprintf(fp, "<th>%s bits (won)</th>", t.fmt[f]);
  fputs("</tr>\n", fp);
  for (int g = 0; g < 2; g++) {
    const group *G = g ? &hi : &lo;
    if (!G->n)
      continue;
    fprintf(fp, "<tr><td>kurtosis %.3g .. %.3g</td><td>%zu</td>", G->kmin, G->kmax, G->n);
    for (size_t f = 0; f < t.nf; f++)
      fprintf(fp, "<td>%.2f (%zu)</td>", G->mean[f], G->won[f]);
    fputs("</tr>\n", fp);
  }
  fputs("</table>\n", fp);
  free(k);
  free(high);
  free(t.l);
}
