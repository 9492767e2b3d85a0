#!/usr/bin/env bash
# Batch conversion benchmark (not part of the test suite).
#
# Converts BENCH_FILES (100) PLY files of BENCH_SPLATS (50,000) splats each (synthetic, SH degree 3, made by
# `vsa demo`) to SPZ v4 with `vsa batch --jobs 1` and `--jobs 2`, then with a shell loop calling
# splat-transform once per file. Prints files/s and peak RSS (GNU time -v) for each.
#
#   bench/batch-bench.sh                       # from the repository root; builds cli/target/vsa.jar if needed
#   BENCH_FILES=20 BENCH_DIR=/tmp/bb bench/batch-bench.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
files=${BENCH_FILES:-100}
splats=${BENCH_SPLATS:-50000}
work=${BENCH_DIR:-$(mktemp -d /tmp/vsa-batch-bench.XXXXXX)}
st=${SPLAT_TRANSFORM:-/work/tools/npm/node_modules/.bin/splat-transform}
vsa="$root/vsa"
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 3; }

mkdir -p "$work/in"
"$vsa" demo --splats "$splats" --out "$work/seed" --json > /dev/null
for i in $(seq -w 1 "$files"); do cp "$work/seed/demo.ply" "$work/in/scene_$i.ply"; done
echo "inputs: $files PLY files x $splats splats (SH 3), $(du -sh "$work/in" | cut -f1) in $work/in"
cat "$work"/in/*.ply > /dev/null # warm the page cache for every run alike

measure() { # name, command...: prints one result line
  local name=$1; shift
  local log="$work/$name.time"
  /usr/bin/time -v "$@" > "$work/$name.out" 2> "$log" || { echo "$name failed:"; tail -20 "$log"; return 1; }
  local wall rss secs
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  printf '%-22s %8.1f s  %7.2f files/s  peak RSS %6d MB\n' "$name" "$secs" "$(echo "$files / $secs" | bc -l)" $((rss / 1024))
}

echo "--- results (wall time for all files, files/s, peak RSS of the whole process tree's largest process)"
rm -rf "$work/out1" "$work/out2" "$work/out3"
measure "vsa batch --jobs 1" "$vsa" batch "$work/in" --to spz --out "$work/out1" --jobs 1 -q
measure "vsa batch --jobs 2" "$vsa" batch "$work/in" --to spz --out "$work/out2" --jobs 2 -q
if [ -x "$st" ]; then
  mkdir -p "$work/out3"
  measure "splat-transform loop" bash -c 'for f in "$1"/*.ply; do "$2" -q -w "$f" "$3/$(basename "$f" .ply).spz"; done' \
    _ "$work/in" "$st" "$work/out3"
else
  echo "splat-transform not found at $st: skipped"
fi
echo "outputs: vsa $(du -sh "$work/out2" | cut -f1), splat-transform $(du -sh "$work/out3" 2>/dev/null | cut -f1)"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
