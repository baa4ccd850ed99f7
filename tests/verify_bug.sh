#!/bin/sh
# The harness can fail: fp8-e4/fp16 built with FP8_BUG_RNE_TIES_AWAY must be
# reported (exit 1, the first failing case, a vector file), the vector file
# must reproduce the mismatch on the broken build and pass on the real one;
# fp8-e4/fp32 built with FP8_BUG_DROP_STICKY must be reported too.
[ -x "${VERIFY_BUG:-}" ] || { echo "no broken build (no Verilator): skipped"; exit 77; }
seed=${FP8LAB_SEED:-7}
echo "seed $seed"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$VERIFY_BUG" --config fp8-e4/fp16 --seed "$seed" --random 1000 --max-errors 5 --vectors "$tmp" \
  >"$tmp/out" 2>"$tmp/err"; rc=$?
cat "$tmp/out" "$tmp/err"
[ $rc -eq 1 ] || { echo "broken build: expected exit 1, got $rc"; exit 1; }
grep -q "MISMATCH fp8-e4/fp16" "$tmp/err" || { echo "no mismatch report"; exit 1; }
for w in "inputs" "state before" "expected" "got" "cycle"; do
  grep -q "$w" "$tmp/err" || { echo "report lacks '$w'"; exit 1; }
done
vec="$tmp/mismatch-fp8-e4-fp16.vec"
[ -s "$vec" ] || { echo "no vector file"; exit 1; }
[ "$(grep -c -E '^(step|cycle)' "$vec")" -eq 5 ] || { echo "expected 5 vectors (the cap)"; exit 1; }
"$VERIFY_BUG" --replay "$vec" >"$tmp/r1" 2>&1; rc=$?
cat "$tmp/r1"
[ $rc -eq 1 ] || { echo "replay on the broken build: expected exit 1, got $rc"; exit 1; }
grep -q "5 mismatches" "$tmp/r1" || { echo "replay did not reproduce all 5"; exit 1; }
"$FP8LAB" verify --replay "$vec" >"$tmp/r2" 2>&1; rc=$?
cat "$tmp/r2"
[ $rc -eq 0 ] || { echo "replay on the real RTL: expected exit 0, got $rc"; exit 1; }
grep -q "5 vectors checked, 0 mismatches" "$tmp/r2" || { echo "replay on the real RTL did not check 5"; exit 1; }

"$VERIFY_BUG" --config fp8-e4/fp32 --seed "$seed" --random 1000 --max-errors 3 --vectors "$tmp" \
  >"$tmp/out" 2>"$tmp/err"; rc=$?
cat "$tmp/out" "$tmp/err"
[ $rc -eq 1 ] && grep -q "MISMATCH fp8-e4/fp32 (top mac_fp8_e4_fp32, built with FP8_BUG_DROP_STICKY)" "$tmp/err" \
  || { echo "dropped sticky bit not reported"; exit 1; }
[ -s "$tmp/mismatch-fp8-e4-fp32.vec" ] || { echo "no vector file for the sticky bug"; exit 1; }
