import ConveyorCore
import Operators

/// Reads a saved `RFormulaModel`: the resolved formula in `data/` (its label
/// column) and the fitted pipeline Spark built for it in `pipelineModel/`
/// (StringIndexers, OneHotEncoder, Interactions, VectorAssembler and the
/// private VectorAttributeRewriter and ColumnPruner), run in order. As
/// Spark: the label is indexed (string label) or cast to double (numeric
/// label) only when the row carries the label column, which serving rows
/// usually do not; a row that already holds the features column is refused.
struct RFormulaModel: SparkComposite {
    let metadata: SparkMetadata
    /// The formula's label column (`y` of `y ~ x`); empty for `~ x`.
    let label: String
    let featuresCol: String
    let labelCol: String
    var stages: [any SparkTransformer]

    /// Deepest folder an RFormulaModel may sit in (a save could nest formulas in their own pipelines).
    static let maxDepth = 32

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        guard dir.directory.split(separator: "/").count <= Self.maxDepth else {
            throw metadata.failure("nested deeper than \(Self.maxDepth) folders")
        }
        let row = try dir.singleRow()
        guard let label = row["label"]?.string ?? (row["label"]?.isNull == true ? "" : nil) else {
            throw metadata.failure("data lacks the resolved formula's 'label'")
        }
        self.label = label
        featuresCol = metadata.string("featuresCol") ?? "features"
        labelCol = metadata.string("labelCol") ?? "label"
        let path = dir.directory.isEmpty ? "pipelineModel" : "\(dir.directory)/pipelineModel"
        let inner = try SparkPipelineModel(tree: dir.tree, directory: path, depth: 1)
        guard SparkStageFactory.pipelineClasses.contains(inner.metadata.className) else {
            throw metadata.failure("pipelineModel/ holds a \(inner.metadata.className), not a PipelineModel")
        }
        stages = inner.stages
    }

    /// The StringIndexer Spark adds for a string label reads the label column,
    /// which Spark skips when the rows lack it.
    private func readsLabel(_ stage: any SparkTransformer) -> Bool {
        guard !label.isEmpty, let indexer = stage as? StringIndexerModel else { return false }
        return indexer.pairs.contains { $0.input == label }
    }

    var inputs: [ColumnSpec] {
        var free: [ColumnSpec] = []
        var produced: Set<String> = []
        for stage in stages where !readsLabel(stage) {
            for spec in stage.inputs where !produced.contains(spec.name) && !free.contains(where: { $0.name == spec.name }) {
                free.append(spec)
            }
            for spec in (try? stage.outputs(given: [:])) ?? [] { produced.insert(spec.name) }
        }
        return free
    }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        var types = types
        var features: ColumnSpec?
        for stage in stages where !readsLabel(stage) {
            for spec in try stage.outputs(given: types) {
                types[spec.name] = spec.type
                if spec.name == featuresCol { features = spec }
            }
        }
        var out = [features ?? ColumnSpec(featuresCol, .vector(nil))]
        if !label.isEmpty, types[label] != nil { out.append(ColumnSpec(labelCol, .double)) }
        return out
    }

    var dataFacts: [Fact] {
        [Fact("label", label.isEmpty ? "(none)" : label),
         Fact("stages", stages.map { String($0.metadata.className.split(separator: ".").last ?? "") }.joined(separator: ", "))]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        try run(frame, stage: stage) { inner, frame in frame = try inner.transform(frame, stage: stage) }
    }

    /// The formula's stages in order (the label's indexer only when the row
    /// carries the label), `each` running one; then the label cast.
    func run(_ frame: Frame, stage: String,
             each: (any SparkTransformer, inout Frame) throws -> Void) throws -> Frame {
        guard frame.column(featuresCol) == nil else {
            throw ConveyorError(.invalidInput, "RFormulaModel: features column '\(featuresCol)' already exists",
                                stage: stage, column: featuresCol)
        }
        var out = frame
        let hasLabel = !label.isEmpty && frame.column(label) != nil
        for inner in stages where hasLabel || !readsLabel(inner) {
            try each(inner, &out)
        }
        // Spark casts a numeric label to double when labelCol is not there yet.
        if hasLabel, out.column(labelCol) == nil, let column = out.column(label) {
            guard column.type.scalar.isNumeric || column.type.scalar == .boolean, !column.type.isVector,
                  !column.type.isList else {
                throw ConveyorError(.invalidInput, "RFormulaModel: unsupported type for label: \(column.type)",
                                    stage: stage, column: label)
            }
            try out.put(.doubles(labelCol, try column.scalarDoubles(stage: stage), nulls: column.nulls))
        }
        return out
    }
}
