import ConveyorCore
import Operators

/// Reads a saved `Interaction` (inputCols, outputCol). How Spark encodes each
/// input depends on the ML attributes the columns carry (a StringIndexer's
/// index is one-hot encoded, a OneHotEncoder's slots are numeric), which a
/// saved Interaction does not hold: `SparkAttributes.bind` resolves them
/// from the stages before it when the pipeline loads, and an input whose
/// attributes cannot be known is refused there.
struct Interaction: SparkTransformer {
    let metadata: SparkMetadata
    let inputColumns: [String]
    let output: String
    /// Set by `SparkAttributes.bind`.
    var kernel: Operators.Interaction?

    /// Most values one output row may hold (each row is that many doubles).
    static let maxWidth = 1 << 20

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        inputColumns = try metadata.require(metadata.strings("inputCols"), "inputCols")
        guard !inputColumns.isEmpty, Set(inputColumns).count == inputColumns.count else {
            throw metadata.failure("inputCols must be non-empty and distinct")
        }
        output = try metadata.require(metadata.string("outputCol"), "outputCol")
    }

    /// Builds the kernel from each input's cardinalities (0 numeric, n nominal).
    mutating func bind(_ cardinalities: [[Int]]) throws {
        guard let kernel = Operators.Interaction(
            inputs: inputColumns, output: output, cardinalities: cardinalities, maxWidth: Self.maxWidth)
        else {
            throw ConveyorError(.unsupportedModel, "\(metadata.className) '\(metadata.uid)': its output would hold more "
                + "than \(Self.maxWidth) values per row (encoded widths of \(inputColumns.joined(separator: ", ")))")
        }
        self.kernel = kernel
    }

    var inputs: [ColumnSpec] { inputColumns.map { ColumnSpec($0, .double) } }

    var tracer: (any Traceable)? { kernel }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        [ColumnSpec(output, .vector(kernel?.width))]
    }

    var dataFacts: [Fact] {
        guard let kernel else { return [] }
        return [Fact("cardinalities", kernel.cardinalities.map { "\($0)" }.joined(separator: " × ")),
                Fact("width", "\(kernel.width)")]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        guard let kernel else {
            throw ConveyorError(.unsupportedModel, "Interaction '\(metadata.uid)' ran before its inputs' attributes were "
                + "resolved", stage: stage)
        }
        return try kernel.transform(frame, stage: stage)
    }
}
