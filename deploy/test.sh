#!/bin/bash
# End-to-end proof of the container deployment on a real Docker engine (outside `./mvnw verify`: needs minutes,
# root and dockerd). Builds the local base images if missing (deploy/base/build.sh), builds the vsa image from
# the Dockerfile, starts compose.yaml (+ deploy/compose.test.yaml: local images, host network, loopback only)
# with 2 workers, signs up, uploads a splat and a glTF scene, waits for `ready`, downloads the outputs, checks
# /metrics and the health checks, scales workers to 3 and back to 2, restarts the stack and finds the data again;
# before the stack, the image runs alone (`vsa serve`, nothing configured: embedded PostgreSQL, local files).
# Ends with one line "N passed, M failed" (exit 1 if any failed). KEEP=1 leaves the stack and volumes up.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-vsatest}
export VSA_IMAGE=${VSA_IMAGE:-vsa:test}
export VSA_PORT=${VSA_PORT:-18000} POSTGRES_PORT=${POSTGRES_PORT:-15432} S3_PORT=${S3_PORT:-19000}
export POSTGRES_HOST=127.0.0.1 S3_ENDPOINT=http://127.0.0.1:${S3_PORT} S3_PUBLIC_URL=http://127.0.0.1:${S3_PORT}
export POSTGRES_PASSWORD=pg-$RANDOM$RANDOM S3_ACCESS_KEY=vsa-test S3_SECRET_KEY=s3-secret-$RANDOM$RANDOM$RANDOM
export VSA_JWT_SECRET=jwt-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export VSA_PUBLISH=127.0.0.1:${VSA_PORT} VSA_LOG_FORMAT=${VSA_LOG_FORMAT:-json}
work=$(mktemp -d)
# compose.yaml as users get it, less the published ports (API, S3): host networking (the override) cannot publish
# ports, and docker-compose 1.29 refuses the combination instead of ignoring it.
python3 -c 'import sys, yaml; d = yaml.safe_load(open("compose.yaml")); [d["services"][s].pop("ports") for s in ("api", "s3")]; yaml.safe_dump(d, sys.stdout)' \
  > "$work/compose.yaml" || { echo "cannot read compose.yaml"; exit 1; }
compose() { docker-compose --project-directory "$root" -f "$work/compose.yaml" -f deploy/compose.test.yaml "$@"; }
api=http://127.0.0.1:$VSA_PORT
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { local what=$1; shift; if "$@" >"$work/last" 2>&1; then ok "$what"; else bad "$what: $(tail -c 400 "$work/last")"; fi; }
step() { echo "-- $* ($(date -u +%T))"; }
cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then compose down -v --remove-orphans >/dev/null 2>&1; fi
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # seconds command...: retries once a second
  local n=$1; shift
  for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  "$@"
}
healthy_workers() { # expected count: that many worker containers running and healthy
  local want=$1 ids h n=0
  ids=$(compose ps -q worker)
  for id in $ids; do
    h=$(docker inspect -f '{{.State.Health.Status}}' "$id")
    [ "$h" = healthy ] && n=$((n + 1))
  done
  [ "$n" = "$want" ] && [ "$(echo "$ids" | grep -c .)" = "$want" ]
}
api_healthy() { [ "$(docker inspect -f '{{.State.Health.Status}}' "$(compose ps -q api)")" = healthy ]; }
auth() { curl -sf -H "Authorization: Bearer $token" "$@"; }
await_ready() { # scene id -> waits until ready (fails on invalid/failed)
  local s
  for _ in $(seq 120); do
    s=$(auth "$api/scenes/$1" | jq -r .status)
    case "$s" in ready) return 0 ;; invalid|failed) echo "scene $1 is $s"; return 1 ;; esac
    sleep 1
  done
  echo "scene $1 still $s after 120 s"; return 1
}
solo_ready() { # `docker run vsa serve` with nothing configured: the container jar's PostgreSQL bundle must run
  local id rc
  id=$(docker run -d --network host -e VSA_PORT="${SOLO_PORT:-18010}" -e VSA_METRICS_PORT=-1 "$VSA_IMAGE" serve) || return 1
  wait_for 150 curl -sf "http://127.0.0.1:${SOLO_PORT:-18010}/readyz"; rc=$?
  [ "$rc" = 0 ] || docker logs "$id" 2>&1 | tail -5
  docker rm -f "$id" >/dev/null
  return "$rc"
}
download_all() { # scene id -> every listed output downloads with its listed size
  local names n=0 name size got
  names=$(auth "$api/scenes/$1" | jq -r '.files[] | select(.kind == "output") | "\(.name) \(.size)"')
  [ -n "$names" ] || { echo "no outputs listed"; return 1; }
  while read -r name size; do
    got=$(auth -L -o "$work/$1-$name" -w '%{size_download}' "$api/scenes/$1/files/$name") || { echo "GET $name failed"; return 1; }
    [ "$got" = "$size" ] || { echo "$name: $got bytes, listed $size"; return 1; }
    n=$((n + 1))
  done <<< "$names"
  echo "$n outputs"
}

step "base images"
check "base images present or built" bash deploy/base/build.sh
step "vsa image"
if [ -z "$(ls deploy/docker/ca/*.crt 2>/dev/null)" ] \
   && ! docker run --rm --network host vsa-local/jdk:21 curl -sfI https://repo.maven.apache.org/maven2/ >/dev/null 2>&1; then
  # A TLS-inspecting proxy between this machine and Maven Central: trust its root in the build stage only.
  echo | openssl s_client -connect repo.maven.apache.org:443 -showcerts 2>/dev/null \
    | awk '/BEGIN CERT/{c=""} {c=c $0 "\n"} /END CERT/{last=c} END{printf "%s", last}' > deploy/docker/ca/build-proxy.crt
