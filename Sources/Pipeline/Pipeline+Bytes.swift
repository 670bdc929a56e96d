import Codecs
import ConveyorCore

extension Pipeline {
    /// Decodes a request body, runs every stage and encodes the outputs:
    /// the whole request/response cycle without HTTP. `contentType` and
    /// `accept` are header values; nil means the pipeline's defaults.
    public func predict(_ body: [UInt8], contentType: String?, accept: String?) async throws -> [UInt8] {
        let requestType = try contentType.map { try MediaType(contentType: $0) } ?? defaultContentType
        let responseType = try MediaType.negotiate(accept: accept, default: defaultAccept)
        return try await predict(body, as: requestType, returning: responseType)
    }

    public func predict(_ body: [UInt8], as requestType: MediaType, returning responseType: MediaType) async throws -> [UInt8] {
        try await Scoring(pipeline: self, requestType: requestType, responseType: responseType).respond(to: body).body
    }
}
