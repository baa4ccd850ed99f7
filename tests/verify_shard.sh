#!/bin/sh
# fp8lab verify --shard K/N, --result and --merge on a small campaign (two
# configurations, level 1, 70000 random steps: two random units):
#  - for N = 3 and N = 4 the shards are disjoint, each does a real part, their
#    vector counts add up (summed here from the files, not by the merge) to the
#    unsharded run's, and the merged digest equals the unsharded digest, while
#    another seed gives the same counts but another digest;
#  - level 3 adds 64 random states x all pairs to level 2;
#  - --merge refuses a missing, a duplicated and a foreign shard (other seed,
#    other N, other level, other configurations, another stimulus: a different
#    number of units) and a truncated file;
#  - a mismatch planted in one shard (shard 4 of 4 from the deliberately broken
#    build of tests/verify_bug.sh) is reported by the merge with its replay
#    file, which reproduces it on the broken build and passes on the real RTL.
. "$top_srcdir/tests/testlib.sh"
"$FP8LAB" verify --list >"$tmp/list" 2>&1
if grep -q "built without Verilator" "$tmp/list"; then echo "no Verilator: skipped"; exit 77; fi
seed=${FP8LAB_SEED:-20260418}
echo "seed $seed (override with FP8LAB_SEED)"
campaign="--config fp8-e4/fp16 --config fp8-e4/fp32 --random 70000"

# run NAME ARGS...: fp8lab verify with the campaign, result in $tmp/NAME.res
run() {
  name=$1; shift
  "$FP8LAB" verify $campaign --vectors "$tmp" --result "$tmp/$name.res" "$@" >"$tmp/$name.out" 2>&1 \
    || { fail "verify $* exited non-zero"; cat "$tmp/$name.out"; }
}
# rows FILE: config, checked, mismatches, digest of each row
rows() { awk -F '\t' '$1 == "row" { print $2, $4, $5, $6 }' "$1"; }

run full --seed "$seed"
[ "$(rows "$tmp/full.res" | wc -l)" -eq 2 ] || fail "the unsharded result has not 2 rows"
for n in 3 4; do
  files=
  for k in $(seq 1 $n); do
    run "s$k-$n" --seed "$seed" --shard "$k/$n"
    files="$files $tmp/s$k-$n.res"
  done
  # each shard does a real, partial share of every configuration
  for cfg in fp8-e4/fp16 fp8-e4/fp32; do
    full=$(rows "$tmp/full.res" | awk -v c="$cfg" '$1 == c { print $2 }')
    sum=0
    for f in $files; do
      part=$(rows "$f" | awk -v c="$cfg" '$1 == c { print $2 }')
      [ "$part" -gt 0 ] && [ "$part" -lt "$full" ] || fail "N=$n: $f checks $part of $full vectors of $cfg"
      sum=$((sum + part))
    done
    [ "$sum" -eq "$full" ] || fail "N=$n $cfg: the shards check $sum vectors, the unsharded run $full"
  done
  "$FP8LAB" verify --merge --result "$tmp/m$n.res" $files >"$tmp/m$n.out" 2>&1 \
    || { fail "merge of the $n shards exited non-zero"; cat "$tmp/m$n.out"; }
  [ "$(rows "$tmp/m$n.res")" = "$(rows "$tmp/full.res")" ] \
    || fail "N=$n: merged rows differ from the unsharded run: $(rows "$tmp/m$n.res") vs $(rows "$tmp/full.res")"
  grep -q "vectors checked, 0 mismatches" "$tmp/m$n.out" || fail "N=$n: no totals line in the merge"
done
cat "$tmp/m4.out"
run other --seed $((seed + 1))
[ "$(rows "$tmp/other.res" | cut -d' ' -f1-3)" = "$(rows "$tmp/full.res" | cut -d' ' -f1-3)" ] \
  || fail "another seed changed the vector counts"
[ "$(rows "$tmp/other.res" | cut -d' ' -f4)" != "$(rows "$tmp/full.res" | cut -d' ' -f4)" ] \
  || fail "another seed gave the same digest: the digest does not see the vectors"

# level 3 adds all 65,536 pairs from 64 random accumulator states to level 2
# (random steps set to 0 in both, so the difference is exactly that)
for l in 2 3; do
  "$FP8LAB" verify --config int8/kulisch27 --level $l --random 0 --seed "$seed" --result "$tmp/l$l.res" \
    >/dev/null 2>&1 || fail "level $l exited non-zero"
done
l2=$(rows "$tmp/l2.res" | cut -d' ' -f2); l3=$(rows "$tmp/l3.res" | cut -d' ' -f2)
[ $((l3 - l2)) -eq $((64 * 65536)) ] || fail "level 3 checks $l3 vectors, level 2 $l2: expected 64 x 65536 more"

