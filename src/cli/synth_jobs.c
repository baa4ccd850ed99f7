/* synth_jobs.c - parallel Yosys runs with cleanup on every path (synth_jobs.h). */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "synth_jobs.h"

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
  if (!caught)
    caught = sig;
}

static const int handled[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIG_HANDLED (int)(sizeof handled / sizeof handled[0])

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int synth_jobs_check_prog(const char *cmd, const char *prog)
{
  static const char *const install = "install yosys (Debian: apt-get install yosys) or set "
                                     "FP8LAB_YOSYS to its path";
  struct stat st;
  if (strchr(prog, '/')) {
    if (stat(prog, &st)) {
      cli_error(cmd, "cannot run Yosys '%s': %s; %s", prog, strerror(errno), install);
      return -1;
    }
    if (!S_ISREG(st.st_mode) || access(prog, X_OK)) {
      cli_error(cmd, "cannot run Yosys '%s': not executable%s (FP8LAB_YOSYS must name the "
                "yosys program)", prog, S_ISDIR(st.st_mode) ? " (a directory)" : "");
      return -1;
    }
    return 0;
  }
  const char *path = getenv("PATH");
  if (!path || !*path)
    path = "/usr/bin:/bin";
  for (const char *p = path; *p;) {
    size_t len = strcspn(p, ":");
    char cand[PATH_MAX];
    if (len > 0 && len + strlen(prog) + 2 <= sizeof cand) {
      snprintf(cand, sizeof cand, "%.*s/%s", (int)len, p, prog);
      if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
        return 0;
    }
    p += len + (p[len] == ':');
  }
  cli_error(cmd, "cannot run Yosys '%s': not found on PATH; %s", prog, install);
  return -1;
}

/* ---- one job's state -------------------------------------------------------------------- */
typedef enum { J_PENDING, J_RUNNING, J_EXITED, J_REPORTED } jstate;
typedef struct slot {
  jstate state;
  pid_t pid;
  int status;            /* waitpid status */
  int timed_out;
  double t0, dt;
  char dir[PATH_MAX];    /* "" when none */
} slot;

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
  (void)sb, (void)flag, (void)ftw;
  return remove(path) && errno != ENOENT ? -1 : 0;
}

static void remove_dir(slot *s)
{
  if (s->dir[0])
    nftw(s->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
  s->dir[0] = 0;
}

static void print_log_tail(const char *log)
{
  FILE *fp = fopen(log, "r");
  if (!fp) {   /* e.g. another process removed the folder under Yosys */
    fprintf(stderr, "  | (no log: '%s': %s)\n", log, strerror(errno));
    return;
  }
  char lines[8][512];
  int n = 0;
  while (fgets(lines[n % 8], sizeof lines[0], fp))
    n++;
  fclose(fp);
  for (int i = n > 8 ? n - 8 : 0; i < n; i++)
    fprintf(stderr, "  | %s%s", lines[i % 8], strchr(lines[i % 8], '\n') ? "" : "\n");
}

/* Stop a running job's process group: SIGTERM, up to 1 s grace, SIGKILL. */
static void stop_all(slot *s, int n)
{
  for (int i = 0; i < n; i++)
    if (s[i].state == J_RUNNING) {
      kill(-s[i].pid, SIGTERM);
      kill(s[i].pid, SIGTERM);
    }
  double t0 = now();
  for (;;) {
    int left = 0;
    for (int i = 0; i < n; i++) {
      if (s[i].state != J_RUNNING)
        continue;
      if (waitpid(s[i].pid, &s[i].status, WNOHANG) == s[i].pid)
        s[i].state = J_EXITED;
      else
        left++;
    }
    if (!left)
      break;
    if (now() - t0 > 1.0) {
      for (int i = 0; i < n; i++)
        if (s[i].state == J_RUNNING) {
          kill(-s[i].pid, SIGKILL);
          kill(s[i].pid, SIGKILL);
          while (waitpid(s[i].pid, &s[i].status, 0) < 0 && errno == EINTR)
            ;
          s[i].state = J_EXITED;
        }
      break;
    }
    nanosleep(&(struct timespec){0, 10000000}, NULL);
  }
  /* the group may outlive its leader (a wrapper script's children) */
  for (int i = 0; i < n; i++)
    if (s[i].pid > 0)
      kill(-s[i].pid, SIGKILL);
}

static int start(const char *cmd, const char *prog, synth_job *j, slot *s,
                 const synth_job_fns *fns)
{
  const char *tmp = getenv("TMPDIR");
  char script[PATH_MAX + 16];
  if (snprintf(s->dir, sizeof s->dir, "%s/fp8lab-synth.XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
      (int)sizeof s->dir - 16) {
    s->dir[0] = 0;
    cli_error(cmd, "TMPDIR '%s' is too long a path", tmp);
    return -1;
  }
  if (!mkdtemp(s->dir)) {
    cli_error(cmd, "cannot make a temporary folder '%s': %s", s->dir, strerror(errno));
    s->dir[0] = 0;
    return -1;
  }
  snprintf(script, sizeof script, "%s/synth.ys", s->dir);
  if (fns->write(script, j->arg)) {
    cli_error(cmd, "cannot write '%s': %s", script, strerror(errno));
    return -1;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    cli_error(cmd, "cannot start Yosys: %s", strerror(errno));
    return -1;
  }
  if (pid == 0) {
    setpgid(0, 0);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int k = 0; k < NSIG_HANDLED; k++)
      sigaction(handled[k], &dfl, NULL);
    if (chdir(s->dir) || !freopen("yosys.log", "w", stdout) || dup2(fileno(stdout), 2) < 0)
      _exit(126);
    execlp(prog, prog, "-q", "-s", "synth.ys", (char *)NULL);
    _exit(127);
  }
  setpgid(pid, pid);
  s->pid = pid;
  s->state = J_RUNNING;
  s->t0 = now();
  return 0;
}

/* The job has exited: report it (progress line, or the failure), read its results. */
static int finish(const char *cmd, const char *prog, synth_job *j, slot *s, double timeout,
                  const synth_job_fns *fns)
{
  char path[PATH_MAX + 16];
  int st = s->status, rc = -1;
  fprintf(stderr, "%s %s: %s (%s) ...", fp8_report_progname, cmd, j->name, j->top);
  if (s->timed_out) {
    fprintf(stderr, "\n");
    cli_error(cmd, "config '%s': Yosys ran longer than %g s and was stopped (raise --timeout)",
              j->name, timeout);
  } else if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
    fprintf(stderr, "\n");
    cli_error(cmd, "cannot run Yosys ('%s'): install yosys (Debian: apt-get install yosys) or "
              "set FP8LAB_YOSYS", prog);
  } else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    fprintf(stderr, "\n");
    snprintf(path, sizeof path, "%s/yosys.log", s->dir);
    cli_error(cmd, "config '%s': Yosys failed (%s %d); the end of its log:", j->name,
              WIFEXITED(st) ? "exit status" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    print_log_tail(path);
  } else {
    fprintf(stderr, " %.1f s\n", s->dt);
    snprintf(path, sizeof path, "%s/stat.txt", s->dir);
    rc = fns->done(path, j->arg);
  }
  remove_dir(s);
  s->state = J_REPORTED;
  return rc;
}

