#!/bin/sh
# gates.sh - fp8lab gates from the outside: TSV shape, Figure 3 ratios, the
# breakdown adding up, someone else's cost table, bad tables, plots.
# Expected values: the paper (Fig. 3 ratios), Appendix B arithmetic worked in the
# comments, and properties that hold whatever the code (scaling every cost by 2
# doubles every count and leaves every ratio).
. "${top_srcdir:?}/tests/testlib.sh"

# 1. default TSV: exactly the five columns, 5 formats x 3 accumulators
"$FP8LAB" gates --tsv >"$tmp/fig3.tsv" || fail "gates --tsv exit $?"
hdr=$(head -n 1 "$tmp/fig3.tsv")
[ "$hdr" = "$(printf 'format\taccumulator\tacc_bits\tgates\tratio\tper_product')" ] || fail "header '$hdr'"
[ "$(wc -l <"$tmp/fig3.tsv")" -eq 16 ] || fail "expected 15 rows: $(cat "$tmp/fig3.tsv")"
awk -F'\t' 'NF != 6 { bad = 1 } END { exit bad }' "$tmp/fig3.tsv" || fail "a row without 6 fields"
# INT8 -> 27 bits is the reference: PP(8) 64 + reduce(8) 364 + add(27) 185 + 27 FF 162 = 775
grep -q "$(printf '^int8\tkulisch:27\t27\t775\t1.000\t775.0$')" "$tmp/fig3.tsv" || fail "int8 reference row"
# paper, section 3.3 (its accumulator is kept normalised: :ftz): fp8-e4 -> fp16 +53 %, -> fp32 +183 %
awk -F'\t' '$1 == "fp8-e4" && $2 == "fp16:ftz" { ok = ($5 >= 1.48 && $5 <= 1.58) } END { exit !ok }' \
  "$tmp/fig3.tsv" || fail "fp8-e4/fp16 ratio"
awk -F'\t' '$1 == "fp8-e4" && $2 == "fp32:ftz" { ok = ($5 >= 2.76 && $5 <= 2.90) } END { exit !ok }' \
  "$tmp/fig3.tsv" || fail "fp8-e4/fp32 ratio"
# widths: fp8-e4 Kulisch is FX 37 + 12 = 49 bits; fp16 16, fp32 32
grep -q "$(printf '^fp8-e4\tfp32:ftz\t32\t')" "$tmp/fig3.tsv" || fail "fp8-e4 fp32 width"
grep -q "$(printf '^fp8-e4\tkulisch\t49\t')" "$tmp/fig3.tsv" || fail "fp8-e4 kulisch width"
grep -q "$(printf '^fp8-e5\tkulisch\t79\t')" "$tmp/fig3.tsv" || fail "fp8-e5 kulisch width"
# asked for by name, int8's Kulisch is FX + 12 = 16 + 12 = 28 (two's complement keeps -128)
"$FP8LAB" gates --format int8 --acc kulisch --tsv | grep -q "$(printf '^int8\tkulisch\t28\t')" ||
  fail "int8 kulisch width 28"

# 2. breakdown: every line names a contract RTL block and the lines add up to the total
"$FP8LAB" gates --format e3m4,e4m3,float8_e5m2 --acc fp32,kulisch,bf16 --tsv >"$tmp/t.tsv" || fail "list"
"$FP8LAB" gates --format e3m4,e4m3,float8_e5m2 --acc fp32,kulisch,bf16 --breakdown --tsv \
  >"$tmp/b.tsv" || fail "breakdown exit"
[ "$(head -n 1 "$tmp/b.tsv")" = "$(printf 'format\taccumulator\tblock\trole\tcomponent\tn\tk\tgates')" ] ||
  fail "breakdown header"
awk -F'\t' 'NR > 1 && $3 !~ /^fp8_(unpack|mul|kulisch_align|kulisch_acc|fpacc_align|fpacc_add|fpacc_norm|fpacc_round|mac_kulisch|mac_fpacc)$/ { print "block " $3; bad = 1 } END { exit bad }' \
  "$tmp/b.tsv" || fail "breakdown names a block outside the RTL contract"
awk -F'\t' 'FNR == 1 { next } NR == FNR { sum[$1 "/" $2] += $8; next } { if (sum[$1 "/" $2] != $4) { print $1 "/" $2 ": " sum[$1 "/" $2] " != " $4; bad = 1 } n++ } END { exit bad || n != 9 }' \
  "$tmp/b.tsv" "$tmp/t.tsv" || fail "breakdown lines do not add up to the totals"
"$FP8LAB" gates --format fp8-e4 --acc fp16 --breakdown | grep -q 'fp8_fpacc_norm' || fail "text breakdown"

