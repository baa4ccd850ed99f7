#!/bin/sh
# fp8lab verify at level 1 over every configuration: all agree, every
# configuration of rtl/tops/configs.tsv is reported, and the seed is printed.
seed=${FP8LAB_SEED:-20260401}
echo "seed $seed (override with FP8LAB_SEED)"
out=$("$FP8LAB" verify --seed "$seed" --tsv 2>verify.err); rc=$?
cat verify.err
if grep -q "built without Verilator" verify.err; then rm -f verify.err; exit 77; fi
printf '%s\n' "$out"
grep -q "seed $seed" verify.err || { echo "seed not printed"; exit 1; }
rm -f verify.err
[ $rc -eq 0 ] || { echo "verify exited $rc"; exit 1; }
# MACs (tops mac_*) check over 1M steps each; dot-product units (dot_*) over 100k steps
want=$(awk -F '\t' 'NR > 1 && $2 ~ /^mac_/' "$top_srcdir/rtl/tops/configs.tsv" | wc -l)
got=$(printf '%s\n' "$out" | awk -F '\t' 'NR > 1 && $2 ~ /^mac_/ && $4 == 0 && $3 > 1000000' | wc -l)
[ "$got" -eq "$want" ] || { echo "expected $want configurations with >1M vectors and 0 mismatches, got $got"; exit 1; }
want=$(awk -F '\t' 'NR > 1 && $2 ~ /^dot_/' "$top_srcdir/rtl/tops/configs.tsv" | wc -l)
got=$(printf '%s\n' "$out" | awk -F '\t' 'NR > 1 && $2 ~ /^dot_/ && $4 == 0 && $3 > 100000' | wc -l)
[ "$got" -eq "$want" ] || { echo "expected $want dot-product units with >100k steps and 0 mismatches, got $got"; exit 1; }
