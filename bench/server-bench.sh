#!/bin/sh
# Server benchmark (not part of the test suite):
#  1. upload throughput of one SIZE_MB file (default 1024) through `vsa serve` started with -Xmx256m, against a
#     plain local copy of the same file, and the server's peak heap (from its GC log);
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

echo "== plain local copy"
sync
t0=$(date +%s.%N); cp "$work/big.splat" "$work/copy.splat"; sync; t1=$(date +%s.%N)
rm -f "$work/copy.splat"
copy_s=$(echo "$t1 - $t0" | bc -l)

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

echo "== upload"
sync
t0=$(date +%s.%N)
curl -sf -X POST "$base/upload/" -H "Authorization: Bearer $token" -F "file=@$work/big.splat" > "$work/upload.json"
sync; t1=$(date +%s.%N)
up_s=$(echo "$t1 - $t0" | bc -l)
scene=$(sed 's/.*"scene_id":"\([^"]*\)".*/\1/' "$work/upload.json")
peak=$(grep -o '[0-9]*M->[0-9]*M' "$work/gc.log" | sed 's/M->.*//' | sort -n | tail -1)
after=$(grep -o '[0-9]*M->[0-9]*M' "$work/gc.log" | sed 's/.*->//; s/M//' | sort -n | tail -1)
printf 'file: %d MiB\nlocal copy: %.2f s (%.0f MiB/s)\nupload:     %.2f s (%.0f MiB/s) = %.0f%% of the local copy\n' \
  "$size_mb" "$copy_s" "$(echo "$size_mb / $copy_s" | bc -l)" "$up_s" "$(echo "$size_mb / $up_s" | bc -l)" \
  "$(echo "100 * $copy_s / $up_s" | bc -l)"
echo "server heap (-Xmx256m): peak before GC ${peak:-?} MiB, largest live after GC ${after:-?} MiB ($(grep -c 'Pause' "$work/gc.log") GC pauses)"

echo "== GET /scenes/{id} with $clients concurrent clients"
"$JAVA_HOME/bin/java" "$root/bench/ServerLoad.java" "$base/scenes/$scene" "$token" "$clients" "$per_client"