# 3. someone else's table: every cost doubled doubles every count, ratios stay
sed -e 's/^\(AND2\|NAND2\|OR2\|NOR2\)\t1/\1\t2/' -e 's/^\(AO21\|AOI21\|OA21\|OAI21\)\t2/\1\t4/' \
    -e 's/^\(MUX2\|XOR2\|XNOR2\|HA\)\t3/\1\t6/' "$top_srcdir/data/components.tsv" >"$tmp/double.tsv"
"$FP8LAB" gates --components "$tmp/double.tsv" --tsv >"$tmp/d.tsv" || fail "--components exit"
awk -F'\t' 'FNR == 1 { next } NR == FNR { g[$1 $2] = $4; r[$1 $2] = $5; next } { if ($4 != 2 * g[$1 $2] || $5 != r[$1 $2]) { print; bad = 1 } } END { exit bad }' \
  "$tmp/fig3.tsv" "$tmp/d.tsv" || fail "doubled costs did not double the counts"
FP8LAB_DATADIR="$tmp" "$FP8LAB" gates >/dev/null 2>"$tmp/err" && fail "no components.tsv in FP8LAB_DATADIR accepted"
grep -q "$tmp/components.tsv" "$tmp/err" || fail "missing table not named: $(cat "$tmp/err")"

# 4. bad tables: exit 1, a message naming file:line
printf 'NOT\t0\nAND2\t-1\n' >"$tmp/neg.tsv"
"$FP8LAB" gates --components "$tmp/neg.tsv" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "negative cost: exit $rc"
grep -q "neg.tsv:2:.*negative" "$tmp/err" || fail "negative cost message: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "a table was printed despite the bad cost table"
grep -v '^FF' "$top_srcdir/data/components.tsv" >"$tmp/noff.tsv"
"$FP8LAB" gates --components "$tmp/noff.tsv" 2>"$tmp/err" >/dev/null && fail "missing FF accepted"
grep -q "missing component 'FF'" "$tmp/err" || fail "missing component message: $(cat "$tmp/err")"
printf 'NOT\t0\nAND2 1\n' >"$tmp/mal.tsv"
"$FP8LAB" gates --components "$tmp/mal.tsv" 2>"$tmp/err" >/dev/null && fail "malformed line accepted"
grep -q "mal.tsv:2:.*malformed" "$tmp/err" || fail "malformed message: $(cat "$tmp/err")"
printf 'NOT\t0\nNAND3\t2\n' >"$tmp/unk.tsv"
"$FP8LAB" gates --components "$tmp/unk.tsv" 2>"$tmp/err" >/dev/null && fail "unknown component accepted"
grep -q "unk.tsv:2:.*unknown component 'NAND3'" "$tmp/err" || fail "unknown message: $(cat "$tmp/err")"

# 5. usage errors: exit 2, naming the bad value
"$FP8LAB" gates --format fp8-e9 2>"$tmp/err" >/dev/null; rc=$?
[ $rc -eq 2 ] && grep -q "fp8-e9" "$tmp/err" || fail "bad format: exit $rc, $(cat "$tmp/err")"
"$FP8LAB" gates --format fp8-e4 --acc kulisch:30 2>"$tmp/err" >/dev/null; rc=$?
[ $rc -eq 2 ] && grep -q "kulisch:30" "$tmp/err" || fail "narrow kulisch: exit $rc, $(cat "$tmp/err")"
"$FP8LAB" gates --acc int32 2>"$tmp/err" >/dev/null; rc=$?
[ $rc -eq 2 ] && grep -q "int32" "$tmp/err" || fail "integer accumulator: exit $rc"
"$FP8LAB" gates --format , 2>/dev/null >/dev/null; [ $? -eq 2 ] || fail "empty list"

# 6. plot: data, script, PNG, SVG side by side; nothing half-written on failure
if command -v gnuplot >/dev/null 2>&1; then
  "$FP8LAB" gates --plot "$tmp/fig3.png" >/dev/null || fail "--plot exit"
  for ext in png svg tsv gp; do [ -s "$tmp/fig3.$ext" ] || fail "no fig3.$ext"; done
  [ "$(head -n 1 "$tmp/fig3.tsv")" = "$(printf 'format\tkulisch\tfp16:ftz\tfp32:ftz')" ] || fail "plot data header"
  "$FP8LAB" gates --plot "$tmp/nodir/fig3.png" >/dev/null 2>&1 && fail "plot into a missing folder"
  [ -e "$tmp/nodir" ] && fail "plot into a missing folder left something"
else
  echo "gnuplot not found: plot checks skipped"
fi

finish gates.sh
