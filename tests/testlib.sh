# testlib.sh - sourced by the CLI test scripts (make check exports FP8LAB and
# top_srcdir): strict variables, a private temporary folder removed on exit,
# fail to count a failed check, finish to print the verdict and exit.
set -u
: "${FP8LAB:?FP8LAB is unset: run through make check}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fp8lab-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# finish NAME: exit 0 when every check passed, 1 otherwise.
finish() {
  if [ "$fails" -eq 0 ]; then echo "$1: all checks passed"; exit 0; fi
  echo "$1: $fails check(s) failed"
  exit 1
}
