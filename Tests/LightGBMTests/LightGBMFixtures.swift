import Archives
import ConveyorTestSupport
import Foundation

/// Tests/Fixtures/lightgbm, written by training/lightgbm_models.py: models
/// LightGBM 4 saved, their inputs, and LightGBM's own `predict` and
/// `predict(raw_score=True)` on them (CSV of Python reprs, gzipped).
enum LightGBMFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/lightgbm")

    struct Model: Sendable, CustomStringConvertible {
        let name: String
        let inputs: String
        let outputs: Int
        let rows: Int
        /// LightGBM's `pred_contrib` file (training/lightgbm_contribs.py); nil for linear trees.
        let contrib: String?
        var description: String { name }
        var modelURL: URL { directory.appendingPathComponent("\(name).txt") }
    }

    /// The manifest's models, by name.
    static let models: [Model] = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("manifest.json")),
              let manifest = try? ExactJSON.object(with: data) as? [String: Any],
              let models = manifest["models"] as? [String: [String: Any]] else { return [] }
        return models.keys.sorted().compactMap { name in
            guard let entry = models[name], let inputs = entry["inputs"] as? String,
                  let outputs = (entry["outputs"] as? NSNumber)?.intValue,
                  let rows = (entry["rows"] as? NSNumber)?.intValue else { return nil }
            return Model(name: name, inputs: inputs, outputs: outputs, rows: rows, contrib: entry["contrib"] as? String)
        }
    }()

    /// A gzipped CSV of numbers: the header (if `header`) and the values row-major.
    static func csv(_ file: String, header: Bool) throws -> (names: [String], rows: Int, values: [Double]) {
        let inflater = try GzipInflater(source: file)
        let bytes = try inflater.inflate([UInt8](try Data(contentsOf: directory.appendingPathComponent(file))))
        try inflater.finish()
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        let names = header ? lines.removeFirst().split(separator: ",").map(String.init) : []
        var values: [Double] = []
        for line in lines {
            for field in line.split(separator: ",", omittingEmptySubsequences: false) {
                guard let value = Double(field) else { throw CSVError(file: file, field: String(field)) }
                values.append(value)
            }
        }
        return (names, lines.count, values)
    }

    struct CSVError: Error, CustomStringConvertible {
        let file: String
        let field: String
        var description: String { "\(file): '\(field)' is not a number" }
    }
}
