import ConveyorCore

/// A model that puts each feature vector in one cluster (KMeans,
/// BisectingKMeans): an int column of cluster indices. A null vector, a
/// vector holding NaN and a zero vector under cosine are refused by row, as
/// Spark refuses them (or answers by a rule not reproduced).
public protocol ClusterAssigner: Kernel {
    var features: String { get }
    var prediction: String { get }
    var numFeatures: Int { get }
    var distance: KMeans.Distance { get }
    /// The cluster of one checked vector.
    func assign(_ x: ArraySlice<Double>) -> Int
}

extension ClusterAssigner {
    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, features, width: numFeatures, stage: stage)
        if let row = nulls?.firstIndex(of: true) {
            throw invalidRow("the feature vector is null", frame, row: row, column: features, stage: stage)
        }
        var out = [Int64](repeating: 0, count: block.rowCount)
        for row in 0..<block.rowCount {
            let x = block.row(row)
            if x.contains(where: { $0.isNaN }) {
                throw invalidRow("k-means needs numbers; the vector holds NaN", frame, row: row, column: features, stage: stage)
            }
            if distance == .cosine, x.allSatisfy({ $0 == 0 }) {
                throw invalidRow("cosine distance is not defined for a zero vector", frame, row: row, column: features,
                                 stage: stage)
            }
            out[row] = Int64(assign(x))
        }
        try frame.put(Column(name: prediction, type: ColumnType(.int), values: .int(out)))
    }
}

extension KMeans: ClusterAssigner {
    public func assign(_ x: ArraySlice<Double>) -> Int { closest(x) }
}

extension BisectingKMeans: ClusterAssigner {
    public func assign(_ x: ArraySlice<Double>) -> Int { cluster(x) }
}
