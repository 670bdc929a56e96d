import Codecs
import ConveyorCore
import Foundation

/// A loaded, checked pipeline: stages that run in order over a frame.
///
/// Immutable, and a class so that each request's `Scoring` holds one
/// reference rather than a copy of a dozen.
public final class Pipeline: Sendable {
    public let definition: PipelineDefinition
    /// The pipeline file, when loaded from one.
    public let sourceURL: URL?
    public let stages: [any Stage]
    /// What `run` runs: `stages`, each narrowed to the columns the later
    /// stages and the output read (`NarrowableStage`).
    let runStages: [any Stage]
    /// `runStages` when every one runs in process (`LocalStage`).
    let localStages: [any LocalStage]?
    /// The columns a request must provide, in CSV column order.
    public let inputs: [ColumnSpec]
    /// A decoder for `inputs`, made once.
    public let decoder: FrameDecoder
    /// The columns returned, in order.
    public let outputs: [ColumnSpec]
    /// Their names (read on every call), and hashed once for selecting them.
    public let outputNames: [String]
    let outputKeys: [Frame.Name]
    /// The content type assumed when a request names none (`content_type`, checked at load).
    public let defaultContentType: MediaType
    /// The response type when a request's Accept is missing or `*/*` (`accept`, checked at load).
    public let defaultAccept: MediaType
    /// How `explain` runs, or why it cannot.
    let explanationPlan: Result<ExplanationPlan, ConveyorError>
    /// Merges concurrent requests' frames while this pipeline is busy (`Scoring.batching`).
    let batcher = MicroBatcher()

    public var name: String { definition.name }

    init(definition: PipelineDefinition, sourceURL: URL?, stages: [any Stage],
         inputs: [ColumnSpec], outputs: [ColumnSpec],
         defaultContentType: MediaType, defaultAccept: MediaType) {
        self.definition = definition
        self.defaultContentType = defaultContentType
        self.defaultAccept = defaultAccept
        self.sourceURL = sourceURL
        self.stages = stages
        self.runStages = Self.narrow(stages, outputs: outputs)
        let local = runStages.compactMap { $0 as? any LocalStage }
        self.localStages = local.count == runStages.count ? local : nil
        self.inputs = inputs
        self.decoder = FrameDecoder(inputs: inputs)
        self.outputs = outputs
        self.outputNames = outputs.map(\.name)
        self.outputKeys = outputs.map { Frame.Name($0.name) }
        self.explanationPlan = ExplanationPlan.make(stages)
    }

    /// Runs every stage over the frame and returns only the output columns.
    /// Errors name the stage they came from.
    public func run(_ frame: Frame) async throws -> Frame {
        try await run(frame, observer: nil)
    }

    /// As `run(_:)`, calling `observer` after each stage with the stage's
    /// index, its result and how long it took (for traces and metrics).
    ///
    /// The frame is handed from stage to stage (`consume`), so each stage
    /// adds its columns in place rather than to a copy of the column array.
    public func run(_ frame: consuming Frame, observer: (@Sendable (Int, Frame, Duration) -> Void)?) async throws -> Frame {
        if runsInProcess { return try runNow(frame, observer: observer) }
        try Self.checkRows(frame)
        var current = frame
        let clock = ContinuousClock()
        for index in runStages.indices {
            let start = clock.now
            do {
                current = try await runStages[index].transform(consume current)
            } catch {
                throw ConveyorError.wrap(error, code: .stageFailed, stage: stages[index].name)
            }
            observer?(index, current, clock.now - start)
        }
        return try current.selecting(outputKeys)
    }

    /// Whether every stage runs in process (`LocalStage`), so that `runNow`
    /// can run the pipeline without suspending.
    public var runsInProcess: Bool { localStages != nil }

    /// `run`, without a suspension point, for a pipeline that `runsInProcess`
    /// (`.internal` otherwise: a caller's mistake, not the request's).
    public func runNow(_ frame: consuming Frame, observer: (@Sendable (Int, Frame, Duration) -> Void)?) throws -> Frame {
        guard let localStages else {
            throw ConveyorError(.internal, "pipeline '\(name)' has a stage that runs out of process: it cannot run without suspending")
        }
        try Self.checkRows(frame)
        var current = frame
        let clock = ContinuousClock()
        for index in localStages.indices {
            let start = clock.now
            do {
                current = try localStages[index].transform(consume current)
            } catch {
                throw ConveyorError.wrap(error, code: .stageFailed, stage: stages[index].name)
            }
            observer?(index, current, clock.now - start)
        }
        return try current.selecting(outputKeys)
    }

    private static func checkRows(_ frame: borrowing Frame) throws {
        guard frame.rowCount > 0 else {
            throw ConveyorError(.emptyInput, "the request has no rows")
        }
    }

    /// From the last stage back: each stage needs to write only what the
    /// output and the stages after it read. A stage that may read columns
    /// it does not list (any stage kind that does not say otherwise) ends
    /// the narrowing: the stages before it run whole.
    static func narrow(_ stages: [any Stage], outputs: [ColumnSpec]) -> [any Stage] {
        var needed: Set<String>? = Set(outputs.map(\.name))
        var narrowed: [any Stage] = []
        for stage in stages.reversed() {
            guard let narrowable = stage as? any NarrowableStage, let known = needed else {
                narrowed.append(stage)
                needed = nil
                continue
            }
            narrowed.append(narrowable.narrowed(keeping: known))
            needed = narrowable.readsOnlyItsInputs ? known.union(stage.inputs.map(\.name)) : nil
        }
        return narrowed.reversed()
    }
}
