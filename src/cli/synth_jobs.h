/* synth_jobs.h - run Yosys on many scripts at once, and clean up on every path.
 *
 * Contract of synth_jobs_run:
 *  - Each job gets its own temporary folder $TMPDIR/fp8lab-synth.XXXXXX (TMPDIR
 *    unset: /tmp); write() fills it (the script is DIR/synth.ys), Yosys runs
 *    there in its own process group with its log in DIR/yosys.log, and done()
 *    reads its results (DIR/stat.txt).  At most `jobs` Yosys processes run at
 *    once; jobs start in index order (a failure stops the others at once).  done() and the progress lines on stderr
 *    ("fp8lab synth: NAME (TOP) ... T s") come in index order too, whatever
 *    order the processes finish in, so the output does not depend on `jobs`.
 *  - On SIGINT, SIGTERM or SIGHUP every running Yosys process group is stopped
 *    (SIGTERM, then SIGKILL after a grace period) and waited for; so is one
 *    that runs past `timeout` seconds.
 *  - Every temporary folder is removed before synth_jobs_run returns, on success,
 *    failure, timeout and signal alike (a failed run prints its log's end first).
 *  - Returns 0 when every job succeeded, 128 + the signal number after a
 *    signal, else -1 (the first failure reported; no further job is started).
 *    The signal handlers in place before the call are restored on return.
 */
#ifndef FP8_SYNTH_JOBS_H
#define FP8_SYNTH_JOBS_H

typedef struct synth_job {
  const char *name, *top;                 /* for messages */
  void *arg;                              /* passed to write() and done() */
} synth_job;

typedef struct synth_job_fns {
  /* Write the Yosys script SCRIPT (which runs in DIR); 0 or -1 (errno set). */
  int (*write)(const char *script, void *arg);
  /* Yosys succeeded; read DIR/stat.txt (path STAT); 0 or -1 (message printed). */
  int (*done)(const char *stat, void *arg);
} synth_job_fns;

/* Check that PROG can be run, before any work: a name with '/' must be an
 * executable file, a bare name must be one on PATH.  0, or -1 with the reason
 * printed ("not executable", "no such file", "not found on PATH"). */
int synth_jobs_check_prog(const char *cmd, const char *prog);

int synth_jobs_run(const char *cmd, const char *prog, synth_job *jobs, int n, int parallel,
                   double timeout, const synth_job_fns *fns);

#endif
