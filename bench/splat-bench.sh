#!/usr/bin/env bash
# Splat conversion benchmark (not part of the test suite): vsa against splat-transform, in one run.
#
# Generates a synthetic 3DGS PLY (default 1,000,000 splats, SH degree 3, per-splat random values: ~248 MB), then
# times whole processes (JVM start included, through the ./vsa launcher with its JVM flags and class-data archive,
# as a user runs it) with GNU time -v: PLY->SPZ v4 and v3, ->GLB (KHR_gaussian_splatting), ->GLB with
# KHR_gaussian_splatting_compression_spz_2, ->compressed PLY, ->.splat, ->SOG, and SPZ->PLY, SOG->PLY, and LOD
# sets (lod-meta.json: levels made from the input; two given levels, the input and a half-size file); then
# splat-transform doing the same where it can. Each job runs BENCH_REPEAT times (default 1) and keeps the run
# with the least wall time. Prints per job: wall time, CPU time (user + sys: steadier than wall time on a shared
# machine), peak RSS and output size, then a Markdown table for the README with vsa's speed-up (wall and CPU).
#
#   bench/splat-bench.sh [COUNT] [DEGREE]
# Environment: BENCH_DIR (scratch directory, default /tmp/vsa-bench), BENCH_REPEAT (runs per job, default 1),
#              BENCH_PRIORITY (a command prefix for every timed process, e.g. "chrt -r 1": real-time round-robin
#              priority, which on a machine shared with other work gives wall times close to a quiet machine's;
#              needs root), VSA_JAVA_OPTS (more JVM flags for vsa), SPLAT_TRANSFORM (path of splat-transform;
#              default: ~/.cache/vsa-peers or /work/peers), SOG_PEER_MAX (largest COUNT for which splat-transform's
#              CPU SOG writer is timed, default 20000: it took 34+ minutes for 100,000 splats).
# With VSA_BENCH_API=1 vsa runs go through core's public API (dev.vsa.core.bench.SplatBench in core's test
# sources: Splats.open -> Splats.create) instead of the CLI, so only the codecs are measured.
# Needs GNU time: apt-get install time (Debian package "time").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-1000000}
degree=${2:-3}
dir=${BENCH_DIR:-/tmp/vsa-bench}
repeat=${BENCH_REPEAT:-1}
# shellcheck disable=SC2206
prio=(${BENCH_PRIORITY:-})
st=${SPLAT_TRANSFORM:-$HOME/.cache/vsa-peers/node_modules/.bin/splat-transform}
[ -x "$st" ] || st=/work/peers/node_modules/.bin/splat-transform
mkdir -p "$dir"

if [ ! -x /usr/bin/time ]; then
  echo "GNU time is missing: install it with 'apt-get install time'" >&2
  exit 3
fi
. "$root/.mvn/find-jdk.sh"
java="$JAVA_HOME/bin/java"

echo "building core (classes + test classes, for the generator)..." >&2
"$root/mvnw" -q -B -f "$root/pom.xml" -pl core -am -DskipTests test-compile >&2
"$root/mvnw" -q -B -f "$root/pom.xml" -pl core dependency:build-classpath -Dmdep.outputFile="$dir/cp.txt" >&2
cp="$root/core/target/classes:$root/core/target/test-classes:$(cat "$dir/cp.txt")"

ply="$dir/bench-$count-sh$degree.ply"
if [ ! -f "$ply" ]; then
  echo "generating $ply..." >&2
  "$java" -cp "$cp" dev.vsa.core.bench.SplatBench generate "$ply" "$count" "$degree" 42
fi
cat "$ply" > /dev/null # in the page cache for every run alike

if [ "${VSA_BENCH_API:-0}" = 1 ]; then
  # shellcheck disable=SC2206
  vsa=("$java" --enable-native-access=ALL-UNNAMED ${VSA_JAVA_OPTS:-} -cp "$cp" dev.vsa.core.bench.SplatBench convert)
else
  # The launcher (re)builds the jar when sources changed; its first run also writes the class-data archive.
  echo "building the CLI through ./vsa..." >&2
  "$root/vsa" --version > /dev/null
  "$root/vsa" --version > /dev/null
  vsa=("$root/vsa" convert)
