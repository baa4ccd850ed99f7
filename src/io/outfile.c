/* outfile.c - output files (outfile.h): atomic replacement of regular files,
 * straight writes into devices and FIFOs, and the temporaries of this process
 * removed when a signal ends it.
 *
 * Contract of fp8_outfile_open(PATH):
 *   - PATH a symlink (chain): its final target is what gets replaced; the link stays;
 *   - the target a regular file or missing: written to TARGET.tmp.XXXXXX beside
 *     it, renamed into place by fp8_outfile_commit (a failed run leaves nothing);
 *   - the target a character device or a FIFO (/dev/null, /dev/stdout, a pipe):
 *     written straight into it, never replaced by a regular file;
 *   - a directory, a block device or a socket: refused;
 *   - every message names PATH as the user gave it, never the temporary.
 * Only temporaries this process created are ever removed (by name, never by a
 * pattern), so two runs writing into one folder do not disturb each other. */
#include "outfile.h"
#include "report.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- this process's temporaries ------------------------------------------------ */
#define MAX_TEMPS 64
static char *volatile temps[MAX_TEMPS];

static void on_fatal_signal(int sig)
{
  fp8_tmp_remove_all();
  signal(sig, SIG_DFL);
  raise(sig);
}

void fp8_tmp_remove_all(void)
{
  for (int i = 0; i < MAX_TEMPS; i++) {
    char *t = temps[i];
    if (t)
      unlink(t);            /* async-signal-safe */
  }
}

/* On the first temporary: remove them all when SIGINT, SIGTERM or SIGHUP ends
 * the process, unless the program handles that signal itself (figures does,
 * and calls fp8_tmp_remove_all). */
static void install_handlers(void)
{
  static bool done;
  if (done)
    return;
  done = true;
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
    struct sigaction old, sa;
    if (sigaction(sigs[i], NULL, &old) || old.sa_handler != SIG_DFL)
      continue;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigaction(sigs[i], &sa, NULL);
  }
}

int fp8_tmp_register(char *path)
{
  install_handlers();
  for (int i = 0; i < MAX_TEMPS; i++)
    if (!temps[i]) {
      temps[i] = path;
      return 0;
    }
  return -1;
}

void fp8_tmp_forget(const char *path)
{
  for (int i = 0; i < MAX_TEMPS; i++)
    if (temps[i] == path)
      temps[i] = NULL;
}

/* ---- resolving the user's path --------------------------------------------------- */
static char *dup_or_die(const char *s)
{
  char *p = strdup(s);
  if (!p) {
    fp8_report(NULL, "out of memory");
    exit(1);   /* fp8lab(1): exit status 1, a failure */
  }
  return p;
}

/* The final target of path through any symlinks (it may not exist); NULL with
 * errno on a loop or an unreadable link. */
static char *resolve_links(const char *path)
{
  char *cur = dup_or_die(path);
  for (int hops = 0; hops < 40; hops++) {
    struct stat st;
    if (lstat(cur, &st) || !S_ISLNK(st.st_mode))
      return cur;
    char link[PATH_MAX];
    ssize_t n = readlink(cur, link, sizeof link - 1);
    if (n < 0) {
      free(cur);
      return NULL;
    }
    link[n] = 0;
    char *next;
    const char *slash = strrchr(cur, '/');
    if (link[0] == '/' || !slash) {
      next = dup_or_die(link);
    } else {
      size_t dl = (size_t)(slash - cur) + 1, ln = strlen(link);
      next = malloc(dl + ln + 1);
      if (!next) {
        free(cur);
        return NULL;
      }
      memcpy(next, cur, dl);
      memcpy(next + dl, link, ln + 1);
    }
    free(cur);
    cur = next;
  }
  free(cur);
  errno = ELOOP;
  return NULL;
}

static void release(fp8_outfile *o)
{
  if (o->tmp) {
    fp8_tmp_forget(o->tmp);
    free(o->tmp);
  }
  free(o->target);
  free(o->path);
  o->tmp = o->target = o->path = NULL;
  o->fp = NULL;
}

int fp8_outfile_open(fp8_outfile *o, const char *path)
{
  memset(o, 0, sizeof *o);
  if (!*path) {
    fp8_report(NULL, "an output file name is empty (expected a file name)");
    return -1;
  }
  o->path = dup_or_die(path);
  struct stat st;
  int fd;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) {
      fp8_report(NULL, "cannot write '%s': it is a directory (expected a file name)", path);
      release(o);
      return -1;
    }
    if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
      fp8_report(NULL, "cannot write '%s': not a regular file, character device or FIFO", path);
      release(o);
      return -1;
    }
    /* straight in, through the user's path (/dev/stdout's magic links too) */
    o->target = dup_or_die(path);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      fp8_report(NULL, "cannot write '%s': %s", path, strerror(errno));
      release(o);
      return -1;
    }
  } else {
    /* an existing file: its real path; a missing one: through any dangling links */
    o->target = access(path, F_OK) == 0 ? realpath(path, NULL) : resolve_links(path);
    if (!o->target) {
      fp8_report(NULL, "cannot write '%s': %s", path, strerror(errno));
      release(o);
      return -1;
    }
    size_t n = strlen(o->target) + 16;
    o->tmp = malloc(n);
    if (!o->tmp) {
      fp8_report(NULL, "out of memory");
      release(o);
      return -1;
    }
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", o->target);
    fd = mkstemp(o->tmp);
    if (fd < 0) {
      fp8_report(NULL, "cannot write '%s': %s", path, strerror(errno));
      free(o->tmp);
      o->tmp = NULL;
      release(o);
      return -1;
    }
    fp8_tmp_register(o->tmp);
  }
  o->fp = fdopen(fd, "w");
  if (!o->fp) {
    fp8_report(NULL, "cannot write '%s': %s", path, strerror(errno));
    close(fd);
    if (o->tmp)
      unlink(o->tmp);
    release(o);
    return -1;
  }
  return 0;
}

const char *fp8_outfile_name(const fp8_outfile *o)
{
  return o->tmp ? o->tmp : o->target;
}

int fp8_outfile_commit(fp8_outfile *o)
{
  int err = 0;
  if (o->fp) {
    if (ferror(o->fp))
      err = errno ? errno : EIO;
    errno = 0;
    if (fclose(o->fp) != 0 && !err)
      err = errno ? errno : EIO;
    o->fp = NULL;
  }
  if (!err && o->tmp) {
    fp8_chmod_default(o->tmp);
    if (rename(o->tmp, o->target) != 0)
      err = errno;
  }
  if (err) {
    fp8_report(NULL, "cannot write '%s': %s", o->path, strerror(err));
    if (o->tmp)
      unlink(o->tmp);
    release(o);
    return -1;
  }
  release(o);
  return 0;
}

void fp8_outfile_abort(fp8_outfile *o)
{
  if (o->fp)
    fclose(o->fp);
  if (o->tmp)
    unlink(o->tmp);
  release(o);
}

void fp8_chmod_default(const char *path)
{
  mode_t um = umask(0);
  umask(um);
  chmod(path, 0666 & ~um);
}
