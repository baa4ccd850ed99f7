/* verify_coverage.c - `fp8lab verify --coverage`: how much of the RTL the
 * stimulus exercises, measured by Verilator.
 *
 * Per configuration: the top is Verilated again with --coverage-line and
 * --coverage-toggle into a shared object with its own runtime (sim/vbuild.sh,
 * FP8SIM_SHARED), loaded with dlopen, and run through the same harness and
 * stimulus as `fp8lab verify` (fp8_verify_run); freeing the model writes its
 * counts (coverage.dat).  verilator_coverage then does all the reading:
 * --write-info turns the line points and the toggle points (split by their
 * point type) into lcov files, and --annotate writes the annotated sources
 * naming every line below one hit.  From the lcov records (SF file, DA
 * line,count; one toggle point per signal bit) come, per RTL block (one
 * module per file), the lines and toggle bits hit.
 */
#include "verify_coverage.h"

#include <dlfcn.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CMD_MAX 32768

void fp8_cov_slug(const char *config, char *out, size_t len)
{
  size_t n = 0;
  for (const char *c = config; *c && n + 1 < len; c++)
    out[n++] = (*c == '/' || *c == ':') ? '-' : *c;
  out[n] = 0;
}

void fp8_cov_shq(const char *s, char *out, size_t len)
{
  size_t n = 0;
  if (len < 3) {
    if (len)
      out[0] = 0;
    return;
  }
  out[n++] = '\'';
  for (; *s && n + 5 < len; s++) {
    if (*s == '\'') {
      memcpy(out + n, "'\\''", 4);
      n += 4;
    } else {
      out[n++] = *s;
    }
  }
  out[n++] = '\'';
  out[n] = 0;
}

static int run(const char *cmd, const char *what, char *err, size_t errlen)
{
  int st = system(cmd);
  if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    snprintf(err, errlen, "%s failed (exit %d); command: %s", what,
             st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), cmd);
    return -1;
  }
  return 0;
}

int fp8_cov_run(const fp8sim_unit *md, const fp8_verify_opts *o, const fp8_cov_tools *t,
                const char *dir, const char *dat, fp8_verify_result *r, char *err, size_t errlen)
{
  char s[256], so[4096], top[4096], cmd[CMD_MAX], qv[1024], qc[1024], qr[4096], qs[4096], qt[4096];
  fp8_cov_slug(md->config, s, sizeof s);
  snprintf(so, sizeof so, "%s/%s.so", dir, s);
  snprintf(top, sizeof top, "%s/rtl/tops/%s.sv", t->srcroot, md->top);
  fp8_cov_shq(t->verilator, qv, sizeof qv);
  fp8_cov_shq(t->cxx, qc, sizeof qc);
  fp8_cov_shq(t->srcroot, qr, sizeof qr);
  fp8_cov_shq(so, qs, sizeof qs);
  fp8_cov_shq(top, qt, sizeof qt);
  if (snprintf(cmd, sizeof cmd,
               "FP8SIM_SHARED=1 FP8SIM_NAME=cov_%s VERILATOR=%s CXX=%s SIM_CXXFLAGS=-O1 "
               "sh %s/sim/vbuild.sh %s %s %s %s --coverage-line --coverage-toggle",
               md->top, qv, qc, qr, qs, md->top, qt, qr) >= (int)sizeof cmd) {
    snprintf(err, errlen, "paths too long for a command line");
    return -1;
  }
  if (run(cmd, "building the coverage model", err, errlen))
    return -1;
  void *lib = dlopen(so, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    snprintf(err, errlen, "cannot load %s: %s", so, dlerror());
    remove(so);
    return -1;
  }
  fp8sim_unit m = *md;
  struct { const char *suffix; void **slot; } fns[] = {
    {"create", (void **)&m.create}, {"free", (void **)&m.free}, {"reset", (void **)&m.reset},
    {"clear", (void **)&m.clear}, {"load", (void **)&m.load}, {"step", (void **)&m.step},
    {"read", (void **)&m.read}, {"drive", (void **)&m.drive}, {"edge", (void **)&m.edge}};
  void (*cov_file)(const char *) = NULL;
  char sym[256];
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    snprintf(sym, sizeof sym, "fp8sim_cov_%s_%s", md->top, fns[i].suffix);
    if (!(*fns[i].slot = dlsym(lib, sym))) {
      snprintf(err, errlen, "%s lacks %s", so, sym);
      dlclose(lib);
      remove(so);
      return -1;
    }
  }
  snprintf(sym, sizeof sym, "fp8sim_cov_%s_coverage_file", md->top);
  *(void **)&cov_file = dlsym(lib, sym);
  if (!cov_file) {
    snprintf(err, errlen, "%s lacks %s (built without coverage?)", so, sym);
    dlclose(lib);
    remove(so);
    return -1;
  }
  cov_file(dat);
  fp8_verify *v = fp8_verify_alloc(&m, o, err, errlen);
  int rc = -1;
  if (v) {
    fp8_verify_run(v, o);
    rc = fp8_verify_free(v, r);     /* frees the model: the counts are written */
    if (rc)
      snprintf(err, errlen, "%s: the vector file could not be written", md->config);
  }
  dlclose(lib);
  remove(so);
  if (rc == 0 && access(dat, R_OK) != 0) {
    snprintf(err, errlen, "the coverage model wrote no %s", dat);
    rc = -1;
  }
  return rc;
}

