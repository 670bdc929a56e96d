import ConveyorCore
import Foundation
import Operators
import Testing

@testable import MLeap

/// StringIndexer → OneHotEncoder → VectorAssembler chains run fused
/// (`OneHotAssembly`): the stage's result must be exactly what the nodes
/// give one by one — the columns on every row of real data, and, for rows
/// the fused loop declines (unseen labels, nulls, numbers, an input that
/// already holds an intermediate column), the same result or the same error.
@Suite struct KernelFusionTests {
    static let carNames = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
    static let carFields = carNames.map { SchemaField(name: $0, type: .string) }

    func car() throws -> MLeapStage {
        let schema = Schema(input: Self.carFields,
                            output: [SchemaField(name: "features", type: .double, structure: .vector)])
        return try MLeapStage(name: "features",
                              bundleURL: RealBundleTests.carModels.appendingPathComponent("features.zip"), schema: schema)
    }

    /// What the stage returned before fusion: every node, then the pruning.
    func unfused(_ stage: MLeapStage, _ input: Frame) throws -> Frame {
        try stage.transformAll(input).pruned(toColumnsOf: input, keeping: stage.outputs.map(\.name))
    }

    @Test func carFeaturesRunAsOneKernelOnEveryRow() throws {
        let stage = try car()
        #expect(stage.plan.count == 1 && stage.plan.first is OneHotAssembly, "\(stage.plan.map { type(of: $0) })")
        let dataset = projectRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets/car-evaluation/car.csv")
        let rows = try csvRows(dataset).dropFirst().map { Array($0.prefix(6)) }
        #expect(rows.count == 1_728)
        let input = try frame(rows, fields: Self.carFields)
        let fused = try stage.transform(input)
        #expect(fused == (try unfused(stage, input)))
        #expect(try #require(fused.column("features")).vectorBlock().width == 21)
    }

    /// SageMaker's Titanic bundle assembles numeric columns beside the
    /// one-hot ones: they are copied as they are.
    @Test func titanicFusesAroundItsNumericColumns() throws {
        let stage = try RealBundleTests().titanic()
        let fused = try #require(stage.plan.compactMap { $0 as? OneHotAssembly }.first, "\(stage.plan.map { type(of: $0) })")
        #expect(!fused.categoryColumns.isEmpty, "\(fused.categoryColumns)")
        #expect(!fused.valueColumns.isEmpty, "\(fused.valueColumns)")
        let rows = try csvRows(shared("sagemaker-pysdk-titanic-features/valid_input.csv"))
        let input = try frame(rows, fields: RealBundleTests.titanicSchema.input)
        #expect(try stage.transform(input) == (try unfused(stage, input)))
    }

    /// A missing numeric column: the fused kernel must not answer with its
    /// own error, the nodes give theirs.
    @Test func aMissingValueColumnGivesTheNodesError() throws {
        let stage = try RealBundleTests().titanic()
        let rows = try csvRows(shared("sagemaker-pysdk-titanic-features/valid_input.csv"))
        let full = try frame(rows, fields: RealBundleTests.titanicSchema.input)
        let input = try Frame(columns: full.columns.filter { $0.name != "Age" })
        let want = conveyorError { _ = try unfused(stage, input) }
        let got = conveyorError { _ = try stage.transform(input) }
        #expect(want != nil && got.map { "\($0)" } == want.map { "\($0)" }, "fused \(String(describing: got))")
    }

    enum Declined: String, CaseIterable, CustomTestStringConvertible {
        case unseenLabel, nullValue, numberInsteadOfText, intermediateInInput, emptyFrame
        var testDescription: String { rawValue }
    }

    @Test(arguments: Declined.allCases)
    func declinedRowsGiveWhatTheNodesGive(_ kind: Declined) throws {
        let stage = try car()
        var columns = Self.carNames.map { Column.strings($0, ["vhigh", "low", "med"]) }
        switch kind {
        case .unseenLabel: columns[2] = Column.strings("doors", ["2", "seven", "4"])
        case .nullValue: columns[5] = Column.strings("safety", ["low", "", "high"], nulls: [false, true, false])
        case .numberInsteadOfText: columns[0] = Column.doubles("buying", [1, 2, 3])
        case .intermediateInInput: columns.append(Column.doubles("buying_index", [7, 7, 7]))
        case .emptyFrame: columns = Self.carNames.map { Column.strings($0, []) }
        }
        let input = try Frame(columns: columns)
        let expected = Result { try unfused(stage, input) }
        let actual = Result { try stage.transform(input) }
        switch (expected, actual) {
        case (.success(let want), .success(let got)):
            #expect(got == want)
        case (.failure(let want), .failure(let got)):
            #expect("\(got)" == "\(want)")
            #expect((got as? ConveyorError)?.row == (want as? ConveyorError)?.row)
        default:
            Issue.record("fused \(actual), nodes \(expected)")
        }
        if kind == .unseenLabel {
            let error = conveyorError { _ = try stage.transform(input) }
            #expect(error?.row == 2 && error?.column == "doors" && error?.stage == "features", "\(String(describing: error))")
        }
    }
}
