import ConveyorCore
import Foundation
import Server
import Storage

extension ModelFolders {
    /// Copies the objects under an `s3://` model URL (one object, or a
    /// "folder" prefix) to a temporary folder, after checking from the
    /// listing that they fit the model budget, then reads it as a local model.
    func prepareS3(_ url: String, budget: Int) async throws -> PreparedModel {
        guard root.hasPrefix("s3://"), url == root || url.hasPrefix(root + "/") else {
            throw ConveyorError(.modelLoadingForbidden, "the model URL \(url.boundedForMessage(200)) is not under the model root \(root)")
        }
        let location = try StorageLocation(url)
        let stores = StoreResolver { try S3Configuration.fromEnvironment(environment: environment) }
        let store = try stores.store(for: location)
        let key = location.prefix.hasSuffix("/") ? String(location.prefix.dropLast()) : location.prefix
        let objects = try await store.list(prefix: key).filter { $0.key == key || $0.key.hasPrefix(key + "/") }
        guard !objects.isEmpty else { throw ConveyorError(.notFound, "no model at \(url.boundedForMessage(200))") }
        guard objects.count <= Self.maxFiles else {
            throw ConveyorError(.modelLoadFailed, "\(url) holds \(objects.count) objects; at most \(Self.maxFiles) are copied")
        }
        var total: Int64 = 0
        for object in objects {
            let (sum, overflow) = total.addingReportingOverflow(object.size)
            guard !overflow, sum <= Int64(budget) else {
                throw ConveyorError(.insufficientMemory, "\(url) holds more than the \(budget)-byte model budget in objects")
            }
            total = sum
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-model-\(UUID().uuidString)")
        do {
            for object in objects {
                let relative = object.key == key ? (key.split(separator: "/").last.map(String.init) ?? "model")
                                                 : String(object.key.dropFirst(key.count + 1))
                let parts = relative.split(separator: "/")
                guard !parts.isEmpty, parts.allSatisfy({ $0 != ".." && $0 != "." }) else {
                    throw ConveyorError(.modelLoadFailed, "the object key \(object.key.boundedForMessage(200)) is not a safe path")
                }
                let target = folder.appendingPathComponent(relative)
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                let limit = Int(clamping: object.size)
                let bytes = try await store.readAll(key: object.key, limit: limit)
                try Data(bytes).write(to: target)
            }
            let local = objects.count == 1 && objects[0].key == key
                ? folder.appendingPathComponent(key.split(separator: "/").last.map(String.init) ?? "model") : folder
            return try prepareLocal(local, temporary: folder)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }
}
