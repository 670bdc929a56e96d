import ConveyorTestSupport
import BatchTransform
import Foundation
import Testing

/// One transform parameter exercised the same way over any store: `prepare`
/// writes the inputs under a folder (`base` is the URI that folder will
/// have, for manifests), `input` names the input under it, and `check`
/// holds the expected outputs, from the training frameworks' predictions.
struct ParameterCase: Sendable {
    let name: String
    var input = "in"
    let prepare: @Sendable (_ folder: URL, _ base: String) async throws -> Void
    var manifest = false
    let configure: @Sendable (inout TransformOptions) throws -> Void
    let check: @Sendable (_ outputs: [String: Data], _ summary: TransformSummary) async throws -> Void
}

func text(_ data: Data?) -> String { String(decoding: data ?? Data(), as: UTF8.self) }

func carCSV(_ rows: ArraySlice<CarRow>) -> String { rows.map { $0.csv + "\n" }.joined() }

let featureNames = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]

/// The parameters of `conveyor transform`, one case each (the local tests' cases, in table form).
let parameterCases: [ParameterCase] = [
    ParameterCase(name: "nested-objects-many-mini-batches", prepare: { folder, _ in
        try write(carCSV(carRows[0..<100]), to: folder.appendingPathComponent("in/a.csv"))
        try write(carCSV(carRows[100..<180]), to: folder.appendingPathComponent("in/nested/b.csv"))
        try write(carCSV(carRows[180..<240]), to: folder.appendingPathComponent("in/nested/deeper/c.csv"))
    }, configure: { $0.maxPayloadBytes = 1024 }, check: { outputs, summary in
        #expect(outputs.keys.sorted() == ["a.csv.out", "nested/b.csv.out", "nested/deeper/c.csv.out"])
        expectCarOutput(text(outputs["a.csv.out"]).split(separator: "\n"), carRows[0..<100])
        expectCarOutput(text(outputs["nested/b.csv.out"]).split(separator: "\n"), carRows[100..<180])
        expectCarOutput(text(outputs["nested/deeper/c.csv.out"]).split(separator: "\n"), carRows[180..<240])
        #expect(summary.records == 240)
    }),
    ParameterCase(name: "single-record", prepare: { folder, _ in
        try write(carCSV(carRows[300..<340]), to: folder.appendingPathComponent("in/x.csv"))
    }, configure: { $0.batchStrategy = .singleRecord }, check: { outputs, _ in
        expectCarOutput(text(outputs["x.csv.out"]).split(separator: "\n"), carRows[300..<340])
    }),
    ParameterCase(name: "split-none", prepare: { folder, _ in
        try write(carCSV(carRows[340..<380]), to: folder.appendingPathComponent("in/x.csv"))
    }, configure: { $0.splitType = .none }, check: { outputs, _ in
        expectCarOutput(text(outputs["x.csv.out"]).split(separator: "\n"), carRows[340..<380])
    }),
    ParameterCase(name: "empty-and-many-objects-concurrently", prepare: { folder, _ in
        try write("", to: folder.appendingPathComponent("in/empty.csv"))
        try write("\n\n", to: folder.appendingPathComponent("in/blank.csv"))
        for index in 0..<16 {
            try write(carCSV(carRows[(400 + 2 * index)..<(402 + 2 * index)]),
                      to: folder.appendingPathComponent(String(format: "in/many/part-%02d.csv", index)))
        }
    }, configure: { $0.maxConcurrentTransforms = 4 }, check: { outputs, summary in
        #expect(outputs.count == 18 && summary.succeeded == 18 && summary.records == 32)
        #expect(outputs["empty.csv.out"] == Data() && outputs["blank.csv.out"] == Data())
        for index in 0..<16 {
            expectCarOutput(text(outputs[String(format: "many/part-%02d.csv.out", index)]).split(separator: "\n"),
                            carRows[(400 + 2 * index)..<(402 + 2 * index)])
        }
    }),
    ParameterCase(name: "accept-json-assemble-none", prepare: { folder, _ in
        try write(carCSV(carRows[450..<453]), to: folder.appendingPathComponent("in/x.csv"))
    }, configure: {
        $0.batchStrategy = .singleRecord
        $0.accept = .json
        $0.assembleWith = .none
    }, check: { outputs, _ in
        let body = text(outputs["x.csv.out"])
        let bodies = body.components(separatedBy: "}]}").dropLast().map { $0 + "}]}" }
        #expect(bodies.count == 3 && body.hasSuffix("}]}"))
        try expectPredictions(bodies, carRows[450..<453])
    }),
    ParameterCase(name: "accept-json-assemble-line", prepare: { folder, _ in
        try write(carCSV(carRows[453..<456]), to: folder.appendingPathComponent("in/x.csv"))
    }, configure: {
        $0.batchStrategy = .singleRecord
        $0.accept = .json
        $0.assembleWith = .line
    }, check: { outputs, _ in
        let body = text(outputs["x.csv.out"])
        #expect(body.hasSuffix("}]}\n"))
        try expectPredictions(body.split(separator: "\n").map(String.init), carRows[453..<456])
    }),
    ParameterCase(name: "gzip-in-and-out", prepare: { folder, _ in
        try write(carCSV(carRows[500..<560]), to: folder.appendingPathComponent("part1"))
        try write(carCSV(carRows[560..<600]), to: folder.appendingPathComponent("part2"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("in"), withIntermediateDirectories: true)
        // Two gzip members, as `cat a.gz b.gz` makes; then the plain parts go.
        try await shell("cd '\(folder.path)' && gzip -c part1 > in/x.csv.gz && gzip -c part2 >> in/x.csv.gz && rm part1 part2")
    }, configure: {
        $0.compression = .gzip
        $0.outputCompression = .gzip
        $0.maxPayloadBytes = 1000
    }, check: { outputs, _ in
        #expect(outputs.keys.sorted() == ["x.csv.gz.out.gz"])
        expectCarOutput(try await gunzip(outputs["x.csv.gz.out.gz"] ?? Data()).split(separator: "\n"), carRows[500..<600])
    }),
    ParameterCase(name: "csv-input-filter-join-output-filter", prepare: { folder, _ in
        try write(carRows[600..<650].enumerated().map { "id\($0.offset),\($0.element.csv)\n" }.joined(),
                  to: folder.appendingPathComponent("in/with-ids.csv"))
    }, configure: {
        $0.inputFilter = try JSONPath.parse("$[1:]")
        $0.joinSource = .input
        $0.outputFilter = try JSONPath.parse("$[0,-5]")
        $0.assembleWith = .line
        $0.maxPayloadBytes = 600
    }, check: { outputs, _ in
        #expect(text(outputs["with-ids.csv.out"]).split(separator: "\n") == carRows[600..<650].enumerated().map { "id\($0.offset),\($0.element.label)"[...] })
    }),
    ParameterCase(name: "json-lines-filter-join-output-filter", prepare: { folder, _ in
        let lines = carRows[650..<680].enumerated().map { index, row in
            "{\"id\": \(index), \"features\": {" + zip(featureNames, row.inputs).map { "\"\($0)\": \"\($1)\"" }.joined(separator: ", ") + "}}\n"
        }
        try write(lines.joined(), to: folder.appendingPathComponent("in/records.jsonl"))
    }, configure: {
        $0.contentType = .jsonLines
        $0.accept = .jsonLines
        $0.inputFilter = try JSONPath.parse("$.features")
        $0.joinSource = .input
        $0.outputFilter = try JSONPath.parse("$['id','SageMakerOutput']")
        $0.assembleWith = .line
    }, check: { outputs, _ in
        let lines = text(outputs["records.jsonl.out"]).split(separator: "\n")
        #expect(lines.count == 30)
        for (index, (line, row)) in zip(lines, carRows[650..<680]).enumerated() {
            let object = try ExactJSON.object(with: Data(line.utf8)) as? [String: Any]
            #expect(object?.keys.sorted() == ["SageMakerOutput", "id"] && object?["id"] as? Int == index)
            #expect((object?["SageMakerOutput"] as? [String: Any])?["predicted_class"] as? String == row.label)
        }
    }),
    ParameterCase(name: "join-non-object-record", prepare: { folder, _ in
        try write("[" + carRows[5].inputs.map { "\"\($0)\"" }.joined(separator: ",") + "]\n", to: folder.appendingPathComponent("in/a.jsonl"))
    }, configure: {
        $0.contentType = .jsonLines
        $0.accept = .jsonLines
        $0.joinSource = .input
        $0.assembleWith = .line
    }, check: { outputs, _ in
        #expect(text(outputs["a.jsonl.out"]).hasPrefix(
            "{\"SageMakerInput\":[\"vhigh\",\"vhigh\",\"2\",\"2\",\"med\",\"high\"],\"SageMakerOutput\":{\"predicted_class\":\"\(carRows[5].label)\""))
    }),
    ParameterCase(name: "manifest", input: "in/input.manifest", prepare: { folder, base in
        try write(carCSV(carRows[700..<703]), to: folder.appendingPathComponent("in/data/x/one.csv"))
        try write(carCSV(carRows[703..<707]), to: folder.appendingPathComponent("in/data/two.csv"))
        try write(carCSV(carRows[707..<712]), to: folder.appendingPathComponent("in/data/unlisted.csv"))
        try write(#"[{"prefix": "\#(base)/in/data/"}, "two.csv", "x/one.csv"]"#, to: folder.appendingPathComponent("in/input.manifest"))
    }, manifest: true, configure: { _ in }, check: { outputs, _ in
        #expect(outputs.keys.sorted() == ["two.csv.out", "x/one.csv.out"])
        expectCarOutput(text(outputs["x/one.csv.out"]).split(separator: "\n"), carRows[700..<703])
        expectCarOutput(text(outputs["two.csv.out"]).split(separator: "\n"), carRows[703..<707])
    }),
    ParameterCase(name: "record-errors-isolate", prepare: { folder, _ in
        var lines = carRows[720..<760].map(\.csv)
        lines[9] = "vhigh,vhigh,2"
        lines[30] = "nonsense"
        try write(lines.joined(separator: "\n") + "\n", to: folder.appendingPathComponent("in/x.csv"))
    }, configure: {
        $0.recordErrors = .isolate
        $0.maxPayloadBytes = 600
    }, check: { outputs, summary in
        #expect(summary.isSuccess && summary.failedRecords == 2)
        let good = carRows[720..<760].enumerated().filter { $0.offset != 9 && $0.offset != 30 }.map(\.element)
        expectCarOutput(text(outputs["x.csv.out"]).split(separator: "\n"), good[...])
        let errors = text(outputs["x.csv.err"]).split(separator: "\n")
        #expect(errors.count == 2 && errors[0].hasPrefix("record 10: ") && errors[1].hasPrefix("record 31: "))
    }),
    ParameterCase(name: "malformed-record-fails-its-object", prepare: { folder, _ in
        var lines = carRows[800..<900].map(\.csv)
        lines[56] = "vhigh,vhigh,2"
        try write(lines.joined(separator: "\n") + "\n", to: folder.appendingPathComponent("in/bad.csv"))
        try write(carCSV(carRows[900..<950]), to: folder.appendingPathComponent("in/good.csv"))
    }, configure: { $0.maxPayloadBytes = 1500 }, check: { outputs, summary in
        #expect(outputs.keys.sorted() == ["good.csv.out"])
        #expect(summary.failed == 1 && summary.failures.first?.record == 57 && summary.failures.first?.object.hasSuffix("in/bad.csv") == true)
        expectCarOutput(text(outputs["good.csv.out"]).split(separator: "\n"), carRows[900..<950])
    }),
    ParameterCase(name: "max-payload-bounds-split-none", prepare: { folder, _ in
        try write(carCSV(carRows[1000..<1400]), to: folder.appendingPathComponent("in/big.csv"))
        try write(carCSV(carRows[1400..<1402]), to: folder.appendingPathComponent("in/small.csv"))
    }, configure: {
        $0.splitType = .none
        $0.maxPayloadBytes = 1000
    }, check: { outputs, summary in
        #expect(outputs.keys.sorted() == ["small.csv.out"])
        #expect(summary.failed == 1 && summary.failures.first?.reason.contains("MaxPayloadInMB") == true)
    }),
] + (0..<3).map { index in
    ParameterCase(name: "shard-\(index)-of-3", prepare: { folder, _ in
        for object in 0..<24 {
            try write(carCSV(carRows[(1500 + 2 * object)..<(1502 + 2 * object)]),
                      to: folder.appendingPathComponent("in/p\(object / 8)/object-\(object).csv"))
        }
    }, configure: { $0.shard = Shard(index: index, count: 3) }, check: { outputs, summary in
        #expect(summary.isSuccess && summary.objects == outputs.count && outputs.count > 3)
        for (key, data) in outputs {
            #expect(Shard.hash(String(key.dropLast(4))) % 3 == UInt64(index), "\(key) is not shard \(index)'s")
            let object = Int(key.split(separator: "-").last!.split(separator: ".").first!)!
            expectCarOutput(text(data).split(separator: "\n"), carRows[(1500 + 2 * object)..<(1502 + 2 * object)])
        }
    })
}

func expectPredictions(_ bodies: [String], _ rows: ArraySlice<CarRow>, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(bodies.count == rows.count, sourceLocation: sourceLocation)
    for (body, row) in zip(bodies, rows) {
        let object = try ExactJSON.object(with: Data(body.utf8)) as? [String: Any]
        let prediction = (object?["predictions"] as? [[String: Any]])?.first
        #expect(prediction?["predicted_class"] as? String == row.label, sourceLocation: sourceLocation)
    }
}

/// gzip -d, as users read `.gz` outputs.
func gunzip(_ data: Data) async throws -> String {
    let folder = try temporaryFolder()
    try data.write(to: folder.appendingPathComponent("x.gz"))
    try await shell("gzip -dc '\(folder.path)/x.gz' > '\(folder.path)/x'")
    return try read(folder.appendingPathComponent("x"))
}
