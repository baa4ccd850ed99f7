/* accumulate.c - accumulation error by length, any unit on any operand
 * (accumulate.h). */
#include "accumulate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "quant.h"
#include "rng.h"

fp8_accumulate_result *fp8_accumulate_alloc(int nlen, int nacc)
{
  fp8_accumulate_result *r = calloc(1, sizeof *r);
  size_t n = (size_t)nlen * (size_t)nacc;
  if (!r)
    return NULL;
  r->median = calloc(n, sizeof(double));
  r->max = calloc(n, sizeof(double));
  r->median_data = calloc(n, sizeof(double));
  r->max_data = calloc(n, sizeof(double));
  r->nonfinite = calloc(n, sizeof(long));
  if (!r->median || !r->max || !r->median_data || !r->max_data || !r->nonfinite) {
    fp8_accumulate_free(r);
    return NULL;
  }
  return r;
}

void fp8_accumulate_free(fp8_accumulate_result *r)
{
  if (!r)
    return;
  free(r->median);
  free(r->max);
  free(r->median_data);
  free(r->max_data);
  free(r->nonfinite);
  free(r);
}

double fp8_accumulate_rel_error(double v, double exact)
{
  if (!isfinite(v))
    return INFINITY;
  if (exact == 0)
    return v == 0 ? 0 : INFINITY;
  return fabs(v - exact) / fabs(exact);
}

long fp8_accumulate_stats(double *v, int n, double *median, double *max)
{
  long nf = 0;
  for (int t = 0; t < n; t++)
    nf += !isfinite(v[t]);
  gsl_sort(v, 1, (size_t)n);   /* +Inf sorts last */
  *median = gsl_stats_median_from_sorted_data(v, 1, (size_t)n);
  *max = v[n - 1];
  return nf;
}

/* Neumaier's compensated sum. */
typedef struct csum { double s, c; } csum;
static void csum_add(csum *k, double x)
{
  double t = k->s + x;
  k->c += fabs(k->s) >= fabs(x) ? (k->s - t) + x : (x - t) + k->s;
  k->s = t;
}
static double csum_value(const csum *k) { return k->s + k->c; }

/* One operand of a unit: codes (and scale codes) and the factor its value is
 * multiplied by (its t).  Its quantized values are value tables (vals below) applied
 * to the codes, so no copy of the values is kept per unit. */
typedef struct operand {
  uint16_t *codes, *scales;
  double factor;
} operand;

/* A unit's value tables: an element code's value (with the implicit 2^shift)
 * and a scale code's value (without T); scales NULL without a block scale. */
typedef struct vals {
  double *elem, *scale;
  size_t block;
} vals;

static double *value_table(const fp8_format *f, int shift)
{
  size_t n = (size_t)fp8_format_ncodes_minus1(f) + 1;
  double *t = malloc(n * sizeof *t);
  for (size_t c = 0; t && c < n; c++)
    t[c] = ldexp(fp8_codec_decode(f, (uint32_t)c), shift);
  return t;
}

static double qval(const vals *v, const operand *op, size_t i)
{
  return v->elem[op->codes[i]] * (v->scale ? v->scale[op->scales[i / v->block]] : 1.0);
}

/* x quantized as operand bf (fp8_accumulate_opts' rules for t). */
static void quantize(const fp8_accumulate_opts *o, const fp8_block_format *bf, const double *x, size_t n,
                     operand *op, uint32_t *tmp)
{
  double big = fp8_quant_absmax(x, n), t;
  if (fp8_block_is_scaled(bf))
    t = fp8_block_tensor_scale(bf, big);
  else
    t = o->max_scale && big > 0 ? fp8_quant_scale_max(&bf->elem, big) : 1;
  size_t run = fp8_block_is_scaled(bf) ? (size_t)bf->block : FP8_BLOCK_MAX;
  for (size_t j = 0, b = 0; j < n; j += run, b++) {
    size_t len = n - j < run ? n - j : run;
    uint32_t sc = fp8_block_encode(bf, t, x + j, len, tmp, NULL, NULL);
    if (op->scales)
      op->scales[b] = (uint16_t)sc;
    for (size_t i = 0; i < len; i++)
      op->codes[j + i] = (uint16_t)tmp[i];
  }
  op->factor = t;
}

