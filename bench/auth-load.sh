#!/bin/sh
# Mixed-load benchmark (not part of the test suite): starts `vsa serve` (defaults: bcrypt cost 12, embedded
# PostgreSQL, local storage, one in-process worker) in a fresh home, then runs bench/MixedLoad.java against it:
# CLIENTS (200) clients for SECONDS (60): 10% logins, 5% signups from one address, 10% small uploads, 5% /healthz,
# 70% authenticated GET /scenes/{id}; prints per-kind status counts and latency percentiles, then checks every
# acknowledged upload has its row and object. Exits non-zero on a 5xx, a transport error or a lost upload.
# Usage: bench/auth-load.sh [CLIENTS] [SECONDS] [THINK_MS]   (VSA_TREE=/other/checkout to load another build)
# The server is started the way users start it, through the tree's ./vsa launcher (its JVM flags and class cache
# for serve; it rebuilds first if the tree's sources are newer than its last build).
# VSA_BENCH_JVM="-XX:StartFlightRecording=filename=/tmp/serve.jfr" adds JVM options to the server (and worker);
# VSA_BENCH_KEEP=1 keeps the work folder (server log, home) and prints its path.
# VSA_BENCH_WORKER=process runs the API as 'vsa serve --no-worker' and the worker as its own 'vsa worker
# --concurrency 1' process on the same home (as a deployment would); default: serve's one in-process worker.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tree=${VSA_TREE:-$root}
. "$root/.mvn/find-jdk.sh"
clients=${1:-200}
seconds=${2:-60}
think=${3:-250}
port=${VSA_BENCH_PORT:-8766}
work=$(mktemp -d "${TMPDIR:-/tmp}/vsa-auth-load.XXXXXX")
base="http://127.0.0.1:$port"
server_pid=
worker_pid=
cleanup() {
  [ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null && wait "$worker_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  if [ -n "${VSA_BENCH_KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

# Any build or class-cache recording the launcher has to do happens here, before the server starts.
"$tree/vsa" --version > /dev/null
serve_args=
[ "${VSA_BENCH_WORKER:-}" = process ] && serve_args=--no-worker
# (the launcher execs the JVM: the pid is the server's)
# shellcheck disable=SC2086
VSA_HOME="$work/home" VSA_JAVA_OPTS="${VSA_BENCH_JVM:-}" "$tree/vsa" serve --port "$port" $serve_args \
  > "$work/serve.log" 2>&1 &
server_pid=$!
i=0; until curl -sf "$base/healthz" > /dev/null; do i=$((i+1)); [ $i -lt 120 ] || { cat "$work/serve.log"; exit 3; }; sleep 1; done
if [ "${VSA_BENCH_WORKER:-}" = process ]; then
  # Same home: it connects to the API's embedded PostgreSQL and shares the local store.
  VSA_HOME="$work/home" VSA_JAVA_OPTS="${VSA_BENCH_JVM:-}" "$tree/vsa" worker --concurrency 1 --metrics-port -1 \
    > "$work/worker.log" 2>&1 &
  worker_pid=$!
fi
echo "== $(cd "$tree" && git rev-parse --short HEAD 2>/dev/null || echo "$tree"): $clients clients, $seconds s, worker ${VSA_BENCH_WORKER:-in-process}"
# Compiled once here, so the client's CPU during the run is its own work, not javac's (it reports that itself).
"$JAVA_HOME/bin/javac" -d "$work/client" "$root/bench/MixedLoad.java"
# CPU seconds (user+sys) each side burns during the run: the load client must not be what saturates the machine.
ticks() { # summed utime+stime (clock ticks) of the given pids
  for p in "$@"; do awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null; done | awk '{t+=$1} END {print t+0}'
}
pg_ticks() { # the embedded postmaster, its reaped children (cutime+cstime) and its live ones
  pm=$(for p in $(pgrep -f "$work/home" || true); do [ "$(cat "/proc/$p/comm" 2>/dev/null)" = postgres ] && echo "$p"; done | head -1)
  [ -n "$pm" ] || { echo 0; return; }
  { awk '{print $16+$17}' "/proc/$pm/stat"; ticks "$pm" $(pgrep -P "$pm"); } | awk '{t+=$1} END {print t+0}'
}
server0=$(ticks $server_pid); worker0=$(ticks ${worker_pid:-}); pg0=$(pg_ticks)
status=0
"$JAVA_HOME/bin/java" -cp "$work/client" MixedLoad "$base" "$clients" "$seconds" "$think" || status=$?
hz=$(getconf CLK_TCK)
awk -v s="$(( $(ticks $server_pid) - server0 ))" -v w="$(( $(ticks ${worker_pid:-}) - worker0 ))" \
    -v p="$(( $(pg_ticks) - pg0 ))" -v hz="$hz" \
    'BEGIN {printf "CPU s (user+sys) during the run and the checks: server %.1f, worker process %.1f, PostgreSQL %.1f\n", s/hz, w/hz, p/hz}'
metrics=$(curl -s "$base/metrics")
echo "$metrics" | grep -E '^hikaricp_connections_(pending|acquire_seconds_(max|sum|count))|^jvm_gc_pause_seconds_(max|sum|count)' || true
# The reads as the server timed them (routing to answer: no connection or dispatch queueing), cumulative counts
# per bound: against the client's percentiles they tell waiting in the handler from waiting before it.
echo "$metrics" | grep '^vsa_http_server_requests_seconds_bucket' | grep 'method="GET"' | grep 'route="/scenes/{id}"' \
  | grep 'status="200"' | sed -E 's/.*le="([^"]*)".* ([0-9.E+]+)$/\1 \2/' | sort -g | tr '\n' ' ' \
  | sed 's/^/server-timed reads (le count): /'; echo
grep -c ' ERROR ' "$work/serve.log" | sed 's/^/server log ERROR lines: /'
exit $status
