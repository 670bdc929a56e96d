import BatchTransform
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Storage
import Testing

/// SageMaker Batch Transform semantics over local folders, checked against
/// the training frameworks' predictions in models/car-evaluation/expected.csv.
@Suite struct LocalTransformTests {
    @Test func carOutputsEqualTheTrainingFrameworksAcrossNestedObjects() async throws {
        let root = try temporaryFolder()
        let names = ["a.csv", "nested/b.csv", "nested/deeper/c.csv", "z/d.csv"]
        let objects = try writeCarObjects(root.appendingPathComponent("in"), names: names, sizes: [500, 400, 428, 400])
        let summary = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out")) {
            $0.maxPayloadBytes = 4096  // many mini-batches per object
        }
        #expect(summary.isSuccess && summary.succeeded == 4 && summary.records == 1728)
        #expect(files(under: root.appendingPathComponent("out")) == names.map { $0 + ".out" }.sorted())
        for object in objects {
            let text = try read(root.appendingPathComponent("out/\(object.name).out"))
            expectCarOutput(text.split(separator: "\n"), object.rows)
        }
    }

    @Test func singleAndMultiRecordAndSplitNoneGiveTheSameBytes() async throws {
        let root = try temporaryFolder()
        _ = try writeCarObjects(root.appendingPathComponent("in"), names: ["x.csv"], sizes: [300])
        var outputs: [String] = []
        for (split, strategy) in [(SplitType.line, BatchStrategy.singleRecord), (.line, .multiRecord), (.none, .singleRecord)] {
            let out = root.appendingPathComponent("out-\(split)-\(strategy)")
            let summary = try await transform(root.appendingPathComponent("in"), out) {
                $0.splitType = split
                $0.batchStrategy = strategy
            }
            #expect(summary.isSuccess && summary.records == 300)
            outputs.append(try read(out.appendingPathComponent("x.csv.out")))
        }
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
        expectCarOutput(outputs[0].split(separator: "\n"), carRows[0..<300])
    }

    @Test func emptyObjectsGiveEmptyOutputsAndManyObjectsRunConcurrently() async throws {
        let root = try temporaryFolder()
        let input = root.appendingPathComponent("in")
        try write("", to: input.appendingPathComponent("empty.csv"))
        try write("\n\n", to: input.appendingPathComponent("blank.csv"))
        for index in 0..<60 {
            try write(carRows[index].csv + "\n" + carRows[index + 60].csv + "\n",
                      to: input.appendingPathComponent(String(format: "many/part-%03d.csv", index)))
        }
        let summary = try await transform(input, root.appendingPathComponent("out")) { $0.maxConcurrentTransforms = 4 }
        #expect(summary.isSuccess && summary.succeeded == 62 && summary.records == 120)
        #expect(try read(root.appendingPathComponent("out/empty.csv.out")) == "")
        #expect(try read(root.appendingPathComponent("out/blank.csv.out")) == "")
        for index in [0, 17, 59] {
            let text = try read(root.appendingPathComponent(String(format: "out/many/part-%03d.csv.out", index)))
            expectCarOutput(text.split(separator: "\n"), [carRows[index], carRows[index + 60]][...])
        }
    }

    @Test func assembleWithNoneConcatenatesJSONBodiesAndLineEndsEach() async throws {
        let root = try temporaryFolder()
        _ = try writeCarObjects(root.appendingPathComponent("in"), names: ["x.csv"], sizes: [3])
        for assemble in AssembleWith.allCases {
            let out = root.appendingPathComponent("out-\(assemble)")
            _ = try await transform(root.appendingPathComponent("in"), out) {
                $0.batchStrategy = .singleRecord
                $0.accept = .json
                $0.assembleWith = assemble
            }
            let text = try read(out.appendingPathComponent("x.csv.out"))
            let bodies = assemble == .line ? text.split(separator: "\n").map(String.init)
                : text.components(separatedBy: "}]}").dropLast().map { $0 + "}]}" }
            #expect(bodies.count == 3)
            #expect(text.hasSuffix(assemble == .line ? "}]}\n" : "}]}"))
            for (body, row) in zip(bodies, carRows) {
                let object = try ExactJSON.object(with: Data(body.utf8)) as? [String: Any]
                let prediction = (object?["predictions"] as? [[String: Any]])?.first
                #expect(prediction?["predicted_class"] as? String == row.label)
            }
        }
    }

    @Test func gzipInputsAndOutputsMatchThePlainRun() async throws {
        let root = try temporaryFolder()
        _ = try writeCarObjects(root.appendingPathComponent("plain"), names: ["x.csv"], sizes: [700])
        // Compressed by gzip(1), as users produce such files; two members, as `cat a.gz b.gz` makes.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("gz"), withIntermediateDirectories: true)
        try write(carRows[0..<350].map { $0.csv + "\n" }.joined(), to: root.appendingPathComponent("part1"))
        try write(carRows[350..<700].map { $0.csv + "\n" }.joined(), to: root.appendingPathComponent("part2"))
        try await shell("gzip -c \(root.path)/part1 > \(root.path)/gz/x.csv.gz && gzip -c \(root.path)/part2 >> \(root.path)/gz/x.csv.gz")
        _ = try await transform(root.appendingPathComponent("plain"), root.appendingPathComponent("out-plain"))
        let summary = try await transform(root.appendingPathComponent("gz"), root.appendingPathComponent("out-gz")) {
            $0.compression = .gzip
            $0.outputCompression = .gzip
            $0.maxPayloadBytes = 10_000
        }
        #expect(summary.isSuccess && summary.records == 700)
        try await shell("gzip -dc \(root.path)/out-gz/x.csv.gz.out.gz > \(root.path)/unzipped")
        #expect(try read(root.appendingPathComponent("unzipped")) == read(root.appendingPathComponent("out-plain/x.csv.out")))
        // A truncated gzip object fails without an output.
        let bytes = try Data(contentsOf: root.appendingPathComponent("gz/x.csv.gz"))
        try bytes.prefix(bytes.count / 3).write(to: root.appendingPathComponent("gz/x.csv.gz"))
        let broken = try await transform(root.appendingPathComponent("gz"), root.appendingPathComponent("out-broken")) {
            $0.compression = .gzip
        }
        #expect(broken.failed == 1 && files(under: root.appendingPathComponent("out-broken")).isEmpty)
        #expect(broken.failures.first?.reason.contains("gzip") == true)
    }

    @Test func splitNoneRefusesObjectsLargerThanMaxPayload() async throws {
        let root = try temporaryFolder()
        _ = try writeCarObjects(root.appendingPathComponent("in"), names: ["big.csv", "small.csv"], sizes: [400, 2])
        let summary = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out")) {
            $0.splitType = .none
            $0.maxPayloadBytes = 1000
        }
        #expect(summary.failed == 1 && summary.succeeded == 1)
        #expect(summary.failures.first?.reason.contains("MaxPayloadInMB") == true)
        #expect(files(under: root.appendingPathComponent("out")) == ["small.csv.out"])
    }
}

func shell(_ command: String) async throws {
    try await offPool { try shellBlocking(command) }
}

private func shellBlocking(_ command: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw ConveyorError(.internal, "`\(command)` failed") }
}
