# Sourced by ./mvnw and ./vsa: makes JAVA_HOME point at a JDK 21 or newer, and sets vsa_jdk_major (its feature
# version, e.g. 25) and vsa_jdk_version (e.g. 25.0.3, or the feature version where the JDK has no release file).
# Order: an existing JAVA_HOME that is new enough, then `java` on PATH, then the usual install folders.
# (Shell built-ins and no subshells where they do: every vsa command pays for this, and each process started costs
# ms on a busy machine. With JAVA_HOME set it starts none.)
_vsa_set_version() { # sets _vsa_v to the version of the JDK in "$1" (e.g. 25.0.3, or 25), or to nothing
  _vsa_v=""
  [ -x "$1/bin/java" ] || return 0
  # The JDK's release file answers without starting a JVM (which costs ~0.15 s on every vsa run).
  if [ -f "$1/release" ]; then
    while IFS= read -r _vsa_line || [ -n "$_vsa_line" ]; do
      case "$_vsa_line" in
        JAVA_VERSION=*) _vsa_line=${_vsa_line#JAVA_VERSION=}; _vsa_line=${_vsa_line#\"}; _vsa_v=${_vsa_line%%\"*}; return 0 ;;
      esac
    done < "$1/release"
    return 0
  fi
  _vsa_v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)
}
vsa_java_version() { # prints the version of the JDK in "$1" (e.g. 25.0.3, or 25), or nothing
  _vsa_set_version "$1"
  echo "$_vsa_v"
}
vsa_java_major() { # prints the feature version of "$1/bin/java", or nothing
  _vsa_set_version "$1"
  echo "${_vsa_v%%[!0-9]*}"
}
_vsa_find_jdk() { # sets _vsa_v and _vsa_home to the version and folder of the first JDK 21+ it finds; 1 if none
  for _vsa_home in "${JAVA_HOME:-}" "javac-on-path" /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* \
      "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    if [ "$_vsa_home" = javac-on-path ]; then # looked up only when JAVA_HOME did not do
      _vsa_home=$(command -v javac 2>/dev/null) || continue
      _vsa_home=$(readlink -f "$_vsa_home") || continue
      _vsa_home=${_vsa_home%/*/*} # .../bin/javac -> ...
    fi
    [ -n "$_vsa_home" ] && [ -x "$_vsa_home/bin/javac" ] || continue
    _vsa_set_version "$_vsa_home"
    case "$_vsa_v" in ''|1.*) continue ;; esac
    if [ "${_vsa_v%%[!0-9]*}" -ge 21 ] 2>/dev/null; then return 0; fi
  done
  return 1
}
if ! _vsa_find_jdk; then
  echo "vsa needs a JDK 21 or newer: install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
  exit 3
fi
export JAVA_HOME="$_vsa_home"
vsa_jdk_version=$_vsa_v
vsa_jdk_major=${vsa_jdk_version%%[!0-9]*}
unset _vsa_home _vsa_v _vsa_line
# Maven 3.9's Guice calls sun.misc.Unsafe; JDK 24+ warns about it on every build unless told this is expected.
if [ "$vsa_jdk_major" -ge 24 ] 2>/dev/null; then
  case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi
