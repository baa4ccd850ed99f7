/* verify_merge.c - result files and --merge (see verify_merge.h). */
#include "verify_merge.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int verify_result_write(const char *cmd, fp8_outfile *o, const char *path, const fp8_result *r)
{
  if (fp8_result_fprint(o->fp, r)) {
    cli_error(cmd, "cannot write '%s'", path);
    fp8_outfile_abort(o);
    return -1;
  }
  return fp8_outfile_commit(o);
}

int verify_result_save(const char *cmd, const char *path, const fp8_result *r)
{
  fp8_outfile o;
  if (fp8_outfile_open(&o, path))
    return -1;
  return verify_result_write(cmd, &o, path, r);
}

void verify_result_report(const fp8_result *r, bool tsv)
{
  bool verify = !strcmp(r->tool, "verify");
  const char *const hdr[] = {verify ? "config" : "case", "top", "checked", "mismatches", "seconds",
                             "vector_file"};
  cli_table *t = cli_table_new(6, hdr);
  uint64_t checked = 0, mismatches = 0;
  for (size_t i = 0; i < r->nrows; i++) {
    const fp8_result_row *w = &r->rows[i];
    cli_table_addf(t, "%s\t%s\t%" PRIu64 "\t%" PRIu64 "\t%.2f\t%s", w->name, w->top[0] ? w->top : "-",
                   w->checked, w->mismatches, w->seconds, w->vecfile[0] ? w->vecfile : "-");
    checked += w->checked;
    mismatches += w->mismatches;
  }
  cli_table_print(t, stdout, tsv);
  cli_table_free(t);
  if (tsv)
    return;
  for (size_t i = 0; i < r->nrows; i++) {
    const fp8_result_row *w = &r->rows[i];
    if (!w->mismatches || !w->first[0])
      continue;
    printf("first mismatch of %s (shard %u, unit %" PRIu64 "): %s\n", w->name, w->first_shard,
           w->first_unit, w->first);
    if (verify && w->vecfile[0])
      printf("  replay: fp8lab verify --replay %s\n", w->vecfile);
  }
  printf("%" PRIu64 " vectors checked, %" PRIu64 " mismatches (digest %016" PRIx64 ")\n", checked,
         mismatches, fp8_result_digest(r));
}

int verify_merge(const char *cmd, char *const *paths, int n, const char *result_path, bool tsv)
{
  if (n < 1)
    return cli_usage_error(cmd, "--merge: no result files given (expected FILE... written by --result)");
  for (int i = 0; i < n; i++)
    if (paths[i][0] == '-')
      return cli_usage_error(cmd, "--merge: '%s' after the result files (options go before them)", paths[i]);
  fp8_result *parts = calloc((size_t)n, sizeof *parts);
  if (!parts) {
    cli_error(cmd, "out of memory");
    return EXIT_FAIL;
  }
  char err[1200];
  int rc = EXIT_OK, nread = 0;
  int e = 0;
  for (; nread < n; nread++)
    if ((e = fp8_result_read(paths[nread], &parts[nread], err, sizeof err)) != 0)
      break;
  fp8_result m;
  if (e == 0)
    e = fp8_result_merge(parts, (const char *const *)paths, (size_t)n, &m, err, sizeof err);
  if (e != 0) {
    /* the message names the file (or, without one, the set): one prefix */
    if (e == FP8_RESULT_EBAD)
      rc = cli_usage_error(cmd, "--merge: %s", err);
    else {
      cli_error(cmd, "--merge: %s", err);
      rc = EXIT_FAIL;
    }
  }
  for (int i = 0; i < nread; i++)
    fp8_result_free(&parts[i]);
  free(parts);
  if (rc != EXIT_OK)
    return rc;
  fprintf(stderr, "%s%s%s: merged %d shards of %s, seed %lu (%s)\n", fp8_report_progname, cmd ? " " : "",
          cmd ? cmd : "", n, m.tool, m.seed, m.params);
  verify_result_report(&m, tsv);
  uint64_t mismatches = 0;
  for (size_t i = 0; i < m.nrows; i++)
    mismatches += m.rows[i].mismatches;
  if (result_path && verify_result_save(cmd, result_path, &m))
    rc = EXIT_FAIL;
  fp8_result_free(&m);
  return mismatches ? EXIT_FAIL : rc;
}
