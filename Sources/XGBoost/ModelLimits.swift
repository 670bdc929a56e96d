/// Bounds on what a model file may declare, checked before anything is
/// allocated from a declared count and before libxgboost (which trusts its
/// input) sees the model. Each is far above what real models use and keeps
/// memory bounded; an error names the limit it hit.
public enum ModelLimits {
    /// `num_feature`: every load and prediction allocates a float per
    /// feature per row (a 4e9 declaration asked for 16 GB).
    public static let maxFeatures = 10_000_000
    /// `num_class` and `num_target`: predictions hold one float per group
    /// per row (a 1e9 declaration took 7.7 GB at load).
    public static let maxOutputGroups = 100_000
    /// `num_trees` (and `num_parallel_tree`, which cannot exceed it).
    public static let maxTrees = 1_000_000
    /// `num_nodes` of one tree (a full tree of depth 23).
    public static let maxTreeNodes = 1 << 24
    /// Largest category value of a categorical split: libxgboost allocates
    /// a bitfield of max-category bits for every categorical split.
    public static let maxCategory = (1 << 24) - 1
    /// Total size of those bitfields over the whole model.
    public static let maxCategoryBitfieldBytes = 64 << 20
    /// Nesting of the JSON/UBJSON document (XGBoost writes about 8 levels);
    /// libxgboost parses it again recursively.
    public static let maxNesting = 64
    /// Bytes of one string in a legacy binary model (objective, booster,
    /// attribute names and values).
    public static let maxLegacyString = 1 << 20

    static func exceeded(_ what: String, _ value: some BinaryInteger, _ limit: Int, _ name: String) -> XGBoostError {
        XGBoostError(.corruptModel, "\(what) \(value) exceeds the limit of \(limit) (ModelLimits.\(name))")
    }
}
