#!/usr/bin/env bash
# Installs what Conveyor needs to build on Debian 12: libxgboost (1.7.4),
# zlib (for zip bundles), snappy and zstd (Parquet pages) and pkg-config. Safe to run again.
set -euo pipefail

packages=(libxgboost-dev zlib1g-dev pkg-config)
# Parquet codecs for Spark ML model data (SparkML stages).
packages+=(libsnappy-dev libzstd-dev)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v swift >/dev/null || { echo "setup: the Swift toolchain (6.x) must be on PATH" >&2; exit 1; }
pkg-config --exists xgboost || { echo "setup: pkg-config cannot find xgboost" >&2; exit 1; }
