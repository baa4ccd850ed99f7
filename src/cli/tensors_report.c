/* tensors_report.c - the per-tensor table, the summary and the two plots of
 * fp8lab tensors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "tensors_cli.h"

void tensors_print_table(const tensors_report *r, FILE *out, bool tsv)
{
  const char *hdr[8 + TENSORS_MAX_FORMATS];
  int nc = 0;
  hdr[nc++] = "model";
  hdr[nc++] = "tensor";
  hdr[nc++] = "shape";
  hdr[nc++] = "params";
  hdr[nc++] = "absmax";
  hdr[nc++] = "rms";
  hdr[nc++] = "kurtosis";
  for (size_t k = 0; k < r->nf; k++)
    hdr[nc++] = r->fmt_names[k];
  hdr[nc++] = "best";
  cli_table *t = cli_table_new(nc, hdr);
  for (size_t i = 0; i < r->nrows; i++) {
    const tensor_row *w = &r->rows[i];
    const char *cells[8 + TENSORS_MAX_FORMATS];
    char buf[8 + TENSORS_MAX_FORMATS][48];
    int c = 0;
    cells[c++] = w->model;
    cells[c++] = w->name;
    cells[c++] = w->shape;
    snprintf(buf[c], sizeof buf[c], "%zu", w->params);
    cells[c] = buf[c];
    c++;
    snprintf(buf[c], sizeof buf[c], tsv ? "%.9g" : "%.4g", w->st.absmax);
    cells[c] = buf[c];
    c++;
    snprintf(buf[c], sizeof buf[c], tsv ? "%.9g" : "%.4g", w->st.rms);
    cells[c] = buf[c];
    c++;
    snprintf(buf[c], sizeof buf[c], tsv ? "%.6g" : "%.2f", w->st.kurtosis);
    cells[c] = buf[c];
    c++;
    for (size_t k = 0; k < r->nf; k++, c++) {
      if (w->ok)
        snprintf(buf[c], sizeof buf[c], tsv ? "%.6f" : "%.2f", w->bits[k]);
      else
        snprintf(buf[c], sizeof buf[c], "-");
      cells[c] = buf[c];
    }
    cells[c++] = w->ok ? r->fmt_names[w->best] : "(constant)";
    cli_table_add(t, cells);
  }
  cli_table_print(t, out, tsv);
  cli_table_free(t);
}

/* Rows of model m (NULL: all). */
static bool in_model(const tensor_row *w, const char *m)
{
  return w->ok && (!m || !strcmp(w->model, m));
}

static void summary_rows(const tensors_report *r, cli_table *t, const char *m)
{
  size_t won[TENSORS_MAX_FORMATS] = {0}, nt = 0;
  double pwon[TENSORS_MAX_FORMATS] = {0}, wbits[TENSORS_MAX_FORMATS] = {0};
  double mbits[TENSORS_MAX_FORMATS] = {0}, ptot = 0;
  for (size_t i = 0; i < r->nrows; i++) {
    const tensor_row *w = &r->rows[i];
    if (!in_model(w, m))
      continue;
    nt++;
    ptot += (double)w->params;
    won[w->best]++;
    pwon[w->best] += (double)w->params;
    for (size_t k = 0; k < r->nf; k++) {
      wbits[k] += (double)w->params * w->bits[k];
      mbits[k] += w->bits[k];
    }
  }
  if (!nt)
    return;
  for (size_t k = 0; k < r->nf; k++)
    cli_table_addf(t, "%s\t%s\t%zu\t%zu\t%.1f\t%.4f\t%.4f", m ? m : "all", r->fmt_names[k],
                   won[k], nt, 100 * pwon[k] / ptot, wbits[k] / ptot, mbits[k] / (double)nt);
}

