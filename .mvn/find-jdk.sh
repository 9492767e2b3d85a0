# Sourced by ./mvnw and ./vsa: makes JAVA_HOME point at a JDK 21 or newer.
# Order: an existing JAVA_HOME that is new enough, then `java` on PATH, then the usual install folders.
vsa_java_major() { # prints the feature version of "$1/bin/java", or nothing
  [ -x "$1/bin/java" ] || return 0
  # The JDK's release file answers without starting a JVM (which costs ~0.15 s on every vsa run).
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -1
    return 0
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}
vsa_find_jdk() {
  local cand major
  for cand in "${JAVA_HOME:-}" \
      "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")" \
      /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$cand" ] && [ -x "$cand/bin/javac" ] || continue
    major=$(vsa_java_major "$cand")
    case "$major" in ''|1.*) continue ;; esac
    if [ "$major" -ge 21 ] 2>/dev/null; then echo "$cand"; return 0; fi
  done
  return 1
}
if ! _vsa_jdk=$(vsa_find_jdk); then
  echo "vsa needs a JDK 21 or newer: install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
  exit 3
fi
export JAVA_HOME="$_vsa_jdk"
unset _vsa_jdk
# Maven 3.9's Guice calls sun.misc.Unsafe; JDK 24+ warns about it on every build unless told this is expected.
if [ "$(vsa_java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
  case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi
