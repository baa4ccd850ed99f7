#!/bin/sh
# docs.sh - the documentation tells the truth about the CLI and about itself:
# every subcommand in the command table ('fp8lab help') has a section in
# fp8lab(1), answers --help, is shown in the README's tour and in the user
# guide (doc/guide.md); every long option a command's --help lists is in the
# man page; every relative link of the README, doc/ and the folder READMEs
# names a file that exists, and every '#anchor' a heading of the file it
# points into.  The table is the single source; this test keeps the docs on it.
. "${top_srcdir:?}/tests/testlib.sh"
man="$top_srcdir/man/fp8lab.1"
readme="$top_srcdir/README.md"
guide="$top_srcdir/doc/guide.md"
[ -f "$guide" ] || fail "doc/guide.md is missing"
[ -f "$top_srcdir/doc/DESIGN.md" ] || fail "doc/DESIGN.md is missing"

cmds=$("$FP8LAB" help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ] || fail "fp8lab help lists no commands"
for c in $cmds; do
  [ "$c" = help ] && continue
  grep -q "^\.SS $c\$" "$man" || fail "fp8lab(1) has no section '.SS $c'"
  grep -q "fp8lab $c" "$readme" || fail "README.md never shows 'fp8lab $c'"
  grep -q "fp8lab $c" "$guide" || fail "doc/guide.md never shows 'fp8lab $c'"
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

# The README stays a five-minute read; the detail lives in doc/guide.md.
n=$(wc -l < "$readme")
[ "$n" -le 300 ] || fail "README.md has $n lines (expected at most 300: move detail into doc/guide.md)"

# GitHub's heading anchors: lower case, punctuation dropped (but '-' and
# '_'), spaces to '-'.  Headings inside fenced code blocks are not headings.
anchors() {
  awk '/^```/ { code = !code; next }
       !code && /^#+ / { sub(/^#+ +/, ""); s = tolower($0); gsub(/[^a-z0-9 _-]/, "", s); gsub(/ /, "-", s); print s }' "$1"
}
# Markdown links [text](target) outside fenced code; images too.
links() {
  awk '/^```/ { code = !code; next }
       !code { s = $0
               while (match(s, /\]\([^) ]+\)/)) { print substr(s, RSTART + 2, RLENGTH - 3); s = substr(s, RSTART + RLENGTH) } }' "$1"
}
docs=$(cd "$top_srcdir" && ls README.md doc/*.md */README.md src/*/README.md 2>/dev/null)
[ -n "$docs" ] || fail "no documents found under $top_srcdir"
for d in $docs; do
  dir=$(dirname "$top_srcdir/$d")
  for l in $(links "$top_srcdir/$d"); do
    case $l in http://*|https://*|mailto:*) continue ;; esac
    path=${l%%#*}
    frag=; case $l in *'#'*) frag=${l#*#} ;; esac
    if [ -n "$path" ]; then
      [ -e "$dir/$path" ] || fail "$d: link '$l' names $path, which does not exist"
      target="$dir/$path"
    else
      target="$top_srcdir/$d"
    fi
    if [ -n "$frag" ]; then
      case $target in *.md) ;; *) continue ;; esac
      anchors "$target" | grep -qx -- "$frag" || fail "$d: link '$l': no heading of $path gives the anchor '#$frag'"
    fi
  done
done
finish docs.sh
