import Foundation
import ConveyorCore
import Operators

/// One Spark ML stage (a fitted model or a plain transformer), loaded from
/// its saved directory and run over frames as Spark's `transform` does.
protocol SparkTransformer: Sendable {
    var metadata: SparkMetadata { get }
    /// Columns the stage reads, with the type it expects when the frame
    /// does not say otherwise.
    var inputs: [ColumnSpec] { get }
    /// Columns the stage adds, given the types of the columns before it.
    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec]
    /// Facts about the fitted data (sizes, labels), beside the params.
    var dataFacts: [Fact] { get }
    /// `consuming`: a stage handed the frame adds its columns in place.
    func transform(_ frame: consuming Frame, stage: String) throws -> Frame
    /// The kernel that records where this stage's outputs come from, when
    /// it can (explanations trace through it).
    var tracer: (any Traceable)? { get }
    /// Stages that only drop columns or rename attributes: their outputs'
    /// lineage is their inputs', nothing to record.
    var keepsLineage: Bool { get }
    /// The Operators kernel this stage runs unchanged, when it is one:
    /// `KernelFusion` recognizes those.
    var kernelToFuse: (any Kernel)? { get }
    /// False for a stage that may read columns `inputs` does not list (a
    /// SQL `SELECT *`, a formula's `.`): nothing before it is fused away.
    var readsOnlyItsInputs: Bool { get }
    /// This stage writing only those of its output columns in `needed`, as
    /// Spark does when their params are set to ""; nil when it cannot leave
    /// any out (see `OutputNarrowableKernel`).
    func writing(only needed: Set<String>) -> (any SparkTransformer)?
}

extension SparkTransformer {
    var dataFacts: [Fact] { [] }
    var tracer: (any Traceable)? { nil }
    var keepsLineage: Bool { false }
    var kernelToFuse: (any Kernel)? { nil }
    var readsOnlyItsInputs: Bool { !(self is any SparkComposite) }
    func writing(only needed: Set<String>) -> (any SparkTransformer)? { nil }
}

/// A stage made of other stages (RFormulaModel): `transform` and tracing
/// both run `run`, given what to do with each inner stage.
protocol SparkComposite: SparkTransformer {
    func run(_ frame: Frame, stage: String,
             each: (any SparkTransformer, inout Frame) throws -> Void) throws -> Frame
}

extension HandleInvalid {
    /// `handleInvalid` as Spark spells it (default `error`).
    init(_ metadata: SparkMetadata) throws {
        let raw = metadata.string("handleInvalid") ?? "error"
        guard let value = HandleInvalid(rawValue: raw) else { throw metadata.failure("unknown handleInvalid '\(raw)'") }
        self = value
    }
}
