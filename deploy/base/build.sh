#!/bin/bash
# Builds the local base images that stand in for the public ones on a machine with no container registry:
#   vsa-local/debian:trixie   debootstrap of Debian trixie from the Debian mirror apt uses (DEBIAN_MIRROR)
#   vsa-local/jdk:21          for eclipse-temurin:21-jdk     vsa-local/jre:21     for eclipse-temurin:21-jre
#   vsa-local/postgres:17     for postgres:17                vsa-local/curl:8     for curlimages/curl
#   vsa-local/s3proxy:2.6.0   an S3 server for minio/minio (S3Proxy from Maven Central; MinIO has no package)
# Each image is built only when missing (FORCE=1 rebuilds). Needs root (debootstrap), dockerd, network to the
# Debian mirror and Maven Central. Builds use the host network (Debian and Maven are the only hosts reached).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mirror=${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)}
mirror=${mirror:-http://deb.debian.org/debian}
have() { [ "${FORCE:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }
build() { # image dockerfile context
  have "$1" && { echo "base: $1 present"; return; }
  echo "base: building $1"
  docker build -q --network host -t "$1" -f "$2" "$3" >/dev/null
}
if ! have vsa-local/debian:trixie; then
  command -v debootstrap >/dev/null || apt-get install -y debootstrap
  rootfs=$(mktemp -d /var/tmp/vsa-trixie.XXXXXX)
  echo "base: debootstrap trixie from $mirror (about 2 minutes)"
  debootstrap --variant=minbase trixie "$rootfs" "$mirror" > "$rootfs.log" 2>&1 \
    || { tail -20 "$rootfs.log" >&2; exit 1; }
  # As in Debian's own image: no package lists, caches or .debs in the layer (debootstrap leaves 87 MB of them,
  # and every image built on this one would carry them), and apt in derived images keeps none either.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  cp "$here/apt-no-cache.conf" "$rootfs/etc/apt/apt.conf.d/docker-clean"
  # Documentation, manual pages and translations out too (46 MB here), and out of every package installed later.
  cp "$here/dpkg-slim.cfg" "$rootfs/etc/dpkg/dpkg.cfg.d/slim"
  find "$rootfs/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/lintian/*
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  # update-alternatives (openjdk's postinst) links manual pages into man1 and fails where the folder is missing.
  mkdir -p "$rootfs/usr/share/man/man1"
  tar -C "$rootfs" -c . | docker import - vsa-local/debian:trixie >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
fi
build vsa-local/jdk:21 "$here/jdk.Dockerfile" "$here"
build vsa-local/jre:21 "$here/jre.Dockerfile" "$here"
build vsa-local/curl:8 "$here/curl.Dockerfile" "$here"
build vsa-local/postgres:17 "$here/postgres.Dockerfile" "$here"
if ! have vsa-local/s3proxy:2.6.0; then
  rm -rf "$here/s3proxy/lib"
  "$root/mvnw" -q -B -f "$here/s3proxy/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$here/s3proxy/lib" -DincludeScope=runtime
  build vsa-local/s3proxy:2.6.0 "$here/s3proxy/Dockerfile" "$here/s3proxy"
  rm -rf "$here/s3proxy/lib"
fi
