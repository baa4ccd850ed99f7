/* datadir.c - data and RTL locations (see datadir.h). */
#include "datadir.h"
#include "cli.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FP8_PKGDATADIR
#define FP8_PKGDATADIR "/usr/local/share/fp8lab"
#endif
#ifndef FP8_ABS_SRCDIR
#define FP8_ABS_SRCDIR "."
#endif
#ifndef FP8_ABS_BUILDDIR
#define FP8_ABS_BUILDDIR "."
#endif

bool cli_in_build_tree(void)
{
  char exe[PATH_MAX], build[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0 || !realpath(FP8_ABS_BUILDDIR, build))
    return false;
  exe[n] = 0;
  char *slash = strrchr(exe, '/');
  if (!slash)
    return false;
  *slash = 0;
  /* libtool runs the real binary from .libs/ beside the wrapper script */
  size_t l = strlen(exe);
  if (l >= 6 && strcmp(exe + l - 6, "/.libs") == 0)
    exe[l - 6] = 0;
  /* the program itself, or a test or benchmark built in a folder below it */
  size_t b = strlen(build);
  return strncmp(exe, build, b) == 0 && (exe[b] == 0 || exe[b] == '/');
}

const char *cli_data_path(const char *name, char *buf, size_t len)
{
  const char *env = getenv("FP8LAB_DATADIR");
  if (env && *env)
    snprintf(buf, len, "%s/%s", env, name);
  else if (cli_in_build_tree())
    snprintf(buf, len, "%s/data/%s", FP8_ABS_SRCDIR, name);
  else
    snprintf(buf, len, "%s/%s", FP8_PKGDATADIR, name);
  return buf;
}

const char *cli_rtl_dir(char *buf, size_t len)
{
  const char *env = getenv("FP8LAB_RTL_DIR");
  if (env && *env)
    snprintf(buf, len, "%s", env);
  else if (cli_in_build_tree())
    snprintf(buf, len, "%s/rtl", FP8_ABS_SRCDIR);
  else
    snprintf(buf, len, "%s/rtl", FP8_PKGDATADIR);
  return buf;
}

int cli_costs_load(const char *cmd, const char *file, fp8_gates_costs *costs)
{
  char path[4096], err[600];
  if (!file)
    file = cli_data_path("components.tsv", path, sizeof path);
  if (fp8_gates_costs_load(file, costs, err, sizeof err)) {
    cli_error(cmd, "%s", err);
    return -1;
  }
  return 0;
}
