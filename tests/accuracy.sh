#!/bin/sh
# accuracy.sh - fp8lab accuracy from the command line: table shape, TSV
# columns, seeded repeatability, usage errors, plot files.
set -u
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# the Figure 5 table: 3 distributions x (6 formats + lloyd-max) + a header
"$FP8LAB" accuracy --tsv >"$tmp/fig5.tsv" || fail "default run"
[ "$(head -1 "$tmp/fig5.tsv")" = "$(printf 'distribution\tformat\trange\tscale\tmse\tbits')" ] || fail "TSV header"
[ "$(wc -l <"$tmp/fig5.tsv")" -eq 22 ] || fail "expected 22 lines, got $(wc -l <"$tmp/fig5.tsv")"
# gaussian: fp8-e2 has the most bits of the formats (lloyd-max excluded)
best=$(awk -F'\t' '$1=="gaussian" && $2!="lloyd-max"' "$tmp/fig5.tsv" | sort -t"$(printf '\t')" -k6,6gr | head -1 | cut -f2)
[ "$best" = "fp8-e2" ] || fail "gaussian best is $best"

# Monte Carlo: two more columns, the seed on stderr, bit-for-bit repeatable
args="accuracy --dist gaussian,student-t:nu=4,clip=50 --format int8,e4m3 --range mse,max --method both --samples 20000 --max-samples 20000 --seed 7 --tsv"
"$FP8LAB" $args >"$tmp/a" 2>"$tmp/err" || fail "--method both"
"$FP8LAB" $args >"$tmp/b" 2>/dev/null || fail "--method both (again)"
cmp -s "$tmp/a" "$tmp/b" || fail "same seed, different output"
grep -q "seed 7" "$tmp/err" || fail "seed not printed"
[ "$(head -1 "$tmp/a")" = "$(printf 'distribution\tformat\trange\tscale\tmse\tbits\tmc_mse\tmc_bits\tmc_se')" ] || fail "MC header"
grep -q "student-t:nu=4,clip=50	e4m3	max" "$tmp/a" || fail "comma-joined dist spec or max range row missing"

# usage errors: exit 2 and a message naming the bad value
check_usage() {
  "$FP8LAB" accuracy "$@" >/dev/null 2>"$tmp/err"; rc=$?
  [ $rc -eq 2 ] || fail "'$*' exit $rc, expected 2"
  grep -q "$want" "$tmp/err" || fail "'$*' message lacks '$want': $(cat "$tmp/err")"
}
want="nu"; check_usage --dist student-t:nu=0
want="unknown distribution 'cauchyx'"; check_usage --dist cauchyx
want="clip"; check_usage --dist gaussian:clip=-1
want="infinite variance"; check_usage --dist student-t:nu=1.5
want="nu=A..B"; check_usage --sweep nu=x
want="not mse or max"; check_usage --range best
want="analytic, mc or both"; check_usage --method exact

# the tail sweep: one row per nu and format
"$FP8LAB" accuracy --sweep nu=3..5 --format int8,fp8-e4 --tsv >"$tmp/sw" || fail "sweep"
[ "$(grep -c "student-t:nu=4,clip=100	fp8-e4" "$tmp/sw")" -eq 1 ] && [ "$(wc -l <"$tmp/sw")" -eq 10 ] || fail "sweep rows"

# plots (skipped without gnuplot)
if command -v gnuplot >/dev/null 2>&1; then
  "$FP8LAB" accuracy --format int8,fp8-e2,fp8-e4 --plot "$tmp/fig5.png" >/dev/null || fail "plot"
  for x in png svg tsv gp; do [ -s "$tmp/fig5.$x" ] || fail "fig5.$x missing"; done
  "$FP8LAB" accuracy --sweep nu=3..4 --format int8,fp8-e4 --plot "$tmp/tails.png" >/dev/null || fail "sweep plot"
  [ -s "$tmp/tails.png" ] || fail "tails.png missing"
  ls "$tmp" | grep -q tmp && fail "temporary file left behind"
fi
exit 0
