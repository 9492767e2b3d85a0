#!/usr/bin/env bash
# Refreshes the viewer's vendored browser modules from npm (the web app's 3D viewer; no webjar ships them at the
# versions the splat renderer needs, and three's webjar is the whole 30 MB npm package for the ~1.4 MB used).
# Writes the dist files the page imports, each package's licence, and VERSIONS.txt (package, version, licence,
# sha256 of each file) under server-lite/src/main/resources/dev/vsa/server/web/vendor/. Needs npm and network
# access to the npm registry; the build itself needs neither (the files are committed).
#   server-lite/webapp/refresh-vendor.sh            # the pinned versions below
#   THREE_VERSION=0.181.0 server-lite/webapp/refresh-vendor.sh
set -euo pipefail
THREE_VERSION=${THREE_VERSION:-0.180.0}   # Spark 2.2 asks for three >= 0.180 and documents 0.180.0
SPARK_VERSION=${SPARK_VERSION:-2.2.0}

here=$(cd "$(dirname "$0")" && pwd)
out="$here/../src/main/resources/dev/vsa/server/web/vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "three@$THREE_VERSION" "@sparkjsdev/spark@$SPARK_VERSION" >/dev/null)
mkdir -p "$tmp/three" "$tmp/spark" "$tmp/fflate"
tar xzf "$tmp/three-$THREE_VERSION.tgz" -C "$tmp/three"
tar xzf "$tmp/sparkjsdev-spark-$SPARK_VERSION.tgz" -C "$tmp/spark"
# Spark's bundle includes fflate (its one dependency): its licence goes along.
FFLATE_RANGE=$(node -e 'console.log(require(process.argv[1]).dependencies.fflate)' "$tmp/spark/package/package.json")
FFLATE_VERSION=$(npm view "fflate@$FFLATE_RANGE" version | tail -1 | sed "s/.* '//; s/'//")
(cd "$tmp" && npm pack --silent "fflate@$FFLATE_VERSION" >/dev/null)
tar xzf "$tmp/fflate-$FFLATE_VERSION.tgz" -C "$tmp/fflate"

rm -rf "$out"
mkdir -p "$out/three/addons/loaders" "$out/three/addons/controls" "$out/three/addons/postprocessing" \
    "$out/three/addons/utils" "$out/spark"
t="$tmp/three/package"
cp "$t/build/three.module.min.js" "$t/build/three.core.min.js" "$out/three/"
cp "$t/examples/jsm/loaders/GLTFLoader.js" "$out/three/addons/loaders/"
cp "$t/examples/jsm/controls/OrbitControls.js" "$out/three/addons/controls/"
cp "$t/examples/jsm/postprocessing/Pass.js" "$out/three/addons/postprocessing/"
cp "$t/examples/jsm/utils/BufferGeometryUtils.js" "$out/three/addons/utils/"
cp "$t/LICENSE" "$out/three/LICENSE"
s="$tmp/spark/package"
cp "$s/dist/spark.module.min.js" "$out/spark/"
cp "$s/LICENSE" "$out/spark/LICENSE"
cp "$tmp/fflate/package/LICENSE" "$out/spark/LICENSE.fflate"

licence() { node -e 'console.log(require(process.argv[1]).license)' "$1/package.json"; }
{
  echo "# Vendored by server-lite/webapp/refresh-vendor.sh on $(date -u +%Y-%m-%d); do not edit by hand."
  echo "three $THREE_VERSION $(licence "$t") https://www.npmjs.com/package/three"
  echo "@sparkjsdev/spark $SPARK_VERSION $(licence "$s") https://www.npmjs.com/package/@sparkjsdev/spark"
  echo "fflate $FFLATE_RANGE (bundled inside spark.module.min.js; licence text from $FFLATE_VERSION) $(licence "$tmp/fflate/package") https://www.npmjs.com/package/fflate"
  echo
  (cd "$out" && find . -type f ! -name VERSIONS.txt | sort | xargs sha256sum)
} > "$out/VERSIONS.txt"
cat "$out/VERSIONS.txt"
