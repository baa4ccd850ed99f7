/* datadir.h - where fp8lab finds its data files and the RTL tree.
 *
 * Installed, they live in pkgdatadir (data files directly, the RTL in
 * pkgdatadir/rtl).  Run from the build tree (the binary sits in the configured
 * build directory, or its .libs/), they are read from the source tree instead,
 * so a fresh checkout works without 'make install'.  Environment overrides:
 * FP8LAB_DATADIR (data files) and FP8LAB_RTL_DIR (the RTL tree). */
#ifndef FP8_DATADIR_H
#define FP8_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

#include "gates.h"

/* True when the running program is the one in the build tree. */
bool cli_in_build_tree(void);
/* Path of data file NAME (e.g. "components.tsv") written to buf; returns buf. */
const char *cli_data_path(const char *name, char *buf, size_t len);
/* The gate cost table: FILE, or components.tsv in the data folder when file
 * is NULL.  Returns 0, or reports the failure (naming cmd) and returns -1. */
int cli_costs_load(const char *cmd, const char *file, fp8_gates_costs *costs);
/* The RTL tree (a folder holding fp8_*.sv and tops/configs.tsv). */
const char *cli_rtl_dir(char *buf, size_t len);

#endif
