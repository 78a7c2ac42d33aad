#!/usr/bin/env bash
# wordcount's bash completion (packaging/wordcount.bash-completion) offers exactly the long options
# that `wordcount --help` lists, only values that --help names after --tokenizer and --format, and
# file names elsewhere. Usage: completion_test.sh WORDCOUNT COMPLETION_SCRIPT
set -euo pipefail
wordcount=$1
# shellcheck source=/dev/null
source "$2"

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# What the completion offers for the command line "$@", the last word being completed, one a line.
completions() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _mrtbb_wordcount
  ((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}" | sort
}

help_text=$("$wordcount" --help)
# An option's line starts with blanks and a dash; its names end where its description starts.
help_options=$(grep -E '^ +-' <<<"$help_text" | sed -E 's/^ +//; s/  .*//' |
  grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
[ -n "$help_options" ] || fail "no long options found in --help"
offered=$(completions wordcount --)
if [ "$offered" != "$help_options" ]; then
  fail "long options differ (< --help, > completion):"
  diff <(echo "$help_options") <(echo "$offered") >&2 || true
fi

[ "$(completions wordcount --verb)" = "--verbose" ] || fail "--verb does not complete to --verbose"

for option in --tokenizer --format; do
  values=$(completions wordcount "$option" "")
  [ -n "$values" ] || fail "no values offered after $option"
  for value in $values; do
    grep -qw -- "$value" <<<"$help_text" || fail "$option $value: not in --help"
  done
done
[ "$(completions wordcount --format t)" = "$(printf 'text\ntsv')" ] || fail "--format t"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/also dir"
touch "$scratch/alpha.txt" "$scratch/beta.txt"
cd "$scratch"
[ "$(completions wordcount -j 2 al)" = "$(printf 'alpha.txt\nalso dir')" ] || fail "file names after al"
[ "$(completions wordcount --top)" = "--top" ] || fail "--top itself"
[ -z "$(completions wordcount --top "")" ] || fail "a number after --top is the user's"

if ((failures > 0)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "completion: ok"
