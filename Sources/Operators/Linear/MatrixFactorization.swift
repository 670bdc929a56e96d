import ConveyorCore

/// Spark's ALSModel `transform`: the prediction is the float32 dot product
/// of the user's and the item's factors, summed in index order as Spark's
/// predict UDF does; an id without factors gives NaN, and under
/// `coldStartStrategy=drop` rows whose prediction is NaN are dropped. Ids
/// must be integers in Int32 range and not null, as Spark 4's checkIntegers
/// demands.
public struct MatrixFactorization: Kernel {
    /// Factors by id: `offsets[id]` is where the id's `rank` values start in `values`.
    public struct Factors: Sendable {
        public let offsets: [Int32: Int]
        public let values: [Float]

        public init(offsets: [Int32: Int], values: [Float]) {
            self.offsets = offsets
            self.values = values
        }
    }

    public let user: String
    public let item: String
    public let prediction: String
    public let rank: Int
    public let users: Factors
    public let items: Factors
    public let dropColdStart: Bool

    /// Nil when an offset does not leave room for `rank` values.
    public init?(user: String, item: String, prediction: String, rank: Int, users: Factors, items: Factors,
                 dropColdStart: Bool) {
        guard rank >= 1 else { return nil }
        for factors in [users, items] {
            guard factors.offsets.values.allSatisfy({ $0 >= 0 && $0 <= factors.values.count - rank }) else { return nil }
        }
        self.user = user
        self.item = item
        self.prediction = prediction
        self.rank = rank
        self.users = users
        self.items = items
        self.dropColdStart = dropColdStart
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (userIDs, userNulls) = try Inputs.scalars(frame, user, stage: stage)
        let (itemIDs, itemNulls) = try Inputs.scalars(frame, item, stage: stage)
        var out = [Double](repeating: .nan, count: frame.rowCount)
        var filter = RowFilter(rows: frame.rowCount)
        for row in 0..<frame.rowCount {
            let u = try id(userIDs[row], null: userNulls?[row] == true, column: user, frame: frame, row: row, stage: stage)
            let i = try id(itemIDs[row], null: itemNulls?[row] == true, column: item, frame: frame, row: row, stage: stage)
            if let a = users.offsets[u], let b = items.offsets[i] {
                var dot: Float = 0
                for k in 0..<rank { dot += users.values[a + k] * items.values[b + k] }
                out[row] = Double(dot)
            }
            if dropColdStart, out[row].isNaN { filter.drop(row) }
        }
        try frame.put(.doubles(prediction, out))
        filter.apply(to: &frame)
    }

    private func id(_ value: Double, null: Bool, column: String, frame: Frame, row: Int, stage: String) throws -> Int32 {
        guard !null else {
            throw invalidRow("ALS ids must not be null", frame, row: row, column: column, stage: stage)
        }
        guard let id = Int32(exactly: value) else {
            throw invalidRow("ALS ids must be integers in Int32 range, got \(value)", frame, row: row, column: column,
                             stage: stage)
        }
        return id
    }
}
