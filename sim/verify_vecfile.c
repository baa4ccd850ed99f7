/* verify_vecfile.c - one configuration's vector file (verify_vecfile.h). */
#include "verify_vecfile.h"

#include <string.h>

void fp8_vecfile_init(fp8_vecfile *f, const char *dir, const char *config, const fp8_shard *shard)
{
  memset(f, 0, sizeof *f);
  f->none = dir == NULL;
  f->config = config;
  snprintf(f->path, sizeof f->path, "%s/mismatch-", dir ? dir : ".");
  size_t n = strlen(f->path);
  for (const char *c = config; *c && n + 5 < sizeof f->path; c++)
    f->path[n++] = (*c == '/' || *c == ':' || *c == '=') ? '-' : *c;
  f->path[n] = 0;
  if (shard && shard->n > 1)
    snprintf(f->path + n, sizeof f->path - n, ".shard%uof%u", shard->k + 1, shard->n);
  n = strlen(f->path);
  snprintf(f->path + n, sizeof f->path - n, ".vec");
}

FILE *fp8_vecfile_fp(fp8_vecfile *f)
{
  if (f->failed || f->none)
    return NULL;
  if (!f->open) {
    if (fp8_outfile_open(&f->out, f->path)) {
      f->failed = true;
      return NULL;
    }
    f->open = true;
    fprintf(f->out.fp, "# fp8lab verify vectors: replay with 'fp8lab verify --replay %s'\nconfig\t%s\n",
            f->path, f->config);
  }
  return f->out.fp;
}

int fp8_vecfile_close(fp8_vecfile *f, char *name, size_t len)
{
  int rc = f->failed ? -1 : 0;
  if (f->open) {
    f->open = false;
    if (fp8_outfile_commit(&f->out))
      rc = -1;
    else if (name)
      snprintf(name, len, "%s", f->path);
  }
  return rc;
}
