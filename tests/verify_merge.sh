#!/bin/sh
# fp8lab verify --merge on result files written by hand (no Verilator needed):
# the merge must not trust what a file claims.
#  - two shards claiming 2^63 vectors and 2^63 mismatches each sum to 2^64:
#    the counters would wrap to 0 and the merge report "0 mismatches" with exit
#    0; it is a usage error (exit 2) naming the file and the counts;
#  - a row with more mismatches than vectors, seconds 'nan' or '-1', a file
#    of no row: usage errors naming the file and the value;
#  - --merge with --shard: a usage error;
#  - a set-level message ("shard 2/2 is missing") carries one '--merge:'
#    prefix, not two;
#  - verify --result into a folder that does not exist fails before the work
#    (no table printed), as cast --output does (needs the models).
. "$top_srcdir/tests/testlib.sh"

# res FILE K/N CHECKED MISMATCHES SECONDS [NOROW]: a one-row result file
res() {
  {
    printf 'fp8lab-result\t1\ntool\tverify\nseed\t7\nparams\tlevel=1 random=-1 max-errors=10\nshard\t%s\n' "$2"
    if [ -z "${6:-}" ]; then
      printf 'row\tfp8-e4/fp16\tmac_fp8_e4_fp16\t%s\t%s\t0123456789abcdef\t5\t%s\t-\n' "$3" "$4" "$5"
      printf 'end\t1\n'
    else
      printf 'end\t0\n'
    fi
  } > "$1"
}
half=9223372036854775808          # 2^63
res "$tmp/a.res" 1/2 "$half" "$half" 1.0
res "$tmp/b.res" 2/2 "$half" "$half" 1.0
expect_usage "2^63 + 2^63 mismatches" "b.res: fp8-e4/fp16: $half vectors checked, $half mismatches" -- \
  "$FP8LAB" verify --merge "$tmp/a.res" "$tmp/b.res"
grep -q "vectors checked" "$tmp/out" && fail "the wrapped merge printed a totals line: $(cat "$tmp/out")"

# a hand-made file of 10,000 short rows: refused at the row limit, not read
# into 10,000 row records (it took 808 MB for a 12 MB file)
{
  printf 'fp8lab-result\t1\ntool\tverify\nseed\t7\nparams\tlevel=1 random=-1 max-errors=10\nshard\t2/2\n'
  awk 'BEGIN { for (i = 0; i < 10000; i++) printf "row\tc%d\t-\t1\t0\t0123456789abcdef\t5\t1\t-\n", i }' </dev/null
  printf 'end\t10000\n'
} > "$tmp/many.res"
expect_usage "10,000 rows" "more than 4096 rows" -- "$FP8LAB" verify --merge "$tmp/a.res" "$tmp/many.res"

res "$tmp/c.res" 2/2 10 11 1.0
expect_usage "more mismatches than vectors" "c.res:6: fp8-e4/fp16: 11 mismatches of 10 vectors" -- \
  "$FP8LAB" verify --merge "$tmp/a.res" "$tmp/c.res"
res "$tmp/n.res" 2/2 10 0 nan
expect_usage "nan seconds" "n.res:6: bad seconds 'nan'" -- "$FP8LAB" verify --merge "$tmp/a.res" "$tmp/n.res"
res "$tmp/i.res" 2/2 10 0 inf
expect_usage "inf seconds" "i.res:6: bad seconds 'inf'" -- "$FP8LAB" verify --merge "$tmp/a.res" "$tmp/i.res"
res "$tmp/z.res" 2/2 10 0 1.0 norow
expect_usage "a file of no row" "z.res: no rows" -- "$FP8LAB" verify --merge "$tmp/a.res" "$tmp/z.res"
expect_usage "--merge --shard" "--merge takes no --shard (.*got --shard 1/2)" -- \
  "$FP8LAB" verify --shard 1/2 --merge "$tmp/a.res"

# a good pair merges (the checks above are not a merge that always fails)
res "$tmp/g1.res" 1/2 10 0 1.0
res "$tmp/g2.res" 2/2 20 0 2.0
"$FP8LAB" verify --merge "$tmp/g1.res" "$tmp/g2.res" >"$tmp/out" 2>&1 || fail "a good pair: exit $?: $(cat "$tmp/out")"
grep -q "^30 vectors checked, 0 mismatches" "$tmp/out" || fail "a good pair: $(cat "$tmp/out")"

"$FP8LAB" verify --merge "$tmp/g1.res" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "shard 2/2 is missing" "$tmp/err" || fail "missing shard: exit $rc: $(cat "$tmp/err")"
grep -q -- "--merge: --merge" "$tmp/err" && fail "doubled prefix: $(cat "$tmp/err")"

"$FP8LAB" verify --list >"$tmp/list" 2>&1
if grep -q "built without Verilator" "$tmp/list"; then
  echo "no Verilator: --result into a missing folder not checked"
else
  "$FP8LAB" verify --config fp8-e4/fp16 --result "$tmp/none/x.res" >"$tmp/out" 2>"$tmp/err"; rc=$?
  [ $rc -ne 0 ] && grep -q "none" "$tmp/err" || fail "--result into a missing folder: exit $rc: $(cat "$tmp/err")"
  [ -s "$tmp/out" ] && fail "--result into a missing folder ran the work first: $(cat "$tmp/out")"
fi
finish verify_merge