cli_table *tensors_summary_table(const tensors_report *r)
{
  static const char *const hdr[] = {"model", "format", "won", "tensors", "params_won_pct",
                                     "weighted_bits", "mean_bits"};
  cli_table *t = cli_table_new(7, hdr);
  for (size_t i = 0; i < r->nmodels; i++)
    summary_rows(r, t, r->models[i]);
  if (r->nmodels > 1)
    summary_rows(r, t, NULL);
  return t;
}

/* Change point of the layers of model m (NULL: all). */
static double change_point(const tensors_report *r, const char *m, size_t *agree, size_t *n)
{
  double *k = malloc((r->nrows + 1) * sizeof *k);
  int *high = malloc((r->nrows + 1) * sizeof *high);
  *n = 0;
  for (size_t i = 0; i < r->nrows; i++) {
    const tensor_row *w = &r->rows[i];
    if (!in_model(w, m))
      continue;
    k[*n] = w->st.kurtosis;
    high[(*n)++] = r->fmts[w->best].ebits >= 3;
  }
  double t = fp8_tensors_change_point(k, high, *n, agree);
  free(k);
  free(high);
  return t;
}

void tensors_print_change_points(const tensors_report *r, FILE *out)
{
  fprintf(out, "\nwhere the best format changes (formats with >= 3 exponent bits win above the "
          "excess kurtosis shown):\n");
  for (size_t i = 0; i <= r->nmodels; i++) {
    const char *m = i < r->nmodels ? r->models[i] : NULL;
    if (!m && r->nmodels < 2)
      break;
    size_t agree, n;
    double t = change_point(r, m, &agree, &n);
    if (isnan(t))
      fprintf(out, "  %-28s no change: every one of the %zu layers is won by the same side\n",
              m ? m : "all", n);
    else if (isinf(t))
      fprintf(out, "  %-28s none: no threshold does better than fewer exponent bits everywhere "
              "(%zu of %zu layers)\n", m ? m : "all", agree, n);
    else
      fprintf(out, "  %-28s kurtosis %.3g (%zu of %zu layers on that side of it)\n", m ? m : "all",
              t, agree, n);
  }
}

/* ---- plots ------------------------------------------------------------------ */

/* gnuplot point types per series: open circle first, so INT8 stays visible
 * around its near-twin FP8-E1's filled dot; then filled/open shapes. */
#define POINT_TYPES "6 7 4 5 8 9 10 11 12 13 14 15 1 2 3 6"
#define POINT_SIZES "1.5 0.8 0.9 0.8 0.9 0.8 0.9 0.8 0.9 0.8 0.9 0.8 0.9 0.9 0.9 1.5"

static char *sappend(char *s, const char *add)
{
  size_t a = s ? strlen(s) : 0, b = strlen(add);
  s = realloc(s, a + b + 1);
  memcpy(s + a, add, b + 1);
  return s;
}

