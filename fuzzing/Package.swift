// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for Conveyor's parsers and loaders: one executable, the
// target chosen by CONVEYOR_FUZZ_TARGET. Built by run.sh with
// `-sanitize=fuzzer,address -enable-testing` into fuzzing/.build, apart
// from the main build.
let package = Package(
    name: "ConveyorFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Conveyor", path: "..")],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver for Swift.
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "ConveyorFuzz",
            dependencies: ["CFuzzerDriver", .product(name: "ConveyorParsers", package: "Conveyor")]
        ),
    ]
)
