#!/usr/bin/env bash
# Splat conversion benchmark (not part of the test suite).
#
# Generates a synthetic 3DGS PLY (default 1,000,000 splats, SH degree 3, per-splat random values: ~248 MB), then
# times whole processes (JVM start included) with /usr/bin/time -v: vsa PLY->SPZ v4, PLY->SPZ v3, PLY->GLB,
# PLY->.splat, SPZ->PLY, PLY->SOG, SOG->PLY, and splat-transform doing the same when it is installed. Prints wall time, CPU time
# (user + sys: steadier than wall time on a shared machine), splats/s (by wall time), peak RSS and output size.
#
#   bench/splat-bench.sh [COUNT] [DEGREE]
# Environment: BENCH_DIR (scratch directory, default /tmp/vsa-bench), VSA_JAVA_OPTS (JVM flags for vsa runs),
#              SPLAT_TRANSFORM (path of splat-transform; default /work/tools/npm/node_modules/.bin/splat-transform)
#
# vsa runs go through core's public API (Splats.open -> Splats.create) in dev.vsa.core.bench.SplatBench (core's
# test sources), so only the codecs are measured; with VSA_BENCH_CLI=1 they run the built CLI instead
# (java -jar cli/target/vsa.jar convert; build it first with ./mvnw -DskipTests package). Needs GNU time: apt-get install time (Debian package "time").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-1000000}
degree=${2:-3}
dir=${BENCH_DIR:-/tmp/vsa-bench}
st=${SPLAT_TRANSFORM:-$HOME/.cache/vsa-peers/node_modules/.bin/splat-transform}
[ -x "$st" ] || st=/work/peers/node_modules/.bin/splat-transform
mkdir -p "$dir"

if [ ! -x /usr/bin/time ]; then
  echo "GNU time is missing: install it with 'apt-get install time'" >&2
  exit 3
fi
. "$root/.mvn/find-jdk.sh"
java="$JAVA_HOME/bin/java"

echo "building core (classes + test classes)..." >&2
"$root/mvnw" -q -B -f "$root/pom.xml" -pl core -am -DskipTests test-compile >&2
"$root/mvnw" -q -B -f "$root/pom.xml" -pl core dependency:build-classpath -Dmdep.outputFile="$dir/cp.txt" >&2
cp="$root/core/target/classes:$root/core/target/test-classes:$(cat "$dir/cp.txt")"

ply="$dir/bench-$count-sh$degree.ply"
if [ ! -f "$ply" ]; then
  echo "generating $ply..." >&2
  "$java" -cp "$cp" dev.vsa.core.bench.SplatBench generate "$ply" "$count" "$degree" 42
fi

results=()
# run NAME OUTPUT COMMAND...: times one process, records wall seconds, peak RSS and output size.
run() {
  local name=$1 out=$2
  shift 2
  rm -f "$out"
  sync
  if ! /usr/bin/time -v -o "$dir/time.txt" "$@" >"$dir/run.log" 2>&1; then
    echo "FAILED: $name (see $dir/run.log)" >&2
    results+=("$name|failed|-|-|-|-")
    return
  fi
  local wall cpu rss size
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$dir/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$dir/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$dir/time.txt")
  size=$(stat -c %s "$out" 2>/dev/null || echo 0)
  results+=("$name|$wall|$cpu|$(awk -v n="$count" -v w="$wall" 'BEGIN {printf "%.0f", n / w}')|$rss|$(awk -v s="$size" 'BEGIN {printf "%.1f", s / 1e6}')")
}

# shellcheck disable=SC2206
vsa=("$java" ${VSA_JAVA_OPTS:-} -cp "$cp" dev.vsa.core.bench.SplatBench convert)
if [ "${VSA_BENCH_CLI:-0}" = 1 ]; then
  # shellcheck disable=SC2206
  cli=("$java" ${VSA_JAVA_OPTS:-} -jar "$root/cli/target/vsa.jar" convert)
fi
# vsa_args IN OUT FORMAT [SPZ_VERSION]: the command line of one vsa conversion
vsa_args() {
  if [ -n "${cli:-}" ]; then
    printf '%s\n' "${cli[@]}" "$1" "$2" --to "$3"
    [ -z "${4:-}" ] || printf '%s\n' --spz-version "$4"
  else
    printf '%s\n' "${vsa[@]}" "$@"
  fi
}

mapfile -t c < <(vsa_args "$ply" "$dir/vsa.spz" spz 4); run "vsa PLY->SPZ v4" "$dir/vsa.spz" "${c[@]}"
mapfile -t c < <(vsa_args "$ply" "$dir/vsa-v3.spz" spz 3); run "vsa PLY->SPZ v3" "$dir/vsa-v3.spz" "${c[@]}"
mapfile -t c < <(vsa_args "$ply" "$dir/vsa.glb" glb); run "vsa PLY->GLB" "$dir/vsa.glb" "${c[@]}"
mapfile -t c < <(vsa_args "$ply" "$dir/vsa.splat" splat); run "vsa PLY->.splat" "$dir/vsa.splat" "${c[@]}"
mapfile -t c < <(vsa_args "$dir/vsa.spz" "$dir/vsa-back.ply" ply); run "vsa SPZ->PLY" "$dir/vsa-back.ply" "${c[@]}"
mapfile -t c < <(vsa_args "$ply" "$dir/vsa.sog" sog); run "vsa PLY->SOG" "$dir/vsa.sog" "${c[@]}"
mapfile -t c < <(vsa_args "$dir/vsa.sog" "$dir/vsa-sog-back.ply" ply); run "vsa SOG->PLY" "$dir/vsa-sog-back.ply" "${c[@]}"

if [ -x "$st" ]; then
  run "splat-transform PLY->SPZ v4" "$dir/st.spz" "$st" -q -w "$ply" "$dir/st.spz"
  run "splat-transform PLY->SPZ v3" "$dir/st-v3.spz" "$st" -q -w --spz-version 3 "$ply" "$dir/st-v3.spz"
  run "splat-transform PLY->GLB" "$dir/st.glb" "$st" -q -w "$ply" "$dir/st.glb"
  run "splat-transform SPZ->PLY" "$dir/st-back.ply" "$st" -q -w "$dir/st.spz" "$dir/st-back.ply"
  # Its SOG writer without a GPU (-g cpu) takes ~10 s for 5,000 splats and did not finish 100,000 in 34 minutes:
  # measured only for small counts (SOG_PEER_MAX, default 20000).
  if [ "$count" -le "${SOG_PEER_MAX:-20000}" ]; then
    run "splat-transform PLY->SOG (cpu)" "$dir/st.sog" "$st" -q -w -g cpu "$ply" "$dir/st.sog"
  fi
  run "splat-transform SOG->PLY" "$dir/st-sog-back.ply" "$st" -q -w "$dir/vsa.sog" "$dir/st-sog-back.ply"
else
  echo "splat-transform not found at $st: only vsa is measured" >&2
fi

printf '\n%d splats, SH degree %d, input %s (%.0f MB), %s\n' "$count" "$degree" "$(basename "$ply")" \
  "$(awk -v s="$(stat -c %s "$ply")" 'BEGIN {print s / 1e6}')" "$("$java" -version 2>&1 | head -1)"
printf '%-30s %9s %9s %12s %10s %10s\n' "run" "wall s" "cpu s" "splats/s" "RSS MB" "out MB"
for r in "${results[@]}"; do
  IFS='|' read -r name wall cpu rate rss size <<<"$r"
  printf '%-30s %9s %9s %12s %10s %10s\n' "$name" "$wall" "$cpu" "$rate" "$rss" "$size"
done