int tensors_plot_layers(const tensors_report *r, const char *path)
{
  const char *hdr[2 + TENSORS_MAX_FORMATS];
  hdr[0] = "layer";
  hdr[1] = "model";
  for (size_t k = 0; k < r->nf; k++)
    hdr[2 + k] = r->fmt_names[k];
  cli_table *t = cli_table_new(2 + (int)r->nf, hdr);
  char *body = NULL, line[512];
  size_t x = 0;
  const char *last = NULL;
  for (size_t i = 0; i < r->nrows; i++) {
    const tensor_row *w = &r->rows[i];
    if (!w->ok)
      continue;
    x++;
    if (!last || strcmp(last, w->model)) {
      char q[200];   /* a long label is cut: it is a caption at the foot of the plot */
      snprintf(line, sizeof line, "set arrow from %g, graph 0 to %g, graph 1 nohead dt 2 lc rgb '#888888'\n"
               "set label %s at %g, graph 0.04 offset 0.5,0 font ',9' tc rgb '#555555' noenhanced\n",
               x - 0.5, x - 0.5, cli_plot_quote(q, sizeof q, w->model), x - 0.5);
      body = sappend(body, line);
      last = w->model;
    }
    char cells[2 + TENSORS_MAX_FORMATS][40];
    const char *cp[2 + TENSORS_MAX_FORMATS];
    snprintf(cells[0], sizeof cells[0], "%zu", x);
    cp[0] = cells[0];
    cp[1] = w->model;
    for (size_t k = 0; k < r->nf; k++) {
      snprintf(cells[2 + k], sizeof cells[2 + k], "%.6f", w->bits[k]);
      cp[2 + k] = cells[2 + k];
    }
    cli_table_add(t, cp);
  }
  snprintf(line, sizeof line,
           "set title 'Bits of accuracy per layer (weights)'\n"
           "set xlabel 'layer (file order)'\nset ylabel 'bits of accuracy  -log2(RMSE/sigma)'\n"
           "set grid ytics\nset key outside right top noenhanced\nset xrange [0:%zu]\n"
           "pts = '%s'\npss = '%s'\n"
           "plot for [i=3:%zu] datafile using 1:i with linespoints pt int(word(pts, i-2)) "
           "ps 0.8*word(pss, i-2) lw 1.2\n",
           x + 1, POINT_TYPES, POINT_SIZES, 2 + r->nf);
  body = sappend(body, line);
  cli_plot_opts po = {1100, 560};
  int rc = cli_plot("tensors", path, t, body, &po);
  free(body);
  cli_table_free(t);
  return rc;
}

int tensors_plot_kurtosis(const tensors_report *r, const char *path)
{
  const char *hdr[3 + TENSORS_MAX_FORMATS];
  hdr[0] = "kurtosis";
  hdr[1] = "model";
  hdr[2] = "tensor";
  for (size_t k = 0; k < r->nf; k++)
    hdr[3 + k] = r->fmt_names[k];
  cli_table *t = cli_table_new(3 + (int)r->nf, hdr);
  for (size_t i = 0; i < r->nrows; i++) {
    const tensor_row *w = &r->rows[i];
    if (!w->ok)
      continue;
    char cells[3 + TENSORS_MAX_FORMATS][40];
    const char *cp[3 + TENSORS_MAX_FORMATS];
    snprintf(cells[0], sizeof cells[0], "%.6g", w->st.kurtosis + 3);   /* plain kurtosis >= 1 */
    cp[0] = cells[0];
    cp[1] = w->model;
    cp[2] = w->name;
    for (size_t k = 0; k < r->nf; k++) {
      snprintf(cells[3 + k], sizeof cells[3 + k], "%.6f", w->bits[k]);
      cp[3 + k] = cells[3 + k];
    }
    cli_table_add(t, cp);
  }
  size_t agree, n;
  double cp = change_point(r, NULL, &agree, &n);
  char body[1024];
  int k = snprintf(body, sizeof body,
           "set title 'Bits of accuracy against kurtosis, every layer of every model'\n"
           "set logscale x\nset xlabel 'kurtosis of the layer (Gaussian = 3; log scale)'\n"
           "set ylabel 'bits of accuracy  -log2(RMSE/sigma)'\n"
           "set grid xtics ytics\nset key outside right top noenhanced\npts = '%s'\npss = '%s'\n", POINT_TYPES,
           POINT_SIZES);
  if (isfinite(cp) && cp + 3 > 0)
    k += snprintf(body + k, sizeof body - (size_t)k,
                  "set arrow from %g, graph 0 to %g, graph 1 nohead dt 2 lc rgb '#888888'\n"
                  "set label 'best format changes' at %g, graph 0.96 offset 0.5,0 font ',9'\n",
                  cp + 3, cp + 3, cp + 3);
  snprintf(body + k, sizeof body - (size_t)k,
           "plot for [i=4:%zu] datafile using 1:i with points pt int(word(pts, i-3)) ps word(pss, i-3)\n", 3 + r->nf);
  cli_plot_opts po = {1000, 600};
  int rc = cli_plot("tensors", path, t, body, &po);
  cli_table_free(t);
  return rc;
}
