#!/usr/bin/env bash
# CPU render benchmark (not part of the test suite).
#
# Times whole `vsa render` processes (JVM start, reading the file and writing the PNG included) with GNU time -v,
# pinned to 2 cores with taskset when it is available:
#   - a synthetic 1,000,000-splat SH degree 3 PLY (the one bench/splat-bench.sh makes, ~248 MB) at 512x512;
#   - DamagedHelmet.glb (Khronos sample, 3.7 MB, 2048x2048 JPEG textures) at 1024x1024;
#   - guitar.compressed.ply (a real 90,854-splat capture) at 512x512.
# Prints wall time, CPU time (user + sys) and peak RSS for each, best of ROUNDS runs (default 3) by wall time.
# There is no peer to run beside it: splat-transform renders previews only on a GPU (WebGPU).
#
#   bench/render-bench.sh [ROUNDS]
# Environment: BENCH_DIR (scratch directory, default /tmp/vsa-bench), VSA_JAVA_OPTS (extra JVM flags),
#              HELMET (path of DamagedHelmet.glb; default core's test copy).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
dir=${BENCH_DIR:-/tmp/vsa-bench}
mkdir -p "$dir"
if [ ! -x /usr/bin/time ]; then
  echo "GNU time is missing: install it with 'apt-get install time'" >&2
  exit 3
fi
. "$root/.mvn/find-jdk.sh"
java="$JAVA_HOME/bin/java"
jar="$root/cli/target/vsa.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/core/src/main" "$root/cli/src/main" -newer "$jar" -print -quit)" ]; then
  echo "building $jar..." >&2
  "$root/mvnw" -q -B -f "$root/pom.xml" -DskipTests package >&2
fi
ply="$dir/bench-1000000-sh3.ply"
if [ ! -f "$ply" ]; then
  echo "generating $ply..." >&2
  "$root/mvnw" -q -B -f "$root/pom.xml" -pl core -am -DskipTests test-compile >&2
  "$root/mvnw" -q -B -f "$root/pom.xml" -pl core dependency:build-classpath -Dmdep.outputFile="$dir/cp.txt" >&2
  "$java" -cp "$root/core/target/classes:$root/core/target/test-classes:$(cat "$dir/cp.txt")" \
    dev.vsa.core.bench.SplatBench generate "$ply" 1000000 3 42
fi
helmet=${HELMET:-$root/core/src/test/resources/gltf-samples/DamagedHelmet.glb}
guitar="$root/core/src/test/resources/splats/guitar.compressed.ply"
# The flags the vsa launcher gives render (C1 only; JDK 24+ told that aircompressor's Unsafe use is expected).
jvm="-XX:TieredStopAtLevel=1"
if [ "$(vsa_java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then jvm="$jvm --sun-misc-unsafe-memory-access=allow"; fi
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0,1); fi

# run NAME ARGS...: best wall time of $rounds runs, with that run's CPU time and the largest peak RSS seen.
run() {
  local name=$1
  shift
  local best="" bestcpu="" maxrss=0
  for _ in $(seq "$rounds"); do
    if ! /usr/bin/time -v -o "$dir/time.txt" "${pin[@]}" "$java" $jvm ${VSA_JAVA_OPTS:-} -jar "$jar" render "$@" \
        >"$dir/run.log" 2>&1; then
      echo "FAILED: $name (see $dir/run.log)" >&2
      return
    fi
    local wall cpu rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$dir/time.txt")
    cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$dir/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$dir/time.txt")
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$wall; bestcpu=$cpu; fi
    if [ "$rss" -gt "$maxrss" ]; then maxrss=$rss; fi
  done
  printf '| %s | %.2f s | %s s | %s MB |\n' "$name" "$best" "$bestcpu" "$maxrss"
}

echo "| render | wall (best of $rounds) | CPU | peak RSS |"
echo "|---|---|---|---|"
run "1M splats SH3 PLY, 512x512" "$ply" --out "$dir/render-1m.png" --size 512x512
run "DamagedHelmet.glb, 1024x1024" "$helmet" --out "$dir/render-helmet.png" --size 1024x1024
run "guitar (90,854 splats), 512x512" "$guitar" --out "$dir/render-guitar.png" --size 512x512
echo "pictures: $dir/render-1m.png $dir/render-helmet.png $dir/render-guitar.png" >&2
