/* outfile.h - output files every layer that writes a user's file shares (the
 * CLI and the verify driver of sim/): atomic replacement of regular files,
 * straight writes into devices and FIFOs, this process's temporaries removed
 * when a signal ends it.  Failures are reported through report.h. */
#ifndef FP8_OUTFILE_H
#define FP8_OUTFILE_H

#include <stdio.h>

/* Output files (outfile.c has the whole contract): a regular file (or a
 * missing one, or one behind symlinks) is written to TARGET.tmp.XXXXXX and
 * renamed into place on commit; a character device or FIFO is written
 * straight; a directory is refused.  Messages name the path the user gave. */
typedef struct fp8_outfile {
  FILE *fp;
  char *path;      /* as the user gave it */
  char *target;    /* path with symlinks followed */
  char *tmp;       /* the temporary; NULL when writing straight into a device/FIFO */
} fp8_outfile;
/* mkstemp makes files 0600; outputs get the ordinary 0666 & ~umask. */
void fp8_chmod_default(const char *path);
int fp8_outfile_open(fp8_outfile *o, const char *path);  /* 0 or -1 (message printed) */
/* The name to write to (for another program, e.g. gnuplot, after fclose(fp)
 * and fp = NULL): the temporary, or the device itself. */
const char *fp8_outfile_name(const fp8_outfile *o);
int fp8_outfile_commit(fp8_outfile *o);                   /* fclose + rename; 0 or -1 */
void fp8_outfile_abort(fp8_outfile *o);                   /* fclose + unlink */
/* This process's temporaries (only these, by name) are removed when SIGINT,
 * SIGTERM or SIGHUP ends it.  register keeps the pointer until forget. */
int fp8_tmp_register(char *path);
void fp8_tmp_forget(const char *path);
void fp8_tmp_remove_all(void);    /* async-signal-safe */

#endif
