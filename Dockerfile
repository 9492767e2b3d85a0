# The vsa image: one image for the API (`vsa serve --no-worker`) and the workers (`vsa worker`).
#   docker build -t vsa .
#   docker run -e VSA_DATABASE_URL=... -e VSA_S3_BUCKET=... vsa serve --no-worker
# Configured only through the environment (VSA_* variables; see docs/operations.md). No secret is baked in.
# The base images are build arguments so the same file builds from Docker Hub and from local images
# (deploy/base/build.sh makes stand-ins on a machine with no registry).
ARG BUILD_IMAGE=eclipse-temurin:21-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:21-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# Optional Maven repository mirror (e.g. a company proxy); empty = Maven Central.
ARG MAVEN_MIRROR_URL=
# The wrapper, the POMs and .mvn first: this layer (Maven and every dependency) is reused while only sources change.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY core/pom.xml core/
COPY processing/pom.xml processing/
COPY server-lite/pom.xml server-lite/
COPY cli/pom.xml cli/
COPY completions/pom.xml completions/
COPY deploy/docker/maven-settings.sh deploy/docker/
# Extra CAs (deploy/docker/ca/*.crt) for a TLS-inspecting proxy between the build and Maven Central; none by default.
COPY deploy/docker/ca/ /tmp/extra-ca/
RUN set -e; for f in /tmp/extra-ca/*.crt; do [ -f "$f" ] || continue; \
      cp "$f" /usr/local/share/ca-certificates/; \
      keytool -importcert -noprompt -cacerts -storepass changeit -alias "extra-$(basename "$f")" -file "$f" >/dev/null; \
    done; update-ca-certificates >/dev/null 2>&1 || true
RUN sh deploy/docker/maven-settings.sh "$MAVEN_MIRROR_URL" > /tmp/settings.xml \
 && ./mvnw -B -q -s /tmp/settings.xml -pl cli -am dependency:go-offline -DexcludeGroupIds=dev.vsa \
    -Dmaven.artifact.threads=8 >/tmp/go-offline.log 2>&1 \
 || { echo "dependency pre-fetch incomplete (the package step fetches the rest):"; tail -3 /tmp/go-offline.log; }
COPY core core
COPY processing processing
COPY server-lite server-lite
COPY cli cli
# The distribution archive the cli build also makes carries the README.
COPY README.md ./
RUN ./mvnw -B -q -s /tmp/settings.xml -pl cli -am -DskipTests package
# The jar less what no Linux container loads: other systems' PostgreSQL bundles and native libraries (131 -> 62 MB).
COPY deploy/docker/ContainerJar.java deploy/docker/
RUN java deploy/docker/ContainerJar.java cli/target/vsa.jar /tmp/vsa.jar

FROM ${RUNTIME_IMAGE}
# Non-root: uid 10001, home and data in /var/lib/vsa (only local state: spooled uploads while they arrive).
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/vsa --shell /usr/sbin/nologin vsa \
 && mkdir -p /var/lib/vsa /opt/vsa && chown vsa:vsa /var/lib/vsa
COPY --from=build /tmp/vsa.jar /opt/vsa/vsa.jar
COPY deploy/docker/vsa deploy/docker/healthcheck cli/src/dist/lib/jvm-flags.sh /opt/vsa/
ENV PATH=/opt/vsa:$PATH \
    VSA_HOME=/var/lib/vsa \
    VSA_HOST=0.0.0.0 \
    VSA_PORT=8000 \
    VSA_METRICS_HOST=0.0.0.0 \
    VSA_METRICS_PORT=9400 \
    VSA_READYZ_PORT_FILE=/var/lib/vsa/readyz.port \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
WORKDIR /var/lib/vsa
EXPOSE 8000 9400
# /readyz answers 200 when the database and the bucket answer: on the API port for `serve`, on the metrics port
# for `worker` (each writes the port it serves /readyz on to VSA_READYZ_PORT_FILE).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["/opt/vsa/healthcheck"]
ENTRYPOINT ["vsa"]
CMD ["serve", "--no-worker"]
