#!/bin/sh
# Issue 10: fp8lab verify --coverage rebuilds int8/kulisch27 with Verilator
# line and toggle coverage, runs level 1 and prints per block the lines and
# toggle bits hit; level 1 hits every line of every block this configuration
# elaborates; the counts and the annotated sources are written.
. "$top_srcdir/tests/testlib.sh"
"$FP8LAB" verify --list >"$tmp/list" 2>&1
if grep -q "built without Verilator" "$tmp/list"; then exit 77; fi
seed=${FP8LAB_SEED:-5}
echo "seed $seed (override with FP8LAB_SEED)"
mkdir "$tmp/t"
TMPDIR="$tmp/t" "$FP8LAB" verify --coverage --config int8/kulisch27 --seed "$seed" --vectors "$tmp" --tsv \
  >"$tmp/out" 2>"$tmp/err"; rc=$?
[ -z "$(ls "$tmp/t")" ] || fail "the temporary build folder was left behind: $(ls "$tmp/t")"
cat "$tmp/err" "$tmp/out"
[ $rc -eq 0 ] || fail "verify --coverage exited $rc"
for b in fp8_acc_reg fp8_kulisch_acc fp8_imul fp8_mac_kulisch; do
  row=$(awk -F '\t' -v b="$b" '$1 == "int8/kulisch27" && $2 == b' "$tmp/out")
  [ -n "$row" ] || { fail "no row for block $b"; continue; }
  pct=$(printf '%s\n' "$row" | cut -f 4)
  [ "$pct" = "100.0" ] || fail "$b: line coverage $pct%, expected 100.0 (uncovered: $(printf '%s\n' "$row" | cut -f 7))"
  bits=$(printf '%s\n' "$row" | cut -f 5)
  case $bits in */0|"") fail "$b: no toggle bits counted ($bits)" ;; esac
done
# every bit that never toggles has its reason in rtl/coverage_waivers.tsv
awk -F '\t' 'NR > 1 && $9 != "-" { print "open bits in " $2 ": " $9; bad = 1 } END { exit bad }' "$tmp/out" \
  || fail "bits that never toggle and have no reason (add stimulus or a waiver)"
# int8 has no NaN or Inf, and its Baugh-Wooley rows sit at offsets: waived bits in both
awk -F '\t' '($2 == "fp8_mac_kulisch" || $2 == "fp8_imul") && $7 > 0 { n++ } END { exit n != 2 }' "$tmp/out" || fail "no waived bits in fp8_mac_kulisch and fp8_imul"
[ -s "$tmp/coverage/int8-kulisch27.dat" ] || fail "no coverage data"
grep -q "always_comb" "$tmp/coverage/int8-kulisch27/fp8_acc_reg.sv" 2>/dev/null \
  || fail "no annotated fp8_acc_reg.sv"
"$FP8LAB" verify --coverage --replay x >"$tmp/o2" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "exclude each other" "$tmp/o2" || fail "--coverage --replay: expected a usage error, got $rc"
finish verify_coverage
