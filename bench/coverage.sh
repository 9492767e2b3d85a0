#!/bin/sh
# Line and branch coverage per module and in all, from the JaCoCo CSVs the coverage profile writes (not part of the
# suite). Runs the tests first unless given --report-only; extra arguments go to Maven (e.g. -pl server-lite -am).
# Usage: bench/coverage.sh [--report-only] [MAVEN ARGS...]
#        bench/coverage.sh --class VsaServer   (also prints the rows of classes whose name contains VsaServer)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
run=1
classes=
while [ $# -gt 0 ]; do
  case "$1" in
    --report-only) run=; shift ;;
    --class) classes="$classes $2"; shift 2 ;;
    *) break ;;
  esac
done
if [ -n "$run" ]; then
  "$root/mvnw" -B -q -f "$root/pom.xml" -Pcoverage -Dmaven.test.failure.ignore=true "$@" test >&2
fi
# jacoco.csv: GROUP,PACKAGE,CLASS,INSTRUCTION_MISSED,INSTRUCTION_COVERED,BRANCH_MISSED,BRANCH_COVERED,LINE_MISSED,LINE_COVERED,...
awk -F, -v classes="$classes" '
  FNR == 1 { n = split(FILENAME, parts, "/"); mod = parts[n - 4]; next }
  { sub(/^"[^"]*"/, "g"); m = mod; lm[m] += $8; lc[m] += $9; bm[m] += $6; bc[m] += $7; LM += $8; LC += $9; BM += $6; BC += $7
    n = split(classes, want, " ")
    for (i = 1; i <= n; i++) if (index($3, want[i]) > 0) {
      row[m ": " $2 "." $3] = sprintf("%6.1f%% %6.1f%%", 100 * $9 / ($8 + $9 + 1e-9), ($6 + $7) ? 100 * $7 / ($6 + $7) : 100)
    } }
  END {
    printf "%-36s %7s %7s   (lines, branches)\n", "module", "lines", "branches"
    for (m in lm) printf "%-36s %6.1f%% %6.1f%%   (%d/%d, %d/%d)\n", m, 100 * lc[m] / (lm[m] + lc[m]), 100 * bc[m] / (bm[m] + bc[m]), lc[m], lm[m] + lc[m], bc[m], bm[m] + bc[m]
    printf "%-36s %6.1f%% %6.1f%%   (%d/%d, %d/%d)\n", "all", 100 * LC / (LM + LC), 100 * BC / (BM + BC), LC, LM + LC, BC, BM + BC
    for (r in row) printf "  %s %s\n", row[r], r
  }' "$root"/*/target/site/jacoco/jacoco.csv
