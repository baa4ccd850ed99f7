/* gates_synth.c - weigh a Yosys gate-level netlist with the cost table (gates.h).
 *
 * Input is the text of Yosys' 'stat' after 'abc -g AND,NAND,OR,NOR,XOR,XNOR,
 * MUX,AOI3,OAI3' with the hierarchy kept: one "=== module ===" section per
 * (parameterised) module listing its cells and submodule instances, then
 * "=== design hierarchy ===" with the flattened cell counts.  Both are used:
 * the per-module sections give the per-block split, the flattened part the
 * total, and the two must agree (a cross-check of the parse).
 */
#include "gates.h"
#include "error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The priced blocks of rtl/blocks.def, the list make reads too. */
const char *const fp8_gates_rtl_blocks[] = {
#define FP8_RTL_PRICED(name) #name,
#define FP8_RTL_PART(name)
#include "blocks.def"
#undef FP8_RTL_PRICED
#undef FP8_RTL_PART
  NULL};


int fp8_gates_yosys_cell_cost(const char *type, const fp8_gates_costs *c, double *cost)
{
  static const struct { const char *type; fp8_gates_cell cell; } map[] = {
    {"$_NOT_", FP8_CELL_NOT}, {"$_BUF_", FP8_CELL_NOT},
    {"$_AND_", FP8_CELL_AND2}, {"$_NAND_", FP8_CELL_NAND2}, {"$_ANDNOT_", FP8_CELL_AND2},
    {"$_OR_", FP8_CELL_OR2}, {"$_NOR_", FP8_CELL_NOR2}, {"$_ORNOT_", FP8_CELL_OR2},
    {"$_XOR_", FP8_CELL_XOR2}, {"$_XNOR_", FP8_CELL_XNOR2}, {"$_MUX_", FP8_CELL_MUX2},
    {"$_AOI3_", FP8_CELL_AOI21}, {"$_OAI3_", FP8_CELL_OAI21}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(type, map[i].type) == 0) {
      *cost = c->cost[map[i].cell];
      return 0;
    }
  /* $_DFF_P_, $_DFF_PN0_, $_DFFE_PP_, $_SDFF_..., $_DLATCH_...: one bit each */
  if (strncmp(type, "$_DFF", 5) == 0 || strncmp(type, "$_SDFF", 6) == 0 ||
      strncmp(type, "$_DLATCH", 8) == 0 || strncmp(type, "$_ALDFF", 7) == 0) {
    *cost = c->cost[FP8_CELL_FF];
    return 0;
  }
  return -1;
}

static int is_flop(const char *type)
{ return type[0] == '$' && type[1] == '_' && (strstr(type, "DFF") || strstr(type, "DLATCH")); }

/* ---- parsed modules ------------------------------------------------------------------ */
typedef struct child { char *type; long count; } child;
typedef struct module {
  char *name;
  double own;
  long cells, flops;
  child *kids;
  size_t nkids;
} module;

typedef struct design {
  module *mods;
  size_t n;
  double flat;
  long flat_cells, flat_flops;
  int have_flat;
} design;

static void design_free(design *d)
{
  for (size_t i = 0; i < d->n; i++) {
    for (size_t k = 0; k < d->mods[i].nkids; k++)
      free(d->mods[i].kids[k].type);
    free(d->mods[i].kids);
    free(d->mods[i].name);
  }
  free(d->mods);
}

static module *find_module(const design *d, const char *name)
{
  for (size_t i = 0; i < d->n; i++)
    if (strcmp(d->mods[i].name, name) == 0)
      return &d->mods[i];
  return NULL;
}

/* "  TYPE   COUNT" -> type (trimmed, in place) and count; 0 if not that shape. */
static int cell_line(char *s, char **type, long *count)
{
  if (!isspace((unsigned char)*s))
    return 0;
  char *e = s + strlen(s);
  while (e > s && isspace((unsigned char)e[-1]))
    *--e = 0;
  char *sp = e;
  while (sp > s && !isspace((unsigned char)sp[-1]))
    sp--;
  if (sp == e || sp == s)
    return 0;
  char *end;
  long v = strtol(sp, &end, 10);
  if (*end || v < 0)
    return 0;
  while (sp > s && isspace((unsigned char)sp[-1]))
    *--sp = 0;
  while (isspace((unsigned char)*s))
    s++;
  if (!*s)
    return 0;
  *type = s;
  *count = v;
  return 1;
}