fi
# vsa_cmd IN OUT FORMAT [SPZ_VERSION]: the command line of one vsa conversion
vsa_cmd() {
  if [ "${VSA_BENCH_API:-0}" = 1 ]; then
    printf '%s\n' "${vsa[@]}" "$@"
  else
    printf '%s\n' "${vsa[@]}" "$1" "$2" --to "$3" --quiet
    [ -z "${4:-}" ] || printf '%s\n' --spz-version "$4"
  fi
}

declare -A result
# run KEY OUTPUT COMMAND...: times one process BENCH_REPEAT times; keeps wall s|cpu s|RSS MB|output MB of the
# run with the least wall time.
run() {
  local key=$1 out=$2 best="" i
  shift 2
  for ((i = 0; i < repeat; i++)); do
    rm -rf "$out"
    sync
    if ! /usr/bin/time -v -o "$dir/time.txt" "${prio[@]}" "$@" >"$dir/run.log" 2>&1; then
      echo "FAILED: $key (see $dir/run.log)" >&2
      result[$key]="failed|-|-|-"
      return
    fi
    local wall cpu rss size
    cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$dir/time.txt")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$dir/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$dir/time.txt")
    local measured=$out
    [[ $out != *lod-meta.json ]] || measured=$(dirname "$out") # a LOD set: its folder
    size=$(du -sb "$measured" 2>/dev/null | cut -f1 || echo 0)
    if [ -z "$best" ] || awk -v a="$wall" -v b="${best%%|*}" 'BEGIN {exit !(a < b)}'; then
      best="$wall|$cpu|$rss|$(awk -v s="${size:-0}" 'BEGIN {printf "%.1f", s / 1e6}')"
    fi
  done
  result[$key]=$best
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%MZ)

# job key | label | input | vsa format | spz version | peer output name (empty: the peer cannot)
jobs=(
  "spz4|PLY -> SPZ v4|$ply|spz|4|st.spz"
  "spz3|PLY -> SPZ v3 (gzip)|$ply|spz|3|st-v3.spz"
  "glb|PLY -> GLB (KHR_gaussian_splatting)|$ply|glb||st.glb"
  "glbspz|PLY -> GLB with KHR_gaussian_splatting_compression_spz_2|$ply|glb-spz||"
  "cply|PLY -> compressed PLY|$ply|compressed-ply||st.compressed.ply"
  "splat|PLY -> .splat|$ply|splat||"
  "sog|PLY -> SOG|$ply|sog||st.sog"
  "back|SPZ v4 -> PLY (vsa's SPZ)|$dir/vsa-spz4.spz|ply||st-back.ply"
  "sogback|SOG -> PLY (vsa's SOG)|$dir/vsa-sog.sog|ply||st-sog-back.ply"
)
ext() { case $1 in spz) echo spz ;; glb|glb-spz) echo glb ;; compressed-ply) echo compressed.ply ;; *) echo "$1" ;; esac; }

for j in "${jobs[@]}"; do
  IFS='|' read -r key label in fmt ver peer <<<"$j"
  out="$dir/vsa-$key.$(ext "$fmt")"
  mapfile -t c < <(vsa_cmd "$in" "$out" "$fmt" "$ver")
  run "vsa-$key" "$out" "${c[@]}" # the SPZ v4 and SOG outputs are the inputs of the last two jobs
done

if [ -x "$st" ]; then
  for j in "${jobs[@]}"; do
    IFS='|' read -r key label in fmt ver peer <<<"$j"
    [ -n "$peer" ] || continue
    [ "$key" != sog ] || [ "$count" -le "${SOG_PEER_MAX:-20000}" ] || continue
    args=(-q -w)
    [ "$key" != spz3 ] || args+=(--spz-version 3)
    [ "$key" != sog ] || args+=(-g cpu)
    run "st-$key" "$dir/$peer" "$st" "${args[@]}" "$in" "$dir/$peer"
  done
else
  echo "splat-transform not found at $st: only vsa is measured" >&2
