#!/bin/sh
# vbuild.sh - Verilate one MAC top and compile it with the shim into one object.
#
#   vbuild.sh OUT.o TOP TOPFILE SRCDIR [VERILATOR ARGS...]
# Environment: VERILATOR (the program), CXX, SIM_CXXFLAGS; FP8SIM_NAME, the
# name of the model's C symbols and C++ class (default TOP: a deliberately
# broken build of a top takes another name, so both link into one program);
# FP8SIM_SHARED=1 makes OUT a shared object with its own runtime (see below).
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
if [ -n "${FP8SIM_SHARED:-}" ]; then
  # A self-contained shared object for dlopen (verify --coverage): the model,
  # the shim and its own Verilator runtime, built with VM_COVERAGE when the
  # VERILATOR ARGS ask for coverage.
  cov=0
  for a in "$@"; do case $a in --coverage*) cov=1 ;; esac; done
  for f in verilated.cpp verilated_cov.cpp verilated_threads.cpp; do
    printf '#include "%s/include/%s"\n' "$root" "$f"
  done >> "$tmp/unity.cpp"
  # shellcheck disable=SC2086
  $CXX $SIM_CXXFLAGS -w -fPIC -shared -Wl,-Bsymbolic -DVM_COVERAGE=$cov -DFP8SIM_TOP="$name" -I"$tmp" \
    -I"$root/include" -I"$root/include/vltstd" "$tmp/unity.cpp" -o "$out.tmp" -lpthread
else
  # shellcheck disable=SC2086
  $CXX $SIM_CXXFLAGS -w -DFP8SIM_TOP="$name" -I"$tmp" -I"$root/include" -I"$root/include/vltstd" \
    -c "$tmp/unity.cpp" -o "$out.tmp"
fi
mv -f "$out.tmp" "$out"
