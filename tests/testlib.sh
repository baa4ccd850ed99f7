# testlib.sh - sourced by the CLI test scripts (make check exports FP8LAB and
# top_srcdir): strict variables, a private temporary folder removed on exit,
# fail to count a failed check, finish to print the verdict and exit;
# expect_out and expect_usage check one command's output or usage error.
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
# expect_out DESCRIPTION EXPECTED -- COMMAND...: stdout must equal EXPECTED, exit 0
expect_out() {
  desc=$1 want=$2
  shift 3
  got=$("$@" 2>"$tmp/err") || { fail "$desc: exit $? ($(cat "$tmp/err"))"; return; }
  [ "$got" = "$want" ] || fail "$desc: got '$got', expected '$want'"
}
# expect_usage DESCRIPTION MESSAGE_PART -- COMMAND...: exit 2, stderr names MESSAGE_PART
expect_usage() {
  desc=$1 part=$2
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
  [ $rc -eq 2 ] || fail "$desc: exit $rc, expected 2"
  grep -q -- "$part" "$tmp/err" || fail "$desc: message '$(cat "$tmp/err")' does not name '$part'"
}
