#!/bin/sh
# block_accuracy.sh - block formats in fp8lab accuracy and explore: rows and
# columns, a value against a closed form worked out here, analytic beside
# Monte Carlo, seeded repeatability, usage errors, plots.
. "${top_srcdir:?}/tests/testlib.sh"
T=$(printf '\t')

# presets beside a per-tensor format: one row per (format, rule), the rule in the range column
"$FP8LAB" accuracy --dist gaussian --format int8,mxfp8_e4m3,nvfp4,mxint8 --rule own,rceil --tsv \
  >"$tmp/a" 2>"$tmp/err" || fail "block presets: $(cat "$tmp/err")"
[ "$(cut -f2,3 "$tmp/a" | tr '\t\n' ': ')" = \
  "format:range int8:mse mxfp8_e4m3:floor mxfp8_e4m3:rceil nvfp4:nearest nvfp4:rceil mxint8:floor mxint8:rceil lloyd-max:opt " ] ||
  fail "rows: $(cut -f2,3 "$tmp/a" | tr '\t\n' ': ')"
# MX has no tensor scale (1); NVFP4's is A / (448 * 6), A the median max of 2^20 N(0,1) values:
# P(|X| > A) = 1 - 2^(-2^-20), erfc(A / sqrt 2) = that gives A = 4.9725, so T = 0.00185 (3 digits)
t=$(awk -F'\t' '$2=="nvfp4" && $3=="nearest" { printf "%.3g", $4 }' "$tmp/a")
[ "$t" = "0.00185" ] || fail "nvfp4 tensor scale $t, expected 0.00185"
[ "$(awk -F'\t' '$2=="mxint8" && $3=="floor" { print $4 }' "$tmp/a")" = 1 ] || fail "mxint8 scale column is not 1"

# a closed form: blocks of one value of U[-1,1], sign-magnitude int8 elements with MXINT8's 2^-6,
# floor: in units of the element step h each binade holds E = 1/24 + 63/12 + (7/8)/3 (half cell,
# 63 cells, the piece saturating at +-127); the MSE sums (2^j/64)^3 E over j <= -1 = E/64^3/7,
# sigma^2 = 1/3
f=block:elem=int8-sm:shift=-6:block=1
want=$(awk 'BEGIN { E = 1/24 + 63/12 + 7/8/3; m = E/64^3/7; printf "%.4f", -0.5*log(3*m)/log(2) }')
got=$("$FP8LAB" accuracy --dist uniform --format "$f" --tsv | awk -F'\t' -v f="$f" '$2==f { printf "%.4f", $6 }')
[ "$got" = "$want" ] || fail "$f on uniform: $got bits, expected $want"

# Monte Carlo beside it, within 5 standard errors, repeatable with the seed
args="accuracy --dist laplace,uniform --format mxfp4_e2m1,nvfp4,block:elem=e3m4:none:block=24:rule=ceil --method both --samples 65536 --seed 11 --tsv"
"$FP8LAB" $args >"$tmp/m1" 2>"$tmp/err" || fail "--method both: $(cat "$tmp/err")"
"$FP8LAB" $args >"$tmp/m2" 2>/dev/null || fail "--method both (again)"
cmp -s "$tmp/m1" "$tmp/m2" || fail "same seed, different output"
grep -q "seed 11" "$tmp/err" || fail "seed not printed"
bad=$(awk -F'\t' 'NR > 1 && $2 != "lloyd-max" && !(($5 - $7) < 5 * $9 && ($7 - $5) < 5 * $9)' "$tmp/m1")
[ -z "$bad" ] || fail "analytic and Monte Carlo disagree: $bad"
[ "$(wc -l <"$tmp/m1")" -eq 9 ] || fail "expected 9 lines, got $(wc -l <"$tmp/m1")"

# the floor rule's saturation on uniformly spread blocks: rceil gains more than a bit on E4M3
"$FP8LAB" accuracy --dist uniform --format mxfp8_e4m3 --rule floor,rceil --tsv >"$tmp/r" || fail "--rule floor,rceil"
awk -F'\t' '$3=="floor" { f = $6 } $3=="rceil" { r = $6 } END { exit !(r > f + 1) }' "$tmp/r" ||
  fail "floor vs rceil on uniform: $(cut -f3,6 "$tmp/r" | tr '\n' ' ')"

# explore --block: splits x blocks x rules x distributions, bits per value = element + 8/B
"$FP8LAB" explore --bits 4,6 --block 16,32 --rule floor,rceil,floor --dist gaussian --tsv >"$tmp/e" 2>"$tmp/err" ||
  fail "explore --block: $(cat "$tmp/err")"
[ "$(head -1 "$tmp/e")" = "bits${T}format${T}E${T}M${T}block${T}rule${T}bits_per_value${T}distribution${T}accuracy_bits${T}pareto" ] ||
  fail "explore --block header: $(head -1 "$tmp/e")"
# widths 4 (int4, e1m2, e2m1) and 6 (int6, e1m4..e4m1): 8 splits x 2 blocks x 2 rules
[ "$(wc -l <"$tmp/e")" -eq 33 ] || fail "explore --block: expected 33 lines, got $(wc -l <"$tmp/e")"
awk -F'\t' 'NR > 1 && $7 != sprintf("%.4f", $1 + 8 / $5) { bad = 1 } END { exit bad }' "$tmp/e" ||
  fail "bits per value is not element bits + 8/B"
awk -F'\t' '$10 == "yes"' "$tmp/e" | grep -q . || fail "no point on the front"

# usage errors name the bad value
expect_usage "bad rule" "'round'" -- "$FP8LAB" accuracy --format mxfp8_e4m3 --rule round
expect_usage "bad block spelling" "block=0" -- "$FP8LAB" accuracy --format mxfp8_e4m3:block=0
expect_usage "unknown preset key" "size=4" -- "$FP8LAB" accuracy --format nvfp4:size=4
expect_usage "explore --acc with --block" "--acc" -- "$FP8LAB" explore --block 32 --acc fp32
expect_usage "explore --rule without --block" "--block" -- "$FP8LAB" explore --rule rceil
expect_usage "explore bad block size" "--block" -- "$FP8LAB" explore --block 0
expect_usage "explore bad scale" "scale=int8" -- "$FP8LAB" explore --block 32 --scale int8

# plots: PNG beside its data
if command -v gnuplot >/dev/null 2>&1; then
  "$FP8LAB" accuracy --dist uniform,gaussian --format int8,mxfp8_e4m3,nvfp4 --rule own,rceil --plot "$tmp/acc.png" \
    >/dev/null 2>&1 || fail "accuracy --plot with block formats"
  "$FP8LAB" explore --bits 4 --block 32 --dist gaussian --plot "$tmp/ex.png" >/dev/null 2>&1 || fail "explore --block --plot"
  for f in acc.png acc.tsv acc.gp ex.png ex.tsv ex.gp; do [ -s "$tmp/$f" ] || fail "$f missing"; done
fi
finish block_accuracy.sh
