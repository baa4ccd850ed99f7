#!/bin/sh
# One table of RTL units: the dot-product units go through the same campaign
# machinery as the MACs (they are the units of n > 1, a MAC the unit of n = 1).
#  - verify --list shows every row of rtl/tops/configs.tsv once, with its unit;
#  - a dot unit's campaign is split across --shard K/N: for N = 3 each shard
#    checks a real, partial share, the shares add up to the unsharded count,
#    and the merge's digest equals the unsharded one;
#  - its digest sees the vectors: nonzero, and another seed or level changes it;
#  - verify --coverage covers a dot unit too (rows for its blocks, bits toggled).
. "$top_srcdir/tests/testlib.sh"
"$FP8LAB" verify --list --tsv >"$tmp/list" 2>&1
if grep -q "built without Verilator" "$tmp/list"; then echo "no Verilator: skipped"; exit 77; fi
rows=$(awk -F '\t' 'NR > 1 && NF == 4 && $1 !~ /^#/' "$top_srcdir/rtl/tops/configs.tsv" | wc -l)
[ "$(tail -n +2 "$tmp/list" | wc -l)" -eq "$rows" ] || fail "verify --list: $(tail -n +2 "$tmp/list" | wc -l) units, configs.tsv has $rows rows"
grep -q "^int8/kulisch27:n=4	dot_int8_n4_k27	int8	kulisch:27:n=4$" "$tmp/list" || fail "verify --list lacks int8/kulisch27:n=4"
grep -q "^fp8-e4/fp16	mac_fp8_e4_fp16	fp8-e4	fp16$" "$tmp/list" || fail "verify --list lacks fp8-e4/fp16"

cfg=int8/kulisch27:n=4
seed=${FP8LAB_SEED:-20261206}
echo "seed $seed (override with FP8LAB_SEED)"
# res NAME ARGS...: the row of a run into NAME.res: checked mismatches digest
res() {
  name=$1; shift
  "$FP8LAB" verify --config "$cfg" --random 140000 --result "$tmp/$name.res" "$@" >"$tmp/$name.out" 2>&1 \
    || { fail "verify $*: exit $?"; cat "$tmp/$name.out"; }
  awk -F '\t' '$1 == "row" { print $4, $5, $6 }' "$tmp/$name.res"
}
full=$(res full --seed "$seed")
set -- $full
fchecked=$1 fdigest=$3
[ "$fdigest" != 0000000000000000 ] || fail "the digest of $cfg is zero: it does not see the vectors"
other=$(res other --seed $((seed + 1)))
[ "$(echo "$other" | cut -d' ' -f3)" != "$fdigest" ] || fail "another seed gave the same digest"
lvl=$(res lvl --seed "$seed" --level 2)
[ "$(echo "$lvl" | cut -d' ' -f3)" != "$fdigest" ] || fail "level 2 gave the digest of level 1"
sum=0 files=
for k in 1 2 3; do
  part=$(res "s$k" --seed "$seed" --shard "$k/3" | cut -d' ' -f1)
  [ "$part" -gt 0 ] && [ "$part" -lt "$fchecked" ] || fail "shard $k/3 checks $part of $fchecked vectors"
  sum=$((sum + part))
  files="$files $tmp/s$k.res"
done
[ "$sum" -eq "$fchecked" ] || fail "the 3 shards check $sum vectors, the unsharded run $fchecked"
"$FP8LAB" verify --merge --result "$tmp/m.res" $files >"$tmp/m.out" 2>&1 || { fail "merge: exit $?"; cat "$tmp/m.out"; }
[ "$(awk -F '\t' '$1 == "row" { print $4, $5, $6 }' "$tmp/m.res")" = "$full" ] \
  || fail "merged row $(awk -F '\t' '$1 == "row" { print $4, $5, $6 }' "$tmp/m.res"), unsharded $full"

mkdir "$tmp/t"
TMPDIR="$tmp/t" "$FP8LAB" verify --coverage --config "$cfg" --seed "$seed" --random 1000 --vectors "$tmp" --tsv \
  >"$tmp/cov" 2>"$tmp/cov.err"; rc=$?
[ $rc -eq 0 ] || { cat "$tmp/cov.err"; fail "verify --coverage $cfg: exit $rc"; }
for b in fp8_dot_kulisch fp8_dot_csa fp8_kulisch_acc; do
  row=$(awk -F '\t' -v c="$cfg" -v b="$b" '$1 == c && $2 == b' "$tmp/cov")
  [ -n "$row" ] || { fail "coverage: no row for block $b"; continue; }
  bits=$(printf '%s\n' "$row" | cut -f 5)
  [ "${bits%/*}" -gt 0 ] || fail "coverage: $b has no toggle bit hit ($row)"
done
finish rtl_verify_units
