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
 *   - the target already an output of this process, or its stdin or stdout (a
 *     regular file), by device and inode: refused (see outfile.h);
 *   - the replaced file's permission bits are kept;
 *   - inside a group, renames wait for the group's end: all or none.
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

/* ---- which file an output is: the same-file check ------------------------------- */
/* An output's identity: the file's device and inode when it exists, and its
 * folder's device and inode with its name (for one not there yet). */
typedef struct out_key {
  const char *owner;    /* the output's temporary (unique while it lives); NULL: free slot */
  int exists;
  dev_t dev, ddev;
  ino_t ino, dino;
  char *leaf, *path;    /* path: as the user gave it, for the message */
} out_key;
static out_key outs[MAX_TEMPS];

static void key_of(const char *target, out_key *k)
{
  struct stat st;
  memset(k, 0, sizeof *k);
  if (stat(target, &st) == 0) {
    k->exists = 1;
    k->dev = st.st_dev;
    k->ino = st.st_ino;
  }
  const char *slash = strrchr(target, '/');
  k->leaf = strdup(slash ? slash + 1 : target);
  char *dir = strdup(target);
  if (dir) {
    char *s = strrchr(dir, '/');
    const char *d = !s ? "." : s == dir ? "/" : (*s = 0, dir);
    if (stat(d, &st) == 0) {
      k->ddev = st.st_dev;
      k->dino = st.st_ino;
    }
    free(dir);
  }
}

static int same_file(const out_key *a, const out_key *b)
{
  if (a->exists && b->exists)
    return a->dev == b->dev && a->ino == b->ino;
  return a->dino && a->leaf && b->leaf && a->ddev == b->ddev && a->dino == b->dino && !strcmp(a->leaf, b->leaf);
}

static int same_as_fd(const out_key *k, int fd)
{
  struct stat st;
  return k->exists && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_dev == k->dev && st.st_ino == k->ino;
}

static void forget_key(const char *owner)
{
  for (int i = 0; i < MAX_TEMPS; i++)
    if (owner && outs[i].owner == owner) {
      free(outs[i].leaf);
      free(outs[i].path);
      memset(&outs[i], 0, sizeof outs[i]);
    }
}

/* -1 (reported) when path's target is another output, stdin or stdout. */
static int check_distinct(const char *path, const char *target, out_key *k)
{
  key_of(target, k);
  for (int i = 0; i < MAX_TEMPS; i++)
    if (outs[i].owner && same_file(k, &outs[i])) {
      fp8_report(NULL, "cannot write '%s': it is the same file as the output '%s' (expected a different "
                 "file for each output)", path, outs[i].path ? outs[i].path : "?");
      return -1;
    }
  /* '-o /dev/stdout' is the user asking for standard output by its name */
  int named_stdout = !strcmp(path, "/dev/stdout") || !strcmp(path, "/dev/fd/1") || !strcmp(path, "/proc/self/fd/1");
  if (!named_stdout && same_as_fd(k, STDOUT_FILENO)) {
    fp8_report(NULL, "cannot write '%s': it is the file standard output goes to (expected a different file, "
               "or no redirection)", path);
    return -1;
  }
  if (same_as_fd(k, STDIN_FILENO)) {
    fp8_report(NULL, "cannot write '%s': it is the file standard input is read from (expected a different "
               "file)", path);
    return -1;
  }
  return 0;
}

static void add_key(const char *owner, const char *path, out_key *k)
{
  for (int i = 0; i < MAX_TEMPS; i++)
    if (!outs[i].owner) {
      outs[i] = *k;
      outs[i].owner = owner;
      outs[i].path = strdup(path);
      return;
    }
  free(k->leaf);
}

/* ---- groups: outputs that appear together or not at all ------------------------- */
typedef struct deferred { char *tmp, *target, *path; } deferred;
static struct {
  int active, failed;
  size_t n;
  deferred d[MAX_TEMPS];
} group;

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
    forget_key(o->tmp);
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
    out_key k;
    if (check_distinct(path, o->target, &k)) {
      free(k.leaf);
      release(o);
      return -1;
    }
    struct stat old;
    if (k.exists && stat(o->target, &old) == 0) {
      o->keep_mode = 1;
      o->mode = old.st_mode & 07777;
    }
    size_t n = strlen(o->target) + 16;
    o->tmp = malloc(n);
    if (!o->tmp) {
      free(k.leaf);
      fp8_report(NULL, "out of memory");
      release(o);
      return -1;
    }
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", o->target);
    fd = mkstemp(o->tmp);
    if (fd < 0) {
      fp8_report(NULL, "cannot write '%s': %s", path, strerror(errno));
      free(k.leaf);
      free(o->tmp);
      o->tmp = NULL;
      release(o);
      return -1;
    }
    fp8_tmp_register(o->tmp);
    add_key(o->tmp, path, &k);
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
    if (o->keep_mode)
      chmod(o->tmp, (mode_t)o->mode);
    else
      fp8_chmod_default(o->tmp);
    if (group.active && group.n < MAX_TEMPS) {   /* renamed at the group's end */
      group.d[group.n++] = (deferred){o->tmp, o->target, o->path};
      o->tmp = o->target = o->path = NULL;
      o->fp = NULL;
      return 0;
    }
    if (rename(o->tmp, o->target) != 0)
      err = errno;
  }
  if (err) {
    group.failed = 1;
    fp8_report(NULL, "cannot write '%s': %s", o->path, strerror(err));
    if (o->tmp)
      unlink(o->tmp);
    release(o);
    return -1;
  }
  release(o);
  return 0;
}

void fp8_outfile_group_begin(void)
{
  if (group.active)   /* a group its command left open (an early return): dropped */
    fp8_outfile_group_end(0);
  group.active = 1;
  group.failed = 0;
  group.n = 0;
}

int fp8_outfile_group_end(int commit)
{
  int rc = commit && !group.failed ? 0 : -1;
  for (size_t i = 0; i < group.n; i++) {
    deferred *d = &group.d[i];
    if (rc == 0 && rename(d->tmp, d->target) != 0) {
      fp8_report(NULL, "cannot write '%s': %s", d->path, strerror(errno));
      rc = -1;
    }
    if (rc != 0)
      unlink(d->tmp);   /* after a failed rename, the rest of the group is not put in place */
    forget_key(d->tmp);
    fp8_tmp_forget(d->tmp);
    free(d->tmp);
    free(d->target);
    free(d->path);
  }
  group.active = group.failed = 0;
  group.n = 0;
  return rc;
}

void fp8_outfile_abort(fp8_outfile *o)
{
  group.failed = 1;
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
