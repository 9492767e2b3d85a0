#!/bin/sh
# S3Proxy with signature checks on, filesystem blobs under /data, listening on 0.0.0.0:${S3_PORT:-9000}.
set -eu
: "${MINIO_ROOT_USER:?set MINIO_ROOT_USER (the access key)}"
: "${MINIO_ROOT_PASSWORD:?set MINIO_ROOT_PASSWORD (the secret key)}"
conf=$(mktemp)
cat > "$conf" <<CONF
s3proxy.endpoint=http://0.0.0.0:${S3_PORT:-9000}
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=${MINIO_ROOT_USER}
s3proxy.credential=${MINIO_ROOT_PASSWORD}
jclouds.provider=filesystem
jclouds.filesystem.basedir=/data
CONF
exec java ${JAVA_OPTS:-} -cp '/opt/s3proxy/lib/*' org.gaul.s3proxy.Main --properties "$conf"
