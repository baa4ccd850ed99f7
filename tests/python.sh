#!/bin/sh
# python.sh - the fp8lab Python package's tests (python/tests, pytest) against
# the build tree's libraries (FP8LAB_LIBRARY, set by make check) and the CLI.
# Skipped (77) without python3, numpy or pytest.  Where configure found
# ml_dtypes, the ml_dtypes comparisons must run (a missing ml_dtypes is then a
# failure, not a skip).
: "${FP8LAB:?FP8LAB is unset: run through make check}" "${top_srcdir:=.}"
if [ -z "${PYTHON:-}" ] || ! "$PYTHON" -c 'import numpy, pytest' 2>/dev/null; then
  echo "SKIP: python3 with numpy and pytest not available (pip install numpy pytest)"
  exit 77
fi
if [ "${HAVE_ML_DTYPES:-no}" = yes ]; then FP8LAB_REQUIRE_ML_DTYPES=1; export FP8LAB_REQUIRE_ML_DTYPES; fi
PYTHONPATH="$top_srcdir/python${PYTHONPATH:+:$PYTHONPATH}"
PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH PYTHONDONTWRITEBYTECODE FP8LAB
exec "$PYTHON" -m pytest -rs -p no:cacheprovider "$top_srcdir/python/tests"
