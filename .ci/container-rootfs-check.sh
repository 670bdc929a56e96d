#!/usr/bin/env bash
# Proves the Dockerfile's runtime stage without a Docker engine: builds its root filesystem with
# debootstrap (Debian 12, the packages and user the Dockerfile names), puts in the build stage's
# output (the release binary with the Swift runtime linked statically, pipelines/, models/), and
# serves from it in a chroot as the non-root user:
#   - `conveyor serve` with a SageMaker XGBoost artifact at /opt/ml/model: /ping, and /invocations
#     equal to the producer's (XGBoost 3.4.1) predictions;
#   - `conveyor predict` with no model there: the bundled Car Evaluation pipeline, whose labels
#     equal Spark's (models/car-evaluation-spark/expected.json).
# Needs root, debootstrap and Debian's mirror; not part of .ci/run (minutes, network, root).
#   .ci/container-rootfs-check.sh [ROOTFS_DIR]      (default /tmp/conveyor-rootfs; reused if present)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="${1:-/tmp/conveyor-rootfs}"
PORT="${PORT:-$((20000 + RANDOM % 20000))}"
[[ $(id -u) == 0 ]] || { echo "run as root (chroot, debootstrap)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 2; }

# What the Dockerfile's runtime stage installs, read from it so the two cannot drift.
packages="$(sed -n 's/^ARG RUNTIME_PACKAGES="\(.*\)"$/\1/p' Dockerfile)"
[[ -n "$packages" ]] || { echo "no RUNTIME_PACKAGES in the Dockerfile" >&2; exit 1; }

if [[ ! -x "$ROOT/usr/bin/apt-get" ]]; then
    echo "== debootstrap bookworm (minbase) into $ROOT"
    debootstrap --variant=minbase bookworm "$ROOT" http://deb.debian.org/debian
fi
echo "== runtime packages: $packages"
chroot "$ROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get update -qq
chroot "$ROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages
chroot "$ROOT" id conveyor >/dev/null 2>&1 || chroot "$ROOT" useradd --uid 10001 --user-group --no-create-home \
    --home-dir /nonexistent --shell /usr/sbin/nologin conveyor

echo "== build stage: bash .ci/build-release.sh --product conveyor"
bash .ci/build-release.sh --product conveyor >&2
bin="$(bash .ci/build-release.sh --show-bin-path)/conveyor"
rm -rf "$ROOT/opt/conveyor" && install -D "$bin" "$ROOT/opt/conveyor/bin/conveyor"
strip --strip-debug "$ROOT/opt/conveyor/bin/conveyor"
cp -R pipelines models "$ROOT/opt/conveyor/"

echo "== shared libraries the binary needs, resolved inside the image"
missing="$(chroot "$ROOT" ldd /opt/conveyor/bin/conveyor | grep 'not found' || true)"
chroot "$ROOT" ldd /opt/conveyor/bin/conveyor | sed 's/ (0x.*//'
[[ -z "$missing" ]] || { echo "missing libraries: $missing" >&2; exit 1; }

mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
mkdir -p "$ROOT/dev" && [[ -e "$ROOT/dev/null" ]] || mknod -m 666 "$ROOT/dev/null" c 1 3
[[ -e "$ROOT/dev/urandom" ]] || mknod -m 444 "$ROOT/dev/urandom" c 1 9
server=""
cleanup() {
    [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    umount "$ROOT/proc" 2>/dev/null || true
}
trap cleanup EXIT
# As the image runs it: its ENV, its user, no working-directory assumptions.
run() {
    chroot --userspec=10001:10001 "$ROOT" /usr/bin/env -i HOME=/nonexistent \
        PATH=/opt/conveyor/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin CONVEYOR_HOST=0.0.0.0 "$@"
}

fixtures=Tests/Fixtures/xgboost-objectives/3.4.1
rm -rf "$ROOT/opt/ml" && mkdir -p "$ROOT/opt/ml/model"
# The SageMaker XGBoost container's model.tar.gz holds `xgboost-model`; SageMaker extracts it here.
cp "$fixtures/reg_gamma.json" "$ROOT/opt/ml/model/xgboost-model"
chmod -R a+rX "$ROOT/opt/ml"

echo "== conveyor serve (as SageMaker starts the image: \`serve\`) on port $PORT"
run conveyor serve --port "$PORT" &
server=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/ping" >/dev/null 2>&1 && break; sleep 0.2; done
# The answer must come from this server, not from one left running on the port.
kill -0 "$server" 2>/dev/null || { echo "conveyor serve exited" >&2; exit 1; }
curl -fsS -o /dev/null -w "GET /ping: %{http_code}\n" "http://127.0.0.1:$PORT/ping"
answer="$(curl -fsS -H 'Content-Type: text/csv' --data-binary "@$fixtures/inputs_adult.csv" \
    "http://127.0.0.1:$PORT/invocations")"
python3 - "$fixtures/reg_gamma.pred.csv" <<PY
import struct, sys
f32 = lambda x: struct.unpack('f', struct.pack('f', float(x)))[0]
got = [f32(line) for line in """$answer""".split()]
want = [f32(line) for line in open(sys.argv[1]).read().split()]
assert len(got) == len(want) == 200, (len(got), len(want))
bad = [i for i, (g, w) in enumerate(zip(got, want)) if g != w]
assert not bad, f"{len(bad)} of 200 differ from XGBoost 3.4.1's predictions, first at row {bad[0]}"
print("POST /invocations: 200 rows equal XGBoost 3.4.1's predictions (float32, exact)")
PY
kill "$server" && wait "$server" 2>/dev/null || true
server=""

echo "== conveyor predict with /opt/ml/model empty: the bundled pipeline"
rm -rf "$ROOT/opt/ml/model"/*
spark=models/car-evaluation-spark/expected.json
inputs="$(python3 -c 'import json,sys; [print(",".join("" if v is None else v for v in r)) for r in json.load(open(sys.argv[1]))["rows"]]' "$spark")"
predicted="$(printf '%s\n' "$inputs" | run conveyor predict --content-type text/csv)"
python3 - "$spark" <<PY
import json, sys
want = [e["values"]["predicted_class"] for e in json.load(open(sys.argv[1]))["expected"]]
got = [line.split(",")[0] for line in """$predicted""".split()]
assert got == want, f"{sum(g != w for g, w in zip(got, want))} labels differ, counts {len(got)}/{len(want)}"
print(f"predict: {len(got)} rows from /opt/conveyor/pipelines/car-evaluation.json, labels equal Spark's")
PY

echo "== sizes"
echo "bin/conveyor: $(du -h "$ROOT/opt/conveyor/bin/conveyor" | cut -f1); pipelines and models: $(du -sh --exclude=bin "$ROOT/opt/conveyor" | cut -f1)"
# What the runtime stage adds to debian:bookworm-slim: the packages it installs, with the libraries they pull in.
chroot "$ROOT" dpkg-query -W -f='${Installed-Size}\t${Package}\n' $packages libdmlc0 libgomp1 libssl3 openssl 2>/dev/null \
    | awk '{kb += $1} END {printf "runtime packages (with libdmlc0, libgomp1, openssl): %.1f MB installed\n", kb / 1024}'
echo "container rootfs check: OK"
