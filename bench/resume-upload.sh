#!/bin/sh
# Resumable-upload run (not part of the test suite): a SIZE_MB file (default 2048) is uploaded by `vsa upload` to a
# local `vsa serve --no-worker`; the CLI is killed (SIGKILL, as a crash or a closed laptop) once the server holds
# about 60% of it; `vsa upload --resume` then goes on from the server's offset. Checks that the stored original's
# SHA-256 is the file's, and that the server kept no scene of the half-sent file in between.
# Prints: the offset the server kept, the seconds of each run, the bytes the second run sent.
# Usage: bench/resume-upload.sh [SIZE_MB] [CUT_PERCENT]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
size_mb=${1:-2048}
cut_pct=${2:-60}
port=${VSA_BENCH_PORT:-8766}
work=$(mktemp -d "${TMPDIR:-/tmp}/vsa-resume-bench.XXXXXX")
base="http://127.0.0.1:$port"
server_pid=
cli_pid=
cleanup() {
  [ -n "$cli_pid" ] && kill "$cli_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{printf "%.1f", $2 - $1}'; }

"$root/vsa" --version > /dev/null # builds the jar if the sources changed

echo "== writing a ${size_mb} MiB .splat (valid splats, a repeated 1 MiB block)"
python3 - "$work/big.splat" "$size_mb" <<'PY'
import random, struct, sys
path, mb = sys.argv[1], int(sys.argv[2])
r = random.Random(1)
block = bytearray()
for _ in range(32768):  # 32768 splats x 32 bytes = 1 MiB
    block += struct.pack('<6f', r.uniform(-1, 1), r.uniform(-1, 1), r.uniform(-1, 1), 0.01, 0.02, 0.03)
    block += bytes([r.randrange(256), r.randrange(256), r.randrange(256), 200, 255, 128, 128, 128])
with open(path, 'wb') as f:
    for i in range(mb):
        f.write(block[:-4] + struct.pack('<I', i))  # no two blocks alike: a wrong offset changes the hash
PY
size=$(stat -c %s "$work/big.splat")
want=$(sha256sum "$work/big.splat" | cut -d' ' -f1)
cut_at=$((size / 100 * cut_pct))

echo "== vsa serve --no-worker"
VSA_HOME="$work/home" VSA_UPLOAD_MAX_BYTES=$((size + 64 * 1048576)) VSA_BCRYPT_COST=10 \
  "$root/vsa" serve --port "$port" --no-worker > "$work/serve.log" 2>&1 &
server_pid=$!
i=0; until curl -sf "$base/healthz" > /dev/null; do i=$((i+1)); [ $i -lt 120 ] || { cat "$work/serve.log"; exit 3; }; sleep 1; done

# The CLI keeps its session and its unfinished uploads under this run's folder, not the user's.
export XDG_CONFIG_HOME="$work/config" VSA_HOME="$work/cli-home"
"$root/vsa" signup --server "$base" -u bench -e bench@example.com --password 'bench password 1' > /dev/null
"$root/vsa" login --server "$base" -u bench --password 'bench password 1' > /dev/null
token=$(curl -sf -X POST "$base/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench password 1"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')

echo "== vsa upload, killed when the server holds ${cut_pct}% ($cut_at of $size bytes)"
t0=$(now)
"$root/vsa" upload "$work/big.splat" --server "$base" --json > "$work/first.json" 2> "$work/first.err" &
cli_pid=$!
# The piece being received grows in the server's spool; the offset moves only when the piece ends.
while :; do
  got=$(find "$work/home" -name piece -printf '%s\n' 2>/dev/null | sort -n | tail -1)
  [ -n "$got" ] && [ "$got" -ge "$cut_at" ] && break
  kill -0 "$cli_pid" 2>/dev/null || { echo "the CLI ended before the cut:"; cat "$work/first.err" "$work/first.json"; exit 1; }
  sleep 0.05
done
kill -9 "$cli_pid"
wait "$cli_pid" 2>/dev/null || true
cli_pid=
t1=$(now)
url=$(sed -n 's/.*"url" *: *"\([^"]*\)".*/\1/p' "$work"/cli-home/uploads/*.json)
# The server stores what arrived once it sees the connection end; ask until the offset stops being 0.
offset=0; i=0
while [ "$offset" = 0 ] && [ $i -lt 600 ]; do
  offset=$(curl -sfI "$url" -H "Authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' | tr -d '\r' \
    | sed -n 's/^[Uu]pload-[Oo]ffset: //p')
  i=$((i+1)); [ "$offset" = 0 ] && sleep 0.1
done
scenes=$(curl -sf "$base/scenes" -H "Authorization: Bearer $token" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
echo "killed after $(secs "$t0" "$t1") s; the server kept $offset bytes ($(echo "$offset $size" | awk '{printf "%.1f", 100*$1/$2}')%); scenes now: $scenes"
[ "$scenes" = 0 ] || { echo "FAIL: a scene exists before the upload is complete"; exit 1; }

echo "== vsa upload --resume"
t2=$(now)
"$root/vsa" upload "$work/big.splat" --server "$base" --resume --json > "$work/second.json"
t3=$(now)
cat "$work/second.json"
scene=$(sed -n 's/.*"scene_id" *: *"\([^"]*\)".*/\1/p' "$work/second.json")
from=$(sed -n 's/.*"resumed_from" *: *\([0-9]*\).*/\1/p' "$work/second.json")
stored=$(find "$work/home" -path "*scenes/$scene/original/0" -type f | head -1)
got=$(sha256sum "$stored" | cut -d' ' -f1)
echo "resumed from byte $from; sent $((size - from)) bytes in $(secs "$t2" "$t3") s (including the server's"
echo "concatenation, SHA-256 and scene creation)"
echo "file   sha256 $want"
echo "stored sha256 $got"
[ "$got" = "$want" ] && echo "OK: the stored original is the file" || { echo "FAIL: SHA-256 differs"; exit 1; }
