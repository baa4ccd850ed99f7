#!/bin/sh
# Usage errors of fp8lab verify: exit 2 and a message naming the bad value.
fail=0
check() { # expected-status pattern args...
  want=$1 pat=$2; shift 2
  "$FP8LAB" verify "$@" >out.$$ 2>&1; rc=$?
  if [ $rc -ne "$want" ] || ! grep -q -- "$pat" out.$$; then
    echo "verify $*: expected exit $want and '$pat', got $rc:"; cat out.$$; fail=1
  fi
  rm -f out.$$
}
check 2 "'4' is not a whole number in 1..3" --level 4
check 2 "'x' is not a whole number" --random x
check 2 "unexpected argument 'extra'" extra
check 0 "Usage: fp8lab verify" --help
"$FP8LAB" verify --list >out.$$ 2>&1
if grep -q "built without Verilator" out.$$; then rm -f out.$$; exit $fail; fi
rm -f out.$$
check 2 "unknown configuration 'fp8-e9/fp16'" --config fp8-e9/fp16
check 0 "mac_fp8_e4_fp16" --list
exit $fail
