#!/usr/bin/env bash
# Regenerates ../Generated/ from grpc_predict_v2.proto. Run by hand when the .proto changes, never
# in CI (building the plugins takes minutes). Needs protoc (Debian's protobuf-compiler) and the two
# plugins built from the package versions Package.swift names:
#   git clone -b 2.4.1 https://github.com/grpc/grpc-swift-protobuf && cd grpc-swift-protobuf
#   swift build -c release --product protoc-gen-grpc-swift-2 && swift build -c release --product protoc-gen-swift
#   PLUGINS=$PWD/.build/release bash <this script>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
plugins="${PLUGINS:?set PLUGINS to the folder holding protoc-gen-swift and protoc-gen-grpc-swift-2}"
out="$here/../Generated"
mkdir -p "$out"
protoc --proto_path="$here" \
  --plugin=protoc-gen-swift="$plugins/protoc-gen-swift" \
  --plugin=protoc-gen-grpc-swift="$plugins/protoc-gen-grpc-swift-2" \
  --swift_out="$out" --swift_opt=Visibility=Public \
  --grpc-swift_out="$out" --grpc-swift_opt=Visibility=Public,Client=false,Server=true \
  grpc_predict_v2.proto
echo "generated: $(ls "$out")"