fi
# LOD sets: vsa makes the levels from one file (splat-transform cannot: it needs them made beforehand); both
# write a set of two given levels (the input as level 0, a generated half-size file as level 1). splat-transform's
# LOD writer is its SOG writer per unit: on the CPU only up to SOG_PEER_MAX.
half="$dir/bench-$((count / 2))-sh$degree-b.ply"
[ -f "$half" ] || "$java" -cp "$cp" dev.vsa.core.bench.SplatBench generate "$half" "$((count / 2))" "$degree" 43
if [ "${VSA_BENCH_API:-0}" = 1 ]; then
  # shellcheck disable=SC2206
  lodvsa=("$java" --enable-native-access=ALL-UNNAMED ${VSA_JAVA_OPTS:-} -cp "$cp" dev.vsa.core.bench.SplatBench lod)
  run vsa-lod "$dir/vsa-lod/lod-meta.json" "${lodvsa[@]}" "$dir/vsa-lod/lod-meta.json" "$ply"
  run vsa-lod2 "$dir/vsa-lod2/lod-meta.json" "${lodvsa[@]}" "$dir/vsa-lod2/lod-meta.json" "0=$ply" "1=$half"
else
  run vsa-lod "$dir/vsa-lod/lod-meta.json" "$root/vsa" convert "$ply" "$dir/vsa-lod/lod-meta.json" --quiet
  run vsa-lod2 "$dir/vsa-lod2/lod-meta.json" "$root/vsa" convert "$ply" "$dir/vsa-lod2/lod-meta.json" \
    --lod-input "1=$half" --quiet
fi
if [ -x "$st" ] && [ "$count" -le "${SOG_PEER_MAX:-20000}" ]; then
  run st-lod2 "$dir/st-lod2/lod-meta.json" "$st" -q -w -g cpu "$ply" -l 0 "$half" -l 1 "$dir/st-lod2/lod-meta.json"
fi
jobs+=("lod|PLY -> LOD set, levels made (lod-meta.json)|$ply|lod||"
  "lod2|PLY + half-size PLY -> LOD set of 2 given levels|$ply|lod||st-lod2")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

printf '\n%d splats, SH degree %d, input %s (%.0f MB); %s; %s, %d cores, %s\n' "$count" "$degree" "$(basename "$ply")" \
  "$(awk -v s="$(stat -c %s "$ply")" 'BEGIN {print s / 1e6}')" "$("$java" -version 2>&1 | head -1)" \
  "$("$st" --version 2>&1 | head -1 || echo 'no splat-transform')" "$(nproc)" "$started"
printf 'load average before %s, after %s; priority: %s; best of %d\n' "$load_before" "$load_after" "${BENCH_PRIORITY:-normal}" "$repeat"
printf '%-62s %8s %8s %8s %9s\n' "run" "wall s" "cpu s" "RSS MB" "out MB"
for j in "${jobs[@]}"; do
  IFS='|' read -r key label in fmt ver peer <<<"$j"
  for who in vsa st; do
    [ -n "${result[$who-$key]:-}" ] || continue
    IFS='|' read -r wall cpu rss size <<<"${result[$who-$key]}"
    printf '%-62s %8s %8s %8s %9s\n' "$([ $who = vsa ] && echo vsa || echo splat-transform) $label" "$wall" "$cpu" "$rss" "$size"
  done
done

echo
echo "| job | vsa: wall, CPU, peak RSS, output | splat-transform: wall, CPU, peak RSS, output | vsa faster (wall / CPU) |"
echo "|---|---|---|---|"
for j in "${jobs[@]}"; do
  IFS='|' read -r key label in fmt ver peer <<<"$j"
  IFS='|' read -r vw vc vr vs <<<"${result[vsa-$key]:-failed|-|-|-}"
  cell_v="$vw s, $vc s, $vr MB, $vs MB"
  if [ -n "${result[st-$key]:-}" ]; then
    IFS='|' read -r sw sc sr ss <<<"${result[st-$key]}"
    cell_s="$sw s, $sc s, $sr MB, $ss MB"
    ratio=$(awk -v a="$sw" -v b="$vw" -v c="$sc" -v d="$vc" 'BEGIN {if (b > 0 && d > 0) printf "%.1fx / %.1fx", a / b, c / d; else print "-"}')
  elif [ -z "$peer" ]; then
    cell_s="(cannot write it)"; ratio="-"
  else
    cell_s="(not run: its CPU SOG writer is far too slow at this count)"; ratio="-"
  fi
  echo "| $label | $cell_v | $cell_s | $ratio |"
done
