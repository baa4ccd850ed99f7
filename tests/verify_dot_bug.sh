#!/bin/sh
# The dot-product cross-check can fail: float8_e4m3fn/hopper-fp8:n=4 built
# with a window one bit narrower (FP8_BUG_NARROW_WINDOW) and
# float8_e4m3fn/hopper-fp8:n=16 built with terms rounded to nearest even
# instead of truncated (FP8_BUG_TERM_RNE) must each be reported (exit 1, the
# failing step or cycle with all its pairs, a vector file); the vector file reproduces
# the mismatches on the broken build and passes on the real RTL.
. "$top_srcdir/tests/testlib.sh"
[ -x "${VERIFY_BUG:-}" ] || { echo "no broken build (no Verilator): skipped"; exit 77; }
seed=${FP8LAB_SEED:-7}
echo "seed $seed"
for c in "float8_e4m3fn/hopper-fp8:n=4 FP8_BUG_NARROW_WINDOW" "float8_e4m3fn/hopper-fp8:n=16 FP8_BUG_TERM_RNE"; do
  set -- $c
  cfg=$1 bug=$2
  vec="$tmp/mismatch-$(printf '%s' "$cfg" | tr '/:=' '---').vec"
  "$VERIFY_BUG" --config "$cfg" --seed "$seed" --random 2000 --max-errors 4 --vectors "$tmp" \
    >"$tmp/out" 2>"$tmp/err"; rc=$?
  cat "$tmp/out" "$tmp/err"
  [ $rc -eq 1 ] || fail "$bug: expected exit 1, got $rc"
  grep -q "MISMATCH $cfg (top .*built with $bug)" "$tmp/err" || fail "$bug: no mismatch report"
  for w in "inputs       " "a=" "b=" "state before" "expected" "got" "cycle"; do
    grep -q "$w" "$tmp/err" || fail "$bug: report lacks '$w'"
  done
  [ -s "$vec" ] || { fail "$bug: no vector file $vec"; continue; }
  [ "$(grep -c -E '^(step|cycle)	' "$vec")" -eq 4 ] || fail "$bug: expected 4 vectors (the cap)"
  "$VERIFY_BUG" --replay "$vec" >"$tmp/r1" 2>&1; rc=$?
  cat "$tmp/r1"
  [ $rc -eq 1 ] && grep -q "4 mismatches" "$tmp/r1" || fail "$bug: replay on the broken build did not reproduce 4"
  "$FP8LAB" verify --replay "$vec" >"$tmp/r2" 2>&1; rc=$?
  cat "$tmp/r2"
  [ $rc -eq 0 ] && grep -q "4 vectors checked, 0 mismatches" "$tmp/r2" || fail "$bug: replay on the real RTL did not pass"
done
finish verify_dot_bug
