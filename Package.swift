// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way:
// CXGBoost → XGBoost → XGBoostStage ┐
// ConveyorCore → Codecs, MLeap ──────┴→ Pipeline → Server, RemoteStage → ConveyorCLI → conveyor
let package = Package(
    name: "Conveyor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "conveyor", targets: ["conveyor"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        // The parsers and loaders, for the libFuzzer package in fuzzing/.
        .library(
            name: "ConveyorParsers",
            targets: ["ConveyorCore", "Codecs", "Archives", "MLeap", "SparkML", "Operators", "Parquet", "XGBoost",
                      "SageMakerArtifacts", "Storage", "BatchTransform", "LightGBM", "MLflow", "InferenceGRPC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        // Real-time server (issue 4): HTTP, lifecycle, metrics, remote stages.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Batch transform (issue 5): SigV4 signing for the S3 API.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // MLflow model directories (issue 17): the MLmodel YAML file.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The Open Inference Protocol over gRPC (issue 14): grpc-swift 2 on NIO's HTTP/2, protobuf messages.
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // libxgboost from Debian (libxgboost-dev, 1.7.4).
        .systemLibrary(
            name: "CXGBoost",
            pkgConfig: "xgboost",
            providers: [.apt(["libxgboost-dev"])]
        ),
        // Owns booster handles; turns XGBGetLastError into typed errors.
        .target(name: "XGBoost", dependencies: ["CXGBoost", "TreeEngine"]),
        // Tree ensembles compiled for fast, bit-exact evaluation. No dependencies.
        .target(name: "TreeEngine"),
        // Frames, schemas, the stage protocol, errors. No dependencies.
        .target(name: "ConveyorCore"),
        // Content types at the edges: CSV, JSON, JSON Lines <-> frames.
        .target(name: "Codecs", dependencies: ["ConveyorCore"]),
        // Reading model archives: zip (ZIPFoundation), tar, gzip; safe paths only.
        .target(
            name: "Archives",
            dependencies: ["ConveyorCore", "CConveyorZlib", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // Every Spark ML op once, as kernels over columns; MLeap and SparkML read parameters for them.
        .target(name: "Operators", dependencies: ["ConveyorCore", "TreeEngine"]),
        // MLeap bundle reader and transformers.
        .target(name: "MLeap", dependencies: ["ConveyorCore", "Archives", "Operators"]),
        // SageMaker model artifacts: model.tar.gz members and a restricted
        // reader for pickled xgboost Boosters (never executes anything).
        .target(name: "SageMakerArtifacts", dependencies: ["ConveyorCore", "Archives"]),
        // The XGBoost stage: frames in, prediction columns out.
        .target(name: "XGBoostStage", dependencies: ["ConveyorCore", "XGBoost", "SageMakerArtifacts"]),
        // LightGBM text models parsed and checked, compiled for the tree engine.
        .target(name: "LightGBM", dependencies: ["ConveyorCore", "TreeEngine"]),
        // The `lightgbm` stage kind: frames in, prediction columns out.
        .target(name: "LightGBMStage", dependencies: ["ConveyorCore", "LightGBM"]),
        // MLflow model directories: the MLmodel file, signature and input example; the `mlflow` stage
        // wraps the stage of the flavour's kind.
        .target(name: "MLflow", dependencies: ["ConveyorCore", .product(name: "Yams", package: "Yams")]),
        // Pipeline definition, loading, chain checks, execution.
        .target(name: "Pipeline", dependencies: ["ConveyorCore", "Archives", "MLeap", "XGBoost", "XGBoostStage", "Codecs", "SparkML",
                                                 "LightGBMStage", "MLflow"]),
        // The Open Inference Protocol's gRPC messages and service stubs, generated once from
        // Protos/grpc_predict_v2.proto by Protos/generate.sh and committed (CI runs no generator),
        // and their conversion to Codecs' tensors.
        .target(
            name: "InferenceGRPC",
            dependencies: [
                "Codecs", "ConveyorCore",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Protos"]
        ),
        // --- Real-time server (issue 4) ---
        // The HTTP server: SageMaker container contract and Runtime API. The
        // only target importing Hummingbird; maps errors to HTTP statuses.
        .target(
            name: "Server",
            dependencies: [
                "Pipeline", "Codecs", "ConveyorCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                "InferenceGRPC",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ]
        ),
        // The `remote` stage kind: POSTs frames to another container.
        .target(
            name: "RemoteStage",
            dependencies: [
                "Pipeline", "Codecs", "ConveyorCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // --- end real-time server ---
        // Batch transform (issue 5): Storage → BatchTransform → ConveyorCLI.
        // zlib from Debian (zlib1g-dev): streaming gzip of inputs and outputs.
        .systemLibrary(name: "CConveyorZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Object stores: local directory trees and the S3 API; streaming reads, atomic writes.
        .target(
            name: "Storage",
            dependencies: [
                "ConveyorCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // SageMaker Batch Transform semantics over a Storage and a Pipeline.
        .target(name: "BatchTransform", dependencies: ["Storage", "Pipeline", "Archives", "Codecs", "ConveyorCore", "CConveyorZlib", "Parquet"]),
        // The `conveyor` commands.
        .target(
            name: "ConveyorCLI",
            dependencies: [
                "Pipeline", "Codecs", "ConveyorCore",
                "Server", "RemoteStage", "BatchTransform", "Storage", "MLflow",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "conveyor",
            dependencies: [
                "ConveyorCLI", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "ConveyorBenchmark",
            dependencies: ["Pipeline", "Codecs", "XGBoost", "SparkML", "ConveyorCore", "ConveyorTestSupport"],
            path: "benchmarks/Sources/ConveyorBenchmark"
        ),
        // LightGBM's own predict vs the tree engine (benchmarks/lightgbm/run.sh).
        .executableTarget(name: "LightGBMBenchmark", dependencies: ["LightGBM"], path: "benchmarks/lightgbm/Sources/LightGBMBenchmark"),

        // --- Spark ML PipelineModel directories (sparkml stage kind) --------------------------
        // snappy and zstd from Debian (libsnappy-dev, libzstd-dev) for Parquet pages.
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // Parquet: Spark ML model data, and data files read and written by `transform`.
        .target(name: "Parquet", dependencies: ["ConveyorCore", "CSnappy", "CZstd", "CConveyorZlib"]),
        // Spark ML stages read from saved model directories; SparkXGB models via XGBoost.
        .target(name: "SparkML", dependencies: ["ConveyorCore", "Archives", "Parquet", "XGBoost", "Operators"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "ConveyorCore", "ConveyorTestSupport"]),
        .testTarget(name: "SparkMLTests", dependencies: ["SparkML", "Parquet", "ConveyorCore", "Archives", "Operators", "ConveyorTestSupport"]),
        // --------------------------------------------------------------------------------------

        // Helpers the test targets share (running `conveyor` and other processes, the one numeric
        // comparison; the benchmark checks use it too); Foundation only.
        .target(name: "ConveyorTestSupport", dependencies: ["Codecs"], path: "Tests/ConveyorTestSupport"),
        .testTarget(name: "XGBoostTests", dependencies: ["XGBoost", "TreeEngine", "ConveyorTestSupport"]),
        .testTarget(name: "ConveyorCoreTests", dependencies: ["ConveyorCore"]),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs", "ConveyorCore", "ConveyorTestSupport"]),
        .testTarget(name: "ArchivesTests", dependencies: ["Archives"], exclude: ["Fixtures"]),
        .testTarget(name: "OperatorsTests", dependencies: ["Operators", "ConveyorCore", "ConveyorTestSupport"]),
        .testTarget(name: "MLeapTests", dependencies: ["MLeap", "ConveyorCore", "Codecs", "Archives", "ConveyorTestSupport"]),
        .testTarget(name: "XGBoostStageTests", dependencies: ["XGBoostStage", "XGBoost", "ConveyorCore", "ConveyorTestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "SparkML", "Codecs", "ConveyorCore", "ConveyorTestSupport"]),
        .testTarget(
            name: "ConveyorCLITests",
            dependencies: ["ConveyorCLI", "Server", "Pipeline", "Codecs", "ConveyorCore", "ConveyorTestSupport",
                           .product(name: "Yams", package: "Yams")]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "RemoteStage", "Pipeline", "Codecs", "ConveyorCore", "ConveyorTestSupport", "InferenceGRPC",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // SageMaker artifacts (issue 3).
        .testTarget(
            name: "SageMakerArtifactsTests", dependencies: ["SageMakerArtifacts", "ConveyorCore"], exclude: ["Fixtures"]),
        .testTarget(
            name: "LightGBMTests",
            dependencies: ["LightGBM", "LightGBMStage", "TreeEngine", "Pipeline", "Archives", "Codecs", "ConveyorCore",
                           "ConveyorTestSupport"]),
        .testTarget(
            name: "MLflowTests",
            dependencies: ["MLflow", "Pipeline", "Codecs", "ConveyorCore", "ConveyorTestSupport"]),
        .testTarget(
            name: "BatchTransformTests",
            dependencies: ["BatchTransform", "Storage", "Pipeline", "Codecs", "ConveyorCore", "ConveyorTestSupport"]),
    ]
)
