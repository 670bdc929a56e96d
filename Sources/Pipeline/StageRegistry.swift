import ConveyorCore
import Foundation

/// What a stage factory gets: the stage's definition with paths resolved,
/// and what the previous stages produce (so a stage can pick its input).
public struct StageContext: Sendable {
    public var definition: StageDefinition
    /// The model location resolved against the pipeline file's folder.
    public var modelURL: URL
    /// The stage's schema, read from the file if it was given as a path.
    public var schema: Schema?
    /// The outputs of the stage before this one (empty for the first stage).
    public var previousOutputs: [ColumnSpec]
    /// Position in the pipeline, 0-based.
    public var index: Int
}

/// Maps a stage `kind` to the code that loads it. Passed in to the loader
/// so that later kinds (`sparkml`, `remote`) and tests can add their own.
public struct StageRegistry: Sendable {
    public typealias Factory = @Sendable (StageContext) throws -> any Stage

    private var factories: [String: Factory]

    public init(_ factories: [String: Factory] = [:]) {
        self.factories = factories
    }

    public mutating func register(_ kind: String, _ factory: @escaping Factory) {
        factories[kind] = factory
    }

    /// A copy with one more kind, e.g. `StageRegistry.builtin.adding("remote", …)`.
    public func adding(_ kind: String, _ factory: @escaping Factory) -> StageRegistry {
        var copy = self
        copy.register(kind, factory)
        return copy
    }

    public var kinds: [String] { factories.keys.sorted() }

    public func factory(for kind: String) -> Factory? { factories[kind] }
}
