import ConveyorCore
import Operators

/// Reads a saved `StringIndexerModel` (single or multi-column; Spark 2's
/// `labels` or Spark 3's `labelsArray`) into the StringIndexer kernel.
struct StringIndexerModel: SparkTransformer {
    let metadata: SparkMetadata
    let pairs: [(input: String, output: String)]
    let kernel: StringIndexer

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        pairs = try metadata.columnPairs()
        let row = try dir.singleRow()
        let labels: [[String]]
        if let arrays = row["labelsArray"]?.list {
            labels = try arrays.map { list in
                try (list.list ?? []).map { try metadata.require($0.string, "labelsArray element") }
            }
        } else if let single = row["labels"]?.list {  // Spark 2.x layout
            labels = [try single.map { try metadata.require($0.string, "labels element") }]
        } else {
            throw metadata.failure("data has neither 'labelsArray' nor 'labels'")
        }
        guard labels.count == pairs.count else {
            throw metadata.failure("\(pairs.count) input columns but \(labels.count) label lists")
        }
        kernel = StringIndexer(inputs: pairs.map(\.input), outputs: pairs.map(\.output), labels: labels,
                               handleInvalid: try HandleInvalid(metadata))
    }

    var labels: [[String]] { kernel.labels }
    var handleInvalid: HandleInvalid { kernel.handleInvalid }

    var inputs: [ColumnSpec] { pairs.map { ColumnSpec($0.input, .string) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        pairs.map { ColumnSpec($0.output, .double) }
    }

    var dataFacts: [Fact] {
        zip(pairs, labels).map { Fact("labels of \($0.input)", "\($1.count): " + $1.prefix(10).joined(separator: ", ") + ($1.count > 10 ? ", …" : "")) }
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }
    var kernelToFuse: (any Kernel)? { kernel }

    var tracer: (any Traceable)? { kernel }
}
