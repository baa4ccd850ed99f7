#!/bin/sh
# p3109.sh - every P3109 format with K = 3..8 (all P, signed/unsigned,
# extended/finite) under every rounding (stochastic A/B/C with N = 1, 2 and
# every R) and saturation mode, against the interim report v4.0's definitions
# in exact arithmetic (tests/p3109_ref.py), and the decoding of the formats
# with 9..16 exponent bits (K <= 12).  The exhaustive run (N = 1..4, every gap
# at sixteenths, K <= 16 decoding) is 'make check-p3109-full'.
# Skipped (77) without python3 and numpy.
: "${top_srcdir:=.}"
if [ -z "${PYTHON:-}" ] || ! "$PYTHON" -c 'import numpy' 2>/dev/null; then
  echo "SKIP: python3 with numpy not available"
  exit 77
fi
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE top_srcdir
exec "$PYTHON" "$top_srcdir/tests/p3109_ref.py" --decode-wide "$@"
