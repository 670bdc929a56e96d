import ConveyorCore
import Operators

/// `OneHotEncoderModel`: category indices to one-hot vectors, with
/// Spark's sizes: +1 slot for handleInvalid=keep, -1 for dropLast.
struct OneHotEncoderModel: SparkTransformer {
    let metadata: SparkMetadata
    let pairs: [(input: String, output: String)]
    let categorySizes: [Int]
    let dropLast: Bool
    let keepInvalid: Bool

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        pairs = try metadata.columnPairs()
        dropLast = metadata.bool("dropLast") ?? true
        let handle = try HandleInvalid(metadata)
        guard handle != .skip else { throw metadata.failure("handleInvalid 'skip' is not valid for OneHotEncoder") }
        keepInvalid = handle == .keep
        let row = try dir.singleRow()
        categorySizes = try (row["categorySizes"]?.list ?? []).map { value in
            guard let size = value.int, size >= 0, size < 1 << 24 else { throw metadata.failure("bad categorySizes entry") }
            return Int(size)
        }
        guard categorySizes.count == pairs.count else {
            throw metadata.failure("\(pairs.count) input columns but \(categorySizes.count) category sizes")
        }
    }

    /// The vector width for column `index`.
    func width(_ index: Int) -> Int {
        let size = categorySizes[index]
        switch (dropLast, keepInvalid) {
        case (false, true): return size + 1
        case (true, false): return size - 1
        default: return size
        }
    }

    var inputs: [ColumnSpec] { pairs.map { ColumnSpec($0.input, .double) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        pairs.indices.map { ColumnSpec(pairs[$0].output, .vector(width($0))) }
    }

    var dataFacts: [Fact] { [Fact("categorySizes", categorySizes.map(String.init).joined(separator: ", "))] }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        var result = frame
        for (position, pair) in pairs.enumerated() {
            let values = try frame.require(pair.input, stage: stage).optionalDoubles(stage: stage)
            let size = categorySizes[position]
            let width = width(position)
            var storage = [Double](repeating: 0, count: width * values.count)
            var nulls = [Bool](repeating: false, count: values.count)
            for (row, value) in values.enumerated() {
                guard let label = value else { nulls[row] = true; continue }
                let index: Int
                if label >= 0, label < Double(size) {
                    index = Int(label)
                } else if keepInvalid {
                    index = size
                } else {
                    throw ConveyorError(
                        .invalidInput,
                        label < 0 ? "negative value \(label) (OneHotEncoder handleInvalid=error)"
                            : "unseen value \(label): at most \(size - 1) (OneHotEncoder handleInvalid=error)",
                        stage: stage, row: frame.inputRow(row), column: pair.input)
                }
                if index < width { storage[row * width + index] = 1 }
            }
            let block = VectorBlock(width: width, storage: storage, rows: values.count)
            try result.put(Column(name: pair.output, type: .vector(width), values: .vector(block), nulls: nulls))
        }
        return result
    }
}
