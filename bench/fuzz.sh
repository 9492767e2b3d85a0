#!/bin/sh
# Coverage-guided fuzzing of every parser (issue 10, section 8), outside the normal suite.
#   bench/fuzz.sh [seconds per target] [target...]      (default: 120 s each, all targets)
# Targets: ply-ascii ply-binary compressed-ply splat spz ksplat gltf-json glb sog sog-meta sog-image lod-meta
# (dev.vsa.core.fuzz.ParserFuzz; the sog and lod ones need the WebP library, on core's test class path).
# Each runs Jazzer's standalone driver (libFuzzer in the JVM, Maven profile -Pfuzz) under -Xmx256m with a 2 s limit
# per input, from a seed corpus of small files vsa writes and the committed fixtures; the corpus grows in
# core/target/fuzz/corpus/<target>. Every finding (crash, OutOfMemoryError, input over 2 s) is copied to
# core/src/test/resources/fuzz-regressions/<target>/, which FuzzRegressionTest runs in the normal suite.
# Prints executions, findings and coverage per target and the total. Exit 1 if anything was found.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/.mvn/find-jdk.sh"
secs=${1:-120}
[ $# -gt 0 ] && shift
targets=${*:-ply-ascii ply-binary compressed-ply splat spz ksplat gltf-json glb sog sog-meta sog-image lod-meta}
work=core/target/fuzz
# each input becomes a file: on tmpfs that costs a third of what a disk file system does
tmp=/dev/shm; [ -d "$tmp" ] && [ -w "$tmp" ] || tmp=${TMPDIR:-/tmp}
mkdir -p "$work"
./mvnw -B -q -o -Pfuzz -pl core -am test-compile
./mvnw -B -q -o -Pfuzz -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$root/$work/cp.txt" >/dev/null
# a copy of the classes, so that building again while the fuzzer runs changes nothing under it
rm -rf "$work/classes"; mkdir -p "$work/classes"
cp -r core/target/classes "$work/classes/main"; cp -r core/target/test-classes "$work/classes/test"
cp="$work/classes/test:$work/classes/main:$(cat "$work/cp.txt")"
rm -rf "$work/seeds"
"$JAVA_HOME/bin/java" -cp "$cp" dev.vsa.core.fuzz.FuzzSeeds "$work/seeds" core/src/test/resources
total=0; found=0
printf '%-15s %12s %8s %8s %6s\n' target executions exec/s coverage found > "$work/summary.txt"
for t in $targets; do
  rm -rf "$work/findings/$t"
  mkdir -p "$work/corpus/$t" "$work/findings/$t" "$work/seeds/$t"
  log="$work/$t.log"
  "$JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC -Djava.io.tmpdir="$tmp" -Dvsa.fuzz.target="$t" -cp "$cp" com.code_intelligence.jazzer.Jazzer \
    --target_class=dev.vsa.core.fuzz.ParserFuzz --instrumentation_includes='dev.vsa.core.**' \
    --keep_going=100 --reproducer_path="$work/findings/$t" -max_total_time="$secs" -timeout=2 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$work/findings/$t/" "$work/corpus/$t" "$work/seeds/$t" > "$log" 2>&1 || true
  rm -rf "$tmp"/vsa-fuzz-* 2>/dev/null || true
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | sed 's/cov: //')
  n=0
  for f in "$work/findings/$t"/crash-* "$work/findings/$t"/timeout-* "$work/findings/$t"/oom-* "$work/findings/$t"/slow-unit-*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    mkdir -p "core/src/test/resources/fuzz-regressions/$t"
    cp "$f" "core/src/test/resources/fuzz-regressions/$t/$(basename "$f")"
  done
  printf '%-15s %12s %8s %8s %6s\n' "$t" "${execs:-0}" "${rate:-0}" "${cov:-?}" "$n" >> "$work/summary.txt"
  total=$((total + ${execs:-0})); found=$((found + n))
done
printf '%-15s %12s %8s %8s %6s\n' total "$total" "" "" "$found" >> "$work/summary.txt"
cat "$work/summary.txt"
[ "$found" -eq 0 ]
