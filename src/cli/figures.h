/* figures.h - the parts of 'fp8lab figures' and its index page. */
#ifndef FP8_FIGURES_H
#define FP8_FIGURES_H

#include <stdbool.h>
#include <stddef.h>

#define FIG_MAX_RUNS 3

/* One fp8lab run: its arguments ("@SEED" = the seed, "@leaf" = DIR/leaf) and
 * the file in DIR that receives its standard output (NULL: shown on stderr). */
typedef struct fig_run {
  const char *args[20];
  const char *stdout_to;
} fig_run;

typedef struct fig_part {
  const char *name;
  const char *caption;              /* progress line and index heading */
  fig_run runs[FIG_MAX_RUNS];
  bool (*available)(void);          /* NULL: always */
  const char *unavailable_why;
  const char *plots[4];             /* PNG leaves shown on the index page */
  const char *tables[4];            /* TSV/text leaves linked from it */
  const char *says;                 /* what the figure says, which paper claim it checks */
  /* Optional: HTML comparing our numbers (read from DIR) with the paper's. */
  void (*compare)(const char *dir, void *html_fp);
} fig_part;

typedef enum fig_status { FIG_NOT_RUN, FIG_DONE, FIG_FAILED, FIG_SKIPPED } fig_status;

const fig_part *fig_parts(size_t *n);
/* compare callbacks (figures_compare.c) */
void fig_compare_gates(const char *dir, void *html_fp);
void fig_compare_accuracy(const char *dir, void *html_fp);
void fig_compare_tensors(const char *dir, void *html_fp);   /* figures_tensors.c */
/* DIR/index.html, atomically; 0 or -1. */
int fig_write_index(const char *dir, const fig_part *parts, const fig_status *status,
                    size_t n, const char *seed);

#endif