/* Copy the header and the points of dat whose type is `type` ("line",
 * "toggle", ...) to out: verilator_coverage then reads one kind at a time. */
static int filter_points(const char *dat, const char *out, const char *const *types, char *err, size_t errlen)
{
  FILE *in = fopen(dat, "r"), *o = in ? fopen(out, "w") : NULL;
  if (!in || !o) {
    snprintf(err, errlen, "cannot %s '%s': %s", in ? "write" : "read", in ? out : dat, strerror(errno));
    if (in)
      fclose(in);
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, in) > 0) {
    bool keep = line[0] != 'C';
    for (const char *const *ty = types; !keep && *ty; ty++) {
      char key[64];
      snprintf(key, sizeof key, "\001page\002v_%s/", *ty);   /* the point's type: its page */
      keep = strstr(line, key) != NULL;
    }
    if (keep)
      fputs(line, o);
  }
  free(line);
  fclose(in);
  return fclose(o) ? -1 : 0;
}

static fp8_cov_block *block_of(fp8_cov_block *out, int *n, int max, const char *file)
{
  const char *base = strrchr(file, '/');
  base = base ? base + 1 : file;
  char name[64];
  snprintf(name, sizeof name, "%.*s", (int)strcspn(base, "."), base);
  for (int i = 0; i < *n; i++)
    if (!strcmp(out[i].block, name))
      return &out[i];
  if (*n >= max)
    return NULL;
  fp8_cov_block *b = &out[(*n)++];
  memset(b, 0, sizeof *b);
  snprintf(b->block, sizeof b->block, "%s", name);
  return b;
}

static void append(char *list, size_t len, const char *item)
{
  size_t n = strlen(list);
  if (n + 4 >= len || !strcmp(list + (n >= 3 ? n - 3 : 0), "..."))
    return;
  if (n + strlen(item) + 5 >= len)
    snprintf(list + n, len - n, "%s...", n ? "," : "");
  else
    snprintf(list + n, len - n, "%s%s", n ? "," : "", item);
}

/* Value of key k in a point's key string ("\001k\002value\001..."), into buf. */
static bool point_key(const char *line, const char *k, char *buf, size_t len)
{
  char key[16];
  snprintf(key, sizeof key, "\001%s\002", k);
  const char *p = strstr(line, key);
  if (!p)
    return false;
  p += strlen(key);
  size_t n = strcspn(p, "\001'");
  snprintf(buf, len, "%.*s", (int)n, p);
  return true;
}