int synth_jobs_run(const char *cmd, const char *prog, synth_job *jobs, int n, int parallel,
                       double timeout, const synth_job_fns *fns)
{
  slot *s = calloc((size_t)(n > 0 ? n : 1), sizeof *s);
  if (!s) {
    cli_error(cmd, "out of memory");
    return -1;
  }
  struct sigaction sa, old[NSIG_HANDLED];
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  caught = 0;
  for (int k = 0; k < NSIG_HANDLED; k++)
    sigaction(handled[k], &sa, &old[k]);

  int rc = 0, next = 0, report = 0, running = 0;
  while (report < n && !caught) {
    while (rc == 0 && !caught && next < n && running < parallel) {
      if (start(cmd, prog, &jobs[next], &s[next], fns)) {
        rc = -1;
        remove_dir(&s[next]);
        s[next].state = J_REPORTED;
        break;
      }
      next++;
      running++;
    }
    for (int i = 0; i < next; i++) {
      if (s[i].state != J_RUNNING)
        continue;
      pid_t w = waitpid(s[i].pid, &s[i].status, WNOHANG);
      if (w == s[i].pid) {
        s[i].state = J_EXITED;
        s[i].dt = now() - s[i].t0;
        kill(-s[i].pid, SIGKILL);      /* nothing of its group may outlive it */
        running--;
      } else if (w < 0 && errno != EINTR) {
        cli_error(cmd, "waiting for Yosys: %s", strerror(errno));
        s[i].state = J_EXITED;
        s[i].status = 1 << 8;
        running--;
      } else if (now() - s[i].t0 > timeout) {
        stop_all(&s[i], 1);
        s[i].timed_out = 1;
        running--;
      }
    }
    /* report in index order */
    while (report < next && s[report].state == J_EXITED) {
      if (finish(cmd, prog, &jobs[report], &s[report], timeout, fns) && rc == 0)
        rc = -1;
      report++;
    }
    if (rc)
      break;
    if (report < n && !caught)
      nanosleep(&(struct timespec){0, 20000000}, NULL);
  }
  if (caught || rc) {
    stop_all(s, next);
    if (caught)
      fprintf(stderr, "\n%s %s: %s: stopped Yosys and removed its temporary folders\n",
              fp8_report_progname, cmd, strsignal(caught));
  }
  for (int i = 0; i < n; i++)
    remove_dir(&s[i]);
  int sig = caught;
  for (int k = 0; k < NSIG_HANDLED; k++)
    sigaction(handled[k], &old[k], NULL);
  free(s);
  return sig ? 128 + sig : rc;
}
