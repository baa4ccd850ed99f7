/* dist.h - the input distributions of the accuracy experiments (doc/DESIGN.md section 6).
 *
 * Spec grammar (fp8_dist_parse):
 *   uniform                 U[-1, 1]
 *   gaussian                N(0, 1)
 *   laplace                 density exp(-|x|)/2 (sigma = sqrt 2)
 *   student-t[:nu=V]        Student's t with V > 0 degrees of freedom (default 8)
 * each optionally followed by clip=C (C > 0), after ':' or ',' :
 *   student-t:nu=3,clip=100   gaussian:clip=4
 * Clipping follows Kuzmin et al.'s code: X is replaced by min(max(X, -C), C), so
 * the tails beyond +-C become point masses at +-C.  A distribution as used must
 * have a finite variance: Student's t with nu <= 2 needs a clip.
 *
 * A sample of real values (a tensor) is a distribution too: fp8_dist_empirical
 * (empirical.h), so the MSE and the scale search apply to real data unchanged.
 *
 * Every distribution but the empirical one is symmetric about 0.  The "continuous part" is the
 * density on (-C, C); the point masses are fp8_dist_tail_mass(d) each.
 */
#ifndef FP8_DIST_H
#define FP8_DIST_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

#include "spell.h"

typedef enum fp8_dist_kind {
  FP8_DIST_UNIFORM, FP8_DIST_GAUSSIAN, FP8_DIST_STUDENT_T, FP8_DIST_LAPLACE,
  FP8_DIST_EMPIRICAL    /* a sample: fp8_dist_empirical, never parsed */
} fp8_dist_kind;

struct fp8_empirical;

#define FP8_DIST_NAME_LEN 80
#define FP8_DIST_DEFAULT_NU 8.0
/* What the method supports (fp8_dist_make rejects the rest, with the reason):
 * nu in [MIN_NU, MAX_NU], clip >= MIN_CLIP, and the scale search span
 * (fp8_dist_scale_span) at most MAX_SPAN = 2^64, which bounds its work. */
#define FP8_DIST_MIN_NU 0.01
#define FP8_DIST_MAX_NU 1e4
#define FP8_DIST_MIN_CLIP 1e-30
#define FP8_DIST_MAX_SPAN 18446744073709551616.0

typedef struct fp8_dist {
  fp8_dist_kind kind;
  double nu;          /* Student's t degrees of freedom; unused otherwise */
  double clip;        /* +-clip holds the tails; INFINITY: not clipped */
  char name[FP8_DIST_NAME_LEN]; /* canonical spec, e.g. "student-t:nu=8,clip=100" */
  double tail;        /* derived: P(X_base > clip), the mass at +clip (and at -clip) */
  double sigma;       /* derived: standard deviation as used (after clipping) */
  struct fp8_empirical *emp;   /* FP8_DIST_EMPIRICAL: the sample (not owned) */
} fp8_dist;

/* Parse a spec (grammar above, in the grammar of spell.h: nu= after any base
 * but student-t contradicts it; a key twice, an empty part, NaN or Inf are
 * refused).  0 on success; -1 with a message that names the bad part and
 * what was expected in err. */
int fp8_dist_parse(const char *spec, fp8_dist *d, char *err, size_t errlen);
/* The canonical spelling (d->name), e.g. "student-t:nu=8,clip=100". */
void fp8_dist_name(const fp8_dist *d, char *buf, size_t len);
/* "key=value\n" lines (snprintf semantics; returns the length needed): name
 * kind nu clip (inf: none) sigma tail upper. */
size_t fp8_dist_describe(const fp8_dist *d, char *buf, size_t len);
/* The kinds as presets (*n of them): name, spelling, note, source. */
const fp8_preset *fp8_dist_presets(size_t *n);

/* Build from fields (nu ignored except for Student's t; clip = INFINITY for
 * none), validating as fp8_dist_parse does.  0 or -1 (+err). */
int fp8_dist_make(fp8_dist *d, fp8_dist_kind kind, double nu, double clip,
                  char *err, size_t errlen);

/* The empirical distribution of e (set with fp8_empirical_set; e must outlive
 * d): pdf is undefined (NaN), the rest as for any distribution; upper is just
 * above the largest |x| so that every value lies in the support. */
void fp8_dist_empirical(fp8_dist *d, struct fp8_empirical *e, const char *name);

/* Density of the continuous part (0 outside [-clip, clip]). */
double fp8_dist_pdf(const fp8_dist *d, double x);
/* P(X <= x) of the distribution as used (point masses included). */
double fp8_dist_cdf(const fp8_dist *d, double x);
/* Mass of the point at +clip (the same at -clip); 0 without a clip. */
static inline double fp8_dist_tail_mass(const fp8_dist *d) { return d->tail; }
/* Standard deviation as used (after clipping). */
static inline double fp8_dist_sigma(const fp8_dist *d) { return d->sigma; }
/* Largest value X can take: 1 (uniform), clip, or INFINITY. */
double fp8_dist_upper(const fp8_dist *d);
/* t >= 0 with P(|X| > t) = q (0 < q < 1), capped at fp8_dist_upper. */
double fp8_dist_abs_quantile_upper(const fp8_dist *d, double q);

/* Where the scale search looks for the largest grid value: from the median |X|
 * (lo) to twice the clip, or twice the 1e-12 two-sided quantile when the clip
 * carries no mass (hi); a sample with more than half zeros (median |X| = 0)
 * starts 2^-24 below hi. */
void fp8_dist_scale_span(const fp8_dist *d, double *lo, double *hi);

/* One sample of X as used (clipped). */
double fp8_dist_sample(const fp8_dist *d, gsl_rng *r);
/* Largest |x| of n samples: the max range setting's calibration. */
double fp8_dist_sample_absmax(const fp8_dist *d, gsl_rng *r, size_t n);

/* Partial moments of the continuous part: m[k] = integral over [a, b] of
 * x^k p(x) dx, k = 0, 1, 2; a <= b, either may be infinite.  Closed forms where
 * they exist (every case but Student's t with nu <= 2, whose m[2] is GSL
 * quadrature); tails are evaluated from the tail side to keep relative
 * precision far out. */
void fp8_dist_moments(const fp8_dist *d, double a, double b, double m[3]);

#endif
