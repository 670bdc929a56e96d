import ConveyorCore

/// Spark's VectorIndexerModel: each categorical feature maps its value to a
/// category index; the other features pass through. A value outside a
/// feature's map (NaN included, as in Scala's map lookup) follows
/// `handleInvalid`: error, keep (index = the map's size) or skip (the row
/// is dropped). A null vector stays null.
public struct VectorIndexer: Kernel {
    public struct Feature: Sendable {
        public let index: Int
        public let categories: [Double: Double]

        public init(index: Int, categories: [Double: Double]) {
            self.index = index
            self.categories = categories
        }
    }

    public let input: String
    public let output: String
    public let width: Int
    public let features: [Feature]
    public let handleInvalid: HandleInvalid

    /// Nil when a categorical feature lies outside the width.
    public init?(input: String, output: String, width: Int, features: [Feature], handleInvalid: HandleInvalid) {
        guard width >= 0, features.allSatisfy({ $0.index >= 0 && $0.index < width }) else { return nil }
        self.input = input
        self.output = output
        self.width = width
        self.features = features
        self.handleInvalid = handleInvalid
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        var (block, nulls) = try Inputs.vectors(frame, input, width: width, stage: stage)
        var filter = RowFilter(rows: block.rowCount)
        for row in 0..<block.rowCount where !(nulls?[row] ?? false) {
            for feature in features {
                let value = block[row, feature.index]
                if let category = feature.categories[value] {
                    block[row, feature.index] = category
                    continue
                }
                switch handleInvalid {
                case .keep: block[row, feature.index] = Double(feature.categories.count)
                case .skip: filter.drop(row)
                case .error:
                    throw invalidRow(
                        "value \(value) of feature \(feature.index) is not one of its \(feature.categories.count) "
                            + "categories (handleInvalid=error)", frame, row: row, column: input, stage: stage)
                }
            }
        }
        try frame.put(Column(name: output, type: .vector(width), values: .vector(block), nulls: nulls))
        filter.apply(to: &frame)
    }
}
