import AsyncHTTPClient
import Codecs
import ConveyorCore
import Pipeline

extension StageRegistry {
    /// This registry plus the `remote` kind: `"model"` is the URL, `"schema"`
    /// the columns sent (input) and received (output).
    /// `client` nil means `HTTPClient.shared`, made only when a remote stage loads.
    public func addingRemote(client: HTTPClient? = nil) -> StageRegistry {
        adding("remote") { context in
            let definition = context.definition
            try context.refuseEngine()
            guard let schema = context.schema else {
                throw ConveyorError(
                    .invalidPipeline, "a remote stage needs a 'schema' naming the columns it sends and receives",
                    stage: definition.name)
            }
            return try RemoteStage(
                name: definition.name, url: definition.model,
                inputs: schema.input.map(\.spec), outputs: schema.output.map(\.spec),
                contentType: try definition.contentType.map { try MediaType(contentType: $0) } ?? .csv,
                accept: try definition.accept.map { try MediaType(contentType: $0) } ?? .csv,
                timeout: .milliseconds(Int64((definition.timeoutSeconds ?? 5) * 1000)),
                retries: definition.retries ?? 2,
                client: client ?? .shared)
        }
    }
}
