/* verify_cov.c - `fp8lab verify --coverage`: per configuration, rebuild the
 * top with Verilator coverage, run the stimulus, and print per RTL block the
 * lines and toggle bits hit (sim/verify_coverage.c does the work); then the
 * same over all configurations run (their counts merged by
 * verilator_coverage --write), where a block's line counts as covered when
 * any configuration hits it. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "datadir.h"
#include "verify_coverage.h"
#include "verify_cov.h"

#ifndef FP8_CXX
#define FP8_CXX "c++"
#endif

#define MAX_BLOCKS 48
#define MAX_WAIVERS 512

static void add_rows(cli_table *t, const char *config, const fp8_cov_block *b, int n)
{
  for (int i = 0; i < n; i++) {
    double pl = b[i].lines ? 100.0 * b[i].lines_hit / b[i].lines : 100.0;
    double pt = b[i].bits ? 100.0 * b[i].bits_hit / b[i].bits : 100.0;
    cli_table_addf(t, "%s\t%s\t%d/%d\t%.1f\t%d/%d\t%.1f\t%d\t%s\t%s", config, b[i].block, b[i].lines_hit,
                   b[i].lines, pl, b[i].bits_hit, b[i].bits, pt, b[i].bits_waived,
                   b[i].uncovered[0] ? b[i].uncovered : "-", b[i].untoggled[0] ? b[i].untoggled : "-");
  }
}

/* The toggle bits of one configuration's blocks summed into the totals. */
static void sum_bits(fp8_cov_block *all, int *nall, const fp8_cov_block *b, int n)
{
  for (int i = 0; i < n; i++) {
    int j = 0;
    while (j < *nall && strcmp(all[j].block, b[i].block))
      j++;
    if (j == *nall) {
      if (*nall == MAX_BLOCKS)
        continue;
      memset(&all[j], 0, sizeof all[j]);
      memcpy(all[j].block, b[i].block, sizeof all[j].block);
      (*nall)++;
    }
    all[j].bits += b[i].bits;
    all[j].bits_hit += b[i].bits_hit;
    all[j].bits_waived += b[i].bits_waived;
    all[j].lines += b[i].bits - b[i].bits_hit - b[i].bits_waived;   /* open bits, kept here */
  }
}

static int mkdir_p(const char *path)
{
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *p = buf + 1; *p; p++)
    if (*p == '/') {
      *p = 0;
      if (mkdir(buf, 0777) && errno != EEXIST)
        return -1;
      *p = '/';
    }
  return mkdir(buf, 0777) && errno != EEXIST ? -1 : 0;
}