static int parse_text(char *text, const fp8_gates_costs *c, design *d, char *err, size_t errlen)
{
  module *cur = NULL;
  int in_hier = 0, in_cells = 0;
  for (char *line = text, *next; line; line = next) {
    char *nl = strchr(line, '\n');
    next = nl ? nl + 1 : NULL;
    if (nl)
      *nl = 0;
    size_t l = strlen(line);
    if (l > 8 && strncmp(line, "=== ", 4) == 0 && strcmp(line + l - 4, " ===") == 0) {
      line[l - 4] = 0;
      in_cells = 0;
      in_hier = strcmp(line + 4, "design hierarchy") == 0;
      cur = NULL;
      if (in_hier) {
        d->have_flat = 1;
        continue;
      }
      module *m = realloc(d->mods, (d->n + 1) * sizeof *m);
      if (!m)
        return fp8_error_set(err, errlen, "out of memory");
      d->mods = m;
      cur = &d->mods[d->n++];
      memset(cur, 0, sizeof *cur);
      cur->name = strdup(line + 4);
      continue;
    }
    if (strstr(line, "Number of cells:")) {
      in_cells = 1;
      continue;
    }
    char *type;
    long count;
    if (!in_cells || !cell_line(line, &type, &count)) {
      in_cells = in_cells && *line && strstr(line, "Number of") == NULL && cur;
      continue;
    }
    double w;
    int gate = fp8_gates_yosys_cell_cost(type, c, &w) == 0;
    if (in_hier) {
      if (!gate && type[0] == '$' && type[1] == '_')
        return fp8_error_set(err, errlen, "Yosys cell type '%s' has no cost (expected the cells of "
                    "abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX,AOI3,OAI3 and flip-flops)", type);
      if (!gate)
        return fp8_error_set(err, errlen, "unmapped cell '%s' in the flattened design (synthesis left a "
                    "coarse cell or a black box)", type);
      d->flat += w * count;
      d->flat_cells += count;
      d->flat_flops += is_flop(type) ? count : 0;
    } else if (cur) {
      if (gate) {
        cur->own += w * count;
        cur->cells += count;
        cur->flops += is_flop(type) ? count : 0;
        continue;
      }
      child *k = realloc(cur->kids, (cur->nkids + 1) * sizeof *k);
      if (!k)
        return fp8_error_set(err, errlen, "out of memory");
      cur->kids = k;
      k[cur->nkids++] = (child){strdup(type), count};
    }
  }
  return 0;
}

/* fp8_mul for "fp8_mul", "$paramod\fp8_mul\N=..." or "$paramod$abc123\fp8_mul". */
static const char *block_of(const char *name)
{
  char base[256];
  const char *s = name;
  if (strncmp(s, "$paramod", 8) == 0) {
    const char *bs = strchr(s, '\\');
    s = bs ? bs + 1 : s;
  } else if (*s == '\\')
    s++;
  size_t n = strcspn(s, "\\");
  if (n >= sizeof base)
    return NULL;
  memcpy(base, s, n);
  base[n] = 0;
  for (size_t i = 0; fp8_gates_rtl_blocks[i]; i++)
    if (strcmp(base, fp8_gates_rtl_blocks[i]) == 0)
      return fp8_gates_rtl_blocks[i];
  return NULL;
}

static void credit(fp8_synth_result *r, const char *block, double g)
{
  for (size_t i = 0; i < r->nblocks; i++)
    if (strcmp(r->block[i].name, block) == 0) {
      r->block[i].gates += g;
      return;
    }
  if (r->nblocks < FP8_SYNTH_MAX_BLOCKS) {
    snprintf(r->block[r->nblocks].name, sizeof r->block[0].name, "%s", block);
    r->block[r->nblocks++].gates = g;
  }
}

static int walk(const design *d, const module *m, const char *inherited, double mult, int depth,
                fp8_synth_result *r, char *err, size_t errlen)
{
  if (depth > 64)
    return fp8_error_set(err, errlen, "module hierarchy deeper than 64 (a cycle at '%s'?)", m->name);
  const char *blk = block_of(m->name);
  if (!blk)
    blk = inherited;
  credit(r, blk, mult * m->own);
  r->tree_total += mult * m->own;
  for (size_t k = 0; k < m->nkids; k++) {
    const module *sub = find_module(d, m->kids[k].type);
    if (!sub)
      return fp8_error_set(err, errlen, "module '%s' instantiates '%s', which has no section in the stat "
                  "output (a black box?)", m->name, m->kids[k].type);
    if (walk(d, sub, blk, mult * m->kids[k].count, depth + 1, r, err, errlen))
      return -1;
  }
  return 0;
}

int fp8_gates_synth_parse(const char *stat_text, const char *top, const fp8_gates_costs *c,
                          fp8_synth_result *r, char *err, size_t errlen)
{
  memset(r, 0, sizeof *r);
  design d = {0};
  char *text = strdup(stat_text ? stat_text : "");
  if (!text)
    return fp8_error_set(err, errlen, "out of memory");
  int rc = parse_text(text, c, &d, err, errlen);
  free(text);
  const module *t = rc ? NULL : find_module(&d, top);
  if (rc == 0 && !t)
    rc = fp8_error_set(err, errlen, "no statistics for top module '%s' in the Yosys output", top);
  if (rc == 0)
    rc = walk(&d, t, top, 1.0, 0, r, err, errlen);
  if (rc == 0) {
    if (d.have_flat && (d.flat - r->tree_total > 1e-6 || r->tree_total - d.flat > 1e-6)) {
      rc = fp8_error_set(err, errlen, "Yosys statistics disagree: the modules of '%s' sum to %.2f gates, "
                "the flattened design to %.2f", top, r->tree_total, d.flat);
    } else if (d.have_flat) {
      r->total = d.flat;
      r->cells = d.flat_cells;
      r->flops = d.flat_flops;
    } else {   /* a design without submodules: stat prints no hierarchy part */
      r->total = r->tree_total;
      r->cells = t->cells;
      r->flops = t->flops;
    }
  }
  design_free(&d);
  return rc;
}
