import Codecs
import ConveyorCore
import ConveyorTestSupport
import Foundation
import LightGBM
import LightGBMStage
import Pipeline
import Testing

/// `"kind": "lightgbm"` through the pipeline loader and the CSV codec, and
/// the stage's outputs, against LightGBM's own predictions.
@Suite struct LightGBMPipelineTests {
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-lightgbm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func pipeline(_ stage: String) throws -> Pipeline {
        let url = try temporaryFolder().appendingPathComponent("pipeline.json")
        try Data(#"{"name": "lightgbm", "stages": [\#(stage)]}"#.utf8).write(to: url)
        return try PipelineLoader().load(contentsOf: url)
    }

    /// The fixture inputs as CSV rows: NaN is an empty field, every other value its shortest round-trip text.
    static func csv(_ values: [Double], width: Int) -> [UInt8] {
        var text = ""
        for row in 0..<(values.count / width) {
            text += values[(row * width)..<((row + 1) * width)].map { $0.isNaN ? "" : "\($0)" }.joined(separator: ",")
            text += "\n"
        }
        return Array(text.utf8)
    }

    @Test func multiclassOutputsThroughThePipeline() async throws {
        let model = LightGBMFixtures.directory.appendingPathComponent("multiclass.txt")
        let pipeline = try Self.pipeline(#"""
            {"name": "model", "kind": "lightgbm", "model": "\#(model.path)",
             "outputs": ["predicted_label", "probabilities", "raw_score"]}
            """#)
        let input = try LightGBMFixtures.csv("synthetic-inputs.csv.gz", header: true)
        let output = try await pipeline.predict(Self.csv(input.values, width: 7), contentType: "text/csv", accept: "text/csv")
        let rows = String(decoding: output, as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",") }
        #expect(rows.count == input.rows)
        let probabilities = try LightGBMFixtures.csv("multiclass.predict.csv.gz", header: false).values
        let raw = try LightGBMFixtures.csv("multiclass.raw.csv.gz", header: false).values
        var labels: [Double] = []
        for row in 0..<(probabilities.count / 3) {
            let p = probabilities[(row * 3)..<(row * 3 + 3)]
            labels.append(Double(p.firstIndex(of: p.max() ?? 0).map { $0 - row * 3 } ?? -1))
        }
        let got = rows.map { $0.map(String.init) }
        var want: [Double] = []
        for row in 0..<input.rows {
            want.append(labels[row])
            want.append(contentsOf: probabilities[(row * 3)..<(row * 3 + 3)])
            want.append(contentsOf: raw[(row * 3)..<(row * 3 + 3)])
        }
        let comparison = NumericComparison(parsing: got.flatMap { $0 }, want, tolerance: .relative(1e-12),
                                           columns: 7, label: "multiclass pipeline")
        #expect(comparison.matches, "\(comparison)")
    }

    @Test func binaryScoreByDefaultAndTheInspectFacts() async throws {
        let model = LightGBMFixtures.directory.appendingPathComponent("binary.txt")
        let pipeline = try Self.pipeline(#"{"name": "model", "kind": "lightgbm", "model": "\#(model.path)"}"#)
        let stage = try #require(pipeline.stages.first)
        #expect(stage.outputs == [ColumnSpec("score", .double)])
        #expect(stage.inputs == [ColumnSpec("features", .vector(14))])
        let facts = Dictionary(stage.facts.map { ($0.label, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(facts["objective"] == "binary sigmoid:1")
        #expect(facts["trees"] == "20 (20 iterations)")
        let input = try LightGBMFixtures.csv("adult-inputs.csv.gz", header: true)
        let output = try await pipeline.predict(Self.csv(input.values, width: 14), contentType: "text/csv", accept: "text/csv")
        let got = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        let want = try LightGBMFixtures.csv("binary.predict.csv.gz", header: false).values
        let comparison = NumericComparison(parsing: got, want, tolerance: .relative(1e-12), label: "binary pipeline")
        #expect(comparison.matches, "\(comparison)")
    }

    @Test func binaryClassifierOutputs() throws {
        let url = LightGBMFixtures.directory.appendingPathComponent("binary.txt")
        let stage = try LightGBMStage(name: "m", modelURL: url, input: nil,
                                      outputs: ["predicted_label", "probability", "probabilities", "raw_score"])
        // Two rows: all zeros, and all missing (a null vector row).
        var frame = try Frame(columns: [Column(name: "features", type: .vector(14),
                                               values: .vector(VectorBlock(width: 14, storage: [Double](repeating: 0, count: 28))),
                                               nulls: [false, true])])
        frame = try stage.transform(frame)
        let model = try LightGBMModel(contentsOf: url)
        let p = try model.predictions([Double](repeating: 0, count: 14) + [Double](repeating: .nan, count: 14), rows: 2)
        let raw = try model.rawScores([Double](repeating: 0, count: 14) + [Double](repeating: .nan, count: 14), rows: 2)
        #expect(try frame.require("probability").scalarDoubles() == p)
        #expect(try frame.require("raw_score").scalarDoubles() == raw)
        #expect(try frame.require("predicted_label").scalarDoubles() == p.map { $0 > 0.5 ? 1 : 0 })
        #expect(try frame.require("probabilities").vectorBlock().storage == [1 - p[0], p[0], 1 - p[1], p[1]])
    }

    @Test func badStageDefinitionsAreRefused() throws {
        let binary = LightGBMFixtures.directory.appendingPathComponent("binary.txt").path
        let regression = LightGBMFixtures.directory.appendingPathComponent("regression.txt").path
        let cases: [(String, String)] = [
            (#"{"name": "m", "kind": "lightgbm", "model": "\#(binary)", "outputs": ["labels"]}"#,
             "unknown LightGBM output 'labels'"),
            (#"{"name": "m", "kind": "lightgbm", "model": "\#(regression)", "outputs": ["probability"]}"#,
             "output 'probability' is not available for objective 'regression'"),
            (#"{"name": "m", "kind": "lightgbm", "model": "\#(binary)", "engine": "libxgboost"}"#,
             "'engine' applies to xgboost stages only"),
            (#"{"name": "m", "kind": "lightgbm", "model": "/nonexistent/model.txt"}"#, "cannot be read"),
        ]
        for (stage, message) in cases {
            do {
                _ = try Self.pipeline(stage)
                Issue.record("loaded: \(stage)")
            } catch let error as ConveyorError {
                #expect(error.message.contains(message), "\(error)")
                #expect(error.stage == "m")
            }
        }
    }

    @Test func wrongWidthIsABadRequest() async throws {
        let model = LightGBMFixtures.directory.appendingPathComponent("regression.txt")
        let pipeline = try Self.pipeline(#"{"name": "model", "kind": "lightgbm", "model": "\#(model.path)"}"#)
        await #expect(throws: ConveyorError.self) {
            _ = try await pipeline.predict(Array("1,2,3\n".utf8), contentType: "text/csv", accept: "text/csv")
        }
    }
}

/// A pipeline whose one stage is a LightGBM model explains the caller's
/// feature vector slot by slot with LightGBM's own `pred_contrib` values.
@Suite struct LightGBMPipelineExplanationTests {
    @Test func multiclassExplanationEqualsPredContrib() async throws {
        let model = LightGBMFixtures.directory.appendingPathComponent("multiclass.txt")
        let pipeline = try LightGBMPipelineTests.pipeline(#"{"name": "model", "kind": "lightgbm", "model": "\#(model.path)"}"#)
        let input = try LightGBMFixtures.csv("synthetic-inputs.csv.gz", header: true)
        let rows = 50
        let frame = try pipeline.decoder.decode(LightGBMPipelineTests.csv(Array(input.values.prefix(rows * 7)), width: 7), as: .csv)
        let (predictions, explanation) = try await pipeline.explain(frame)
        #expect(predictions.rowCount == rows)
        #expect(explanation.outputs == ["0", "1", "2"])
        #expect(explanation.columns == (0..<7).map { "features[\($0)]" })
        let expected = try LightGBMFixtures.csv("multiclass.contrib.csv.gz", header: false).values
        var got: [Double] = []
        var want: [Double] = []
        for row in 0..<rows {
            for output in 0..<3 {
                for column in 0..<7 {
                    got.append(Array(explanation.attribution(row: row, column: column))[output])
                    want.append(expected[row * 24 + output * 8 + column])
                }
                got.append(Array(explanation.base(row: row))[output])
                want.append(expected[row * 24 + output * 8 + 7])
            }
        }
        let comparison = NumericComparison(got, want, tolerance: NumericTolerance(absolute: 1e-12, relative: 1e-10),
                                           columns: 24, label: "multiclass explanation")
        #expect(comparison.matches, "\(comparison)")
    }

    @Test func linearTreesAreNotExplainable() async throws {
        let model = LightGBMFixtures.directory.appendingPathComponent("binary_linear.txt")
        let pipeline = try LightGBMPipelineTests.pipeline(#"{"name": "model", "kind": "lightgbm", "model": "\#(model.path)"}"#)
        let input = try LightGBMFixtures.csv("adult-inputs.csv.gz", header: true)
        let frame = try pipeline.decoder.decode(LightGBMPipelineTests.csv(Array(input.values.prefix(14)), width: 14), as: .csv)
        let error = await #expect(throws: ConveyorError.self) { try await pipeline.explain(frame) }
        #expect(error?.code == .notExplainable)
        #expect(error?.stage == "model")
        #expect(error?.message.contains("linear trees") == true, "\(String(describing: error))")
    }
}