/* 2^e with x * 2^-e below 2^480 in magnitude for every x (0 when they all
 * are): the data reference's scaling, so that products of two scaled values
 * (< 2^960) summed over up to 2^23 terms stay finite.  Power-of-two scaling
 * is exact but for values that fall below 2^-1022 after it, whose products
 * are then more than 2^-1400 below the largest: beyond any error measured. */
static int data_shift(const double *x, size_t n)
{
  double big = fp8_quant_absmax(x, n);
  int e = isfinite(big) && big > 0 ? ilogb(big) - 479 : 0;
  return e > 0 ? e : 0;
}

/* v * fa * fb * 2^-e without overflow or underflow on the way (e > 0: one
 * rounding, of the mantissas' product): the unit's estimate on the data
 * reference's scale; e = 0 keeps the plain product v * (fa * fb). */
static double scaled_estimate(double v, double fa, double fb, int e)
{
  if (e == 0 || !isfinite(v) || v == 0)
    return e == 0 ? v * (fa * fb) : v;
  int ev, ea, eb;
  double mv = frexp(v, &ev), ma = frexp(fa, &ea), mb = frexp(fb, &eb);
  return ldexp(mv * ma * mb, ev + ea + eb - e);
}

int fp8_accumulate_run(const fp8_accumulate_opts *o, fp8_accumulate_result *res,
                             void (*progress)(int, int, void *), void *arg, char *err, size_t errlen)
{
  int rc = -1;
  const size_t n = o->lengths[o->nlen - 1], cells = (size_t)o->nlen * (size_t)o->nacc;
  const int na = o->nacc;
  fp8_dot **units = calloc((size_t)na, sizeof *units);
  operand *ops = calloc(2 * (size_t)na, sizeof *ops);
  vals *vt = calloc((size_t)na, sizeof *vt);
  fp8_block_format *opnd = calloc((size_t)na, sizeof *opnd);   /* each unit's operand */
  int *src = calloc((size_t)na, sizeof *src);   /* the first unit with the same operand */
  double *x = malloc(2 * n * sizeof *x), *relq = malloc(2 * cells * (size_t)o->trials * sizeof *relq);
  uint32_t *tmp = malloc(FP8_BLOCK_MAX * sizeof *tmp);
  gsl_rng *r = fp8_rng_alloc(o->seed);
  bool ok = units && ops && vt && opnd && src && x && relq && tmp && r;
  /* Units on the same operand share its codes and the exact sum of its
   * quantized products: quantized once per trial, not once per unit. */
  for (int k = 0; ok && k < na; k++) {
    if (o->blocks && o->blocks[k])
      memcpy(&opnd[k], o->blocks[k], sizeof *opnd);
    else
      fp8_block_from_format(&o->fmt, &opnd[k]);
    for (src[k] = 0; memcmp(&opnd[src[k]], &opnd[k], sizeof *opnd); src[k]++)
      ;
  }
  for (int k = 0; ok && k < 2 * na; k++) {
    const fp8_block_format *bf = &opnd[k / 2];
    size_t ns = fp8_block_nscales(bf, n);
    ops[k].codes = malloc(n * sizeof(uint16_t));
    ops[k].scales = ns ? malloc(ns * sizeof(uint16_t)) : NULL;
    ok = ops[k].codes && (!ns || ops[k].scales);
  }
  for (int k = 0; ok && k < na; k++) {
    const fp8_block_format *bf = &opnd[k];
    bool scaled = fp8_block_is_scaled(bf);
    vt[k].elem = value_table(&bf->elem, bf->shift);
    vt[k].scale = scaled ? value_table(&bf->scale, 0) : NULL;
    vt[k].block = scaled ? (size_t)bf->block : 1;
    ok = vt[k].elem && (!scaled || vt[k].scale);
  }
  if (!ok) {
    snprintf(err, errlen, "out of memory for dot products of length %zu", n);
    goto out;
  }
  double *y = x + n, *reld = relq + cells * (size_t)o->trials;   /* [cell][trial] */
  for (int k = 0; k < na; k++) {
    units[k] = fp8_block_is_scaled(&opnd[k]) ? fp8_dot_alloc_block(&opnd[k], NULL, &o->accs[k], err, errlen)
                                             : fp8_dot_alloc(&opnd[k].elem, NULL, &o->accs[k], err, errlen);
    if (!units[k])
      goto out;
  }
  for (int t = 0; t < o->trials; t++) {
    for (size_t i = 0; i < n; i++)
      x[i] = fp8_dist_sample(&o->dist, r) + o->mean;
    for (size_t i = 0; i < n; i++)
      y[i] = fp8_dist_sample(&o->dist, r) + o->mean;
    /* the data reference on x 2^-ex and y 2^-ey: finite for any finite data */
    int ex = data_shift(x, n), ey = data_shift(y, n);
    for (int k = 0; k < na; k++) {
      if (src[k] == k) {
        quantize(o, &opnd[k], x, n, &ops[2 * k], tmp);
        quantize(o, &opnd[k], y, n, &ops[2 * k + 1], tmp);
      }
      fp8_dot_clear(units[k]);
    }
    csum data = {0, 0}, *quant = calloc((size_t)na, sizeof *quant);
    if (!quant) {
      snprintf(err, errlen, "out of memory");
      goto out;
    }
    size_t done = 0;
    for (int l = 0; l < o->nlen; l++) {
      size_t len = o->lengths[l];
      for (size_t i = done; i < len; i++) {
        double xs = ex ? ldexp(x[i], -ex) : x[i], ys = ey ? ldexp(y[i], -ey) : y[i], p = xs * ys;
        csum_add(&data, p);
        csum_add(&data, fma(xs, ys, -p));
      }
      for (int k = 0; k < na; k++) {
        const operand *a = &ops[2 * src[k]], *b = &ops[2 * src[k] + 1];
        for (size_t i = done; src[k] == k && i < len; i++)
          csum_add(&quant[k], qval(&vt[k], a, i) * qval(&vt[k], b, i));   /* exact products */
        if (fp8_block_is_scaled(&opnd[k])) {
          size_t B = (size_t)opnd[k].block;
          fp8_dot_push_block(units[k], a->codes + done, b->codes + done, a->scales + done / B,
                             b->scales + done / B, len - done);
        } else {
          fp8_dot_push_u16(units[k], a->codes + done, b->codes + done, len - done);
        }
        double v = fp8_dot_value(units[k]);
        size_t c = ((size_t)l * na + k) * (size_t)o->trials + (size_t)t;
        relq[c] = fp8_accumulate_rel_error(v, csum_value(&quant[src[k]]));
        reld[c] = fp8_accumulate_rel_error(scaled_estimate(v, a->factor, b->factor, ex + ey), csum_value(&data));
      }
      done = len;
    }
    free(quant);
    if (progress)
      progress(t + 1, o->trials, arg);
  }
  for (size_t c = 0; c < cells; c++) {
    res->nonfinite[c] = fp8_accumulate_stats(relq + c * (size_t)o->trials, o->trials, &res->median[c],
                                             &res->max[c]);
    fp8_accumulate_stats(reld + c * (size_t)o->trials, o->trials, &res->median_data[c], &res->max_data[c]);
  }
  rc = 0;
out:
  if (units)
    for (int k = 0; k < na; k++)
      fp8_dot_free(units[k]);
  if (ops)
    for (int k = 0; k < 2 * na; k++) {
      free(ops[k].codes);
      free(ops[k].scales);
    }
  if (vt)
    for (int k = 0; k < na; k++) {
      free(vt[k].elem);
      free(vt[k].scale);
    }
  free(vt);
  free(opnd);
  free(src);
  free(units);
  free(ops);
  free(x);
  free(relq);
  free(tmp);
  if (r)
    gsl_rng_free(r);
  return rc;
}
