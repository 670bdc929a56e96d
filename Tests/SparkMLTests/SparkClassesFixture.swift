import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import SparkML

let sparkClassesFixtures = projectRoot.appendingPathComponent("Tests/Fixtures/spark-classes")

/// One `*.expected.json` written by training/spark_classes.py: the fixture
/// format of Tests/Fixtures/spark (`SparkFixture`), with vector inputs (dense
/// lists) beside doubles and strings.
struct SparkClassesFixture {
    let name: String
    let base: SparkFixture

    init(_ name: String) throws {
        self.name = name
        base = try SparkFixture(sparkClassesFixtures.appendingPathComponent("\(name).expected.json"),
                                model: sparkClassesFixtures.appendingPathComponent(name))
    }

    func stage() throws -> SparkMLStage { try SparkMLStage(name: name, modelURL: base.model, schema: nil) }

    /// The Spark class the script saved (`PCAModel`).
    var sparkClass: String { base.json["class"] as? String ?? "" }

    /// Row `index` as a one-row frame; a null vector gets the width of the
    /// fixture's other vectors in that column.
    func frame(row index: Int) throws -> Frame {
        try Frame(columns: base.inputs.enumerated().map { position, input -> Column in
            let cell = base.rows[index][position]
            let isNull = cell is NSNull
            switch input.type {
            case "string":
                return .strings(input.name, [cell as? String ?? ""], nulls: [isNull])
            case "vector":
                let width = (cell as? [Any] ?? base.rows.compactMap { $0[position] as? [Any] }.first ?? []).count
                let values = (cell as? [Any])?.map(Self.double) ?? [Double](repeating: .nan, count: width)
                let block = VectorBlock(width: width, storage: values, rows: 1)
                return Column(name: input.name, type: .vector(width), values: .vector(block), nulls: [isNull])
            default:
                return .doubles(input.name, [isNull ? .nan : Self.double(cell)], nulls: [isNull])
            }
        })
    }

    static func double(_ any: Any) -> Double {
        if case .number(let value) = number(any) { return value }
        Issue.record("fixture value \(any) is not a number")
        return .nan
    }
}

/// Runs every fixture row through the stage on its own, as the script ran
/// Spark: refused rows must be refused (invalid input), dropped rows
/// dropped, kept rows equal to Spark's output in every column Spark added
/// (`mismatches`: the shared NaN-safe comparison). `conveyorRefuses` lists
/// rows Spark computes by a rule Conveyor does not reproduce, with a part of
/// the message Conveyor refuses them with.
func checkClassAgainstSpark(_ fixture: SparkClassesFixture, conveyorRefuses: [Int: String] = [:],
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
    let stage = try fixture.stage()
    for index in fixture.base.rows.indices {
        let frame = try fixture.frame(row: index)
        if let message = conveyorRefuses[index] {
            #expect(fixture.base.expected[index] != nil, "\(fixture.name) row \(index): Spark did not compute it",
                    sourceLocation: sourceLocation)
            do {
                _ = try stage.transformAll(frame)
                Issue.record("\(fixture.name) row \(index): not refused", sourceLocation: sourceLocation)
            } catch let error as ConveyorError {
                #expect(error.code == .invalidInput && error.message.contains(message), "\(fixture.name) row \(index): \(error)",
                        sourceLocation: sourceLocation)
            }
            continue
        }
        if fixture.base.errorRows.contains(index) {
            do {
                _ = try stage.transformAll(frame)
                Issue.record("\(fixture.name) row \(index): Spark refused it, Conveyor did not", sourceLocation: sourceLocation)
            } catch let error as ConveyorError {
                #expect(error.code == .invalidInput, "\(fixture.name) row \(index): \(error)", sourceLocation: sourceLocation)
            }
            continue
        }
        let out = try stage.transformAll(frame)
        guard let want = fixture.base.expected[index] else {
            #expect(out.rowCount == 0, "\(fixture.name) row \(index): Spark dropped it, Conveyor kept it",
                    sourceLocation: sourceLocation)
            continue
        }
        #expect(out.rowCount == 1, "\(fixture.name) row \(index): Conveyor dropped a row Spark kept",
                sourceLocation: sourceLocation)
        guard out.rowCount == 1 else { continue }
        let problems = mismatches(out, row: 0, expected: want)
        #expect(problems.isEmpty, "\(fixture.name) row \(index): \(problems.joined(separator: "; "))",
                sourceLocation: sourceLocation)
    }
}
