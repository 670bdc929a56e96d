import ConveyorTestSupport
import Foundation
import Testing

/// `conveyor predict --explain` on the default pipeline: every output row
/// carries its attributions, equal to XGBoost's own pred_contribs summed
/// over the slots Spark's saved stages give each column
/// (Tests/Fixtures/explanations/car-spark.json).
@Suite struct ExplainCommandTests {
    struct Fixture: Decodable {
        struct Row: Decodable {
            let input: [String?]
            let base: [Double]
            let columns: [String: [Double]]
        }

        let columns: [String]
        let rows: [Row]
    }

    let fixture: Fixture = try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: projectRoot.appendingPathComponent(
        "Tests/Fixtures/explanations/car-spark.json")))

    var rows: [Fixture.Row] { fixture.rows.filter { $0.input.allSatisfy { $0 != nil } } }
    var csv: String { rows.map { $0.input.map { $0 ?? "" }.joined(separator: ",") }.joined(separator: "\n") + "\n" }

    /// The explanation objects of JSON Lines output, parsed exactly.
    private func explanations(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            let object = try #require(try ExactJSON.object(with: Data(line.utf8)) as? [String: Any])
            #expect(object["predicted_class"] is String, "the prediction is still there: \(line.prefix(120))")
            return try #require(object["explanation"] as? [String: Any])
        }
    }

    @Test func jsonLinesRowsCarryAttributionsEqualToXGBoosts() async throws {
        let result = try await conveyor(["predict", "--explain", "--accept", "application/jsonlines"], input: csv)
        #expect(result.status == 0, "\(result.stderr)")
        let explained = try explanations(result.stdout)
        try #require(explained.count == rows.count)
        var actual: [Double] = [], expected: [Double] = []
        for (explanation, row) in zip(explained, rows) {
            #expect(explanation["stage"] as? String == "spark")
            #expect(explanation["method"] as? String == "tree_shap")
            #expect(explanation["space"] as? String == "margin")
            #expect(explanation["outputs"] as? [String] == ["unacc", "acc", "good", "vgood"])
            let columns = try #require(explanation["columns"] as? [String: [NSNumber]])
            #expect(Set(columns.keys) == Set(fixture.columns))
            actual += (explanation["base"] as? [NSNumber] ?? []).map(\.doubleValue)
            expected += row.base
            for name in fixture.columns {
                actual += (columns[name] ?? []).map(\.doubleValue)
                expected += row.columns[name] ?? []
            }
        }
        let comparison = NumericComparison(actual, expected, tolerance: NumericTolerance(absolute: 1e-6, relative: 1e-6),
                                           columns: 28, label: "predict --explain")
        #expect(comparison.matches, "\(comparison)")
    }

    @Test func chunksAndOneJSONDocumentGiveTheSameExplanations() async throws {
        let whole = try await conveyor(["predict", "--explain", "--accept", "application/jsonlines"], input: csv)
        let chunked = try await conveyor(["predict", "--explain", "--accept", "application/jsonlines",
                                          "--chunk-bytes", "1024"], input: csv)
        #expect(whole.status == 0 && chunked.status == 0, "\(whole.stderr) \(chunked.stderr)")
        #expect(whole.stdout == chunked.stdout)

        let document = try await conveyor(["predict", "--explain", "--accept", "application/json", "--chunk-bytes", "1024"],
                                          input: csv)
        #expect(document.status == 0, "\(document.stderr)")
        let json = try #require(try ExactJSON.object(with: Data(document.stdout.utf8)) as? [String: Any])
        let predictions = try #require(json["predictions"] as? [[String: Any]])
        let lines = try explanations(whole.stdout)
        try #require(predictions.count == lines.count)
        for (prediction, line) in zip(predictions, lines) {
            let explanation = try #require(prediction["explanation"] as? [String: Any])
            #expect(NSDictionary(dictionary: explanation).isEqual(to: line))
        }
    }

    @Test func transformWritesEachRecordsExplanation() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-explain-\(UUID().uuidString)")
        let input = folder.appendingPathComponent("in"), output = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(csv.utf8).write(to: input.appendingPathComponent("rows.csv"))
        let result = try await conveyor(["transform", "--input", input.path, "--output", output.path, "--split-type", "Line",
                                         "--accept", "application/jsonlines", "--explain", "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
        let written = try String(contentsOf: output.appendingPathComponent("rows.csv.out"), encoding: .utf8)
        let predicted = try await conveyor(["predict", "--explain", "--accept", "application/jsonlines"], input: csv)
        // The same bytes as predict --explain, whose values the test above checks against XGBoost's.
        #expect(written == predicted.stdout)
        #expect(try explanations(written).count == rows.count)

        let refused = try await conveyor(["transform", "--input", input.path, "--output", output.path + "-csv",
                                          "--split-type", "Line", "--explain", "--no-progress"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--explain needs Accept application/jsonlines"), "\(refused.stderr)")
    }

    /// InputFilter, JoinSource Input and OutputFilter act on each record as
    /// without --explain; the explanation rides inside the joined output, and
    /// each record gets its own row's (the one `predict --explain` gives it).
    @Test func transformExplainsThroughFiltersAndJoin() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-explain-\(UUID().uuidString)")
        let input = folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let records = try rows.enumerated().map { index, row -> String in
            var object: [String: Any] = ["id": index, "note": "record \(index)"]
            for (name, value) in zip(fixture.columns, row.input) { object[name] = value }
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        try Data((records.joined(separator: "\n") + "\n").utf8).write(to: input.appendingPathComponent("rows.jsonl"))
        let predicted = try await conveyor(["predict", "--explain", "--accept", "application/jsonlines"], input: csv)
        let expected = try explanations(predicted.stdout)
        try #require(expected.count == rows.count)
        let common = ["transform", "--input", input.path, "--split-type", "Line", "--content-type", "application/jsonlines",
                      "--accept", "application/jsonlines", "--explain", "--assemble-with", "Line", "--no-progress"]

        let joined = folder.appendingPathComponent("joined")
        let result = try await conveyor(common + ["--output", joined.path, "--join-source", "Input",
                                                  "--output-filter", "$['id','SageMakerOutput']"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOf: joined.appendingPathComponent("rows.jsonl.out"), encoding: .utf8)
            .split(separator: "\n")
        try #require(lines.count == rows.count)
        for (index, line) in lines.enumerated() {
            let object = try #require(try ExactJSON.object(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["id", "SageMakerOutput"], "\(line.prefix(120))")
            #expect((object["id"] as? NSNumber)?.intValue == index)
            let output = try #require(object["SageMakerOutput"] as? [String: Any])
            #expect(output["predicted_class"] is String)
            let explanation = try #require(output["explanation"] as? [String: Any])
            #expect(NSDictionary(dictionary: explanation).isEqual(to: expected[index]), "record \(index)")
        }

        let filtered = folder.appendingPathComponent("filtered")
        let selected = try await conveyor(common + ["--output", filtered.path, "--input-filter",
                                                    "$['" + fixture.columns.joined(separator: "','") + "']"])
        #expect(selected.status == 0, "\(selected.stderr)")
        let written = try String(contentsOf: filtered.appendingPathComponent("rows.jsonl.out"), encoding: .utf8)
        #expect(written == predicted.stdout)
    }

    @Test func csvOutputIsRefusedWithAMessage() async throws {
        let result = try await conveyor(["predict", "--explain"], input: "low,low,5more,more,big,high\n")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("explanations need application/jsonlines or application/json"), "\(result.stderr)")
    }
}

/// docs/explanations.md's example runs and prints what the page shows.
@Suite struct ExplanationsDocumentTests {
    /// The text between "```<fence>\n" and the next "```".
    private func block(_ fence: String, in text: String) throws -> String {
        let start = try #require(text.range(of: "```\(fence)\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every number of a parsed JSON value, depth first (object keys sorted), and its shape.
    private func numbers(_ value: Any, path: String = "", into out: inout [(String, Double)]) {
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() { numbers(object[key] as Any, path: path + "." + key, into: &out) }
        } else if let array = value as? [Any] {
            for (index, item) in array.enumerated() { numbers(item, path: "\(path)[\(index)]", into: &out) }
        } else if let number = value as? NSNumber, !(value is String) {
            out.append((path, number.doubleValue))
        } else {
            out.append((path + "=" + "\(value)", 0))
        }
    }

    @Test func theExampleOutputIsWhatTheCommandPrints() async throws {
        let page = try String(contentsOf: projectRoot.appendingPathComponent("docs/explanations.md"), encoding: .utf8)
        let command = try block("sh", in: page)
        // echo '<row>' | conveyor <arguments>
        let parts = command.components(separatedBy: " | conveyor ")
        try #require(parts.count == 2 && parts[0].hasPrefix("echo '") && parts[0].hasSuffix("'"), "\(command)")
        let row = String(parts[0].dropFirst(6).dropLast())
        let result = try await conveyor(parts[1].split(separator: " ").map(String.init), input: row + "\n")
        #expect(result.status == 0, "\(result.stderr)")

        var actual: [(String, Double)] = [], shown: [(String, Double)] = []
        numbers(try ExactJSON.object(with: Data(result.stdout.utf8)), into: &actual)
        numbers(try ExactJSON.object(with: Data(try block("json", in: page).utf8)), into: &shown)
        #expect(actual.map(\.0) == shown.map(\.0), "the same keys, strings and array lengths")
        let comparison = NumericComparison(actual.map(\.1), shown.map(\.1), tolerance: .relative(1e-12),
                                           label: "docs/explanations.md example")
        #expect(comparison.matches, "\(comparison)")
    }
}
