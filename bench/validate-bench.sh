#!/usr/bin/env bash
# Times vsa's validator against the Khronos glTF-Validator (npm gltf-validator, via bench/khronos-validate.mjs)
# on a ~200 MB triangle-mesh GLB (3.6M vertices, 7.2M triangles) and a ~236 MB KHR_gaussian_splatting GLB
# (1M splats, SH degree 3), whole processes (JVM start included), with /usr/bin/time -v.
#
# Usage: bench/validate-bench.sh [RUNS]      (env: BENCH_DIR, JAVA, NODE, GLTF_VALIDATOR, XMX)
# Prints each run and the median wall time, CPU time and peak RSS per tool and file.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${1:-3}
BENCH_DIR=${BENCH_DIR:-$ROOT/bench/target}
JAVA=${JAVA:-}
NODE=${NODE:-node}
XMX=${XMX:-256m}
if [[ -z "$JAVA" ]]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java; do
    if [[ -x "$j" ]] && "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then JAVA=$j; break; fi
  done
fi
mkdir -p "$BENCH_DIR"

# 1. Build core and a jar of the validator (AppCDS needs jars, not class folders).
./mvnw -B -q -pl core -am test-compile
./mvnw -B -q -pl core dependency:build-classpath -Dmdep.outputFile="$BENCH_DIR/deps.txt" >/dev/null
JAR="$BENCH_DIR/vsa-validate-bench.jar"
"$(dirname "$JAVA")/jar" --create --file "$JAR" -C core/target/classes . \
  -C core/target/test-classes dev/vsa/core/validate/ValidateMain.class \
  $(cd core/target/test-classes && ls dev/vsa/core/validate/gltf/TestGlb*.class | sed 's#^#-C core/target/test-classes #')
CP="$JAR:$(cat "$BENCH_DIR/deps.txt")"
JOPTS=(-Xmx$XMX -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile="$BENCH_DIR/vsa.jsa" -XX:+AutoCreateSharedArchive)

# 2. Generate the files once.
MESH="$BENCH_DIR/mesh-3.6M.glb"
SPLATS="$BENCH_DIR/splats-1M-sh3.glb"
[[ -f "$MESH" ]] || "$JAVA" -cp "$CP" dev.vsa.core.validate.gltf.TestGlb mesh "$MESH" 1896
[[ -f "$SPLATS" ]] || "$JAVA" -cp "$CP" dev.vsa.core.validate.gltf.TestGlb splats "$SPLATS" 1000000 3
ls -l "$MESH" "$SPLATS"

# 3. Warm the page cache and the class-data archive (not timed).
cat "$MESH" "$SPLATS" > /dev/null
"$JAVA" "${JOPTS[@]}" -cp "$CP" dev.vsa.core.validate.ValidateMain --summary core/src/test/resources/gltf-samples/Box.glb > /dev/null || true

# 4. Alternate the tools, RUNS times each.
timed() { # label, command...
  local label=$1; shift
  local out
  out=$( { /usr/bin/time -v "$@" > /dev/null; } 2>&1 || true)
  local wall user sys rss
  wall=$(echo "$out" | awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}')
  user=$(echo "$out" | awk -F': ' '/User time/ {print $2}')
  sys=$(echo "$out" | awk -F': ' '/System time/ {print $2}')
  rss=$(echo "$out" | awk -F': ' '/Maximum resident/ {print $2}')
  echo "$label wall=$wall cpu=$(echo "$user + $sys" | bc) rss_kb=$rss"
}
RESULTS=$(mktemp)
for f in "$MESH" "$SPLATS"; do
  for i in $(seq "$RUNS"); do
    timed "$(basename "$f") khronos" "$NODE" bench/khronos-validate.mjs "$f" --summary | tee -a "$RESULTS"
    timed "$(basename "$f") vsa" "$JAVA" "${JOPTS[@]}" -cp "$CP" dev.vsa.core.validate.ValidateMain --summary "$f" | tee -a "$RESULTS"
  done
done
echo "load average: $(cat /proc/loadavg)"
echo
echo "median over $RUNS runs            wall s    cpu s   peak RSS MB"
for f in "$MESH" "$SPLATS"; do
  for tool in khronos vsa; do
    grep "^$(basename "$f") $tool " "$RESULTS" | awk -v name="$(basename "$f") $tool" '
      { split($3,w,"="); split($4,c,"="); split($5,r,"="); W[NR]=w[2]; C[NR]=c[2]; R[NR]=r[2] }
      END { n=asort(W); asort(C); asort(R); m=int((n+1)/2);
            printf "%-32s %8.2f %8.2f %10.0f\n", name, W[m], C[m], R[m]/1024 }'
  done
done
rm -f "$RESULTS"
