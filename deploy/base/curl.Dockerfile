# Local stand-in for curlimages/curl (compose's one-shot job that creates the bucket).
ARG DEBIAN_IMAGE=vsa-local/debian:trixie
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