/* Lines: the lcov records (verilator_coverage --write-info) of the line and
 * branch points, DA:line,count per source line. */
static int read_info(const char *info, fp8_cov_block *out, int *n, int max, char *err, size_t errlen)
{
  FILE *in = fopen(info, "r");
  if (!in) {
    snprintf(err, errlen, "cannot read '%s': %s", info, strerror(errno));
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  fp8_cov_block *b = NULL;
  while (getline(&line, &cap, in) > 0) {
    line[strcspn(line, "\r\n")] = 0;
    unsigned long ln, cnt;
    if (!strncmp(line, "SF:", 3)) {
      b = block_of(out, n, max, line + 3);
    } else if (b && sscanf(line, "DA:%lu,%lu", &ln, &cnt) == 2) {
      char item[32];
      snprintf(item, sizeof item, "%lu", ln);
      b->lines++;
      b->lines_hit += cnt > 0;
      if (!cnt)
        append(b->uncovered, sizeof b->uncovered, item);
    }
  }
  free(line);
  fclose(in);
  return 0;
}

/* Toggle bits: one toggle point per signal bit and instance in the counts
 * verilator_coverage wrote ('C' lines: f file, o signal[bit], the count);
 * lcov's records sum a declaration's bits, so the bits are read here. */
/* pats: fnmatch patterns separated by ','. */
static bool config_matches(const char *pats, const char *config)
{
  char buf[sizeof ((fp8_cov_waiver *)0)->config], *save = NULL;
  snprintf(buf, sizeof buf, "%s", pats);
  for (char *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
    if (!fnmatch(p, config, 0))
      return true;
  return false;
}

static bool waived(const fp8_cov_waiver *w, int nw, const char *config, const char *block, const char *sig)
{
  char name[128];
  int bit = -1;
  snprintf(name, sizeof name, "%s", sig);
  char *br = strrchr(name, '[');      /* the last index is the bit: row[2][9] is bit 9 of row[2] */
  if (br) {
    bit = atoi(br + 1);
    *br = 0;
  }
  for (int i = 0; i < nw; i++)
    if (config_matches(w[i].config, config) && !fnmatch(w[i].block, block, 0) &&
        !strcmp(w[i].signal, name) && (w[i].lo < 0 || (bit >= w[i].lo && bit <= w[i].hi)))
      return true;
  return false;
}

static int read_toggles(const char *dat, const char *config, const fp8_cov_waiver *w, int nw,
                        fp8_cov_block *out, int *n, int max, char *err, size_t errlen)
{
  FILE *in = fopen(dat, "r");
  if (!in) {
    snprintf(err, errlen, "cannot read '%s': %s", dat, strerror(errno));
    return -1;
  }
  char *line = NULL, file[1024], sig[128], page[256];
  size_t cap = 0;
  while (getline(&line, &cap, in) > 0) {
    if (line[0] != 'C' || !point_key(line, "page", page, sizeof page) || strncmp(page, "v_toggle/", 9) ||
        !point_key(line, "f", file, sizeof file) || !point_key(line, "o", sig, sizeof sig))
      continue;
    const char *q = strrchr(line, '\'');
    unsigned long long cnt = q ? strtoull(q + 1, NULL, 10) : 0;
    fp8_cov_block *b = block_of(out, n, max, file);
    if (!b)
      continue;
    b->bits++;
    b->bits_hit += cnt > 0;
    if (!cnt && waived(w, nw, config, b->block, sig))
      b->bits_waived++;
    else if (!cnt)
      append(b->untoggled, sizeof b->untoggled, sig);
  }
  free(line);
  fclose(in);
  return 0;
}

int fp8_cov_count(const fp8_cov_tools *t, const char *config, const char *dat, const char *annotate_dir,
                  const fp8_cov_waiver *w, int nw, fp8_cov_block *out, int max, char *err, size_t errlen)
{
  static const char *const line_types[] = {"line", "branch", NULL};
  static const char *const toggle_types[] = {"toggle", NULL};
  char ldat[4200], tdat[4200], linfo[4200], tinfo[4200], cmd[CMD_MAX], qv[4096], qa[4200];
  snprintf(ldat, sizeof ldat, "%s.line", dat);
  snprintf(tdat, sizeof tdat, "%s.toggle", dat);
  snprintf(linfo, sizeof linfo, "%s.line.info", dat);
  snprintf(tinfo, sizeof tinfo, "%s.toggle.dat", dat);
  if (filter_points(dat, ldat, line_types, err, errlen) || filter_points(dat, tdat, toggle_types, err, errlen))
    return -1;
  fp8_cov_shq(t->verilator_coverage, qv, sizeof qv);
  fp8_cov_shq(annotate_dir, qa, sizeof qa);
  if (snprintf(cmd, sizeof cmd, "%s --write-info '%s' '%s' >/dev/null && %s --write '%s' '%s' >/dev/null && "
               "%s --annotate %s --annotate-all --annotate-min 1 '%s' >/dev/null",
               qv, linfo, ldat, qv, tinfo, tdat, qv, qa, dat) >= (int)sizeof cmd) {
    snprintf(err, errlen, "paths too long for a command line");
    return -1;
  }
  if (run(cmd, "verilator_coverage", err, errlen))
    return -1;
  int n = 0;
  if (read_info(linfo, out, &n, max, err, errlen) || read_toggles(tinfo, config, w, nw, out, &n, max, err, errlen))
    return -1;
  remove(ldat);
  remove(tdat);
  remove(linfo);
  remove(tinfo);
  return n;
}

int fp8_cov_waivers_read(const char *path, fp8_cov_waiver *w, int max, char *err, size_t errlen)
{
  FILE *in = fopen(path, "r");
  if (!in) {
    snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
    return -1;
  }
  char line[1024];
  int n = 0, lineno = 0, rc = 0;
  while (rc == 0 && fgets(line, sizeof line, in)) {
    lineno++;
    if (!strchr(line, '\n') && !feof(in)) {
      snprintf(err, errlen, "%s:%d: line longer than %zu bytes", path, lineno, sizeof line - 2);
      rc = -1;
      break;
    }
    line[strcspn(line, "\r\n")] = 0;
    if (line[0] == '#' || line[0] == 0)
      continue;
    char *f[5], *save = NULL;
    int nf = 0;
    for (char *t = strtok_r(line, "\t", &save); t && nf < 5; t = strtok_r(NULL, "\t", &save))
      f[nf++] = t;
    if (nf != 5 || n >= max) {
      snprintf(err, errlen, "%s:%d: %s", path, lineno,
               nf != 5 ? "expected 5 tab-separated fields: config block signal bits reason"
                       : "too many waivers");
      rc = -1;
      break;
    }
    fp8_cov_waiver *x = &w[n++];
    snprintf(x->config, sizeof x->config, "%s", f[0]);
    snprintf(x->block, sizeof x->block, "%s", f[1]);
    snprintf(x->signal, sizeof x->signal, "%s", f[2]);
    snprintf(x->reason, sizeof x->reason, "%s", f[4]);
    if (!strcmp(f[3], "*")) {
      x->lo = x->hi = -1;
    } else if (sscanf(f[3], "%d..%d", &x->lo, &x->hi) == 2 || (sscanf(f[3], "%d", &x->lo) == 1 &&
                                                                 (x->hi = x->lo, 1))) {
      if (x->lo < 0 || x->hi < x->lo) {
        snprintf(err, errlen, "%s:%d: bad bit range '%s' (expected *, N or LO..HI)", path, lineno, f[3]);
        rc = -1;
      }
    } else {
      snprintf(err, errlen, "%s:%d: bad bit range '%s' (expected *, N or LO..HI)", path, lineno, f[3]);
      rc = -1;
    }
  }
  fclose(in);
  return rc ? -1 : n;
}
