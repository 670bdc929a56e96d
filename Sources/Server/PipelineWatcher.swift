#if canImport(Glibc)
import Glibc
#endif
import ConveyorCore
import Dispatch
import Foundation
import Logging
import Pipeline
import ServiceLifecycle

/// Hot reload (`serve --watch`, SIGHUP): what to watch and how to reload.
public struct ReloadConfiguration: Sendable {
    /// The `--pipeline` files and folders; the artifacts the served pipelines
    /// read are watched too.
    public var paths: [URL]
    /// How often modification times are polled; nil watches nothing and
    /// reloads on SIGHUP only.
    public var interval: Duration?
    /// Versions kept addressable per pipeline (`name/1`, `name/2`, …).
    public var keepVersions: Int
    /// Loads every pipeline again from `paths` (all or none: one failure keeps every old version).
    public var reload: @Sendable () throws -> [Pipeline]

    public init(paths: [URL], interval: Duration?, keepVersions: Int = 2,
                reload: @escaping @Sendable () throws -> [Pipeline]) {
        self.paths = paths
        self.interval = interval
        self.keepVersions = keepVersions
        self.reload = reload
    }
}

/// Polls the watched files' modification times (no inotify) and reloads
/// when they changed and then stayed the same for one more interval (so a
/// model copied file by file is not loaded half-copied); SIGHUP reloads at
/// once. New pipelines are loaded beside the old ones and installed with
/// `ServedPipelines.install`; a reload that fails leaves the old versions
/// serving and is logged and counted (`conveyor_pipeline_reloads_total{result="failed"}`).
struct PipelineWatcher: Service {
    let served: ServedPipelines
    let configuration: ReloadConfiguration
    let metrics: ServerMetrics
    let logger: Logger

    enum Trigger: Sendable { case poll, signal }

    func run() async throws {
        let (triggers, continuation) = AsyncStream<Trigger>.makeStream(bufferingPolicy: .bufferingNewest(2))
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { continuation.yield(.signal) }
        source.resume()
        defer { source.cancel() }
        for served in served.latest { metrics.pipelineVersion(served.pipeline.name, served.version) }
        let interval = configuration.interval
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if let interval {
                    group.addTask {
                        while (try? await Task.sleep(for: interval)) != nil { continuation.yield(.poll) }
                        continuation.finish()
                    }
                }
                group.addTask { await consume(triggers) }
                await group.next()
                group.cancelAll()
            }
        }
    }

    private func consume(_ triggers: AsyncStream<Trigger>) async {
        var seen = fingerprint()
        var pending: [String]?
        for await trigger in triggers {
            if Task.isCancelled { return }
            let now = fingerprint()
            switch trigger {
            case .signal:
                logger.info("SIGHUP: reloading pipelines")
            case .poll:
                guard now != seen else {
                    pending = nil
                    continue
                }
                // Changed: reload once it has stayed the same for one interval.
                guard now == pending else {
                    pending = now
                    continue
                }
            }
            pending = nil
            seen = now
            await reload()
            // The artifacts of what now serves are watched from here on.
            seen = fingerprint()
        }
    }

    /// Loads every pipeline beside the served ones, then installs each as its
    /// name's new default version.
    func reload() async {
        do {
            let pipelines = try await ModelRegistry.offPool(configuration.reload)
            for pipeline in pipelines {
                let version = served.install(pipeline)
                metrics.pipelineVersion(pipeline.name, version)
                logger.info("pipeline reloaded", metadata: ["pipeline": "\(pipeline.name)", "version": "\(version)"])
            }
            metrics.reload("ok")
        } catch {
            metrics.reload("failed")
            logger.error("pipeline reload failed; the versions already loaded keep serving", metadata: [
                "error": "\(ConveyorError.wrap(error, code: .invalidPipeline))",
            ])
        }
    }

    /// Size, modification time and inode of every watched file (folders
    /// walked, at most `maxEntries` entries), one line each, sorted.
    func fingerprint() -> [String] {
        var paths = configuration.paths
        for served in served.latest {
            guard let base = served.pipeline.sourceURL?.deletingLastPathComponent() else { continue }
            for stage in served.pipeline.definition.stages where !stage.model.contains("://") {
                paths.append(stage.model.hasPrefix("/") ? URL(fileURLWithPath: stage.model)
                                                        : base.appendingPathComponent(stage.model))
            }
        }
        var lines: [String] = []
        for url in paths {
            Self.walk(url.standardizedFileURL.path, into: &lines)
            if lines.count >= Self.maxEntries { break }
        }
        return lines.sorted()
    }

    static let maxEntries = 100_000

    private static func walk(_ path: String, into lines: inout [String]) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            lines.append("\(path) missing")
            return
        }
        lines.append("\(path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)")
        guard (info.st_mode & mode_t(S_IFMT)) == mode_t(S_IFDIR),
              let children = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for child in children {
            guard lines.count < maxEntries else { return }
            walk(path + "/" + child, into: &lines)
        }
    }
}
