/* figures_compare.c - the paper's numbers next to ours, read back from the
 * TSV files the parts wrote (so the index shows what the run computed). */
#include "figures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Split a line (newline removed) at tabs, in place; returns the cell count. */
static int split_tabs(char *line, char **cells, int max)
{
  line[strcspn(line, "\r\n")] = 0;
  int n = 0;
  for (char *p = line; n < max;) {
    cells[n++] = p;
    char *tab = strchr(p, '\t');
    if (!tab)
      break;
    *tab = 0;
    p = tab + 1;
  }
  return n;
}

/* Find the row whose columns k1 = v1 and k2 = v2; copy column want into out. */
static int tsv_lookup(const char *dir, const char *leaf, const char *k1, const char *v1,
                      const char *k2, const char *v2, const char *want, char *out, size_t len)
{
  char path[4096], line[4096];
  snprintf(path, sizeof path, "%s/%s", dir, leaf);
  FILE *fp = fopen(path, "r");
  if (!fp)
    return -1;
  int c1 = -1, c2 = -1, cw = -1, rc = -1;
  if (fgets(line, sizeof line, fp)) {
    line[strcspn(line, "\r\n")] = 0;
    int i = 0;
    for (char *save, *t = strtok_r(line, "\t", &save); t; t = strtok_r(NULL, "\t", &save), i++) {
      if (!strcmp(t, k1)) c1 = i;
      if (k2 && !strcmp(t, k2)) c2 = i;
      if (!strcmp(t, want)) cw = i;
    }
  }
  while (c1 >= 0 && cw >= 0 && rc && fgets(line, sizeof line, fp)) {
    line[strcspn(line, "\r\n")] = 0;
    char *cells[64];
    int n = split_tabs(line, cells, 64);
    if (c1 < n && !strcmp(cells[c1], v1) && (!k2 || (c2 >= 0 && c2 < n && !strcmp(cells[c2], v2))) && cw < n) {
      snprintf(out, len, "%s", cells[cw]);
      rc = 0;
    }
  }
  fclose(fp);
  return rc;
}

static void row(FILE *fp, const char *what, const char *paper, const char *ours)
{
  fprintf(fp, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", what, paper, ours);
}

void fig_compare_gates(const char *dir, void *html)
{
  FILE *fp = html;
  char a[64] = "(missing)", b[64] = "(missing)", k[64] = "(missing)", h[64] = "(missing)";
  tsv_lookup(dir, "gates.tsv", "format", "fp8-e4", "accumulator", "fp16:ftz", "ratio", a, sizeof a);
  tsv_lookup(dir, "gates.tsv", "format", "fp8-e4", "accumulator", "fp32:ftz", "ratio", b, sizeof b);
  tsv_lookup(dir, "gates.tsv", "format", "fp8-e4", "accumulator", "kulisch", "gates", k, sizeof k);
  tsv_lookup(dir, "gates.tsv", "format", "fp8-e4", "accumulator", "fp16:ftz", "gates", h, sizeof h);
  fputs("<table><tr><th>claim (Figure 3)</th><th>paper</th><th>fp8lab</th></tr>\n", fp);
  row(fp, "FP8-E4 + FP16 accumulator, relative to INT8 + 27-bit", "1.53&times; (+53 %)", a);
  row(fp, "FP8-E4 + FP32 accumulator, relative to INT8 + 27-bit", "2.83&times; (+183 %)", b);
  char kh[160];
  snprintf(kh, sizeof kh, "%s vs %s gates", k, h);
  row(fp, "FP8-E4: Kulisch vs FP16 accumulator", "&ldquo;almost break even&rdquo;", kh);
  fputs("</table>\n", fp);
}

/* For each distribution, the format with the most bits (Lloyd-Max aside). */
static void best_format(const char *dir, const char *leaf, const char *dist, char *out, size_t len)
{
  char path[4096], line[4096];
  snprintf(path, sizeof path, "%s/%s", dir, leaf);
  snprintf(out, len, "(missing)");
  FILE *fp = fopen(path, "r");
  if (!fp)
    return;
  int cd = -1, cf = -1, cb = -1, cr = -1;
  if (fgets(line, sizeof line, fp)) {
    line[strcspn(line, "\r\n")] = 0;
    int i = 0;
    for (char *save, *t = strtok_r(line, "\t", &save); t; t = strtok_r(NULL, "\t", &save), i++) {
      if (!strcmp(t, "distribution")) cd = i;
      if (!strcmp(t, "format")) cf = i;
      if (!strcmp(t, "bits")) cb = i;
      if (!strcmp(t, "range")) cr = i;
    }
  }
  double best = -1e300, second = -1e300;
  char bestf[64] = "", secondf[64] = "";
  while (cd >= 0 && cf >= 0 && cb >= 0 && fgets(line, sizeof line, fp)) {
    line[strcspn(line, "\r\n")] = 0;
    char *cells[64];
    int n = split_tabs(line, cells, 64);
    if (cd >= n || cf >= n || cb >= n || strcmp(cells[cd], dist) || !strcmp(cells[cf], "lloyd-max"))
      continue;
    if (cr >= 0 && cr < n && strcmp(cells[cr], "mse"))
      continue;
    double b = atof(cells[cb]);
    if (b > best) {
      second = best;
      snprintf(secondf, sizeof secondf, "%s", bestf);
      best = b;
      snprintf(bestf, sizeof bestf, "%s", cells[cf]);
    } else if (b > second) {
      second = b;
      snprintf(secondf, sizeof secondf, "%s", cells[cf]);
    }
  }
  fclose(fp);
  if (bestf[0])
    snprintf(out, len, "%s (%.2f bits), then %s (%.2f)", bestf, best, secondf, second);
}

void fig_compare_accuracy(const char *dir, void *html)
{
  FILE *fp = html;
  char u[200], g[200], t[200];
  best_format(dir, "accuracy.tsv", "uniform", u, sizeof u);
  best_format(dir, "accuracy.tsv", "gaussian", g, sizeof g);
  fputs("<table><tr><th>claim (Figure 5, MSE-optimal scale)</th><th>paper</th><th>fp8lab: best, second</th></tr>\n", fp);
  row(fp, "uniform", "INT8 best", u);
  row(fp, "Gaussian", "FP8-E2 best, INT8 a close second", g);
  fputs("</table>\n", fp);
  (void)t;
}
