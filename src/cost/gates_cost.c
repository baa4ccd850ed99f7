/* gates_cost.c - the cost table and Appendix B's composite formulas (gates.h). */
#include "gates.h"
#include "error.h"
#include "textio.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cell_names[FP8_CELL_COUNT] = {
  "NOT", "AND2", "NAND2", "OR2", "NOR2", "AO21", "AOI21", "OA21", "OAI21",
  "MUX2", "XOR2", "XNOR2", "HA", "FA", "FF"};

const char *fp8_gates_cell_name(fp8_gates_cell c)
{ return (unsigned)c < FP8_CELL_COUNT ? cell_names[c] : NULL; }

int fp8_gates_cell_lookup(const char *name)
{
  for (int i = 0; i < FP8_CELL_COUNT; i++)
    if (strcmp(cell_names[i], name) == 0)
      return i;
  return -1;
}

/* Trim spaces at both ends, in place. */
static char *trim(char *s)
{
  while (isspace((unsigned char)*s))
    s++;
  char *e = s + strlen(s);
  while (e > s && isspace((unsigned char)e[-1]))
    *--e = 0;
  return s;
}

/* A cost: a sum of terms K*NAME | NAME | K over cells already defined. */
static int eval_cost(char *expr, const fp8_gates_costs *c, const int *have, double *out,
                     const char *where, char *err, size_t errlen)
{
  double sum = 0;
  char *save = NULL;
  if (!*trim(expr))
    return fp8_error_set(err, errlen, "%s: empty cost (expected a number or a sum like 2*HA + OR2)", where);
  for (char *term = strtok_r(expr, "+", &save); term; term = strtok_r(NULL, "+", &save)) {
    term = trim(term);
    double k = 1;
    char *name = term;
    if (isdigit((unsigned char)*term) || *term == '.' || *term == '-') {
      char *end;
      errno = 0;
      k = strtod(term, &end);
      if (end == term || errno == ERANGE || !isfinite(k))
        return fp8_error_set(err, errlen, "%s: '%s' is not a number", where, term);
      name = trim(end);
      if (*name == '*')
        name = trim(name + 1);
      else if (*name)
        return fp8_error_set(err, errlen, "%s: malformed term '%s' (expected K*NAME, NAME or a number)",
                    where, term);
    }
    if (k < 0)
      return fp8_error_set(err, errlen, "%s: negative cost '%s' (costs are >= 0)", where, term);
    if (!*name) {
      sum += k;
      continue;
    }
    int id = fp8_gates_cell_lookup(name);
    if (id < 0)
      return fp8_error_set(err, errlen, "%s: unknown component '%s' in a cost", where, name);
    if (!have[id])
      return fp8_error_set(err, errlen, "%s: '%s' is used before its own line (define it first)",
                  where, name);
    sum += k * c->cost[id];
  }
  if (!isfinite(sum))
    return fp8_error_set(err, errlen, "%s: the cost overflows (it sums to %g; expected a finite number)",
                         where, sum);
  *out = sum;
  return 0;
}

int fp8_gates_costs_parse(const char *text, const char *fname, fp8_gates_costs *c,
                          char *err, size_t errlen)
{
  int have[FP8_CELL_COUNT] = {0};
  char *buf = strdup(text ? text : "");
  if (!buf)
    return fp8_error_set(err, errlen, "%s: out of memory", fname);
  int rc = 0, lineno = 0, seen_data = 0;
  char *save = NULL;
  memset(c, 0, sizeof *c);
  /* strtok_r would merge empty lines and miscount them: split by hand. */
  for (char *line = buf; line && rc == 0; line = save) {
    char *nl = strchr(line, '\n');
    save = nl ? nl + 1 : NULL;
    if (nl)
      *nl = 0;
    lineno++;
    char *hash = strchr(line, '#');
    if (hash)
      *hash = 0;
    char *s = trim(line);
    if (!*s)
      continue;
    char where[512];
    snprintf(where, sizeof where, "%s:%d", fname, lineno);
    char *tab = strchr(s, '\t');
    if (!tab) {
      rc = fp8_error_set(err, errlen, "%s: malformed line '%s' (expected NAME<TAB>COST[<TAB>note])", where, s);
      break;
    }
    *tab = 0;
    char *name = trim(s), *cost = tab + 1;
    char *tab2 = strchr(cost, '\t');
    if (tab2)
      *tab2 = 0;
    if (!seen_data++ && strcmp(name, "component") == 0)
      continue;   /* the optional header row */
    int id = fp8_gates_cell_lookup(name);
    if (id < 0) {
      rc = fp8_error_set(err, errlen, "%s: unknown component '%s' (expected one of NOT AND2 NAND2 OR2 NOR2 "
                "AO21 AOI21 OA21 OAI21 MUX2 XOR2 XNOR2 HA FA FF)", where, name);
      break;
    }
    if (have[id]) {
      rc = fp8_error_set(err, errlen, "%s: component '%s' is given twice", where, name);
      break;
    }
    double v = 0;
    rc = eval_cost(cost, c, have, &v, where, err, errlen);
    if (rc == 0) {
      c->cost[id] = v;
      have[id] = 1;
    }
  }
  free(buf);
  if (rc)
    return rc;
  for (int i = 0; i < FP8_CELL_COUNT; i++)
    if (!have[i])
      return fp8_error_set(err, errlen, "%s: missing component '%s' (every cell needs a cost line)",
                  fname, cell_names[i]);
  return 0;
}

int fp8_gates_costs_load(const char *path, fp8_gates_costs *c, char *err, size_t errlen)
{
  /* bounded: a line, the file (a table, not /dev/zero), no NUL */
  char *text = fp8_text_read_table(path, err, errlen);
  if (!text)
    return -1;
  int rc = fp8_gates_costs_parse(text, path, c, err, errlen);
  free(text);
  return rc;
}

/* ---- composite blocks ------------------------------------------------------------ */
int fp8_gates_shift_stages(int k)
{
  return k > 0 ? fp8_facts_ceil_log2((double)k + 1) : 0;
}

#define C(cell) (c->cost[FP8_CELL_##cell])

double fp8_gates_add(const fp8_gates_costs *c, int n)
{ return n <= 0 ? 0 : (n - 1) * C(FA) + C(HA); }

double fp8_gates_inc(const fp8_gates_costs *c, int n)
{ return n <= 0 ? 0 : n * C(HA); }

double fp8_gates_pp(const fp8_gates_costs *c, int n)
{ return n <= 0 ? 0 : (double)n * n * C(AND2); }

double fp8_gates_pp_reduce(const fp8_gates_costs *c, int n)
{ return n <= 1 ? 0 : (double)(n - 1) * (n - 1) * C(FA) + (n - 1) * C(HA); }

double fp8_gates_shl(const fp8_gates_costs *c, int n, int k)
{
  if (n <= 0 || k <= 0)
    return 0;
  return (double)n * fp8_gates_shift_stages(k) * C(MUX2) - k * (C(MUX2) - C(AND2));
}

double fp8_gates_shr(const fp8_gates_costs *c, int n, int k)
{
  if (n <= 1 || k <= 0)
    return 0;
  return (double)(n - 1) * fp8_gates_shift_stages(k) * C(MUX2);
}

double fp8_gates_shl_widen(const fp8_gates_costs *c, int n, int k)
{
  if (n <= 0 || k <= 0)
    return 0;
  return (double)(n > 2 ? n - 2 : 0) * fp8_gates_shift_stages(k) * C(MUX2) + k * (C(MUX2) + C(AND2));
}
