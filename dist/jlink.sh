#!/usr/bin/env bash
# Makes the self-contained Linux x64 archive, cli/target/vsa-<version>-linux-x64.tar.gz, from the distribution
# archive the build writes (cli/target/vsa-<version>.tar.gz: run ./mvnw -B package first):
#   runtime/      a jlink image of the JDK modules vsa uses (no JDK needed where it is unpacked), with the JDK's
#                 own class-data archive (--generate-cds-archive)
#   lib/vsa.aot   an AOT cache (JEP 483/514: classes parsed, verified and linked ahead of time) made by running
#                 cli's AotTraining (`vsa demo`: inspect, validate and convert of every kind; then `vsa convert`
#                 to and from SOG, to compressed PLY and .splat) once on that runtime; bin/vsa uses it
#   lib/vsa-convert.aot  the same from conversions alone (AotTraining DIR convert), which bin/vsa uses for
#                 `vsa convert`: the JVM loads every class of a cache at start, and the demo's inspection,
#                 validation and JSON output would cost each conversion ~25-40 ms (see ./vsa)
#   lib/vsa-serve.aot  the same from a server serving (AotTraining DIR serve), which bin/vsa uses for `vsa serve`
# Needs a JDK 25+ whose runtime can be linked (JEP 493, as Temurin 25 here) or that has jmods/. Not part of
# ./mvnw verify (about a minute); dist/test-install.sh tests the result.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
major=$(vsa_java_major "$JAVA_HOME")
if [ "$major" -lt 25 ]; then echo "dist/jlink.sh needs a JDK 25+ (found $major at $JAVA_HOME)" >&2; exit 3; fi
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)
archive="$root/cli/target/vsa-$version.tar.gz"
[ -f "$archive" ] || { echo "no $archive: run ./mvnw -B package first" >&2; exit 3; }
out="$root/cli/target/vsa-$version-linux-x64.tar.gz"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work"
app="$work/vsa-$version"
# The modules `jdeps --print-module-deps --ignore-missing-deps --multi-release 25 lib/vsa.jar` lists (it takes
# ~40 s on the 118 MB jar, so it runs only with VSA_JDEPS=1), plus jdk.zipfs (zip uploads) and jdk.crypto.ec.
modules=java.base,java.desktop,java.instrument,java.management,java.naming,java.net.http,java.rmi,java.security.jgss,java.sql,jdk.net,jdk.unsupported
if [ "${VSA_JDEPS:-0}" = 1 ]; then
  modules=$("$JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release "$major" "$app/lib/vsa.jar")
fi
modules="$modules,jdk.zipfs,jdk.crypto.ec"
echo "jlink: $modules" >&2
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$app/runtime" > /dev/null
# The training run uses the flags bin/vsa runs with; its files go to a scratch folder, its vsa home too.
train="$work/train"
mkdir -p "$train"
for cache in vsa:"" vsa-convert:convert vsa-serve:serve; do
  VSA_HOME="$train/home" "$app/runtime/bin/java" --sun-misc-unsafe-memory-access=allow \
    -XX:AOTCacheOutput="$app/lib/${cache%%:*}.aot" -Xlog:aot=error -Xlog:cds=error \
    -cp "$app/lib/vsa.jar" dev.vsa.cli.AotTraining "$train/run" ${cache#*:} > /dev/null
  rm -rf "$train/run"
done
rm -rf "$train"
tar -czf "$out.tmp" -C "$work" "vsa-$version"
mv -f "$out.tmp" "$out"
echo "$out ($(du -h "$out" | cut -f1); unpacked $(du -sh "$app" | cut -f1))"
