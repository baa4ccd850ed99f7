#!/bin/sh
# The dot-product units' control-protocol phase can fail: int8/kulisch27:n=4
# built with FP8_BUG_NO_HOLD (its register follows the datapath with en_i low;
# every step of the datapath phases drives en_i, so only the protocol phase
# sees it) must be reported as a control-protocol mismatch (exit 1, the cycle's
# inputs, a vector file of cycle lines); the vector file reproduces the
# mismatches on the broken build and passes on the real RTL.  And the exact
# unit float8_e4m3fn/fp32:n=4:window=exact built with FP8_BUG_DROP_STICKY (its
# C + S adder forgets the bits it shifts out) is caught by the datapath.
. "$top_srcdir/tests/testlib.sh"
[ -x "${VERIFY_BUG:-}" ] || { echo "no broken build (no Verilator): skipped"; exit 77; }
seed=${FP8LAB_SEED:-7}
echo "seed $seed"
cfg="int8/kulisch27:n=4+no-hold"
vec="$tmp/mismatch-int8-kulisch27-n-4+no-hold.vec"
"$VERIFY_BUG" --config "$cfg" --seed "$seed" --random 100 --max-errors 4 --vectors "$tmp" \
  >"$tmp/out" 2>"$tmp/err"; rc=$?
cat "$tmp/out" "$tmp/err"
[ $rc -eq 1 ] || fail "no-hold: expected exit 1, got $rc"
grep -q "MISMATCH $cfg (top .*built with FP8_BUG_NO_HOLD), cycle [0-9]*, control protocol" "$tmp/err" ||
  fail "no-hold: no control-protocol mismatch report"
grep -q "rst=0 clear=0 load=0 en=0" "$tmp/err" || fail "no-hold: the first mismatch is not a hold cycle"
if [ -s "$vec" ]; then
  [ "$(grep -c '^cycle' "$vec")" -eq 4 ] || fail "no-hold: expected 4 cycle vectors (the cap)"
  "$VERIFY_BUG" --replay "$vec" >"$tmp/r1" 2>&1; rc=$?
  cat "$tmp/r1"
  [ $rc -eq 1 ] && grep -q "4 mismatches" "$tmp/r1" || fail "no-hold: replay on the broken build did not reproduce 4"
  sed 's|^config.*|config\tint8/kulisch27:n=4|' "$vec" >"$tmp/real.vec"
  "$FP8LAB" verify --replay "$tmp/real.vec" >"$tmp/r2" 2>&1; rc=$?
  cat "$tmp/r2"
  [ $rc -eq 0 ] && grep -q "4 vectors checked, 0 mismatches" "$tmp/r2" || fail "no-hold: replay on the real RTL did not pass"
else
  fail "no-hold: no vector file $vec"
fi
cfg="float8_e4m3fn/fp32:n=4:window=exact"
"$VERIFY_BUG" --config "$cfg" --seed "$seed" --random 2000 --max-errors 4 --vectors "$tmp" \
  >"$tmp/out" 2>"$tmp/err"; rc=$?
tail -n 3 "$tmp/out"; head -n 8 "$tmp/err"
[ $rc -eq 1 ] && grep -q "MISMATCH $cfg (top .*built with FP8_BUG_DROP_STICKY)" "$tmp/err" ||
  fail "drop-sticky: exact unit not caught (exit $rc)"
finish verify_dot_protocol_bug
