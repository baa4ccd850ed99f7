#!/bin/sh
# tests/exhaustive_cast --shard K/N, --result and --merge on a sample of the
# float32 inputs (every 2^12-th: 2^20 inputs, float8_e4m3fn and float8_e5m2):
# the unsharded run checks exactly 2^20 inputs per row; for N = 3 and N = 5 each
# shard checks a real part, the parts add up (summed here) to 2^20, and the
# merged rows (counts, mismatches, digest) equal the unsharded run's; a shard of
# another sample or another N is refused.
. "$top_srcdir/tests/testlib.sh"
[ -x "${EXHAUSTIVE_CAST:-}" ] || { echo "EXHAUSTIVE_CAST unset: run through make check"; exit 99; }
x() { "$EXHAUSTIVE_CAST" --sample-bits 20 "$@" float8_e4m3fn float8_e5m2; }
rows() { awk -F '\t' '$1 == "row" { print $2, $4, $5, $6 }' "$1"; }
x --result "$tmp/full.res" >"$tmp/full.out" 2>&1 || { fail "unsharded run exited non-zero"; cat "$tmp/full.out"; }
[ "$(rows "$tmp/full.res" | awk '$2 == 1048576 && $3 == 0' | wc -l)" -eq 4 ] \
  || fail "expected 4 rows of 2^20 inputs and no mismatch: $(rows "$tmp/full.res")"
for n in 3 5; do
  files=
  for k in $(seq 1 $n); do
    x --shard "$k/$n" --result "$tmp/s$k-$n.res" >"$tmp/s.out" 2>&1 || { fail "shard $k/$n failed"; cat "$tmp/s.out"; }
    files="$files $tmp/s$k-$n.res"
  done
  for row in $(rows "$tmp/full.res" | cut -d' ' -f1); do
    sum=0
    for f in $files; do
      part=$(rows "$f" | awk -v c="$row" '$1 == c { print $2 }')
      [ "$part" -gt 0 ] && [ "$part" -lt 1048576 ] || fail "N=$n: $f checks $part inputs of $row"
      sum=$((sum + part))
    done
    [ "$sum" -eq 1048576 ] || fail "N=$n $row: the shards check $sum inputs, not 2^20"
  done
  "$EXHAUSTIVE_CAST" --merge --result "$tmp/m$n.res" $files >"$tmp/m.out" 2>&1 \
    || { fail "merge of $n shards failed"; cat "$tmp/m.out"; }
  [ "$(rows "$tmp/m$n.res")" = "$(rows "$tmp/full.res")" ] || fail "N=$n: merged rows differ from the unsharded run"
done
cat "$tmp/m.out"
"$EXHAUSTIVE_CAST" --sample-bits 19 --shard 2/3 --result "$tmp/other.res" float8_e4m3fn float8_e5m2 >/dev/null 2>&1
"$EXHAUSTIVE_CAST" --merge "$tmp/s1-3.res" "$tmp/other.res" "$tmp/s3-3.res" >"$tmp/bad.out" 2>&1 \
  && fail "merged a shard of another sample"
grep -q "other.res: parameters 'modes=rne sample-bits=19" "$tmp/bad.out" || { fail "foreign sample not named"; cat "$tmp/bad.out"; }
"$EXHAUSTIVE_CAST" --merge "$tmp/s1-3.res" "$tmp/s2-5.res" "$tmp/s3-3.res" >"$tmp/bad.out" 2>&1 \
  && fail "merged a shard of another N"
"$EXHAUSTIVE_CAST" --shard 3/2 float8_e4m3fn >"$tmp/bad.out" 2>&1
[ $? -eq 2 ] && grep -q "'3/2' is not a shard" "$tmp/bad.out" || fail "--shard 3/2 not refused"
finish exhaustive_shard
