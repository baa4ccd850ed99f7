#!/bin/sh
# Issue 10: the control-protocol phase and the loaded states of fp8lab verify
# catch what every datapath check passes.  Each deliberately broken unit of
# tests/verify_bug (sim/models_bug.c) must be reported (exit 1, the mismatch
# named), its vector file must reproduce the mismatch on the broken build and
# pass on the real RTL of the same configuration.
[ -x "${VERIFY_BUG:-}" ] || { echo "no broken build (no Verilator): skipped"; exit 77; }
. "$top_srcdir/tests/testlib.sh"
seed=${FP8LAB_SEED:-11}
echo "seed $seed (override with FP8LAB_SEED)"

# caught CONFIG REAL_CONFIG PATTERN: the broken CONFIG fails with PATTERN in
# its report; its vectors fail on the broken unit and pass on REAL_CONFIG.
caught() {
  cfg=$1 real=$2 pat=$3
  "$VERIFY_BUG" --config "$cfg" --seed "$seed" --random 1000 --max-errors 3 --vectors "$tmp" \
    >"$tmp/out" 2>"$tmp/err"; rc=$?
  cat "$tmp/err"
  [ $rc -eq 1 ] || { fail "$cfg: expected exit 1, got $rc"; return; }
  grep -q "MISMATCH $cfg" "$tmp/err" || { fail "$cfg: no mismatch report"; return; }
  grep -q -- "$pat" "$tmp/err" || fail "$cfg: report lacks '$pat'"
  vec="$tmp/mismatch-$(printf '%s' "$cfg" | tr '/:' '--').vec"
  [ -s "$vec" ] || { fail "$cfg: no vector file $vec"; return; }
  "$VERIFY_BUG" --replay "$vec" >"$tmp/r1" 2>&1; rc=$?
  [ $rc -eq 1 ] && grep -q "3 mismatches" "$tmp/r1" || { cat "$tmp/r1"; fail "$cfg: replay on the broken unit: exit $rc"; }
  sed "s|^config.*|config	$real|" "$vec" > "$tmp/real.vec"
  "$FP8LAB" verify --replay "$tmp/real.vec" >"$tmp/r2" 2>&1; rc=$?
  [ $rc -eq 0 ] && grep -q "3 vectors checked, 0 mismatches" "$tmp/r2" \
    || { cat "$tmp/r2"; fail "$cfg: replay on the real $real: exit $rc"; }
}

caught "int8/kulisch27+load-over-clear" int8/kulisch27 "rst=0 clear=1 load=1"
caught "int8/kulisch27+no-hold" int8/kulisch27 "load=0 en=0"
caught "int8/kulisch27+reset-keeps-flags" int8/kulisch27 "before the clock edge"
grep -q "inputs       rst=1" "$tmp/err" || fail "reset-keeps-flags: the first mismatch is not under reset"
caught "float8_e5m2/fp32+nan-low-bit" float8_e5m2/fp32 "state before acc=0x[7f]f800001"
grep -E -q "^load	[7f]f800001	" "$tmp/mismatch-float8_e5m2-fp32+nan-low-bit.vec" \
  || fail "nan-low-bit: the vectors do not start from the NaN whose payload is the low bit"
finish verify_protocol_bug
