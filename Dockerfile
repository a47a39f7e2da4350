# syntax=docker/dockerfile:1
# One image for the detector service and the streamer (multi-stage: Maven build, JRE runtime).
ARG RUNTIME_BASE=eclipse-temurin:17-jre
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -pl detector,streamer -am package -DskipTests \
 && mkdir -p /out/lib \
 && for m in schemas common ava-tools runtime detector streamer; do cp $m/target/$m-*.jar /out/lib/; done \
 && ./mvnw -B -q -pl detector,streamer dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory=/out/lib -DexcludeGroupIds=io.cmstream

# RUNTIME_BASE: a JRE image for CPU; for the GPU variant a CUDA 12 + cuDNN 9 runtime image,
# e.g. --build-arg RUNTIME_BASE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04 (Java is added).
ARG RUNTIME_BASE=eclipse-temurin:17-jre
FROM ${RUNTIME_BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl $(command -v java >/dev/null || echo openjdk-17-jre-headless) && rm -rf /var/lib/apt/lists/* \
 && groupadd --system cm && useradd --system --gid cm --home /app cm \
 && mkdir -p /app /var/lib/cm-stream/state /models && chown -R cm:cm /app /var/lib/cm-stream
COPY --from=build /out/lib /app/lib
COPY deploy/entrypoint.sh /app/entrypoint.sh
USER cm
WORKDIR /app
ENV JAVA_OPTS="-Xmx2g -Dai.djl.offline=true"
EXPOSE 8080
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["detector", "--help"]
