import ConveyorCore
import Operators

/// The ML attributes Spark attaches to columns, as far as Interaction needs
/// them: a StringIndexer's index is nominal (one-hot encoded by Interaction),
/// a OneHotEncoder's slots are binary and a plain double numeric (kept as
/// they are), a VectorAssembler concatenates its inputs' attributes. Spark
/// refuses a vector without attributes; Conveyor refuses at load an
/// Interaction input whose attributes it cannot know (produced by another
/// stage), naming the producer.
enum SparkAttributes {
    /// Per element: 0 numeric, n > 0 nominal with n values; or why it is not known.
    enum Known {
        case elements([Int])
        case unknown(String)
    }

    /// Resolves every Interaction (also inside RFormulaModels) from the stages
    /// before it; `inputTypes` types the pipeline's own input columns.
    static func bind(_ stages: [any SparkTransformer], inputTypes: [String: ColumnType]) throws -> [any SparkTransformer] {
        var known: [String: Known] = [:]
        var types = inputTypes
        return try bind(stages, known: &known, types: &types)
    }

    private static func bind(_ stages: [any SparkTransformer], known: inout [String: Known],
                             types: inout [String: ColumnType]) throws -> [any SparkTransformer] {
        var out: [any SparkTransformer] = []
        for stage in stages {
            // Free inputs typed by their first reader, as SparkMLStage types them.
            for spec in stage.inputs where types[spec.name] == nil { types[spec.name] = spec.type }
            var bound = stage
            if var interaction = stage as? Interaction {
                let metadata = interaction.metadata
                let encodings = try interaction.inputColumns.map { name in
                    try cardinalities(of: name, known: known, types: types, stage: metadata)
                }
                try interaction.bind(encodings)
                bound = interaction
            } else if var formula = stage as? RFormulaModel {
                formula.stages = try bind(formula.stages, known: &known, types: &types)
                bound = formula
            }
            let outputs = try bound.outputs(given: types)
            // An RFormulaModel's own stages recorded its columns above.
            if !(bound is RFormulaModel) { record(bound, outputs: outputs, known: &known, types: types) }
            for spec in outputs { types[spec.name] = spec.type }
            out.append(bound)
        }
        return out
    }

    private static func record(_ stage: any SparkTransformer, outputs: [ColumnSpec], known: inout [String: Known],
                               types: [String: ColumnType]) {
        let producer = "\(stage.metadata.className.split(separator: ".").last ?? "") '\(stage.metadata.uid)'"
        if let indexer = stage as? StringIndexerModel {
            let extra = indexer.kernel.handleInvalid == .keep ? 1 : 0
            for (pair, labels) in zip(indexer.pairs, indexer.labels) {
                known[pair.output] = .elements([labels.count + extra])
            }
            return
        }
        if let assembler = stage as? VectorAssembler {
            var elements: [Int] = []
            for name in assembler.kernel.inputs {
                switch element(of: name, known: known, types: types) {
                case .elements(let e): elements += e
                case .unknown(let why): known[assembler.kernel.output] = .unknown(why); return
                }
            }
            known[assembler.kernel.output] = .elements(elements)
            return
        }
        // OneHotEncoder (binary slots) and Interaction (numeric slots): numeric elements of the output width.
        let numeric = stage is OneHotEncoderModel || stage is Interaction
        for spec in outputs {
            if numeric, let width = spec.type.vectorWidth {
                known[spec.name] = .elements([Int](repeating: 0, count: width))
            } else {
                known[spec.name] = .unknown("'\(spec.name)' comes from \(producer), whose ML attributes Conveyor does not track")
            }
        }
    }

    /// What a VectorAssembler input contributes: a produced column's attributes,
    /// or numeric elements for a pipeline input (Spark sizes an unattributed vector from its first row).
    private static func element(of name: String, known: [String: Known], types: [String: ColumnType]) -> Known {
        if let attrs = known[name] { return attrs }
        let type = types[name] ?? .double
        switch type.shape {
        case .scalar: return .elements([0])
        case .vector(let width?): return .elements([Int](repeating: 0, count: width))
        case .vector(nil): return .unknown("input vector '\(name)' has no declared width")
        case .list: return .unknown("'\(name)' is a list")
        }
    }

    private static func cardinalities(of name: String, known: [String: Known], types: [String: ColumnType],
                                      stage: SparkMetadata) throws -> [Int] {
        func refuse(_ why: String) -> ConveyorError {
            stage.unsupported("inputCols", "input '\(name)': \(why); Spark encodes Interaction inputs by their ML attributes")
        }
        if let attrs = known[name] {
            switch attrs {
            case .elements(let e): return e
            case .unknown(let why): throw refuse(why)
            }
        }
        let type = types[name] ?? .double
        guard type.shape == .scalar, type.scalar != .string else {
            throw refuse("a \(type) pipeline input carries no ML attributes (Spark: \"Vector attributes must be "
                + "defined for interaction\"); assemble it with a VectorAssembler in the pipeline")
        }
        return [0]
    }
}
