#!/usr/bin/env bash
# Counts, per test source file, the test methods and the assertion call sites (AssertJ/Playwright assertThat,
# assertThatThrownBy, assertThatCode, fail, and calls of the tests' own assert*/verify* helpers, declarations
# excluded). Used to show that a test refactoring dropped no check: run before and after, compare.
# Usage: scripts/count-assertions.sh [src/test/java]
set -uo pipefail
root="${1:-src/test/java}"
printf '%-58s %6s %8s\n' class tests asserts
total_tests=0; total_asserts=0
while IFS= read -r file; do
  class="${file#"$root"/}"; class="${class%.java}"; class="${class//\//.}"
  # drop comment lines, then count
  body="$(grep -vE '^\s*(//|\*|/\*)' "$file")"
  tests=$(grep -cE '@(Test|ParameterizedTest|RepeatedTest|TestFactory)\b' <<<"$body" || true)
  calls=$(grep -oE '(^|[^A-Za-z0-9_.])(assert[A-Za-z0-9_]*|fail|verify[A-Z][A-Za-z0-9_]*)\(' <<<"$body" | wc -l || true)
  decls=$(grep -cE '^\s*(public |private |protected |static |final )*(void|boolean|[A-Z][A-Za-z0-9_<>,]*) +(assert|verify)[A-Za-z0-9_]*\(' <<<"$body" || true)
  asserts=$((calls - decls))
  [ "$tests" -eq 0 ] && [ "$asserts" -eq 0 ] && continue
  printf '%-58s %6d %8d\n' "$class" "$tests" "$asserts"
  total_tests=$((total_tests + tests)); total_asserts=$((total_asserts + asserts))
done < <(find "$root" -name '*.java' | sort)
printf '%-58s %6d %8d\n' TOTAL "$total_tests" "$total_asserts"
