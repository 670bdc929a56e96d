import ConveyorTestSupport
import Foundation
import Testing

@Suite struct PredictCommandTests {
    /// These tests compare with the scikit-learn example's training outputs.
    let sklearn = ["--pipeline", "pipelines/car-evaluation-sklearn.json"]

    /// Expected rows from training/car_evaluation.py: inputs, then the class name at index 7.
    let expected: [[String]] = try! String(
        contentsOf: projectRoot.appendingPathComponent("models/car-evaluation/expected.csv"), encoding: .utf8)
        .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }

    @Test func predictsWithTheDefaultPipelineFromStandardInput() async throws {
        let rows = [expected[0], expected[900], expected[1727]]
        let input = rows.map { $0[0..<6].joined(separator: ",") }.joined(separator: "\n") + "\n"
        let result = try await conveyor(["predict"] + sklearn, input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        for (line, row) in zip(lines, rows) {
            let fields = line.split(separator: ",")
            #expect(fields.count == 5)
            #expect(String(fields[0]) == row[7])
        }
    }

    @Test func chunksGiveTheSameOutputAsOneBatch() async throws {
        // 1,728 rows through 1 KiB chunks: many chunk boundaries, same bytes out.
        let input = expected.map { $0[0..<6].joined(separator: ",") }.joined(separator: "\n") + "\n"
        let whole = try await conveyor(["predict"] + sklearn, input: input)
        let chunked = try await conveyor(["predict"] + sklearn + ["--chunk-bytes", "1024"], input: input)
        #expect(whole.status == 0 && chunked.status == 0)
        #expect(whole.stdout.split(separator: "\n").count == 1728)
        #expect(whole.stdout == chunked.stdout)
    }

    @Test func badRowExitsNonZeroNamingRowColumnAndStageAcrossChunks() async throws {
        var rows = expected.prefix(200).map { $0[0..<6].joined(separator: ",") }
        rows[150] = "low,low,5more,more,huge,high"
        let result = try await conveyor(["predict"] + sklearn + ["--chunk-bytes", "1024"], input: rows.joined(separator: "\n") + "\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("stage 'features'"))
        #expect(result.stderr.contains("row 151"))
        #expect(result.stderr.contains("column 'lug_boots'"))
    }

    @Test func outputFileIsWrittenOnlyWhenEveryRowSucceeds() async throws {
        let folder = try temporaryFolder()
        let output = folder.appendingPathComponent("scores.csv")
        let bad = try await conveyor(["predict"] + sklearn + ["--output", output.path], input: "low,low,5more,more,big,high\nlow,low\n")
        #expect(bad.status == 1)
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "no partial file left")
        let good = try await conveyor(["predict"] + sklearn + ["--output", output.path], input: "low,low,5more,more,big,high\n")
        #expect(good.status == 0)
        #expect(try String(contentsOf: output, encoding: .utf8).hasPrefix("vgood,"))
    }

    @Test func jsonInAndOut() async throws {
        let result = try await conveyor(
            ["predict"] + sklearn + ["--content-type", "application/json", "--accept", "application/json"],
            input: #"{"data": [["low","low","5more","more","big","high"], ["vhigh","vhigh","2","2","small","low"]]}"#)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try ExactJSON.object(with: Data(result.stdout.utf8)) as? [String: Any]
        let predictions = object?["predictions"] as? [[String: Any]]
        #expect(predictions?.count == 2)
        #expect(predictions?[0]["predicted_class"] as? String == "vgood")
        #expect(predictions?[1]["predicted_class"] as? String == "unacc")
        #expect((predictions?[0]["probabilities"] as? [Double])?.count == 4)
    }

    @Test func theDefaultPipelineIsTheSparkOne() async throws {
        let input = "low,low,5more,more,big,high\nvhigh,vhigh,2,2,small,low\n"
        let byDefault = try await conveyor(["predict"], input: input)
        let spark = try await conveyor(["predict", "--pipeline", "pipelines/car-evaluation.json"], input: input)
        #expect(byDefault.status == 0 && spark.status == 0)
        #expect(byDefault.stdout == spark.stdout)
        #expect(byDefault.stdout.split(separator: "\n").map { $0.split(separator: ",").first.map(String.init) } == ["vgood", "unacc"])
        let definition = try ExactJSON.object(
            with: Data(contentsOf: projectRoot.appendingPathComponent("pipelines/car-evaluation.json"))) as? [String: Any]
        #expect((definition?["stages"] as? [[String: Any]])?.first?["kind"] as? String == "sparkml")
    }

    @Test func emptyInputAndUnknownAcceptFail() async throws {
        #expect(try await conveyor(["predict"] + sklearn, input: "").status == 1)
        let accept = try await conveyor(["predict"] + sklearn + ["--accept", "image/png"], input: "low,low,5more,more,big,high\n")
        #expect(accept.status == 1)
        #expect(accept.stderr.contains("image/png"))
    }
}

@Suite struct ValidateAndInspectTests {
    @Test func validateAcceptsTheDefaultPipeline() async throws {
        let result = try await conveyor(["validate", "pipelines/car-evaluation-sklearn.json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("ok: pipeline 'car-evaluation-sklearn', 3 stages"))
    }

    @Test func validateRefusesABrokenPipelineWithExitThree() async throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("p.json")
        try Data(#"{"name": "p", "stages": [{"name": "m", "kind": "xgboost", "model": "missing.json"}]}"#.utf8).write(to: file)
        let result = try await conveyor(["validate", file.path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("stage 'm'"))
        #expect(result.stderr.contains("missing.json"))
        let typo = folder.appendingPathComponent("typo.json")
        try Data(#"{"name": "p", "stages": [{"name": "m", "kind": "xgboost", "modle": "x"}]}"#.utf8).write(to: typo)
        let typoResult = try await conveyor(["validate", typo.path])
        #expect(typoResult.status == 3)
        #expect(typoResult.stderr.contains("'modle'"))
    }

    @Test func inspectShowsModelFacts() async throws {
        let result = try await conveyor(["inspect", "pipelines/car-evaluation-sklearn.json"])
        #expect(result.status == 0)
        for fact in ["objective: multi:softprob", "num_class: 4", "num_feature: 21", "xgboost version: 3.0.5",
                     "vector<double>[21]", "reverse_string_indexer", "trees: 200"] {
            #expect(result.stdout.contains(fact), "missing \(fact)")
        }
        let json = try await conveyor(["inspect", "--json", "pipelines/car-evaluation-sklearn.json"])
        let object = try ExactJSON.object(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["stages"] as? [Any])?.count == 3)
    }

    /// A Spark ML model directory is inspected directly: stages, params, derived schema.
    @Test func inspectListsASparkDirectorysStagesParamsAndSchema() async throws {
        let result = try await conveyor(["inspect", "models/car-evaluation-spark/pipeline"])
        #expect(result.status == 0, "\(result.stderr)")
        for fact in ["sparkml", "spark version: 4.3.0", "0 StringIndexerModel", "handleInvalid: keep",
                     "1 OneHotEncoderModel", "2 VectorAssembler", "3 SparkXGBClassifierModel", "objective: multi:softprob",
                     "4 IndexToString", "input schema: buying: string", "features: vector<double>[27]",
                     "predicted_class: string"] {
            #expect(result.stdout.contains(fact), "missing \(fact)")
        }
    }

    @Test func helpHasExamples() async throws {
        let result = try await conveyor(["predict", "--help"])
        #expect(result.stdout.contains("Examples:"))
        #expect(result.stdout.contains("--content-type"))
    }
}
