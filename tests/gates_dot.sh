#!/bin/sh
# fp8lab gates for the dot-product units (src/gates_dot.c): the breakdown names
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
finish gates_dot
