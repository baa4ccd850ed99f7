#!/bin/sh
# fuzz.sh - every input in the committed fuzz corpora (tests/fuzz/corpus/TARGET,
# grown by 'make fuzz', crashes included once fixed) replayed through its
# harness, built with ASan + UBSan when the compiler has them: an input that
# ever crashed stays a test.  Seconds.
. "${top_srcdir:?}/tests/testlib.sh"
: "${FUZZ_REPLAY:?}"
[ "${HAVE_SAN:-no}" = yes ] || echo "note: the compiler has no ASan/UBSan: replaying without sanitizers"
export ASAN_OPTIONS="abort_on_error=0:detect_leaks=1:exitcode=23"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
n=0
built=$("$FUZZ_REPLAY" --targets) || fail "fuzz_replay --targets"
for dir in "$top_srcdir"/tests/fuzz/corpus/*/; do
  t=$(basename "$dir")
  if ! echo "$built" | grep -qx "$t"; then   # a reader this build left out (no protobuf-c)
    echo "note: fuzz target $t is not built here; its corpus is not replayed"
    continue
  fi
  set -- "$dir"*
  [ -e "$1" ] || { fail "corpus $t is empty"; continue; }
  TMPDIR="$tmp" "$FUZZ_REPLAY" "$t" "$@" 2>"$tmp/log"
  st=$?
  if [ "$st" -ne 0 ]; then
    fail "fuzz target $t: exit status $st on $(grep "^$t " "$tmp/log" | tail -n 1)"
    grep -v "^$t " "$tmp/log" | head -n 30
  fi
  n=$((n + $#))
done
[ "$n" -gt 0 ] || fail "no corpus inputs found"
echo "replayed $n inputs"
finish fuzz
