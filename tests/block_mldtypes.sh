#!/bin/sh
# block_mldtypes.sh - fp8lab cast --binary into block formats against ml_dtypes
# (tests/block_mldtypes.py).  Skipped (exit 77), not passed, where python3 with
# numpy and ml_dtypes is missing.
: "${FP8LAB:=./fp8lab}" "${top_srcdir:=.}"
if [ "${HAVE_ML_DTYPES:-no}" != yes ] || [ -z "$PYTHON" ] || ! "$PYTHON" -c 'import numpy, ml_dtypes' 2>/dev/null; then
  echo "SKIP: python3 with numpy and ml_dtypes not available (pip install ml_dtypes)"
  exit 77
fi
export FP8LAB
exec "$PYTHON" "$top_srcdir/tests/block_mldtypes.py"
