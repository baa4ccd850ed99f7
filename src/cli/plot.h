/* plot.h - plots through gnuplot (popen), doc/DESIGN.md section 7.
 *
 * cli_plot writes, for an output path BASE.png (or BASE.svg, or BASE):
 *   BASE.tsv  the data (the table, TSV with one header row),
 *   BASE.gp   a standalone script that reads BASE.tsv and writes BASE.png and
 *             BASE.svg, for a user to restyle and rerun ('gnuplot BASE.gp'),
 *   BASE.png  (pngcairo) and BASE.svg,
 * every one atomically (temporary name, renamed into place): a failed run
 * leaves no partial file.  body is gnuplot commands that plot from the data
 * file named by the gnuplot variable 'datafile' (e.g. plot datafile using 1:2),
 * with the first row of the file a header ('set key autotitle columnhead' is
 * set).  gnuplot is looked up at run time (cli_gnuplot_program); without it the
 * data and script are still written.  Returns 0, or -1 after printing why
 * (gnuplot missing, gnuplot error). */
#ifndef FP8_PLOT_H
#define FP8_PLOT_H

#include "cli.h"

typedef struct cli_plot_opts {
  int width, height;   /* pixels; 0 = 900 x 560 */
} cli_plot_opts;

/* Figure 3's style: clustered bars of gate counts from zero, a y grid. */
#define CLI_PLOT_GATE_BARS \
  "set style data histogram\n" \
  "set style histogram cluster gap 1\n" \
  "set style fill solid 0.85 border -1\n" \
  "set boxwidth 0.9\n" \
  "set yrange [0:*]\n" \
  "set grid ytics\n" \
  "set key top left\n" \
  "set ylabel '2-input gates per MAC'\n"

/* gnuplot: FP8LAB_GNUPLOT if set (NULL when not executable), else the first
 * 'gnuplot' on PATH at run time; NULL when there is none. */
const char *cli_gnuplot_program(void);
/* A --plot path must name a file (not "", "dir/", ".png"): else a usage error
 * naming it, -1.  Commands call it before any work. */
int cli_plot_check_path(const char *cmd, const char *path);

/* s (a name from the user or a file) as a gnuplot string constant for a
 * body: double-quoted, every byte but letters, digits and plain punctuation
 * as a \ooo escape, so it reads back byte for byte and cannot end the string
 * or run a command.  Written to buf (len bytes; 4 * strlen(s) + 3 always
 * fits), cut with "..." before the closing quote when it does not fit.
 * Returns buf.  Bodies take every name through this, never '%s'. */
const char *cli_plot_quote(char *buf, size_t len, const char *s);

int cli_plot(const char *cmd, const char *out_path, const cli_table *data,
             const char *body, const cli_plot_opts *opts);

#endif
