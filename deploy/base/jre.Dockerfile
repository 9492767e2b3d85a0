# Local stand-in for eclipse-temurin:21-jre (the runtime stage of the vsa image and of the S3Proxy image).
ARG DEBIAN_IMAGE=vsa-local/debian:trixie
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-21-jre-headless ca-certificates \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-21-openjdk-amd64
