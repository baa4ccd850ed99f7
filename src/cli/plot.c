/* plot.c - gnuplot through popen; see plot.h for the contract. */
#include "config.h"
#include "plot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static int plain_byte(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c && strchr(" .,:;=+-_/()[]%#*<>|!?&^~{}$", c));
}

/* Every byte outside a plain set goes out as an octal escape in a
 * double-quoted string: gnuplot reads the same bytes back, and no quote,
 * backquote (command substitution), '@' (macro), backslash or line break of a
 * name can end the string or the command.  '<' and '|' are plain here because
 * a path is made safe by put_path's './'. */
const char *cli_plot_quote(char *buf, size_t len, const char *s)
{
  if (len < 3) {
    if (len)
      *buf = 0;
    return buf;
  }
  size_t k = 0;
  buf[k++] = '"';
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    size_t need = plain_byte(*p) ? 1 : 4;
    if (k + need + (p[1] ? 4 : 0) + 2 > len) {   /* the rest does not fit: "..." ends it */
      if (k + 5 <= len)
        memcpy(buf + k, "...", 3), k += 3;
      break;
    }
    if (need == 1)
      buf[k++] = (char)*p;
    else
      k += (size_t)snprintf(buf + k, len - k, "\\%03o", *p);
  }
  buf[k++] = '"';
  buf[k] = 0;
  return buf;
}

/* A path as a gnuplot string: quoted as above, and a relative path starts
 * with './', so gnuplot never reads a name beginning '<' as a command to run
 * for data ('plot "<cmd"') or one beginning '|' as a pipe for output. */
static void put_path(FILE *fp, const char *path)
{
  size_t n = 4 * strlen(path) + 8;
  char *dot = malloc(strlen(path) + 3), *q = malloc(n);
  if (dot && q) {
    sprintf(dot, "%s%s", path[0] == '/' ? "" : "./", path);
    fputs(cli_plot_quote(q, n, dot), fp);
  } else {
    fputs("\"\"", fp);   /* out of memory: an empty name, which gnuplot refuses */
  }
  free(dot);
  free(q);
}

/* The body runs once per terminal, from a reset state each time: 'replot'
 * would repeat only the last plot of a multiplot (the SVG had one panel). */
static void write_script(FILE *fp, const char *data, const char *png, const char *svg,
                         const char *body, int w, int h)
{
  fputs("# written by fp8lab; edit and rerun with gnuplot from this folder\n", fp);
  fputs("datafile = ", fp);
  put_path(fp, data);
  for (int k = 0; k < 2; k++) {
    fprintf(fp, "\n%sset datafile separator tab\nset key autotitle columnhead\n", k ? "reset\n" : "");
    fprintf(fp, "set terminal %s size %d,%d enhanced font 'sans,10'\nset output ", k ? "svg" : "pngcairo",
            w, h);
    put_path(fp, k ? svg : png);
    fprintf(fp, "\n%s\n", body);
  }
  fputs("set output\n", fp);
}

