// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way:
// CXGBoost → XGBoost → XGBoostStage ┐
// ConveyorCore → Codecs, MLeap ──────┴→ Pipeline → ConveyorCLI → conveyor
let package = Package(
    name: "Conveyor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "conveyor", targets: ["conveyor"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        // Batch transform (issue 5): the S3 API over HTTP, SigV4 signing.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        // libxgboost from Debian (libxgboost-dev, 1.7.4).
        .systemLibrary(
            name: "CXGBoost",
            pkgConfig: "xgboost",
            providers: [.apt(["libxgboost-dev"])]
        ),
        // Owns booster handles; turns XGBGetLastError into typed errors.
        .target(name: "XGBoost", dependencies: ["CXGBoost"]),
        // Frames, schemas, the stage protocol, errors. No dependencies.
        .target(name: "ConveyorCore"),
        // Content types at the edges: CSV, JSON, JSON Lines <-> frames.
        .target(name: "Codecs", dependencies: ["ConveyorCore"]),
        // Reading model archives: zip (ZIPFoundation), tar, gzip; safe paths only.
        .target(
            name: "Archives",
            dependencies: ["ConveyorCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // MLeap bundle reader and transformers.
        .target(name: "MLeap", dependencies: ["ConveyorCore", "Archives"]),
        // The XGBoost stage: frames in, prediction columns out.
        .target(name: "XGBoostStage", dependencies: ["ConveyorCore", "XGBoost"]),
        // Pipeline definition, loading, chain checks, execution.
        .target(name: "Pipeline", dependencies: ["ConveyorCore", "Archives", "MLeap", "XGBoostStage", "Codecs"]),
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
        .target(name: "BatchTransform", dependencies: ["Storage", "Pipeline", "Codecs", "ConveyorCore", "CConveyorZlib"]),
        // The `conveyor` commands.
        .target(
            name: "ConveyorCLI",
            dependencies: [
                "Pipeline", "Codecs", "ConveyorCore", "BatchTransform", "Storage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "conveyor",
            dependencies: ["ConveyorCLI", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "ConveyorBenchmark",
            dependencies: ["Pipeline", "Codecs", "XGBoost", "ConveyorCore"],
            path: "benchmarks/Sources/ConveyorBenchmark"
        ),

        .testTarget(name: "XGBoostTests", dependencies: ["XGBoost"]),
        .testTarget(name: "ConveyorCoreTests", dependencies: ["ConveyorCore"]),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs", "ConveyorCore"]),
        .testTarget(name: "ArchivesTests", dependencies: ["Archives"], exclude: ["Fixtures"]),
        .testTarget(name: "MLeapTests", dependencies: ["MLeap", "ConveyorCore", "Codecs"]),
        .testTarget(name: "XGBoostStageTests", dependencies: ["XGBoostStage", "XGBoost", "ConveyorCore"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Codecs", "ConveyorCore"]),
        .testTarget(name: "ConveyorCLITests", dependencies: ["ConveyorCLI"]),
        .testTarget(name: "BatchTransformTests", dependencies: ["BatchTransform", "Storage", "Pipeline", "Codecs", "ConveyorCore"]),
    ]
)
