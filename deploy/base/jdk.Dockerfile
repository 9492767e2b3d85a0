# Local stand-in for eclipse-temurin:21-jdk (the Dockerfile's build stage): Debian's OpenJDK 21 plus what the
# Maven wrapper uses (curl, unzip). Built by deploy/base/build.sh on a machine without a registry.
ARG DEBIAN_IMAGE=vsa-local/debian:trixie
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-21-jdk-headless curl unzip ca-certificates \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-21-openjdk-amd64
