import ConveyorCore
import Operators

/// Reads a saved `OneHotEncoderModel` (`categorySizes`, dropLast,
/// handleInvalid error or keep) into the OneHotEncoder kernel.
struct OneHotEncoderModel: SparkTransformer {
    let metadata: SparkMetadata
    let pairs: [(input: String, output: String)]
    let kernel: OneHotEncoder

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        pairs = try metadata.columnPairs()
        let dropLast = metadata.bool("dropLast") ?? true
        let handle = try HandleInvalid(metadata)
        guard handle != .skip else { throw metadata.failure("handleInvalid 'skip' is not valid for OneHotEncoder") }
        let row = try dir.singleRow()
        let sizes = try (row["categorySizes"]?.list ?? []).map { value in
            guard let size = value.int, size >= 0, size < 1 << 24 else { throw metadata.failure("bad categorySizes entry") }
            return Int(size)
        }
        guard sizes.count == pairs.count else {
            throw metadata.failure("\(pairs.count) input columns but \(sizes.count) category sizes")
        }
        let encodings = sizes.map { OneHotEncoder.Encoding(categorySize: $0, dropLast: dropLast, keepInvalid: handle == .keep) }
        guard encodings.allSatisfy({ $0.width >= 0 }) else { throw metadata.failure("a category size of 0 with dropLast") }
        kernel = OneHotEncoder(inputs: pairs.map(\.input), outputs: pairs.map(\.output), encodings: encodings, handleInvalid: handle)
    }

    var inputs: [ColumnSpec] { pairs.map { ColumnSpec($0.input, .double) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        zip(pairs, kernel.encodings).map { ColumnSpec($0.output, .vector($1.width)) }
    }

    var dataFacts: [Fact] { [Fact("categorySizes", kernel.encodings.map { String($0.categories) }.joined(separator: ", "))] }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }
    var kernelToFuse: (any Kernel)? { kernel }

    var tracer: (any Traceable)? { kernel }
}
