#!/bin/sh
# Runs vsa validate/inspect/convert on each attack file under -Xmx256m; prints exit code, stderr line count,
# whether a stack trace appeared, CPU seconds and the first line. Each run bounded by 120 s (timeout).
# Usage: cli-attacks.sh VSA_JAR FILE...
jar=$1; shift
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
out=$(mktemp -d)
for f in "$@"; do
  for cmd in validate inspect convert; do
    extra=""
    if [ $cmd = convert ]; then case "$f" in *.spz|*.zip) extra="$out/o.ply";; *splat-*) extra="$out/o.spz";; *) extra="$out/o.glb";; esac; fi
    /usr/bin/time -f '%U %S %e' -o "$out/t" timeout 120 "$java" -Xmx256m -jar "$jar" $cmd "$f" $extra > "$out/o" 2> "$out/e"
    rc=$?
    trace=$(grep -c '^\s*at \|Exception in thread\|OutOfMemoryError' "$out/e" "$out/o" | awk -F: '{s+=$2} END {print s}')
    lines=$(wc -l < "$out/e")
    printf '%-28s %-8s rc=%-3s errlines=%-3s trace=%-3s cpu/wall=%s | %s\n' "$(basename "$f")" $cmd $rc $lines "$trace" \
      "$(tail -1 "$out/t" | awk '{printf "%.1f/%.1f", $1+$2, $3}')" "$(cat "$out/e" "$out/o" | head -c 220 | head -1)"
    rm -f "$out"/o.*
  done
done
rm -rf "$out"
