#!/bin/sh
# Server benchmark (not part of the test suite):
#  1. upload throughput of one SIZE_MB file (default 1024) through `vsa serve` started with -Xmx256m, against a
#     plain local copy of the same file (medians of ROUNDS, default 5, alternating), and the server's peak heap
#     (from its GC log);
#  2. GET /scenes/{id} latency (p50/p99) under 200 concurrent clients (bench/ServerLoad.java) on 127.0.0.1.
# Usage: bench/server-bench.sh [SIZE_MB] [CLIENTS] [REQUESTS_PER_CLIENT]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
size_mb=${1:-1024}
clients=${2:-200}
per_client=${3:-100}
port=${VSA_BENCH_PORT:-8765}
work=$(mktemp -d "${TMPDIR:-/tmp}/vsa-server-bench.XXXXXX")
base="http://127.0.0.1:$port"
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

[ -f "$root/cli/target/vsa.jar" ] || "$root/mvnw" -q -B -f "$root/pom.xml" -DskipTests package >&2

echo "== writing a ${size_mb} MiB .splat (valid splats, repeated 1 MiB block)"
python3 - "$work/big.splat" "$size_mb" <<'PY'
import random, struct, sys
path, mb = sys.argv[1], int(sys.argv[2])
r = random.Random(1)
block = bytearray()
for _ in range(32768):  # 32768 splats x 32 bytes = 1 MiB
    block += struct.pack('<6f', r.uniform(-1, 1), r.uniform(-1, 1), r.uniform(-1, 1), 0.01, 0.02, 0.03)
    block += bytes([r.randrange(256), r.randrange(256), r.randrange(256), 200, 255, 128, 128, 128])
with open(path, 'wb') as f:
    for _ in range(mb):
        f.write(block)
PY

echo "== vsa serve --no-worker with -Xmx256m"
VSA_HOME="$work/home" VSA_UPLOAD_MAX_BYTES=$(( (size_mb + 64) * 1048576 )) VSA_BCRYPT_COST=10 \
  VSA_JAVA_OPTS="-Xmx256m -Xlog:gc:file=$work/gc.log" \
  "$root/vsa" serve --port "$port" --no-worker > "$work/serve.log" 2>&1 &
server_pid=$!
i=0; until curl -sf "$base/healthz" > /dev/null; do i=$((i+1)); [ $i -lt 120 ] || { cat "$work/serve.log"; exit 3; }; sleep 1; done
curl -sf -X POST "$base/auth/signup" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench password 1","email":"bench@example.com"}' > /dev/null
token=$(curl -sf -X POST "$base/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench password 1"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')

# Copies and uploads alternate, ROUNDS times each, and the medians are compared: on a shared VM one run of
# either varies by 2x. Before each, dirty pages are flushed and the source file is read into the page cache, and
# the previous copy or scene is deleted, so both start from the same state; both include the sync that puts the
# bytes on disk. The copy is cp (copy_file_range: one in-kernel copy); the upload is curl -F to POST /upload/.
# (Dropping the page cache instead would also evict the server's own code and bill the upload for reloading it.)
rounds=${ROUNDS:-5}
settle() {
  sync
  cat "$work/big.splat" > /dev/null
}
now() { date +%s.%N; }
copies=; uploads=
# One untimed round first: a server runs warm (JIT-compiled upload path), so time it warm, as JMH would.
echo "== warm-up round (not counted)"
settle; cp "$work/big.splat" "$work/copy.splat"; sync; rm -f "$work/copy.splat"
settle
curl -sf -X POST "$base/upload/" -H "Authorization: Bearer $token" -F "file=@$work/big.splat" > "$work/upload.json"
curl -sf -X DELETE -H "Authorization: Bearer $token" "$base/scenes/$(sed 's/.*"scene_id":"\([^"]*\)".*/\1/' "$work/upload.json")" > /dev/null
echo "== $rounds rounds of: local copy, then upload (seconds, each including sync)"
for r in $(seq "$rounds"); do
  settle
  t0=$(now); cp "$work/big.splat" "$work/copy.splat"; sync; t1=$(now)
  rm -f "$work/copy.splat"
  c=$(echo "$t1 - $t0" | bc -l)
  settle
  t0=$(now)
  curl -sf -X POST "$base/upload/" -H "Authorization: Bearer $token" -F "file=@$work/big.splat" > "$work/upload.json"
  sync; t1=$(now)
  u=$(echo "$t1 - $t0" | bc -l)
  scene=$(sed 's/.*"scene_id":"\([^"]*\)".*/\1/' "$work/upload.json")
  printf '  round %d: copy %.2f  upload %.2f\n' "$r" "$c" "$u"
  copies="$copies $c"; uploads="$uploads $u"
  [ "$r" -lt "$rounds" ] && curl -sf -X DELETE -H "Authorization: Bearer $token" "$base/scenes/$scene" > /dev/null
done
median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
copy_s=$(median "$copies"); up_s=$(median "$uploads")
peak=$(grep -o '[0-9]*M->[0-9]*M' "$work/gc.log" | sed 's/M->.*//' | sort -n | tail -1)
after=$(grep -o '[0-9]*M->[0-9]*M' "$work/gc.log" | sed 's/.*->//; s/M//' | sort -n | tail -1)
printf 'file: %d MiB, medians of %d rounds\nlocal copy: %.2f s (%.0f MiB/s)\nupload:     %.2f s (%.0f MiB/s) = %.0f%% of the local copy\n' \
  "$size_mb" "$rounds" "$copy_s" "$(echo "$size_mb / $copy_s" | bc -l)" "$up_s" "$(echo "$size_mb / $up_s" | bc -l)" \
  "$(echo "100 * $copy_s / $up_s" | bc -l)"
echo "server heap (-Xmx256m): peak before GC ${peak:-?} MiB, largest live after GC ${after:-?} MiB ($(grep -c 'Pause' "$work/gc.log") GC pauses)"

echo "== GET /scenes/{id} with $clients concurrent clients"
"$JAVA_HOME/bin/java" "$root/bench/ServerLoad.java" "$base/scenes/$scene" "$token" "$clients" "$per_client"
