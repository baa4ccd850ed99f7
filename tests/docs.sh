#!/bin/sh
# docs.sh - the documentation tells the truth about the CLI: every subcommand in
# the command table ('fp8lab help') has a section in fp8lab(1), answers --help,
# and is shown in the README; every long option a command's --help lists is in
# the man page.  The table is the single source; this test keeps the docs on it.
. "${top_srcdir:?}/tests/testlib.sh"
man="$top_srcdir/man/fp8lab.1"
readme="$top_srcdir/README.md"

cmds=$("$FP8LAB" help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ] || fail "fp8lab help lists no commands"
for c in $cmds; do
  [ "$c" = help ] && continue
  grep -q "^\.SS $c\$" "$man" || fail "fp8lab(1) has no section '.SS $c'"
  grep -q "fp8lab $c" "$readme" || fail "README.md never shows 'fp8lab $c'"
  out=$("$FP8LAB" "$c" --help) || fail "fp8lab $c --help exits non-zero"
  [ -n "$out" ] || fail "fp8lab $c --help prints nothing"
  for opt in $(printf '%s\n' "$out" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
    [ "$opt" = --help ] && continue
    esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
    grep -q -- "$esc" "$man" || grep -q -- "$opt" "$man" || fail "fp8lab $c: option $opt is not in fp8lab(1)"
  done
done
# exit codes documented as the program uses them
grep -q '^\.SH EXIT STATUS' "$man" || fail "fp8lab(1) has no EXIT STATUS"
"$FP8LAB" no-such-command >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown command does not exit 2"
"$FP8LAB" --version | grep -q '^fp8lab ' || fail "--version"
finish docs.sh
