#!/usr/bin/env bash
# Tests the install archives as a user gets them: unpacks each into a temporary folder and runs it with no JDK
# on the machine (as root: a private mount namespace hides /usr/lib/jvm, so neither /usr/bin/java nor any JDK
# exists; else only PATH and JAVA_HOME are stripped), checking output and exit codes. Makes the self-contained
# archive with dist/jlink.sh when it is missing or older than cli/target/vsa-<version>.tar.gz.
# Prints PASS/FAIL per check; exit 0 only when all pass.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)
plain="$root/cli/target/vsa-$version.tar.gz"
linux="$root/cli/target/vsa-$version-linux-x64.tar.gz"
[ -f "$plain" ] || { echo "no $plain: run ./mvnw -B package first" >&2; exit 3; }
if [ ! -f "$linux" ] || [ "$linux" -ot "$plain" ]; then "$root/dist/jlink.sh"; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/self" "$tmp/plain" "$tmp/work"
tar -xzf "$linux" -C "$tmp/self"
tar -xzf "$plain" -C "$tmp/plain"
failures=0
check() { # name, expected exit code, command (run in the sandbox), [text the output must contain]
  local name=$1 want=$2 cmd=$3 text=${4:-} out rc=0
  out=$(sandbox "$cmd" 2>&1) || rc=$?
  if [ "$rc" = "$want" ] && { [ -z "$text" ] || grep -qF -- "$text" <<< "$out"; }; then
    echo "PASS $name"
  else
    echo "FAIL $name (exit $rc, wanted $want${text:+ and \"$text\"}):"; sed 's/^/    /' <<< "$out"
    failures=$((failures + 1))
  fi
}
# The sandbox: an empty environment (no JAVA_HOME, PATH of the system's plain tools) and, as root, no JDK at all.
if [ "$(id -u)" = 0 ] && command -v unshare > /dev/null; then
  sandbox() {
    env -i HOME="$tmp/home" PATH=/usr/bin:/bin TMP="$tmp" unshare --mount sh -c \
      'mount -t tmpfs none /usr/lib/jvm && cd "$TMP/work" && eval "$1"' sh "$1"
  }
  echo "sandbox: no JDK on the machine (/usr/lib/jvm hidden), no JAVA_HOME"
else
  sandbox() { env -i HOME="$tmp/home" PATH=/usr/bin:/bin TMP="$tmp" sh -c 'cd "$TMP/work" && eval "$1"' sh "$1"; }
  echo "sandbox: PATH and JAVA_HOME stripped only (not root)"
fi
self="$tmp/self/vsa-$version/bin/vsa"
check "no java in the sandbox" 127 'java -version'
check "self-contained: --version" 0 "$self --version" "vsa $version"
check "self-contained: --version prints nothing else" 0 "$self --version | head -1 | grep -q '^vsa '"
check "self-contained: demo (write, inspect, validate)" 0 "$self demo --out demo --splats 500" "demo.glb"
check "self-contained: inspect" 0 "$self inspect demo/demo.spz" "spz v4"
check "self-contained: convert" 0 "$self convert demo/demo.ply demo/demo.splat" "demo.splat"
check "self-contained: validate --json" 0 "$self validate --json demo/demo.glb" '"numErrors"'
check "self-contained: missing file exits 3" 3 "$self inspect no-such.ply" "no-such.ply"
check "self-contained: from a symlink on the PATH" 0 "mkdir -p b && ln -sf $self b/vsa && PATH=\$PWD/b:\$PATH vsa --version" "vsa $version"
check "self-contained: AOT cache in use" 0 \
  "VSA_JAVA_OPTS=-Xlog:class+load $self --version | grep -c 'shared objects file' | awk '{ exit \$1 < 500 }'"
plainvsa="$tmp/plain/vsa-$version/bin/vsa"
check "plain archive: no Java says how to get one" 3 "$plainvsa --version" "vsa needs Java 21 or newer"
check "plain archive: with JAVA_HOME" 0 "JAVA_HOME=$tmp/self/vsa-$version/runtime $plainvsa --version" "vsa $version"
check "plain archive: bin/vsa.cmd present" 0 "test -f $tmp/plain/vsa-$version/bin/vsa.cmd"
echo "$failures failure(s)"
[ "$failures" = 0 ]
