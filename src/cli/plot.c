/* plot.c - gnuplot through popen; see plot.h for the contract. */
#include "config.h"
#include "plot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* BASE from BASE.png / BASE.svg / BASE */
static char *base_of(const char *path)
{
  char *b = strdup(path);
  size_t n = strlen(b);
  if (n > 4 && (!strcmp(b + n - 4, ".png") || !strcmp(b + n - 4, ".svg")))
    b[n - 4] = 0;
  return b;
}

static char *cat2(const char *a, const char *b)
{
  size_t n = strlen(a) + strlen(b) + 1;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s%s", a, b);
  return s;
}

/* gnuplot single-quoted string: a quote is doubled. */
static void put_quoted(FILE *fp, const char *s)
{
  fputc('\'', fp);
  for (; *s; s++) {
    if (*s == '\'')
      fputc('\'', fp);
    fputc(*s, fp);
  }
  fputc('\'', fp);
}

static void write_script(FILE *fp, const char *data, const char *png, const char *svg,
                         const char *body, int w, int h)
{
  fputs("# written by fp8lab; edit and rerun with gnuplot from this folder\n", fp);
  fputs("datafile = ", fp);
  put_quoted(fp, data);
  fputs("\nset datafile separator tab\nset key autotitle columnhead\n", fp);
  fprintf(fp, "set terminal pngcairo size %d,%d enhanced font 'sans,10'\nset output ", w, h);
  put_quoted(fp, png);
  fprintf(fp, "\n%s\n", body);
  fprintf(fp, "set terminal svg size %d,%d enhanced font 'sans,10'\nset output ", w, h);
  put_quoted(fp, svg);
  fputs("\nreplot\nset output\n", fp);
}

/* Only the file name: the .gp beside the data refers to it relatively. */
static const char *leaf(const char *p)
{
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static char *tmpname(const char *path)
{
  char *t = cat2(path, ".tmp.XXXXXX");
  int fd = mkstemp(t);
  if (fd < 0) {
    free(t);
    return NULL;
  }
  close(fd);
  return t;
}

int cli_plot(const char *cmd, const char *out_path, const cli_table *data,
             const char *body, const cli_plot_opts *opts)
{
  int w = opts && opts->width ? opts->width : 900;
  int h = opts && opts->height ? opts->height : 560;
  int rc = -1;
  char *base = base_of(out_path);
  char *tsv = cat2(base, ".tsv"), *gp = cat2(base, ".gp");
  char *png = cat2(base, ".png"), *svg = cat2(base, ".svg");
  char *tpng = NULL, *tsvg = NULL;
  FILE *pipe = NULL;

  if (cli_table_write_tsv(data, tsv))
    goto out;
  cli_outfile o;
  if (cli_outfile_open(&o, gp))
    goto out;
  /* The kept script is run from its own folder: data and outputs by leaf name. */
  write_script(o.fp, leaf(tsv), leaf(png), leaf(svg), body, w, h);
  if (cli_outfile_commit(&o))
    goto out;

  tpng = tmpname(png);
  tsvg = tmpname(svg);
  if (!tpng || !tsvg) {
    cli_error(cmd, "cannot create a temporary file beside '%s': %s", png, strerror(errno));
    goto out;
  }
  fflush(NULL);
  pipe = popen(FP8_GNUPLOT " 2>&1 >/dev/null", "w");
  if (!pipe) {
    cli_error(cmd, "cannot run gnuplot ('%s'): %s", FP8_GNUPLOT, strerror(errno));
    goto out;
  }
  write_script(pipe, tsv, tpng, tsvg, body, w, h);
  int st = pclose(pipe);
  pipe = NULL;
  if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
      cli_error(cmd, "gnuplot not found ('%s'): install gnuplot-nox to make plots", FP8_GNUPLOT);
    else
      cli_error(cmd, "gnuplot failed making '%s' (exit status %d); the script is '%s'", png,
                WIFEXITED(st) ? WEXITSTATUS(st) : -1, gp);
    goto out;
  }
  cli_chmod_default(tpng);
  cli_chmod_default(tsvg);
  if (rename(tpng, png) || rename(tsvg, svg)) {
    cli_error(cmd, "cannot rename plot into place ('%s'): %s", png, strerror(errno));
    goto out;
  }
  free(tpng);
  free(tsvg);
  tpng = tsvg = NULL;
  rc = 0;
out:
  if (tpng) {
    unlink(tpng);
    free(tpng);
  }
  if (tsvg) {
    unlink(tsvg);
    free(tsvg);
  }
  free(base);
  free(tsv);
  free(gp);
  free(png);
  free(svg);
  return rc;
}