# refuse: merge_fails PATTERN FILE...
merge_fails() {
  pat=$1; shift
  "$FP8LAB" verify --merge "$@" >"$tmp/bad.out" 2>&1; rc=$?
  [ $rc -ne 0 ] && grep -q -- "$pat" "$tmp/bad.out" \
    || { fail "merge of $* should fail with '$pat' (exit $rc)"; cat "$tmp/bad.out"; }
}
merge_fails "shard 2/3 is missing" "$tmp/s1-3.res" "$tmp/s3-3.res"
merge_fails "s1-3.res: shard 1/3 again (also in" "$tmp/s1-3.res" "$tmp/s2-3.res" "$tmp/s1-3.res" "$tmp/s3-3.res"
run foreign --seed $((seed + 1)) --shard 2/3
merge_fails "foreign.res: seed $((seed + 1)), .* has seed $seed" "$tmp/s1-3.res" "$tmp/foreign.res" "$tmp/s3-3.res"
merge_fails "s2-4.res: shard 2/4, .* is a shard of 3" "$tmp/s1-3.res" "$tmp/s2-4.res" "$tmp/s3-3.res"
sed 's/^params\tlevel=1/params\tlevel=2/' "$tmp/s2-3.res" > "$tmp/lvl.res"
merge_fails "lvl.res: parameters 'level=2" "$tmp/s1-3.res" "$tmp/lvl.res" "$tmp/s3-3.res"
grep -v "fp8-e4/fp32" "$tmp/s2-3.res" | sed 's/^end\t2/end\t1/' > "$tmp/cfg.res"
merge_fails "cfg.res: its configurations" "$tmp/s1-3.res" "$tmp/cfg.res" "$tmp/s3-3.res"
awk -F '\t' -v OFS='\t' '$1 == "row" && $2 == "fp8-e4/fp32" { $7 = $7 + 1 } 1' "$tmp/s2-3.res" > "$tmp/stim.res"
merge_fails "stim.res: fp8-e4/fp32 has .* units, in .* not the same stimulus" "$tmp/s1-3.res" "$tmp/stim.res" \
  "$tmp/s3-3.res"
grep -v "^end" "$tmp/s2-3.res" > "$tmp/cut.res"
merge_fails "cut.res: incomplete: no end line" "$tmp/s1-3.res" "$tmp/cut.res" "$tmp/s3-3.res"
merge_fails "no result files given"
"$FP8LAB" verify --shard 0/3 >"$tmp/bad.out" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "'0/3' is not a shard K/N" "$tmp/bad.out" || fail "--shard 0/3: exit $rc"
"$FP8LAB" verify --shard 4/3 >"$tmp/bad.out" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "'4/3' is not a shard K/N" "$tmp/bad.out" || fail "--shard 4/3: exit $rc"

# a mismatch planted in shard 4 of 4
if [ -x "${VERIFY_BUG:-}" ]; then
  mkdir "$tmp/bug"
  "$VERIFY_BUG" $campaign --seed "$seed" --shard 4/4 --vectors "$tmp/bug" --result "$tmp/bug4.res" \
    >"$tmp/bug.out" 2>&1; rc=$?
  [ $rc -eq 1 ] || { fail "the broken build's shard exited $rc, expected 1"; cat "$tmp/bug.out"; }
  "$FP8LAB" verify --merge "$tmp/s1-4.res" "$tmp/s2-4.res" "$tmp/s3-4.res" "$tmp/bug4.res" >"$tmp/pm.out" 2>&1
  rc=$?
  cat "$tmp/pm.out"
  [ $rc -eq 1 ] || fail "merge with a planted mismatch exited $rc, expected 1"
  grep -q "first mismatch of fp8-e4/fp16 (shard 4, unit" "$tmp/pm.out" || fail "merge does not name shard 4"
  vec=$(sed -n 's/^  replay: fp8lab verify --replay //p' "$tmp/pm.out" | head -1)
  [ "$vec" = "$tmp/bug/mismatch-fp8-e4-fp16.shard4of4.vec" ] || fail "replay file '$vec' is not shard 4's"
  if [ -s "$vec" ]; then
    "$VERIFY_BUG" --replay "$vec" >"$tmp/r1" 2>&1 && fail "the replay passed on the broken build"
    grep -q " 0 mismatches" "$tmp/r1" && fail "the replay did not reproduce the mismatch"
    "$FP8LAB" verify --replay "$vec" >"$tmp/r2" 2>&1 || fail "the replay failed on the real RTL"
    grep -q " 0 mismatches" "$tmp/r2" || fail "the replay on the real RTL is not clean"
  else
    fail "no replay file written by shard 4"
  fi
fi
finish verify_shard
