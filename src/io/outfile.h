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
  int keep_mode;   /* replacing a file: its permission bits go to the new one */
  unsigned mode;
} fp8_outfile;
/* mkstemp makes files 0600; outputs get the ordinary 0666 & ~umask. */
void fp8_chmod_default(const char *path);
/* 0 or -1 (message printed).  Refused: a file that is already an output of
 * this process (open, or committed in the current group), or this process's
 * stdin or stdout when they are regular files, compared by device and inode
 * (or, for a file not there yet, by its folder's device and inode and its
 * name), never by spelling: the later output would replace the earlier one's
 * file and leave it holding the wrong data.  Writing straight into a device
 * or FIFO is never refused. */
int fp8_outfile_open(fp8_outfile *o, const char *path);
/* The name to write to (for another program, e.g. gnuplot, after fclose(fp)
 * and fp = NULL): the temporary, or the device itself. */
const char *fp8_outfile_name(const fp8_outfile *o);
/* fclose + rename; 0 or -1.  The new file keeps the permission bits of the
 * file it replaces (a new file gets 0666 & ~umask).  Inside a group, the
 * rename waits for fp8_outfile_group_end. */
int fp8_outfile_commit(fp8_outfile *o);
void fp8_outfile_abort(fp8_outfile *o);                   /* fclose + unlink */
/* A group: the outputs committed between begin and end appear together or not
 * at all.  Their data are flushed and checked on commit (a full disk or a
 * write error fails that commit), their renames are done by
 * fp8_outfile_group_end(1) when no member of the group failed or was aborted;
 * otherwise (or with commit 0) every temporary of the group is removed.
 * Returns 0 when the group's files are in place, -1 otherwise (a rename's
 * failure is reported).  Groups do not nest. */
void fp8_outfile_group_begin(void);
int fp8_outfile_group_end(int commit);
/* This process's temporaries (only these, by name) are removed when SIGINT,
 * SIGTERM or SIGHUP ends it.  register keeps the pointer until forget. */
int fp8_tmp_register(char *path);
void fp8_tmp_forget(const char *path);
void fp8_tmp_remove_all(void);    /* async-signal-safe */

#endif
