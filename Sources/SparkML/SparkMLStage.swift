import Archives
import ConveyorCore
import Foundation
import Operators

/// A pipeline stage that serves a Spark ML PipelineModel (or single model)
/// directory as Spark saved it — no JVM: params from the metadata JSON,
/// fitted data from Parquet. Also reads it inside a zip or (gzipped) tar.
public struct SparkMLStage: LocalStage {
    public let name: String
    public let kind = "sparkml"
    public let inputs: [ColumnSpec]
    public let outputs: [ColumnSpec]
    /// `outputs`' names, hashed once for pruning on every call.
    let outputNames: [Frame.Name]
    public let sparkVersion: String
    public let modelClass: String
    let transformers: [any SparkTransformer]
    /// A tuning model's folds and metrics when the directory was one (its best model is served).
    let wrapperFacts: [Fact]
    /// Each Spark stage as a kernel with the columns it reads and writes.
    let steps: [KernelFusion.Step]
    /// What `transform` runs: the Spark stages in order, or, once narrowed
    /// by a pipeline, with StringIndexer → OneHotEncoder → VectorAssembler
    /// chains whose columns nothing later reads fused (`KernelFusion`).
    var plan: [any Kernel]

    public init(name: String, modelURL: URL, schema: Schema?) throws {
        do {
            let model = try SparkPipelineModel(tree: try ArchiveReader.read(modelURL))
            try self.init(name: name, model: model, schema: schema)
        } catch let error as ConveyorError {
            throw error.inStage(name)
        }
    }

    init(name: String, model: SparkPipelineModel, schema: Schema?) throws {
        self.name = name
        var schemaTypes: [String: ColumnType] = [:]
        for field in schema?.input ?? [] { schemaTypes[field.name] = field.columnType }
        // Interactions encode their inputs by the ML attributes of the stages before them.
        transformers = try SparkAttributes.bind(model.stages, inputTypes: schemaTypes)
        wrapperFacts = model.wrapperFacts
        sparkVersion = model.metadata.sparkVersion
        modelClass = model.metadata.className

        // Free inputs, typed by their first reader, in first-use order.
        var free: [ColumnSpec] = []
        var produced: [ColumnSpec] = []
        var types: [String: ColumnType] = [:]
        for field in schema?.input ?? [] { types[field.name] = field.columnType }
        var steps: [KernelFusion.Step] = []
        for transformer in transformers {
            for spec in transformer.inputs where !produced.contains(where: { $0.name == spec.name })
                && !free.contains(where: { $0.name == spec.name }) {
                free.append(spec)
                if types[spec.name] == nil { types[spec.name] = spec.type }
            }
            let written = try transformer.outputs(given: types)
            steps.append(KernelFusion.Step(kernel: transformer.kernelToFuse ?? SparkKernel(transformer: transformer),
                                           reads: transformer.inputs.map(\.name), writes: written.map(\.name),
                                           readsAny: !transformer.readsOnlyItsInputs))
            for spec in written {
                produced.removeAll { $0.name == spec.name }
                produced.append(spec)
                types[spec.name] = spec.type
            }
        }
        self.steps = steps
        plan = steps.map(\.kernel)
        guard let schema else {
            inputs = free
            outputs = produced
            outputNames = produced.map { Frame.Name($0.name) }
            return
        }
        let declared = Set(schema.input.map(\.name))
        let missing = free.map(\.name).filter { !declared.contains($0) }
        guard missing.isEmpty else {
            throw ConveyorError(.invalidPipeline, "the schema's inputs lack \(missing.map { "'\($0)'" }.joined(separator: ", ")), "
                + "which the Spark model reads", stage: name)
        }
        let unknown = schema.input.map(\.name).filter { name in !free.contains { $0.name == name } }
        guard unknown.isEmpty else {
            throw ConveyorError(.invalidPipeline, "schema input \(unknown.map { "'\($0)'" }.joined(separator: ", ")) is not read "
                + "by the Spark model; it reads \(free.map { "'\($0.name)'" }.joined(separator: ", "))", stage: name)
        }
        inputs = schema.input.map(\.spec)
        outputs = try schema.output.map { field in
            guard let spec = produced.first(where: { $0.name == field.name }) else {
                throw ConveyorError(.invalidPipeline, "schema output '\(field.name)' is not produced by the Spark model; it produces "
                    + produced.map { "'\($0.name)'" }.joined(separator: ", "), stage: name, column: field.name)
            }
            return field.structure == .basic ? ColumnSpec(field.name, field.columnType) : spec
        }
        outputNames = outputs.map { Frame.Name($0.name) }
    }

    /// Runs the plan; keeps the input columns and the stage's outputs.
    public func transform(_ frame: consuming Frame) throws -> Frame {
        let input = frame.layout
        try plan.apply(to: &frame, stage: name)
        return frame.pruned(to: input, keeping: outputNames)
    }

    /// Runs every Spark stage and keeps every column, as Spark's transform does.
    public func transformAll(_ frame: Frame) throws -> Frame {
        var frame = frame
        try steps.map(\.kernel).apply(to: &frame, stage: name)
        return frame
    }

    /// How many kernels `transform` runs (a fused chain counts once).
    public var planLength: Int { plan.count }

    /// The Spark classes, in order (for tests and messages).
    public var stageClasses: [String] { transformers.map(\.metadata.className) }
}

extension SparkMLStage: NarrowableStage {
    public var readsOnlyItsInputs: Bool { steps.allSatisfy { !$0.readsAny } }

    public func narrowed(keeping needed: Set<String>) -> any Stage {
        var narrowed = self
        narrowed.plan = KernelFusion.plan(steps, keeping: needed)
        return narrowed
    }
}

/// A Spark stage as a step of a plan.
struct SparkKernel: OutputNarrowableKernel {
    let transformer: any SparkTransformer

    func writing(only needed: Set<String>) -> (any Kernel)? {
        transformer.writing(only: needed).map { SparkKernel(transformer: $0) }
    }

    func apply(to frame: inout Frame, stage: String) throws {
        // Handed over (an empty frame left behind meanwhile), so that the
        // transformer can add its columns without copying the column array.
        var taken = Frame(rowCount: frame.rowCount)
        swap(&taken, &frame)
        frame = try transformer.transform(consume taken, stage: stage)
    }
}

extension SparkMLStage {
    public var facts: [Fact] {
        var facts = [Fact("model", modelClass), Fact("spark version", sparkVersion)] + wrapperFacts
        facts.append(Fact("stages", "\(transformers.count)", children: transformers.enumerated().map { index, stage in
            let meta = stage.metadata
            let short = String(meta.className.split(separator: ".").last ?? "")
            return Fact("\(index) \(short)", meta.uid, children: meta.paramFacts + stage.dataFacts)
        }))
        facts.append(Fact("input schema", inputs.map(\.description).joined(separator: ", ")))
        facts.append(Fact("output schema", outputs.map(\.description).joined(separator: ", ")))
        return facts
    }
}
