/// Sizes checked before an MLflow model directory's files are read or
/// their contents allocated.
public enum MLflowLimits {
    /// The `MLmodel` YAML file (MLflow writes a few KB; a signature of
    /// thousands of columns still fits).
    public static let maxMLmodelBytes = 1 << 20
    /// `input_example.json`.
    public static let maxExampleBytes = 1 << 20
    /// Rows of the input example run by `conveyor validate`.
    public static let maxExampleRows = 1_000
    /// Columns of a signature, and the width of a tensor's second dimension.
    public static let maxColumns = 100_000
    /// Nesting of a JSON document (a signature or an example): Conveyor's
    /// layouts need 4 levels; deeper documents are refused before parsing.
    public static let maxJSONDepth = 32
}
