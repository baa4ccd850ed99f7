#!/bin/sh
# run.sh - 'make fuzz': build every harness of tests/fuzz with clang
# -fsanitize=fuzzer,address,undefined and run each for FUZZ_SECONDS (default
# 60), starting from the committed corpus tests/fuzz/corpus/TARGET.  Inputs
# that reach new code are merged into that corpus (commit them: make check
# replays them under ASan+UBSan); a crash is saved as
# tests/fuzz/crash-TARGET-* and fails the run.  Called by make with:
#   FUZZ_CC FUZZ_SECONDS FUZZ_TARGETS FUZZ_SOURCES FUZZ_LINK FUZZ_INCLUDES
#   FUZZ_SRCDIR (abs top_srcdir) FUZZ_BUILDDIR (abs top_builddir) FUZZ_PKGDATADIR
# Extra libFuzzer options: FUZZ_FLAGS (e.g. FUZZ_FLAGS=-jobs=2).
set -u
cc=${FUZZ_CC:?}
secs=${FUZZ_SECONDS:-60}
src=${FUZZ_SRCDIR:?}
build=${FUZZ_BUILDDIR:?}/tests/fuzz/build
mkdir -p "$build/obj" || exit 1
flags="-g -O1 -std=c11 -D_GNU_SOURCE -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
# (quoted for the eval below: paths without single quotes)
defs="-DFP8_PKGDATADIR='\"${FUZZ_PKGDATADIR:?}\"' -DFP8_ABS_SRCDIR='\"$src\"' -DFP8_ABS_BUILDDIR='\"${FUZZ_BUILDDIR}\"'"

# 1. the program's sources, once, instrumented for coverage (fuzzer-no-link)
objs=""
for s in $FUZZ_SOURCES; do
  case $s in *.c) ;; *) continue ;; esac
  case $s in /*) f=$s ;; *) f=$src/$s ;; esac   # absolute: generated in the build tree
  o="$build/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')"
  if [ ! -f "$o" ] || [ "$f" -nt "$o" ]; then
    echo "  CC(fuzz) $s"
    eval "$cc $flags -fsanitize=fuzzer-no-link $defs $FUZZ_INCLUDES -c \"$f\" -o \"$o\"" || exit 1
  fi
  objs="$objs $o"
done

# 2. one binary per harness, run from its corpus; new inputs merged back
status=0
for t in $FUZZ_TARGETS; do
  bin="$build/fuzz_$t"
  echo "  LINK(fuzz) $bin"
  eval "$cc $flags -fsanitize=fuzzer $defs $FUZZ_INCLUDES \"$src/tests/fuzz/fuzz_$t.c\" $objs $FUZZ_LINK -o \"$bin\"" ||
    exit 1
  corpus="$src/tests/fuzz/corpus/$t"
  work="$build/work-$t"
  mkdir -p "$corpus" "$work"
  echo "== fuzz_$t: $secs s from $(ls "$corpus" | wc -l) corpus inputs"
  rm -rf "$build/tmp" && mkdir -p "$build/tmp" || exit 1
  TMPDIR="$build/tmp" "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -artifact_prefix="$src/tests/fuzz/crash-$t-" ${FUZZ_FLAGS:-} "$work" "$corpus" \
    >"$build/fuzz_$t.log" 2>&1
  rc=$?
  tail -n 3 "$build/fuzz_$t.log" | sed 's/^/   /'
  if [ "$rc" -ne 0 ]; then
    echo "fuzz_$t: FAILED (exit $rc): see $build/fuzz_$t.log and $src/tests/fuzz/crash-$t-*"
    status=1
    continue
  fi
  # keep only inputs that add coverage
  TMPDIR="$build/tmp" "$bin" -merge=1 "$corpus" "$work" >"$build/merge_$t.log" 2>&1 || status=1
  echo "   corpus now $(ls "$corpus" | wc -l) inputs"
done
exit $status
