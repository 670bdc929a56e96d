import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing

@testable import MLeap

/// MLeap's Spark parity test for the feature bundles, with Spark's own
/// outputs: training/spark_parity.py rebuilt each real parity bundle's
/// stages in Spark 4.3 from the bundle's parameters and stored Spark's
/// transform of the spec's rows (Tests/Fixtures/spark-parity/expected/).
/// Every column the bundle produces must match: exactly for strings and for
/// the outputs of indexing/encoding ops, else within 1e-9 relative to
/// max(|Spark's value|, 1e-3) (an absolute floor of 1e-12 near 0).
@Suite struct SparkParityFeatureTests {
    static let directory = projectRoot.appendingPathComponent("Tests/Fixtures/spark-parity/expected")
    static let fixtures: [String] = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?
        .filter { $0.hasSuffix(".json") }.sorted() ?? []
    /// Ops whose outputs are labels, indices or 0/1 codes: compared exactly.
    static let exactOps: Set<String> = [
        "string_indexer", "reverse_string_indexer", "bucketizer", "binarizer", "one_hot_encoder", "vector_indexer",
    ]

    struct Fixture {
        let bundle: String
        let input: Frame
        let inputRows: [[JSONValue]]
        let fields: [(name: String, type: String)]
        let rowIDs: [Int]
        let outputs: [(name: String, kind: String, values: [JSONValue])]
        let refusedRows: [[JSONValue]]
    }

    static func load(_ file: String) throws -> Fixture {
        let json = try JSONValue.parse(Data(contentsOf: directory.appendingPathComponent(file)), file: file)
        let fields = try #require(json["input"]?["fields"]?.array).map {
            (name: try #require($0["name"]?.string), type: try #require($0["type"]?.string))
        }
        let rows = try #require(json["input"]?["rows"]?.array).map { try #require($0.array) }
        let outputs = try #require(json["outputs"]?.array).map {
            (name: try #require($0["name"]?.string), kind: try #require($0["kind"]?.string),
             values: try #require($0["values"]?.array))
        }
        return Fixture(
            bundle: try #require(json["bundle"]?.string), input: try frame(fields, rows), inputRows: rows,
            fields: fields, rowIDs: try #require(json["row_ids"]?.array).map { Int(try #require($0.double)) },
            outputs: outputs, refusedRows: try (json["refused_rows"]?.array ?? []).map { try #require($0.array) })
    }

    /// Spark's input rows as a frame: strings, and doubles where null is a
    /// null and "NaN" / "Infinity" / "-Infinity" stand for themselves.
    static func frame(_ fields: [(name: String, type: String)], _ rows: [[JSONValue]]) throws -> Frame {
        try Frame(columns: fields.enumerated().map { index, field in
            let cells = rows.map { $0[index] }
            let nulls = cells.map { $0 == .null }
            if field.type == "string" {
                return Column.strings(field.name, cells.map { $0.string ?? "" }, nulls: nulls)
            }
            return Column.doubles(field.name, try cells.map { try number($0) }, nulls: nulls)
        })
    }

    static func number(_ value: JSONValue) throws -> Double {
        switch value {
        case .null: return .nan
        case .number(let number): return number
        case .string(let text): return try #require(Double(text), "not a number: \(text)")
        default: throw ConveyorError(.invalidInput, "not a number: \(value)")
        }
    }

    static func bundle(_ fixture: Fixture) throws -> MLeapBundle {
        if fixture.bundle.hasPrefix("crafted/") {
            return try MLeapBundle(url: projectRoot.appendingPathComponent("Tests/Fixtures/spark-parity/\(fixture.bundle)"))
        }
        return try MLeapBundle(url: shared("mleap-docs-spark-parity-52/bundles/\(fixture.bundle)"))
    }

    /// 1e-9 relative to |Spark's value|, with a floor of 1e-12 near 0 (= 1e-9 × 1e-3).
    static let close = NumericTolerance(absolute: 1e-12, relative: 1e-9)

    @Test func everyFeatureBundleHasSparkOutputs() {
        // 22 real parity bundles (every feature spec but the text, LSH and multinomial-labeler ones)
        // and 3 crafted VectorIndexer bundles with category maps.
        #expect(Self.fixtures.count == 25, "\(Self.fixtures)")
        #expect(Self.fixtures.filter { $0.hasPrefix("crafted.") }.count == 3)
    }

    @Test(arguments: fixtures)
    func matchesSpark(_ file: String) throws {
        let fixture = try Self.load(file)
        let stage = try MLeapStage(name: "parity", bundle: try Self.bundle(fixture), schema: nil)
        let out = try stage.transformAll(fixture.input)
        let where_ = "\(fixture.bundle)"
        try #require(out.rowCount == fixture.rowIDs.count, "\(where_): \(out.rowCount) rows, Spark kept \(fixture.rowIDs.count)")
        for row in 0..<out.rowCount {
            #expect(out.inputRow(row) - 1 == fixture.rowIDs[row], "\(where_): output row \(row) is input row \(out.inputRow(row) - 1)")
        }
        let opOf = Dictionary(
            stage.transformers.flatMap { node in node.outputs.map { ($0.name, node.op) } }, uniquingKeysWith: { $1 })
        var compared = 0
        for output in fixture.outputs {
            let column = try #require(out.column(output.name), "\(where_): no column '\(output.name)'")
            let exact = Self.exactOps.contains(opOf[output.name] ?? "")
            try #require(output.values.count == out.rowCount, "\(where_), column '\(output.name)': \(output.values.count) values")
            let tolerance: NumericTolerance = exact ? .exact : Self.close
            let label = "\(where_), column '\(output.name)'"
            switch output.kind {
            case "string":
                for row in 0..<output.values.count {
                    let actual = column.isNull(row) ? nil : column.optionalStrings()[row]
                    #expect(actual == output.values[row].string, "\(label), row \(fixture.rowIDs[row])")
                }
            case "double":
                let result = NumericComparison(try column.scalarDoubles(), try output.values.map(Self.number),
                                               tolerance: tolerance, label: label)
                #expect(result.matches, "\(result)")
            default:
                let block = try column.vectorBlock()
                var actual: [Double] = []
                var expected: [Double] = []
                for row in 0..<output.values.count {
                    let values = try #require(output.values[row].array).map { try Self.number($0) }
                    #expect(block.row(row).count == values.count, "\(label), row \(fixture.rowIDs[row]): width")
                    actual += block.row(row)
                    expected += values
                }
                let result = NumericComparison(actual, expected, tolerance: tolerance, columns: block.width, label: label)
                #expect(result.matches, "\(result)")
            }
            compared += output.values.count
        }
        #expect(compared > 0)
        // Rows Spark refused (handleInvalid=error) must be refused here too, naming the row.
        for refused in fixture.refusedRows {
            let error = conveyorError { _ = try stage.transformAll(try Self.frame(fixture.fields, [refused])) }
            #expect(error?.code == .invalidInput, "\(where_): Spark refused \(refused)")
            #expect(error?.row == 1)
        }
    }
}
