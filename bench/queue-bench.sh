#!/usr/bin/env bash
# Queue benchmark: jobs/s with 1, 2 and 4 workers on trivial jobs, and pick-up latency p50/p99 (commit to
# claim). Not part of the test suite. Uses $VSA_TEST_DATABASE_URL's PostgreSQL if set, else an embedded one.
# Usage: bench/queue-bench.sh [jobs-per-run] [latency-samples]
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=processing/target/bench-classpath.txt
./mvnw -B -q -pl processing -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=test >/dev/null
# a JDK 21+: JAVA_HOME if it is one, else the newest under /usr/lib/jvm
java_bin=""
if [ -n "${JAVA_HOME:-}" ] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  java_bin="$JAVA_HOME/bin/java"
fi
[ -n "$java_bin" ] || java_bin=$(ls -d /usr/lib/jvm/*-25*/bin/java /usr/lib/jvm/*-21*/bin/java 2>/dev/null | head -1 || true)
exec "$java_bin" -cp "processing/target/test-classes:processing/target/classes:core/target/classes:$(cat "$cp_file")" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn dev.vsa.processing.QueueBench "$@"