fi
t0=$(date +%s)
check "docker build (Dockerfile, local base images as build args)" \
  docker build -q --network host --build-arg BUILD_IMAGE=vsa-local/jdk:21 --build-arg RUNTIME_IMAGE=vsa-local/jre:21 \
  -t "$VSA_IMAGE" .
[ "$failed" = 0 ] || { echo "$passed passed, $failed failed"; exit 1; }
echo "   image built in $(( $(date +%s) - t0 )) s: $(docker image inspect -f '{{.Size}}' "$VSA_IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"
check "image runs as a non-root user" test "$(docker run --rm --entrypoint id "$VSA_IMAGE" -u)" != 0
check "image has a HEALTHCHECK" test -n "$(docker image inspect -f '{{json .Config.Healthcheck}}' "$VSA_IMAGE" | grep readyz\\\|healthcheck)"
check "one container alone gets ready (no database or bucket named: embedded PostgreSQL, local files)" solo_ready

step "stack up with 2 workers"
compose down -v --remove-orphans >/dev/null 2>&1
check "compose up (api, 2 workers, postgres, s3, bucket)" compose up -d --scale worker=2
check "api healthy (HEALTHCHECK on /readyz)" wait_for 120 api_healthy
check "2 workers healthy (HEALTHCHECK on their metrics port)" wait_for 90 healthy_workers 2
check "bucket created by s3-init" test "$(docker inspect -f '{{.State.ExitCode}}' "$(compose ps -q s3-init)")" = 0

step "sign up, upload, process, download"
user=ops$RANDOM
check "signup" curl -sf -H 'Content-Type: application/json' \
  -d "{\"username\":\"$user\",\"email\":\"$user@example.com\",\"password\":\"correct horse $user\"}" "$api/auth/signup"
token=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"$user\",\"password\":\"correct horse $user\"}" \
  "$api/auth/login" | jq -r .access_token)
check "login" test -n "$token" -a "$token" != null
splat=$(auth -H 'X-Request-Id: deploy-test-splat' -F "file=@core/src/test/resources/splats/st-minimal.ply" "$api/upload/" | jq -r .scene_id)
check "upload splat (3DGS PLY)" test -n "$splat" -a "$splat" != null
gltf=$(auth -F "file=@server-lite/src/test/resources/fixtures/Box.gltf" -F "file=@server-lite/src/test/resources/fixtures/Box0.bin" \
  "$api/upload/" | jq -r .scene_id)
check "upload glTF scene (.gltf + .bin)" test -n "$gltf" -a "$gltf" != null
check "splat scene ready" await_ready "$splat"
check "glTF scene ready" await_ready "$gltf"
check "splat outputs download at their listed sizes" download_all "$splat"
check "glTF outputs download at their listed sizes" download_all "$gltf"
check "the job's log lines carry the request id (JSON logs of a worker)" \
  bash -c "docker-compose --project-directory '$root' -f '$work/compose.yaml' -f deploy/compose.test.yaml logs --no-color worker | grep -q '\"request_id\":\"deploy-test-splat\"'"
curl -sf "$api/metrics" > "$work/api.metrics"
check "api /metrics: HTTP by route and status" grep -q 'vsa_http_server_requests_seconds_count{method="POST",route="/upload/",status="201"}' "$work/api.metrics"
check "api /metrics: upload bytes, queue, DB pool, JVM" bash -c "grep -q '^vsa_upload_bytes_count' $work/api.metrics && grep -q '^vsa_jobs_queued{kind=\"process\"}' $work/api.metrics && grep -q '^hikaricp_connections_active' $work/api.metrics && grep -q '^jvm_memory_used_bytes' $work/api.metrics"
wport=$(docker exec "$(compose ps -q worker | head -1)" cat /var/lib/vsa/readyz.port)
check "worker /metrics on its own port: job durations" bash -c "curl -sf http://127.0.0.1:$wport/metrics | grep -q '^vsa_job_duration_seconds_count{kind=\"process\",outcome=\"completed\"}'"

step "scale workers to 3 and back to 2"
check "scale to 3" compose up -d --no-recreate --scale worker=3
check "3 workers healthy" wait_for 90 healthy_workers 3
third=$(auth -F "file=@core/src/test/resources/splats/unitCube-ascii.ply" "$api/upload/" | jq -r .scene_id)
check "a scene uploaded with 3 workers gets ready" await_ready "$third"
check "scale back to 2" compose up -d --no-recreate --scale worker=2
check "2 workers healthy" wait_for 60 healthy_workers 2

step "restart the stack"
check "compose stop" compose stop
check "compose start" compose up -d --scale worker=2
check "api healthy again" wait_for 120 api_healthy
token=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"$user\",\"password\":\"correct horse $user\"}" \
  "$api/auth/login" | jq -r .access_token)
check "the account is still there (login after restart)" test -n "$token" -a "$token" != null
check "all 3 scenes still listed" test "$(auth "$api/scenes" | jq '[.items[] | select(.status == "ready")] | length')" = 3
check "outputs still download after restart (bucket volume kept)" download_all "$splat"
check "glTF outputs still download after restart" download_all "$gltf"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