/* Only the file name: the .gp beside the data refers to it relatively. */
static const char *leaf(const char *p)
{
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* ---- finding gnuplot at run time ------------------------------------------------ */
const char *cli_gnuplot_program(void)
{
  static char found[4096];
  const char *e = getenv("FP8LAB_GNUPLOT");
  if (e && *e)
    return access(e, X_OK) == 0 ? e : NULL;
  const char *path = getenv("PATH");
  if (!path || !*path)
    path = "/usr/bin:/bin";
  for (const char *p = path; *p;) {
    size_t len = strcspn(p, ":");
    int n = snprintf(found, sizeof found, "%.*s%sgnuplot", (int)len, len ? p : ".", "/");
    if (n > 0 && (size_t)n < sizeof found && access(found, X_OK) == 0)
      return found;
    p += len + (p[len] == ':');
  }
  return NULL;
}

int cli_plot_check_path(const char *cmd, const char *path)
{
  char *base = base_of(path);
  const char *l = strrchr(base, '/');
  l = l ? l + 1 : base;
  int bad = !*l || !strcmp(l, ".") || !strcmp(l, "..");
  free(base);
  if (bad) {
    cli_usage_error(cmd, "--plot: '%s' names no file (expected e.g. --plot fig.png)", path);
    return -1;
  }
  /* The plot's files go beside PATH: a missing or unwritable folder is the
   * user's to fix before the work, not an exit 1 after it. */
  char *dir = strdup(path);
  if (!dir) {
    cli_error(cmd, "out of memory");
    return -1;
  }
  char *slash = strrchr(dir, '/');
  const char *d = !slash ? "." : slash == dir ? "/" : (*slash = 0, dir);
  struct stat st;
  const char *why = stat(d, &st) != 0 ? strerror(errno)
                  : !S_ISDIR(st.st_mode) ? "not a folder"
                  : access(d, W_OK | X_OK) != 0 ? strerror(errno) : NULL;
  if (why) {
    cli_usage_error(cmd, "--plot: cannot write into the folder '%s' of '%s': %s (expected an existing, "
                    "writable folder)", d, path, why);
    free(dir);
    return -1;
  }
  free(dir);
  return 0;
}

/* A shell word: the program path single-quoted for popen's /bin/sh. */
static char *shell_quote(const char *s)
{
  size_t n = 3;
  for (const char *p = s; *p; p++)
    n += *p == '\'' ? 4 : 1;
  char *q = malloc(n), *o = q;
  if (!q)
    return NULL;
  *o++ = '\'';
  for (; *s; s++) {
    if (*s == '\'') {
      memcpy(o, "'\\''", 4);
      o += 4;
    } else {
      *o++ = *s;
    }
  }
  *o++ = '\'';
  *o = 0;
  return q;
}

int cli_plot(const char *cmd, const char *out_path, const cli_table *data,
             const char *body, const cli_plot_opts *opts)
{
  int w = opts && opts->width ? opts->width : 900;
  int h = opts && opts->height ? opts->height : 560;
  int rc = -1;
  if (cli_plot_check_path(cmd, out_path))
    return -1;
  char *base = base_of(out_path);
  char *tsv = cat2(base, ".tsv"), *gp = cat2(base, ".gp");
  char *png = cat2(base, ".png"), *svg = cat2(base, ".svg");
  char *cmdline = NULL, *quoted = NULL;
  fp8_outfile opng = {0}, osvg = {0};
  FILE *pipe = NULL;

  if (cli_table_write_tsv(data, tsv))
    goto out;
  fp8_outfile o;
  if (fp8_outfile_open(&o, gp))
    goto out;
  /* The kept script is run from its own folder: data and outputs by leaf name. */
  write_script(o.fp, leaf(tsv), leaf(png), leaf(svg), body, w, h);
  if (fp8_outfile_commit(&o))
    goto out;

  const char *prog = cli_gnuplot_program();
  if (!prog) {
    cli_error(cmd, "gnuplot not found (%s): '%s' not made; its data '%s' and script '%s' are "
              "written (install gnuplot-nox, or set FP8LAB_GNUPLOT to the program)",
              getenv("FP8LAB_GNUPLOT") && *getenv("FP8LAB_GNUPLOT") ? "FP8LAB_GNUPLOT is not executable"
                                                                   : "not on PATH", png, tsv, gp);
    goto out;
  }
  /* gnuplot writes the temporaries (or straight into a device); renamed on success */
  if (fp8_outfile_open(&opng, png) || fp8_outfile_open(&osvg, svg))
    goto out;
  fclose(opng.fp);
  fclose(osvg.fp);
  opng.fp = osvg.fp = NULL;
  quoted = shell_quote(prog);
  cmdline = quoted ? cat2(quoted, " 2>&1 >/dev/null") : NULL;
  if (!cmdline) {
    cli_error(cmd, "out of memory");
    goto out;
  }
  fflush(NULL);
  pipe = popen(cmdline, "w");
  if (!pipe) {
    cli_error(cmd, "cannot run gnuplot ('%s'): %s", prog, strerror(errno));
    goto out;
  }
  write_script(pipe, tsv, fp8_outfile_name(&opng), fp8_outfile_name(&osvg), body, w, h);
  int st = pclose(pipe);
  pipe = NULL;
  if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    cli_error(cmd, "gnuplot ('%s') failed making '%s' (exit status %d); the script is '%s'", prog, png,
              st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1, gp);
    goto out;
  }
  if (fp8_outfile_commit(&opng) || fp8_outfile_commit(&osvg))
    goto out;
  rc = 0;
out:
  if (opng.path)
    fp8_outfile_abort(&opng);
  if (osvg.path)
    fp8_outfile_abort(&osvg);
  free(cmdline);
  free(quoted);
  free(base);
  free(tsv);
  free(gp);
  free(png);
  free(svg);
  return rc;
}
