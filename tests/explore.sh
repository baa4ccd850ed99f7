#!/bin/sh
# explore.sh - fp8lab explore: the splits listed, the TSV shape, the Pareto flags
# against a brute-force recomputation (awk, O(n^2) over the printed rows), the
# gate counts agreeing with 'fp8lab gates' and the accuracy with 'fp8lab accuracy'
# (two other commands' outputs, not this one's arithmetic), usage errors, plots.
. "${top_srcdir:?}/tests/testlib.sh"

"$FP8LAB" explore --bits 6..8 --dist gaussian,student-t:nu=4 --tsv >"$tmp/x.tsv" || fail "explore exit $?"
hdr=$(head -n 1 "$tmp/x.tsv")
[ "$hdr" = "$(printf 'bits\tformat\tE\tM\taccumulator\tgates\tdistribution\taccuracy_bits\tpareto')" ] ||
  fail "header '$hdr'"
# splits: width N has intN and e1..e(N-2): 5 + 6 + 7 = 18 formats, x 3 accumulators x 2 distributions
[ "$(tail -n +2 "$tmp/x.tsv" | wc -l)" -eq 108 ] || fail "expected 108 rows, got $(tail -n +2 "$tmp/x.tsv" | wc -l)"
for f in int8 e1m6:fnuz e6m1:fnuz int6 e4m1:fnuz; do
  grep -q "$(printf '\t%s\t' "$f")" "$tmp/x.tsv" || fail "split $f missing"
done
awk -F'\t' 'NR > 1 && ($1 != 1 + $3 + $4) { bad = 1 } END { exit bad }' "$tmp/x.tsv" || fail "bits != 1+E+M"

# Pareto, brute force: a row is on its distribution's front iff no other row of the
# same distribution has gates <= and bits >=, one strictly.
awk -F'\t' 'NR > 1 { n++; d[n] = $7; g[n] = $6 + 0; a[n] = $8 + 0; p[n] = $9 }
  END {
    for (i = 1; i <= n; i++) {
      dom = 0
      for (j = 1; j <= n && !dom; j++)
        if (j != i && d[j] == d[i] && g[j] <= g[i] && a[j] >= a[i] && (g[j] < g[i] || a[j] > a[i])) dom = 1
      want = dom ? "no" : "yes"
      if (p[i] != want) { printf "row %d: pareto %s, brute force %s\n", i + 1, p[i], want; bad = 1 }
      if (p[i] == "yes") front++
    }
    if (front < 2) { print "front has fewer than 2 points"; bad = 1 }
    exit bad
  }' "$tmp/x.tsv" || fail "pareto flags disagree with brute force"

# the same gate counts as 'fp8lab gates', the same bits as 'fp8lab accuracy'
"$FP8LAB" gates --format e4m3:fnuz,int8 --acc kulisch,fp16,fp32 --tsv >"$tmp/g.tsv" || fail "gates"
awk -F'\t' 'NR == FNR { if (FNR > 1) G[$1 "|" $2] = $4; next }
  FNR > 1 && ($2 "|" $5) in G { seen++; if (G[$2 "|" $5] != $6) { print "gates differ: " $0; bad = 1 } }
  END { if (seen != 12) { print "compared " seen " rows, expected 12"; bad = 1 } exit bad }' \
  "$tmp/g.tsv" "$tmp/x.tsv" || fail "gate counts differ from fp8lab gates"
"$FP8LAB" accuracy --dist gaussian --format e2m5:fnuz --tsv >"$tmp/a.tsv" 2>/dev/null || fail "accuracy"
want=$(awk -F'\t' '$2 == "e2m5:fnuz" { printf "%.4f", $6 }' "$tmp/a.tsv")
got=$(awk -F'\t' '$2 == "e2m5:fnuz" && $5 == "kulisch" && $7 == "gaussian" { print $8 }' "$tmp/x.tsv")
[ -n "$want" ] && [ "$want" = "$got" ] || fail "accuracy of e2m5 on gaussian: explore $got, accuracy $want"

# usage errors: exit 2 and a message naming the value
for args in "--bits 2" "--bits 9..7" "--bits x" "--acc nope" "--dist weird" "--convention odd" \
            "--range median" "--bogus"; do
  # shellcheck disable=SC2086
  "$FP8LAB" explore $args >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ "$rc" -eq 2 ] || fail "explore $args: exit $rc, expected 2"
  [ -s "$tmp/err" ] || fail "explore $args: no message"
  [ -s "$tmp/out" ] && fail "explore $args: wrote to stdout"
  bad=${args##* }; bad=${bad#--}
  grep -q -- "$bad" "$tmp/err" || fail "explore $args: the message does not name '$bad': $(cat "$tmp/err")"
done

# the plot: PNG + SVG + data + script; nothing temporary left behind
if command -v gnuplot >/dev/null 2>&1; then
  "$FP8LAB" explore --bits 8 --plot "$tmp/p.png" >/dev/null || fail "plot exit $?"
  for f in p.png p.svg p.tsv p.gp; do [ -s "$tmp/$f" ] || fail "plot file $f missing"; done
  head -c 8 "$tmp/p.png" | od -An -tx1 | grep -q "89 50 4e 47 0d 0a 1a 0a" || fail "p.png is not a PNG"
  ls "$tmp" | grep -q '\.tmp\.' && fail "temporary files left: $(ls "$tmp")"
  "$FP8LAB" explore --bits 8 --plot "$tmp/missing/p.png" >/dev/null 2>&1 && fail "plot into a missing folder succeeded"
fi

finish explore.sh
