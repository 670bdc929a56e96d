import ConveyorCore
import Foundation
import Pipeline

/// One pipeline as a request uses it: the version it resolved to, and what
/// to call when the request is done (a multi-model lease; see `ModelRegistry`).
/// Holding `pipeline` keeps its stages alive, so a request finishes on the
/// version it started with whatever is swapped or unloaded meanwhile.
struct ServedPipeline: Sendable {
    var pipeline: Pipeline
    var version: Int
    var release: (@Sendable () -> Void)?
}

/// The pipelines given at start (`--pipeline`), by name, with the versions
/// hot reload adds: `name/1`, `name/2`, …; the newest is each name's default.
/// A swap is one assignment under the lock, so every request sees either the
/// old version or the new one, never a mix; requests that already hold the
/// old one finish on it. At most `keepVersions` versions stay addressable.
final class ServedPipelines: @unchecked Sendable {
    struct Version: Sendable {
        var number: Int
        var pipeline: Pipeline
    }

    private let lock = NSLock()
    /// Names in start order; the first answers `/invocations`.
    private var order: [String]
    /// Oldest first; never empty.
    private var versions: [String: [Version]]
    let keepVersions: Int
    /// The first pipeline's default version, kept apart so that every
    /// `/invocations` reads it without hashing the name.
    private var primaryVersion: Version

    init(_ catalog: PipelineCatalog, keepVersions: Int = 2) {
        primaryVersion = Version(number: 1, pipeline: catalog.primary)
        order = catalog.pipelines.map(\.name)
        versions = Dictionary(uniqueKeysWithValues: catalog.pipelines.map { ($0.name, [Version(number: 1, pipeline: $0)]) })
        self.keepVersions = max(1, keepVersions)
    }

    var names: [String] { lock.withLock { order } }

    /// The first pipeline's default version.
    var primary: ServedPipeline {
        lock.withLock { ServedPipeline(pipeline: primaryVersion.pipeline, version: primaryVersion.number) }
    }

    /// `name`'s default version, or `version` when given.
    func pipeline(named name: String, version: Int? = nil) -> ServedPipeline? {
        lock.withLock {
            guard let list = versions[name] else { return nil }
            let chosen = version.map { number in list.first { $0.number == number } } ?? list.last
            return chosen.map { ServedPipeline(pipeline: $0.pipeline, version: $0.number) }
        }
    }

    /// The version numbers still addressable for `name`, oldest first.
    func versionNumbers(of name: String) -> [Int] {
        lock.withLock { versions[name]?.map(\.number) ?? [] }
    }

    /// Every name's default version, in start order (then names added by reloads).
    var latest: [ServedPipeline] {
        lock.withLock {
            order.compactMap { name in
                versions[name]?.last.map { ServedPipeline(pipeline: $0.pipeline, version: $0.number) }
            }
        }
    }

    /// Installs `pipeline` as its name's new default version and returns its
    /// number; the oldest versions beyond `keepVersions` stop being addressable.
    @discardableResult
    func install(_ pipeline: Pipeline) -> Int {
        lock.withLock {
            var list = versions[pipeline.name] ?? []
            if list.isEmpty { order.append(pipeline.name) }
            let number = (list.last?.number ?? 0) + 1
            list.append(Version(number: number, pipeline: pipeline))
            if list.count > keepVersions { list.removeFirst(list.count - keepVersions) }
            versions[pipeline.name] = list
            if pipeline.name == primaryVersion.pipeline.name { primaryVersion = list[list.count - 1] }
            return number
        }
    }

    /// The message of a 404 for a name nothing serves.
    func notFound(_ name: String, what: String = "endpoint") -> ConveyorError {
        ConveyorError(
            .notFound,
            "no \(what) named '\(name.boundedForMessage(100))'; this server has "
                + names.map { "'\($0)'" }.joined(separator: ", "))
    }
}
