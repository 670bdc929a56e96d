import Codecs
import ConveyorCore

extension Scoring {
    /// Scores a whole body and answers in SageMaker Clarify's online
    /// explainability layout (`Explanation.clarifyDocument`): the
    /// predictions encoded as `responseType` inside a JSON document that
    /// also holds every record's attributions. Decoded, run and encoded as
    /// `respond` does, in one piece: the document is one JSON value.
    public func respondWithClarifyExplanations(to body: [UInt8]) async throws -> Response {
        let request = try body.withUnsafeBytes { try pipeline.decoder.decodeRequest($0, as: requestType) }
        let (predictions, explanation) = try await pipeline.explain(request.frame)
        let encoded = try FrameEncoder().encode(predictions, columns: pipeline.outputs.map(\.name), as: responseType)
        return Response(body: explanation.clarifyDocument(predictions: encoded, contentType: responseType),
                        rows: predictions.rowCount)
    }
}
