import BatchTransform
import Codecs
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing

/// DataProcessing as SageMaker's "Associate Prediction Results with Input
/// Records" page describes it, on CSV and JSON Lines records.
@Suite struct DataProcessingTests {
    /// The doc's CSV example: drop an ID column for the model, join, keep the ID and the label.
    @Test func csvInputFilterJoinAndOutputFilter() async throws {
        let root = try temporaryFolder()
        let rows = carRows[0..<200]
        try write(rows.enumerated().map { "id\($0.offset),\($0.element.csv)\n" }.joined(),
                  to: root.appendingPathComponent("in/with-ids.csv"))
        let summary = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out")) {
            $0.inputFilter = try JSONPath.parse("$[1:]")
            $0.joinSource = .input
            $0.outputFilter = try JSONPath.parse("$[0,-5]")
            $0.assembleWith = .line
            $0.maxPayloadBytes = 2000
        }
        #expect(summary.isSuccess && summary.records == 200)
        let lines = try read(root.appendingPathComponent("out/with-ids.csv.out")).split(separator: "\n")
        #expect(lines == rows.enumerated().map { "id\($0.offset),\($0.element.label)"[...] })
    }

    @Test func csvJoinWithoutFiltersIsInputColumnsThenOutputColumns() async throws {
        let root = try temporaryFolder()
        _ = try writeCarObjects(root.appendingPathComponent("in"), names: ["x.csv"], sizes: [50])
        _ = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out")) {
            $0.joinSource = .input
            $0.assembleWith = .line
        }
        let lines = try read(root.appendingPathComponent("out/x.csv.out")).split(separator: "\n")
        #expect(lines.count == 50)
        for (line, row) in zip(lines, carRows) {
            let fields = line.split(separator: ",").map(String.init)
            #expect(Array(fields[0..<6]) == row.inputs)
            expectCarOutput([fields[6...].joined(separator: ",")[...]], [row][...])
        }
    }

    /// The doc's JSON example: `$.features` in, `$['id','SageMakerOutput']` out.
    @Test func jsonLinesFilterJoinAndOutputFilter() async throws {
        let root = try temporaryFolder()
        let names = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
        let rows = carRows[100..<160]
        let text = rows.enumerated().map { index, row in
            let features = zip(names, row.inputs).map { "\"\($0)\": \"\($1)\"" }.joined(separator: ", ")
            return "{\"id\": \(index), \"features\": {\(features)}, \"note\": \"keep\"}\n"
        }.joined()
        try write(text, to: root.appendingPathComponent("in/records.jsonl"))
        _ = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out")) {
            $0.contentType = .jsonLines
            $0.accept = .jsonLines
            $0.inputFilter = try JSONPath.parse("$.features")
            $0.joinSource = .input
            $0.outputFilter = try JSONPath.parse("$['id','SageMakerOutput']")
            $0.assembleWith = .line
        }
        let lines = try read(root.appendingPathComponent("out/records.jsonl.out")).split(separator: "\n")
        #expect(lines.count == rows.count)
        for (index, (line, row)) in zip(lines, rows).enumerated() {
            #expect(line.hasPrefix("{\"id\":\(index),\"SageMakerOutput\":{\"predicted_class\":"))
            let object = try ExactJSON.object(with: Data(line.utf8)) as? [String: Any]
            #expect(object?.keys.sorted() == ["SageMakerOutput", "id"])
            let output = object?["SageMakerOutput"] as? [String: Any]
            #expect(output?["predicted_class"] as? String == row.label)
            let probabilities = (output?["probabilities"] as? [Any] ?? []).map { value -> ComparedValue in
                (value as? NSNumber).map { .number($0.doubleValue) } ?? .unparsable(String(describing: value))
            }
            let result = NumericComparison(probabilities, row.probabilities.map { ComparedValue(parsing: $0) },
                                           tolerance: .absolute(1e-6), label: "record \(index) probabilities")
            #expect(result.matches, "\(result)")
        }
    }

    @Test func joiningANonObjectRecordWrapsItInSageMakerInput() async throws {
        let root = try temporaryFolder()
        let row = carRows[5]
        try write("[" + row.inputs.map { "\"\($0)\"" }.joined(separator: ",") + "]\n", to: root.appendingPathComponent("in/a.jsonl"))
        _ = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out")) {
            $0.contentType = .jsonLines
            $0.accept = .jsonLines
            $0.joinSource = .input
            $0.assembleWith = .line
        }
        let line = try read(root.appendingPathComponent("out/a.jsonl.out"))
        #expect(line.hasPrefix("{\"SageMakerInput\":[\"vhigh\",\"vhigh\",\"2\",\"2\",\"med\",\"high\"],\"SageMakerOutput\":{\"predicted_class\":\"\(row.label)\""))
        #expect(line.hasSuffix("]}}\n"))
    }

    @Test func joinNeedsMatchingContentTypeAndAccept() async throws {
        let root = try temporaryFolder()
        _ = try writeCarObjects(root.appendingPathComponent("in"), names: ["x.csv"], sizes: [2])
        await #expect(throws: ConveyorError.self) {
            _ = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out")) {
                $0.joinSource = .input
                $0.accept = .jsonLines
            }
        }
    }
}

/// The JSONPath subset on the examples SageMaker's documentation gives.
@Suite struct JSONPathTests {
    let document = try! JSONValue.parse(Array(#"{"id": 7, "features": [1, 2, 3, 4, 5, 6], "SageMakerOutput": {"label": 1}}"#.utf8)[...])
    let row = try! JSONValue.parse(Array("[0, 1, 2, 3, 4, 5, 6]".utf8)[...])

    @Test func documentedOperators() throws {
        #expect(try JSONPath.parse("$") == nil)
        #expect(try JSONPath("$.id").apply(document) == .number("7"))
        #expect(try JSONPath("$['id','SageMakerOutput']").apply(document)
            == .object([(key: "id", value: .number("7")), (key: "SageMakerOutput", value: .object([(key: "label", value: .number("1"))]))]))
        #expect(try JSONPath("$.features[1,3,5]").apply(document) == .array([.number("2"), .number("4"), .number("6")]))
        #expect(try JSONPath("$.features[-1]").apply(document) == .number("6"))
        #expect(try JSONPath("$.SageMakerOutput.*").apply(document) == .array([.number("1")]))
        // Slices include their end, as the documentation says: $[1:4] is the second through fifth column.
        #expect(try JSONPath("$[1:4]").apply(row) == .array((1...4).map { .number(String($0)) }))
        #expect(try JSONPath("$[:5]").apply(row) == .array((0...5).map { .number(String($0)) }))
        #expect(try JSONPath("$[2:]").apply(row) == .array((2...6).map { .number(String($0)) }))
        #expect(try JSONPath("$[0,-1]").apply(row) == .array([.number("0"), .number("6")]))
    }

    @Test func unsupportedOrBrokenPathsAreNamed() {
        for bad in ["id", "$..id", "$[?(@.a)]", "$[1:2:3]", "$['a", "$.", String(repeating: "a", count: 70)] {
            #expect(throws: ConveyorError.self, "\(bad)") { _ = try JSONPath(bad) }
        }
        #expect(throws: ConveyorError.self) { _ = try JSONPath("$.missing").apply(document) }
    }
}
