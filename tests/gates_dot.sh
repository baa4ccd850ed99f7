#!/bin/sh
# fp8lab gates for the dot-product units (src/cost/gates_dot.c): the breakdown names
# only blocks of the RTL contract (rtl/fp8_dot_fpacc.sv and what it instantiates),
# its lines add up to the total, per_product is the total / N, and the counts
# follow from Appendix B's components: hopper-fp8 on float8_e4m3fn has 33 terms
# of F + 2 = 15 bits, so the carry-save tree has (33 - 2) rows of
# 15 + 1 + ceil(log2 33) = 22 full adders = 682 FA = 4774 gates (FA = 7);
# a wider window costs more, more lanes cost less per product.
. "$top_srcdir/tests/testlib.sh"
"$FP8LAB" gates --format float8_e4m3fn --acc hopper-fp8 --breakdown --tsv >"$tmp/b" || fail "breakdown exit"
"$FP8LAB" gates --format float8_e4m3fn --acc hopper-fp8 --tsv >"$tmp/t" || fail "total exit"
awk -F'\t' 'NR > 1 && $3 !~ /^fp8_(unpack|mul|dot_fpacc|dot_max|dot_term|dot_csa|fpacc_norm|fpacc_round)$/ { print "block " $3; bad = 1 } END { exit bad }' \
  "$tmp/b" || fail "breakdown names a block outside the RTL contract"
awk -F'\t' 'NR > 1 && $3 == "fp8_dot_csa" { ok = ($5 == "FA" && $6 == 682 && $8 == 4774) } END { exit !ok }' "$tmp/b" \
  || fail "carry-save tree: expected 682 FA = 4774 gates: $(grep csa "$tmp/b")"
awk -F'\t' 'NR > 1 && $3 == "fp8_mul" && $4 ~ /partial products/ { ok = ($6 == "32x4" && $8 == 512) } END { exit !ok }' "$tmp/b" \
  || fail "32 multipliers of 4x4 partial products = 512 AND2"
s=$(awk -F'\t' 'NR > 1 { s += $8 } END { print s }' "$tmp/b")
awk -F'\t' -v s="$s" 'NR == 2 { exit !($4 == s && $6 == sprintf("%.1f", s / 32)) }' "$tmp/t" \
  || fail "lines $s do not add up to the total / per product: $(cat "$tmp/t")"
prev=0
for f in 8 13 19 25; do
  g=$("$FP8LAB" gates --format float8_e4m3fn --acc "hopper-fp8:window=$f" --tsv | awk -F'\t' 'NR == 2 { print $4 }')
  awk -v a="$prev" -v b="$g" 'BEGIN { exit !(b > a) }' || fail "window $f: $g gates, not above $prev"
  prev=$g
done
pp() { "$FP8LAB" gates --format float8_e4m3fn --acc "hopper-fp8:n=$1" --tsv | awk -F'\t' 'NR == 2 { print $6 }'; }
p4=$(pp 4) p16=$(pp 16) p32=$(pp 32)
awk -v a="$p4" -v b="$p16" -v c="$p32" 'BEGIN { exit !(a > b && b > c) }' || fail "per product not falling with N: $p4 $p16 $p32"
"$FP8LAB" gates --format int8 --acc hopper-fp8 >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "int8" "$tmp/err" || fail "int8 into the windowed unit: exit $rc, $(cat "$tmp/err")"
# The exact units (fp8_dot_fpacc, Window -1): float8_e4m3fn products span exponent sums
# 2..30, so the fixed-point sum has F = 28 + 6 = 34 fraction bits, terms of F + 2 = 36 bits
# and a sum of 36 + 1 + ceil(log2 32) = 42 bits: (32 - 2) rows of 42 FA = 1260 FA = 8820 gates;
# exact costs more than the F = 25 window.  The INT8 units (fp8_dot_kulisch): 16-bit products,
# a sum of 16 + 5 + 1 = 22 bits: 30 rows of 22 FA = 660 FA = 4620 gates, 32 8x8 arrays of
# 64 AND2 = 2048; per product below the INT8 MAC's 775 (one 27-bit adder and register per
# step instead of per product).
"$FP8LAB" gates --format float8_e4m3fn --acc fp32:n=32:window=exact --breakdown --tsv >"$tmp/x" || fail "exact exit"
awk -F'\t' 'NR > 1 && $3 !~ /^fp8_(unpack|mul|dot_fpacc|dot_term|dot_csa|fpacc_align|fpacc_add|fpacc_norm|fpacc_round)$/ { print "block " $3; bad = 1 } END { exit bad }' \
  "$tmp/x" || fail "exact: a block outside the RTL"
awk -F'\t' 'NR > 1 && $3 == "fp8_dot_csa" { ok = ($6 == 1260 && $8 == 8820) } END { exit !ok }' "$tmp/x" \
  || fail "exact carry-save tree: expected 1260 FA = 8820 gates: $(grep csa "$tmp/x")"
gx=$("$FP8LAB" gates --format float8_e4m3fn --acc fp32:n=32:window=exact --tsv | awk -F'\t' 'NR == 2 { print $4 }')
g25=$("$FP8LAB" gates --format float8_e4m3fn --acc hopper-fp8:window=25 --tsv | awk -F'\t' 'NR == 2 { print $4 }')
awk -v a="$g25" -v b="$gx" 'BEGIN { exit !(b > a) }' || fail "exact ($gx) not above F = 25 ($g25)"
"$FP8LAB" gates --format int8 --acc kulisch:27:n=32 --breakdown --tsv >"$tmp/k" || fail "int8 exit"
awk -F'\t' 'NR > 1 && $3 !~ /^fp8_(imul|dot_csa|dot_kulisch|kulisch_acc)$/ { print "block " $3; bad = 1 } END { exit bad }' \
  "$tmp/k" || fail "int8: a block outside the RTL"
awk -F'\t' 'NR > 1 && $3 == "fp8_dot_csa" { ok = ($6 == 660 && $8 == 4620) } END { exit !ok }' "$tmp/k" \
  || fail "int8 carry-save tree: expected 660 FA = 4620 gates: $(grep csa "$tmp/k")"
awk -F'\t' 'NR > 1 && $4 == "partial products" { ok = ($8 == 2048) } END { exit !ok }' "$tmp/k" \
  || fail "int8: 32 x 64 AND2 partial products"
"$FP8LAB" gates --format int8 --acc kulisch:27:n=32 --tsv >"$tmp/kt" || fail "int8 total exit"
s=$(awk -F'\t' 'NR > 1 { s += $8 } END { print s }' "$tmp/k")
awk -F'\t' -v s="$s" 'NR == 2 { exit !($3 == 27 && $4 == s && $6 == sprintf("%.1f", s / 32) && $6 < 775) }' "$tmp/kt" \
  || fail "int8 N = 32: lines $s, 27-bit register, per product below 775: $(cat "$tmp/kt")"
finish gates_dot
