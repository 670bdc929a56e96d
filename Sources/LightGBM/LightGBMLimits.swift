import ConveyorCore

/// Bounds on what a LightGBM model file may declare, checked before anything
/// of that size is allocated; an error names the file and the limit.
public enum LightGBMLimits {
    /// The model text is read whole.
    public static let maxFileBytes = 1 << 30
    /// LightGBM's own upper bound on `num_leaves` (config.h: 131072).
    public static let maxLeaves = 131_072
    public static let maxTrees = 1 << 20
    /// Outputs per row (`num_tree_per_iteration`, classes).
    public static let maxOutputs = 1 << 16
    /// `max_feature_idx + 1`: every row holds a value per feature (XGBoost's limit too).
    public static let maxFeatures = 10_000_000
    /// Nodes the engine lays out for all trees together: a shallow tree is
    /// stored complete (2^(depth+1) − 1 nodes), so a chain of 11 leaves
    /// takes 2,047; this bounds memory a small hostile file could ask for.
    public static let maxLayoutNodes = 1 << 26
    /// Lines a tree block may have: LightGBM's `Tree(const char*)` reads at most 22.
    public static let maxTreeLines = 22

    static func exceeded(_ source: String, _ what: String, _ value: some BinaryInteger, _ limit: Int,
                         _ name: String) -> ConveyorError {
        ConveyorError(.modelCorrupt,
                      "LightGBM model \(source): \(what) \(value) exceeds the limit of \(limit) (LightGBMLimits.\(name))")
    }
}
