# Conveyor's container image: SageMaker's inference-container contract and Kubernetes.
#
#   docker build -t conveyor .
#   docker run --rm -p 8080:8080 conveyor                         # the bundled Car Evaluation pipeline
#   docker run --rm -p 8080:8080 -v "$PWD/model:/opt/ml/model:ro" conveyor serve   # as SageMaker runs it
#
# docs/deployment.md explains it; .ci/container-rootfs-check.sh builds the runtime stage's root
# filesystem with debootstrap (no Docker engine needed) and serves a model from it.

# Build: the Swift toolchain on Debian 12, with the C libraries Conveyor links (as .ci/setup.sh installs).
ARG SWIFT_IMAGE=swift:6.3-bookworm
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libxgboost-dev zlib1g-dev pkg-config libsnappy-dev libzstd-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The repository's one release build (.ci/build-release.sh): the Swift standard library and Foundation
# linked in statically, so the runtime image needs no toolchain, and a request's functions laid out
# together by lld (which the toolchain image ships).
# Debug info stripped (184 -> 115 MB); the symbol table stays, so crash backtraces keep function names.
RUN bash .ci/build-release.sh --product conveyor \
 && install -D "$(bash .ci/build-release.sh --show-bin-path)/conveyor" /out/bin/conveyor \
 && strip --strip-debug /out/bin/conveyor \
 && cp -R pipelines models /out/

# Run: a slim Debian 12 with Debian's libxgboost (1.7.4), as a non-root user.
FROM debian:bookworm-slim
ARG RUNTIME_PACKAGES="libxgboost0 zlib1g libsnappy1v5 libzstd1 ca-certificates"
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${RUNTIME_PACKAGES} \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin conveyor
# bin/conveyor finds the bundled default pipeline at /opt/conveyor/pipelines.
COPY --from=build /out/ /opt/conveyor/
ENV PATH=/opt/conveyor/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CONVEYOR_HOST=0.0.0.0
USER 10001:10001
EXPOSE 8080
# SageMaker runs `docker run IMAGE serve`: the argument becomes `conveyor serve`, which serves
# /opt/ml/model when it holds a model, and the bundled pipeline otherwise.
ENTRYPOINT ["conveyor"]
CMD ["serve"]
