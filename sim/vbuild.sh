#!/bin/sh
# vbuild.sh - Verilate one MAC top and compile it with the shim into one object.
#
#   vbuild.sh OUT.o TOP TOPFILE SRCDIR [VERILATOR ARGS...]
# Environment: VERILATOR (the program), CXX, SIM_CXXFLAGS; FP8SIM_NAME, the
# name of the model's C symbols and C++ class (default TOP: a deliberately
# broken build of a top takes another name, so both link into one program).
# Verilator's C++ goes to a temporary directory and is compiled as one unit
# (one g++ run per model: the cheapest build for a CI with 2 cores); the
# object appears atomically, so an interrupted build never leaves half of one.
set -eu
out=$1 top=$2 topfile=$3 srcdir=$4
shift 4
name=${FP8SIM_NAME:-$top}
: "${VERILATOR:=verilator}" "${CXX:=g++}" "${SIM_CXXFLAGS:=-O2}"
root=$("$VERILATOR" --getenv VERILATOR_ROOT)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fp8vb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
"$VERILATOR" --cc -O3 --x-assign fast --x-initial fast --top-module "$top" --prefix "V$name" \
  -Mdir "$tmp" "$@" "$srcdir/rtl/fp8lab.vlt" "$srcdir"/rtl/fp8_*.sv "$topfile"
for f in "$tmp/V$name"*.cpp; do printf '#include "%s"\n' "$f"; done > "$tmp/unity.cpp"
printf '#include "%s"\n' "$srcdir/sim/shim.cpp" >> "$tmp/unity.cpp"
# shellcheck disable=SC2086
$CXX $SIM_CXXFLAGS -w -DFP8SIM_TOP="$name" -I"$tmp" -I"$root/include" -I"$root/include/vltstd" \
  -c "$tmp/unity.cpp" -o "$out.tmp"
mv -f "$out.tmp" "$out"
