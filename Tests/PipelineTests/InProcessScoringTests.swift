import Codecs
import ConveyorCore
import Foundation
import Testing
@testable import Pipeline

/// `FakeStage` as a `LocalStage`: the same copy, declared to run in process.
struct LocalFakeStage: LocalStage {
    var inner: FakeStage
    var name: String { inner.name }
    var kind: String { inner.kind }
    var inputs: [ColumnSpec] { inner.inputs }
    var outputs: [ColumnSpec] { inner.outputs }
    var facts: [Fact] { inner.facts }

    func transform(_ frame: consuming Frame) throws -> Frame { try inner.transform(frame) }
}

/// Pipelines whose stages all run in process score without suspending
/// (`Pipeline.runNow`, `Scoring.respondNow`); a stage that may suspend (a
/// remote container, here `FakeStage`, which is not a `LocalStage`) keeps the
/// async path. Both must give the same answers, piece by piece.
@Suite struct InProcessScoringTests {
    /// `y` copies `x`: the expected answer is the request's own column.
    static func load(local: Bool) throws -> Pipeline {
        let registry = StageRegistry(["fake": { context in
            let schema = context.schema ?? Schema(input: [], output: [])
            let stage = FakeStage(name: context.definition.name, inputs: schema.input.map(\.spec),
                                  outputs: schema.output.map(\.spec))
            return local ? LocalFakeStage(inner: stage) : stage
        }])
        let definition = PipelineDefinition(name: "copy", stages: [
            StageDefinition(name: "copy", kind: "fake", model: "none", schema: .inline(Schema(
                input: [SchemaField(name: "x", type: .double)], output: [SchemaField(name: "y", type: .double)]))),
        ], output: ["y"])
        return try PipelineLoader(registry: registry).load(definition, relativeTo: URL(fileURLWithPath: "/nonexistent"))
    }

    static let values = (1...40).map { Double($0) / 8 }
    static let body = Array(values.map { "\($0)" }.joined(separator: "\n").utf8) + [10]

    @Test func bothPathsAnswerEveryRowInOrderAcrossPieces() async throws {
        for local in [true, false] {
            let pipeline = try Self.load(local: local)
            #expect(pipeline.runsInProcess == local)
            // 16 bytes a piece: many pieces, each cut at a record end.
            let scoring = Scoring(pipeline: pipeline, requestType: .csv, responseType: .csv, pieceBytes: 16)
            #expect(scoring.respondsNow == local)
            let response = try await scoring.respond(to: Self.body)
            #expect(response.rows == Self.values.count)
            let answered = String(decoding: response.body, as: UTF8.self).split(separator: "\n").map { Double($0) }
            #expect(answered == Self.values.map { Optional($0) }, "local: \(local)")
            if local {
                // The entry point the server's inline path calls, checked on its own.
                let now = try scoring.respondNow(to: Self.body[...])
                #expect(now.rows == Self.values.count)
                let answeredNow = String(decoding: now.body, as: UTF8.self).split(separator: "\n").map { Double($0) }
                #expect(answeredNow == Self.values.map { Optional($0) })
            }
        }
    }

    @Test func anErrorInALaterPieceNamesTheRowOfTheWholeBodyOnBothPaths() async throws {
        var lines = Self.values.map { "\($0)" }
        lines[29] = "not-a-number"
        let body = Array(lines.joined(separator: "\n").utf8)
        for local in [true, false] {
            let scoring = Scoring(pipeline: try Self.load(local: local), requestType: .csv, responseType: .csv, pieceBytes: 16)
            let error = await #expect(throws: ConveyorError.self) { try await scoring.respond(to: body) }
            #expect(error?.code == .invalidInput, "local: \(local)")
            #expect(error?.row == 30, "local: \(local)")
        }
    }

    @Test func runNowRefusesAPipelineThatMaySuspend() throws {
        let pipeline = try Self.load(local: false)
        let frame = try pipeline.decoder.decodeRequest(Self.body, as: .csv).frame
        let error = #expect(throws: ConveyorError.self) { try pipeline.runNow(frame, observer: nil) }
        #expect(error?.code == .internal)
    }

    @Test func explanationsAndMicroBatchingKeepTheAsyncPath() throws {
        let pipeline = try Self.load(local: true)
        var scoring = Scoring(pipeline: pipeline, requestType: .csv, responseType: .json)
        #expect(scoring.respondsNow)
        scoring.batching = MicroBatching(slots: 1, maxRows: 10)
        #expect(!scoring.respondsNow)
        scoring.batching = nil
        scoring.explain = true
        #expect(!scoring.respondsNow)
    }

    @Test func piecesCoverTheBodyAndEndAtRecordEnds() {
        let body = Array("1\n22\n333\n4444\n".utf8)[...]
        let cut = Array(Scoring.Pieces(body: body, size: 6, type: .csv))
        #expect(cut == [0..<5, 5..<9, 9..<14])
        #expect(Array(Scoring.Pieces(body: body, size: nil, type: .csv)) == [0..<14])
        // An empty body is still one (empty) piece: the decoder says it has no rows.
        #expect(Array(Scoring.Pieces(body: [][...], size: nil, type: .csv)) == [0..<0])
        #expect(Array(Scoring.Pieces(body: [][...], size: 6, type: .csv)).isEmpty)
        #expect(Scoring.Pieces(body: body, size: 6, type: .csv).isCut)
        #expect(!Scoring.Pieces(body: body, size: nil, type: .csv).isCut)
    }

    @Test func aCutBodyOfBlankLinesIsEmptyInputOnBothPaths() async throws {
        let blank = [UInt8](repeating: 10, count: 100)
        for local in [true, false] {
            let scoring = Scoring(pipeline: try Self.load(local: local), requestType: .csv, responseType: .csv, pieceBytes: 16)
            let error = await #expect(throws: ConveyorError.self) { try await scoring.respond(to: blank) }
            #expect(error?.code == .emptyInput, "local: \(local)")
        }
    }

    @Test func theSparkCarPipelineRunsInProcess() throws {
        let pipeline = try PipelineLoader().load(contentsOf: repoFile("pipelines/car-evaluation.json"))
        #expect(pipeline.runsInProcess)
    }
}
