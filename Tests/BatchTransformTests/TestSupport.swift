import BatchTransform
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Pipeline
import Storage
import Testing

let projectRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func repoFile(_ path: String) -> URL { projectRoot.appendingPathComponent(path) }

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-batch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The car data as training/car_evaluation.py wrote it (scikit-learn + mleap + XGBoost 3.0.5).
struct CarRow {
    let fields: [String]
    var inputs: [String] { Array(fields[0..<6]) }
    var csv: String { inputs.joined(separator: ",") }
    /// The predicted class name.
    var label: String { fields[7] }
    /// The expected probabilities as text, compared by the shared comparison.
    var probabilities: ArraySlice<String> { fields[9..<13] }
}

let carRows: [CarRow] = {
    let text = try! String(contentsOf: repoFile("models/car-evaluation/expected.csv"), encoding: .utf8)
    return text.split(separator: "\n").dropFirst().map { CarRow(fields: $0.split(separator: ",").map(String.init)) }
}()

let carPipeline: Pipeline = try! PipelineLoader().load(contentsOf: repoFile("pipelines/car-evaluation-sklearn.json"))

/// Checks CSV output lines (`class,p0,p1,p2,p3`) against expected rows.
func expectCarOutput(_ lines: [Substring], _ rows: ArraySlice<CarRow>, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(lines.count == rows.count, sourceLocation: sourceLocation)
    let answers = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    for (fields, row) in zip(answers, rows) {
        #expect(fields.count == 5 && String(fields[0]) == row.label, "\(fields) vs \(row.fields)", sourceLocation: sourceLocation)
    }
    // Flattened, so a line with a value too many or too few fails the count.
    let result = NumericComparison(parsing: answers.flatMap { $0.dropFirst() }, rows.flatMap(\.probabilities),
                                   tolerance: .absolute(1e-6), columns: 4, label: "probabilities")
    #expect(result.matches, "\(result)", sourceLocation: sourceLocation)
}

func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}

func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

/// Relative paths of every file under `folder`, sorted, hidden ones included.
func files(under folder: URL) -> [String] {
    let walker = FileManager.default.enumerator(atPath: folder.path)
    var out: [String] = []
    while let path = walker?.nextObject() as? String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory),
           !isDirectory.boolValue { out.append(path) }
    }
    return out.sorted()
}

let localStores = StoreResolver { throw ConveyorError(.storageFailed, "no S3 in local tests") }

/// Runs a job over local folders with the car pipeline.
func transform(_ input: URL, _ output: URL, manifest: Bool = false, pipeline: Pipeline = carPipeline,
               configure: (inout TransformOptions) throws -> Void = { _ in }) async throws -> TransformSummary {
    var options = TransformOptions()
    options.contentType = .csv
    options.splitType = .line
    try configure(&options)
    let location = try StorageLocation(input.path)
    let job = TransformJob(pipeline: pipeline, input: manifest ? .manifest(location) : .prefix(location),
                           output: try StorageLocation(output.path), options: options, stores: localStores)
    return try await job.run()
}

/// Writes the car rows as CSV objects of `sizes` rows each under `folder`, named by `names`.
func writeCarObjects(_ folder: URL, names: [String], sizes: [Int]) throws -> [(name: String, rows: ArraySlice<CarRow>)] {
    var start = 0
    var objects: [(String, ArraySlice<CarRow>)] = []
    for (name, size) in zip(names, sizes) {
        let rows = carRows[start..<(start + size)]
        try write(rows.map { $0.csv + "\n" }.joined(), to: folder.appendingPathComponent(name))
        objects.append((name, rows))
        start += size
    }
    return objects
}
