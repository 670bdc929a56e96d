/// Per-row attributions of a model's outputs to the columns a caller sent:
/// for each row and output, a base value and one value per attributed
/// column, summing to the model's output in `space` (for trees, the margin
/// before the link function). A column is a caller's input column, or
/// several joined by "+" when a stage mixed them into one model input.
public struct Explanation: Sendable, Equatable {
    /// The stage whose model is explained.
    public var stage: String
    /// `tree_shap` (exact path-dependent TreeSHAP).
    public var method: String
    /// `margin`: the sum of trees and base score, before sigmoid or softmax.
    public var space: String
    /// One name per output: class labels, or the output column.
    public var outputs: [String]
    /// The attributed columns, in the order their first model input appears.
    public var columns: [String]
    public var rowCount: Int
    /// `rowCount × outputs.count`.
    public var base: [Double]
    /// `rowCount × columns.count × outputs.count`.
    public var values: [Double]

    public init(stage: String, method: String, space: String, outputs: [String], columns: [String], rowCount: Int,
                base: [Double], values: [Double]) {
        precondition(base.count == rowCount * outputs.count && values.count == rowCount * columns.count * outputs.count,
                     "explanation arrays do not match rows × columns × outputs")
        self.stage = stage
        self.method = method
        self.space = space
        self.outputs = outputs
        self.columns = columns
        self.rowCount = rowCount
        self.base = base
        self.values = values
    }

    /// The explanations of consecutive pieces of one request, rows one after
    /// the other. The pieces come from one pipeline, so they name the same
    /// columns and outputs.
    public init(concatenating pieces: [Explanation]) {
        precondition(!pieces.isEmpty, "no pieces to concatenate")
        let first = pieces[0]
        precondition(pieces.allSatisfy { $0.columns == first.columns && $0.outputs == first.outputs },
                     "pieces of one pipeline explain the same columns and outputs")
        self.init(stage: first.stage, method: first.method, space: first.space, outputs: first.outputs,
                  columns: first.columns, rowCount: pieces.reduce(0) { $0 + $1.rowCount },
                  base: pieces.flatMap(\.base), values: pieces.flatMap(\.values))
    }

    /// Row `row`'s base values, one per output.
    public func base(row: Int) -> ArraySlice<Double> {
        base[(row * outputs.count)..<((row + 1) * outputs.count)]
    }

    /// Row `row`'s attribution to column `column`, one value per output.
    public func attribution(row: Int, column: Int) -> ArraySlice<Double> {
        let start = (row * columns.count + column) * outputs.count
        return values[start..<(start + outputs.count)]
    }

    /// Groups model inputs by the columns they derive from and sums their
    /// attributions. `contributions` holds, per row and output, one value
    /// per model input then the bias (XGBoost's `pred_contribs` layout);
    /// `origins` the columns each model input derives from. `space`: what
    /// the values add up to (`margin`, or `probability` for models whose
    /// probabilities are themselves sums over trees).
    public static func grouping(stage: String, method: String, space: String = "margin", outputs: [String], rows: Int,
                                contributions: [Double], origins: [Set<String>]) -> Explanation {
        let inputs = origins.count
        let stride = inputs + 1
        var columns: [String] = []
        var columnOf = [Int](repeating: 0, count: inputs)
        var index: [String: Int] = [:]
        for (slot, sources) in origins.enumerated() {
            // Neighbouring slots usually share their origin (a one-hot block).
            if slot > 0, sources == origins[slot - 1] {
                columnOf[slot] = columnOf[slot - 1]
                continue
            }
            let name = sources.count == 1 ? sources.first ?? "" : sources.isEmpty ? "(constant)"
                : sources.sorted().joined(separator: "+")
            if index[name] == nil {
                index[name] = columns.count
                columns.append(name)
            }
            columnOf[slot] = index[name] ?? 0
        }
        let width = outputs.count
        var base = [Double](repeating: 0, count: rows * width)
        var values = [Double](repeating: 0, count: rows * columns.count * width)
        for row in 0..<rows {
            for output in 0..<width {
                let start = (row * width + output) * stride
                for slot in 0..<inputs {
                    values[(row * columns.count + columnOf[slot]) * width + output] += contributions[start + slot]
                }
                base[row * width + output] = contributions[start + inputs]
            }
        }
        return Explanation(stage: stage, method: method, space: space, outputs: outputs, columns: columns,
                           rowCount: rows, base: base, values: values)
    }
}

/// A stage that can explain its model's outputs.
public protocol ExplainableStage: Stage {
    /// Runs the stage's model over `frame` and attributes its outputs to the
    /// columns `lineage` says its inputs come from (a column it does not
    /// know derives from itself). Throws when the stage holds no model it
    /// can explain, naming what stands in the way.
    func explain(_ frame: Frame, lineage: Lineage) async throws -> Explanation

    /// Whether the stage holds the model an explanation is about. A stage
    /// that may hold only preprocessing (a Spark pipeline of feature
    /// stages before an `xgboost` stage) says false and is traced instead.
    var explainsModel: Bool { get }
}

extension ExplainableStage {
    public var explainsModel: Bool { true }
}

/// A stage that turns a column of class indices into class names (Spark's
/// IndexToString, MLeap's reverse_string_indexer): explanations of a model
/// before it name their outputs after the classes.
public protocol ClassNamingStage: Stage {
    /// The class names, by index, when this stage names the indices in `column`.
    func classNames(ofIndexColumn column: String) -> [String]?
}

/// A stage that can say where its outputs come from, so that a model after
/// it is explained on the columns before it. What it records must follow
/// from the frame's shape (column names, kinds, vector widths) alone, never
/// from values: a pipeline traces one request of each shape and reuses the
/// lineage for the next.
public protocol TraceableStage: Stage {
    /// Runs the stage (as `transform`) and records in `lineage` which
    /// columns each of its output columns derives from. Throws, naming the
    /// part, when some part of the stage cannot say.
    func trace(_ frame: Frame, lineage: inout Lineage) async throws -> Frame
}
