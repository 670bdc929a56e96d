import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import SparkML

let sparkClasses2Fixtures = projectRoot.appendingPathComponent("Tests/Fixtures/spark-classes2")

extension SparkClassesFixture {
    /// A fixture written by training/spark_classes2.py (same format as spark_classes.py's).
    init(classes2 name: String) throws {
        self.name = name
        base = try SparkFixture(sparkClasses2Fixtures.appendingPathComponent("\(name).expected.json"),
                                model: sparkClasses2Fixtures.appendingPathComponent(name))
    }
}

/// Spark's value with arrays of vectors (LSH `hashes`: `[[h0], [h1], …]`)
/// flattened to the one vector Conveyor's column holds (`[h0, h1, …]`).
func flattenedHashes(_ expected: [String: Any]) -> [String: Any] {
    expected.mapValues { value in
        guard let outer = value as? [Any], outer.allSatisfy({ $0 is [Any] }) else { return value }
        return outer.flatMap { $0 as? [Any] ?? [] }
    }
}

/// Every fixture row through the stage on its own, as the script ran Spark:
/// refused rows refused (invalid input), dropped rows dropped, kept rows
/// equal to Spark's output in every column Spark added, with the shared
/// NaN-safe comparison (`exact`: bit for bit).
func checkClasses2AgainstSpark(_ fixture: SparkClassesFixture, exact: Bool,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
    let stage = try fixture.stage()
    for index in fixture.base.rows.indices {
        let frame = try fixture.frame(row: index)
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
        let problems = mismatches(out, row: 0, expected: flattenedHashes(want), exact: exact)
        #expect(problems.isEmpty, "\(fixture.name) row \(index): \(problems.joined(separator: "; "))",
                sourceLocation: sourceLocation)
    }
}
