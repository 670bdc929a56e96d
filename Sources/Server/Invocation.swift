import Codecs
import ConveyorCore
import Foundation
import Pipeline
import Synchronization

/// One inference request, independent of HTTP.
struct Invocation: Sendable {
    enum Trace: Sendable { case none, timings, debug }
    /// `X-Conveyor-Explain`: each row carries its explanation; SageMaker's
    /// `X-Amzn-SageMaker-Enable-Explanations`: Clarify's response layout.
    enum Explain: Sendable { case none, rows, clarify }

    var contentType: String?
    var accept: String?
    /// `X-Amzn-SageMaker-Target-Container-Hostname`: run only this stage.
    var targetStage: String?
    var trace: Trace = .none
    var explain: Explain = .none
}

/// What a stage did during one request, for traces and metrics.
struct StageTiming: Sendable {
    /// The stage's position in its pipeline (the metrics' timers are kept by it).
    var index: Int
    var name: String
    var kind: String
    var duration: Duration
    var rows: Int
    /// Every column of the frame after the stage (debug traces only).
    var output: Frame?
}

struct InvocationResult: Sendable {
    var body: [UInt8]
    var contentType: MediaType
    var rows: Int
    var stages: [StageTiming]
}

/// Decodes, runs and encodes one request against one pipeline.
struct InvocationRunner: Sendable {
    var defaultAccept: MediaType?
    /// CSV and JSON Lines bodies over this many bytes are scored in pieces (see `Scoring`).
    var chunkBytes: Int = .max
    /// Requests without a trace share pipeline calls (`MicroBatcher`).
    var microBatching: MicroBatching?

    func run(_ pipeline: Pipeline, body: [UInt8], _ invocation: Invocation) async throws -> InvocationResult {
        let requestType = try invocation.contentType.map(Self.requestType) ?? pipeline.defaultContentType
        let responseType = try Self.responseType(invocation.accept, default: defaultAccept ?? pipeline.defaultAccept)
        if let target = invocation.targetStage {
            return try await runStage(named: target, of: pipeline, body: body, requestType, responseType, invocation.trace)
        }
        if invocation.explain == .clarify {
            let response = try await Scoring(pipeline: pipeline, requestType: requestType, responseType: responseType)
                .respondWithClarifyExplanations(to: body)
            return InvocationResult(body: response.body, contentType: .json, rows: response.rows, stages: [])
        }
        let stages = pipeline.stages
        let recorder = StageRecorder(keepFrames: invocation.trace == .debug, stageCount: stages.count)
        // A debug trace shows every stage's whole frame: never in pieces.
        var scoring = Scoring(pipeline: pipeline, requestType: requestType, responseType: responseType,
                              pieceBytes: invocation.trace == .debug ? .max : chunkBytes) { index, frame, duration in
            recorder.record(stage: index, of: stages, duration: duration, output: frame)
        }
        scoring.explain = invocation.explain == .rows
        if invocation.trace == .none, !scoring.explain { scoring.batching = microBatching }
        let response = try await scoring.respond(to: body)
        return InvocationResult(body: response.body, contentType: responseType, rows: response.rows,
                                stages: recorder.timings(stageCount: stages.count))
    }

    /// The exact header values clients send most (`text/csv`, …): matched
    /// as they are (five short comparisons, cheaper than hashing the header)
    /// instead of parsed; anything else goes through `MediaType`'s parser.
    private static func exactType(_ header: String) -> MediaType? {
        exactTypes.first { $0.canonical == header }
    }

    /// Made once (`allCases` builds a new array on every read).
    private static let exactTypes = MediaType.allCases

    static func requestType(_ header: String) throws -> MediaType {
        try exactType(header) ?? MediaType(contentType: header)
    }

    /// A missing `Accept` or `*/*` (curl's) is no preference, as `MediaType.negotiate` decides.
    static func responseType(_ accept: String?, default fallback: MediaType) throws -> MediaType {
        guard let accept, accept != "*/*" else { return fallback }
        return try exactType(accept) ?? MediaType.negotiate(accept: accept, default: fallback)
    }

    /// SageMaker's direct invocation: the body is this stage's input, the
    /// response its output columns.
    private func runStage(named name: String, of pipeline: Pipeline, body: [UInt8],
                          _ requestType: MediaType, _ responseType: MediaType,
                          _ trace: Invocation.Trace) async throws -> InvocationResult {
        guard let index = pipeline.stages.firstIndex(where: { $0.name == name }) else {
            throw ConveyorError(
                .notFound,
                "pipeline '\(pipeline.name)' has no stage (target container) named '\(name)'; it has "
                    + pipeline.stages.map { "'\($0.name)'" }.joined(separator: ", "))
        }
        let stage = pipeline.stages[index]
        let frame = try FrameDecoder(inputs: stage.inputs).decodeRequest(body, as: requestType).frame
        let clock = ContinuousClock()
        let start = clock.now
        let output: Frame
        do {
            output = try await stage.transform(frame)
        } catch {
            throw ConveyorError.wrap(error, code: .stageFailed, stage: stage.name)
        }
        let timing = StageTiming(index: index, name: stage.name, kind: stage.kind, duration: clock.now - start,
                                 rows: output.rowCount, output: trace == .debug ? output : nil)
        let encoded = try FrameEncoder().encode(output, columns: stage.outputs.map(\.name), as: responseType)
        return InvocationResult(body: encoded, contentType: responseType, rows: output.rowCount, stages: [timing])
    }
}

/// Collects stage timings from `Pipeline.run`'s observer, which runs
/// sequentially but must be `@Sendable`.
final class StageRecorder: Sendable {
    /// A `Mutex` rather than an `NSLock`: no lock object to allocate and
    /// initialise per request.
    private let recorded: Mutex<[StageTiming]>
    private let keepFrames: Bool

    init(keepFrames: Bool, stageCount: Int) {
        self.keepFrames = keepFrames
        var timings: [StageTiming] = []
        timings.reserveCapacity(stageCount)
        recorded = Mutex(timings)
    }

    /// Records stage `index` of `stages`, which output `output` after
    /// `duration`. The frame is only borrowed unless a debug trace keeps it:
    /// taking it into a timing and dropping it again retained and released
    /// every column once per stage.
    func record(stage index: Int, of stages: [any Stage], duration: Duration, output: Frame) {
        let stage = stages[index]
        let timing = StageTiming(index: index, name: stage.name, kind: stage.kind, duration: duration,
                                 rows: output.rowCount, output: keepFrames ? output : nil)
        recorded.withLock { $0.append(timing) }
    }

    var timings: [StageTiming] { recorded.withLock { $0 } }

    /// One timing per stage: a body scored in pieces records each stage once
    /// per piece, summed here (durations and rows; frames only when whole).
    func timings(stageCount: Int) -> [StageTiming] {
        let all = timings
        guard all.count > stageCount, stageCount > 0 else { return all }
        var summed = Array(all.prefix(stageCount))
        for (index, timing) in all.enumerated().dropFirst(stageCount) {
            summed[index % stageCount].duration += timing.duration
            summed[index % stageCount].rows += timing.rows
        }
        return summed
    }
}
