#!/bin/sh
# The worst-case steps of fp8lab verify catch a dot-product unit whose step
# sum is too narrow, which every other phase passes: int8/kulisch27:n=4 built
# with FP8_BUG_NARROW_SUM (fp8_dot_kulisch's sum of the four products one bit
# short of 4 x (-128 x -128) = 2^16, so that step alone wraps; -128 x 127 and
# every sum of smaller magnitude still fit).
#  - Levels 1 and 2 over five seeds report it (exit 1), and every mismatch
#    recorded in the vector file (the cap raised above the worst-case steps'
#    count) is a step of all four lanes -128 x -128 (80,80,80,80): no other
#    phase - single-lane pairs, state classes, directed cancellation and
#    overflow, random steps, the control protocol - sees the bug, as none did
#    before the worst-case steps existed.
#  - The report names the step; the vector file reproduces the mismatches on
#    the broken build and passes on the real unit.
#  - The expected sums come from integer arithmetic here, not from the golden
#    model: 4 x 16384 = 65536 from acc 0 reads back as 0x10000 on the real
#    unit, and as 0x7ff0000 (the 17-bit sum -65536, sign-extended into 27
#    bits) on the broken one.
[ -x "${VERIFY_BUG:-}" ] || { echo "no broken build (no Verilator): skipped"; exit 77; }
. "$top_srcdir/tests/testlib.sh"
cfg="int8/kulisch27:n=4+narrow-sum"
vec="$tmp/mismatch-int8-kulisch27-n-4+narrow-sum.vec"
for level in 1 2; do
  for seed in 1 2 3 4 5; do
    rm -f "$vec"
    random=20000
    [ $level -eq 2 ] && random=100000
    "$VERIFY_BUG" --config "$cfg" --level $level --seed $seed --random $random --max-errors 100 \
      --vectors "$tmp" >"$tmp/out" 2>"$tmp/err"; rc=$?
    [ $rc -eq 1 ] || { cat "$tmp/out" "$tmp/err"; fail "level $level seed $seed: expected exit 1, got $rc"; continue; }
    [ -s "$vec" ] || { fail "level $level seed $seed: no vector file"; continue; }
    n=$(grep -c -E '^(step|cycle)' "$vec")
    worst=$(grep -c '^step	80,80,80,80	80,80,80,80$' "$vec")
    [ "$n" -ge 1 ] && [ "$n" -eq "$worst" ] \
      || fail "level $level seed $seed: $n mismatches, $worst of them the all -128 x -128 step: $(grep -E '^(step|cycle)' "$vec" | grep -v '80,80,80,80	80,80,80,80' | head -3)"
  done
done
head -n 8 "$tmp/err"
grep -q "MISMATCH $cfg (top .*built with FP8_BUG_NARROW_SUM)" "$tmp/err" || fail "no mismatch report naming the bug"
grep -q "a=80,80,80,80" "$tmp/err" || fail "the report does not show the four -128 lanes"
grep -q "state before acc=0x0000000 " "$tmp/err" && {
  grep -q "expected     acc=0x0010000 " "$tmp/err" || fail "4 x 16384 from 0: expected 0x0010000"
  grep -q "got          acc=0x7ff0000 " "$tmp/err" || fail "the narrow sum from 0: expected 0x7ff0000"
}
"$VERIFY_BUG" --replay "$vec" >"$tmp/r1" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q " $n mismatches" "$tmp/r1" || { cat "$tmp/r1"; fail "replay on the broken build: exit $rc, expected $n mismatches"; }
sed 's|^config.*|config	int8/kulisch27:n=4|' "$vec" >"$tmp/real.vec"
"$FP8LAB" verify --replay "$tmp/real.vec" >"$tmp/r2" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -q "$n vectors checked, 0 mismatches" "$tmp/r2" || { cat "$tmp/r2"; fail "replay on the real unit: exit $rc"; }
finish verify_dot_worst_bug
