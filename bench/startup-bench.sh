#!/usr/bin/env bash
# Start-up time of short commands (`vsa --version`, `vsa inspect small.spz`, a 4096-splat SPZ) with hyperfine
# (apt-get install hyperfine): the repository's ./vsa launcher (JDK found on the machine, plain -jar), the plain
# archive on the same JDK, the self-contained archive without and with its AOT class-data cache.
# Needs cli/target/vsa-<version>.tar.gz (./mvnw -B package) and the -linux-x64 one (dist/jlink.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/self" "$tmp/plain"
tar -xzf "$root/cli/target/vsa-$version-linux-x64.tar.gz" -C "$tmp/self"
tar -xzf "$root/cli/target/vsa-$version.tar.gz" -C "$tmp/plain"
self="$tmp/self/vsa-$version/bin/vsa"
plain="$tmp/plain/vsa-$version/bin/vsa"
"$root/vsa" --version > /dev/null # builds the repository launcher's copy once, outside the timing
VSA_HOME="$tmp/home" "$self" demo --out "$tmp/demo" > /dev/null
cp "$tmp/demo/demo.spz" "$tmp/small.spz"
for args in "--version" "inspect $tmp/small.spz"; do
  hyperfine -N --warmup 2 --runs "${RUNS:-15}" --export-json "$tmp/r.json" \
    -n "./vsa (repo launcher, JDK $(vsa_java_major "$JAVA_HOME"))" "$root/vsa $args" \
    -n "archive bin/vsa, same JDK" "env JAVA_HOME=$JAVA_HOME $plain $args" \
    -n "self-contained, no AOT cache" "env VSA_JAVA_OPTS=-XX:AOTMode=off $self $args" \
    -n "self-contained + AOT cache" "$self $args" > /dev/null
  echo "vsa $args" | sed "s|$tmp/||"
  # the machine may be shared: the median and the minimum of wall time, and CPU time (user + sys), which
  # other load inflates less
  jq -r '.results[] | "\(.command): median \(.median * 1000 | floor) ms, min \(.min * 1000 | floor) ms, cpu \((.user + .system) * 1000 | floor) ms"' "$tmp/r.json"
  echo
done