int cli_verify_coverage(const char *const *configs, int n, const fp8_verify_opts *o, bool tsv,
                        unsigned long (*seed_of)(unsigned long seed, const char *config))
{
  char rtl[4096], root[4096], probe[4200], vcov[4096], out[4096], work[4096], err[1024];
  cli_rtl_dir(rtl, sizeof rtl);
  snprintf(root, sizeof root, "%s", rtl);
  char *slash = strrchr(root, '/');
  if (slash)
    *slash = 0;
  snprintf(probe, sizeof probe, "%s/sim/vbuild.sh", root);
  if (access(probe, R_OK) != 0) {
    cli_error("verify", "--coverage rebuilds the models from the source tree and needs '%s' "
              "(run fp8lab from its build tree, or set FP8LAB_RTL_DIR to a source tree's rtl/)", probe);
    return EXIT_FAIL;
  }
  snprintf(vcov, sizeof vcov, "%s", FP8_VERILATOR);
  slash = strrchr(vcov, '/');
  if (slash)
    snprintf(slash + 1, sizeof vcov - (size_t)(slash + 1 - vcov), "verilator_coverage");
  else
    snprintf(vcov, sizeof vcov, "verilator_coverage");
  const char *cxx = getenv("CXX");
  fp8_cov_tools tools = {.srcroot = root, .verilator = FP8_VERILATOR, .verilator_coverage = vcov,
                         .cxx = cxx && *cxx ? cxx : FP8_CXX};
  snprintf(out, sizeof out, "%s/coverage", o->vecdir ? o->vecdir : ".");
  snprintf(work, sizeof work, "%s/fp8lab-cov.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (mkdir_p(out) || !mkdtemp(work)) {
    cli_error("verify", "--coverage: cannot create '%s' or a temporary folder: %s", out, strerror(errno));
    return EXIT_FAIL;
  }
  static fp8_cov_waiver waivers[MAX_WAIVERS];
  char wpath[4200];
  snprintf(wpath, sizeof wpath, "%s/coverage_waivers.tsv", rtl);
  int nw = fp8_cov_waivers_read(wpath, waivers, MAX_WAIVERS, err, sizeof err);
  if (nw < 0) {
    cli_error("verify", "--coverage: %s", err);
    rmdir(work);
    return EXIT_FAIL;
  }
  static const char *const hdr[] = {"config", "block", "lines", "lines_%", "toggle_bits", "toggle_%",
                                    "waived_bits", "uncovered_lines", "untoggled_bits"};
  cli_table *t = cli_table_new(9, hdr);
  fp8_cov_block blocks[MAX_BLOCKS], sums[MAX_BLOCKS];
  int nsums = 0;
  char dats[16384] = "";
  size_t dlen = 0;
  int rc = EXIT_OK, nrun = 0;
  fp8_verify_result total = {0};
  for (const fp8sim_unit *m = fp8sim_units; m->top; m++) {
    bool wanted = n == 0;
    for (int i = 0; i < n; i++)
      wanted |= strcmp(configs[i], m->config) == 0;
    if (!wanted)
      continue;
    fprintf(stderr, "fp8lab verify: coverage of %s: building and running\n", m->config);
    fp8_verify_opts co = *o;
    co.seed = seed_of(o->seed, m->config);
    co.vecdir = out;
    char dat[4400], ann[4400], s[256];
    fp8_cov_slug(m->config, s, sizeof s);
    snprintf(dat, sizeof dat, "%s/%s.dat", out, s);
    snprintf(ann, sizeof ann, "%s/%s", out, s);
    fp8_verify_result r = {0};
    if (fp8_cov_run(m, &co, &tools, work, dat, &r, err, sizeof err)) {
      cli_error("verify", "--coverage %s: %s", m->config, err);
      rc = EXIT_FAIL;
      continue;
    }
    total.checked += r.checked;
    total.mismatches += r.mismatches;
    int nb = fp8_cov_count(&tools, m->config, dat, ann, waivers, nw, blocks, MAX_BLOCKS, err, sizeof err);
    if (nb < 0) {
      cli_error("verify", "--coverage %s: %s", m->config, err);
      rc = EXIT_FAIL;
      continue;
    }
    add_rows(t, m->config, blocks, nb);
    sum_bits(sums, &nsums, blocks, nb);
    char q[4500];
    fp8_cov_shq(dat, q, sizeof q);
    int w = snprintf(dats + dlen, sizeof dats - dlen, " %s", q);
    if (w > 0 && (size_t)w < sizeof dats - dlen)
      dlen += (size_t)w;
    nrun++;
  }
  if (nrun > 1) {
    char cmd[26000], all[4400], ann[4400], qv[4200], qa[4500];
    snprintf(all, sizeof all, "%s/all.dat", out);
    snprintf(ann, sizeof ann, "%s/all", out);
    fp8_cov_shq(vcov, qv, sizeof qv);
    fp8_cov_shq(all, qa, sizeof qa);
    snprintf(cmd, sizeof cmd, "%s --write %s%s >/dev/null", qv, qa, dats);
    int nb = system(cmd) == 0 ? fp8_cov_count(&tools, "all", all, ann, NULL, 0, blocks, MAX_BLOCKS, err,
                                              sizeof err) : -1;
    if (nb < 0) {
      cli_error("verify", "--coverage: merging the configurations failed: %s", err);
      rc = EXIT_FAIL;
    } else {
      /* lines: hit by any configuration (the merged counts); toggle bits:
       * the sums of the rows above, the open ones counted */
      for (int i = 0; i < nb; i++)
        for (int j = 0; j < nsums; j++)
          if (!strcmp(blocks[i].block, sums[j].block)) {
            blocks[i].bits = sums[j].bits;
            blocks[i].bits_hit = sums[j].bits_hit;
            blocks[i].bits_waived = sums[j].bits_waived;
            snprintf(blocks[i].untoggled, sizeof blocks[i].untoggled,
                     sums[j].lines ? "%d open (rows above)" : "", sums[j].lines);
          }
      add_rows(t, "all", blocks, nb);
    }
  }
  cli_table_print(t, stdout, tsv);
  cli_table_free(t);
  if (!tsv)
    printf("%llu vectors checked, %llu mismatches; coverage data and annotated sources in %s\n",
           (unsigned long long)total.checked, (unsigned long long)total.mismatches, out);
  if (rmdir(work) != 0)   /* each model's .so is removed after its run */
    cli_error("verify", "could not remove the temporary folder '%s': %s", work, strerror(errno));
  return total.mismatches ? EXIT_FAIL : rc;
}
