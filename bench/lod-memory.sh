#!/usr/bin/env bash
# LOD set on a heap smaller than the scene (not part of the test suite: minutes of CPU).
#
# Generates a synthetic 3DGS PLY (default 2,000,000 splats, SH degree 3: 472 MB, far more than the heap), then
# writes a LOD set from it (levels made) in a JVM with a small heap (default -Xmx128m) and reports time, peak RSS
# and peak anonymous memory (RSS counts the memory-mapped input and spill file, which the OS pages). Fails if the
# JVM runs out of memory.
#
#   bench/lod-memory.sh [COUNT] [DEGREE] [HEAP]
# Environment: BENCH_DIR (scratch directory, default /tmp/vsa-bench), SPLAT_TRANSFORM (when set, it reads the
# coarsest level of the set back as a check).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-2000000}
degree=${2:-3}
heap=${3:-128m}
dir=${BENCH_DIR:-/tmp/vsa-bench}
mkdir -p "$dir"
. "$root/.mvn/find-jdk.sh"
java="$JAVA_HOME/bin/java"
"$root/mvnw" -q -B -f "$root/pom.xml" -pl core -am -DskipTests test-compile >&2
"$root/mvnw" -q -B -f "$root/pom.xml" -pl core dependency:build-classpath -Dmdep.outputFile="$dir/cp.txt" >&2
cp="$root/core/target/classes:$root/core/target/test-classes:$(cat "$dir/cp.txt")"
ply="$dir/bench-$count-sh$degree.ply"
[ -f "$ply" ] || "$java" -cp "$cp" dev.vsa.core.bench.SplatBench generate "$ply" "$count" "$degree" 42
out="$dir/lod-mem"
rm -rf "$out"
"$java" "-Xmx$heap" -cp "$cp" dev.vsa.core.bench.SplatBench lod "$out/lod-meta.json" "$ply" >"$dir/lod-mem.log" 2>&1 &
pid=$!
anon=0
while kill -0 "$pid" 2>/dev/null; do
  a=$(awk '/RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  [ "${a:-0}" -gt "$anon" ] && anon=$a
  sleep 2
done
wait "$pid" || { echo "FAILED (see $dir/lod-mem.log)" >&2; tail -3 "$dir/lod-mem.log" >&2; exit 1; }
printf 'input %s (%.0f MB), heap -Xmx%s: %s\n' "$(basename "$ply")" "$(awk -v s="$(stat -c %s "$ply")" 'BEGIN {print s / 1e6}')" \
  "$heap" "$(tail -1 "$dir/lod-mem.log")"
printf 'peak anonymous memory %.0f MB, set %.1f MB\n' "$(awk -v a="$anon" 'BEGIN {print a / 1024}')" \
  "$(du -sb "$out" | awk '{print $1 / 1e6}')"
if [ -n "${SPLAT_TRANSFORM:-}" ]; then
  "$SPLAT_TRANSFORM" -q -w "$out/lod-meta.json" -L -1 "$dir/lod-mem-coarsest.ply"
  echo "splat-transform read the coarsest level: $(head -c 200 "$dir/lod-mem-coarsest.ply" | grep -a 'element vertex')"
fi
