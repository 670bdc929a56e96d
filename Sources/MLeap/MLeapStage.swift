import ConveyorCore
import Operators
import Foundation

/// A pipeline stage that runs an MLeap bundle (Spark ML or scikit-learn
/// export) in process, like SageMaker's SparkML Serving container.
public struct MLeapStage: LocalStage {
    public let name: String
    public let kind = "mleap"
    public let inputs: [ColumnSpec]
    public let outputs: [ColumnSpec]
    public let bundleName: String
    public let mleapVersion: String
    public let format: String
    let transformers: [any NodeTransformer]
    /// The first node whose model explanations explain (`NodeModel`), found
    /// once: `explainsModel` is asked on every explained request.
    let modelIndex: Int?
    /// Columns the nodes write, at most (room reserved once per call).
    let addedColumns: Int
    /// What `transform` runs: the nodes, with StringIndexer → OneHotEncoder
    /// → VectorAssembler chains fused (`KernelFusion`). Tracing and
    /// `transformAll` run the nodes themselves.
    let plan: [any Kernel]
    /// `outputs`' names, hashed once for pruning on every call.
    let outputNames: [Frame.Name]

    /// Loads the bundle at `bundleURL` (directory, zip, tar or tar.gz).
    /// With a schema, its inputs must be the columns the bundle reads and
    /// its outputs columns the bundle produces.
    public init(name: String, bundleURL: URL, schema: Schema?) throws {
        do {
            let bundle = try MLeapBundle(url: bundleURL)
            try self.init(name: name, bundle: bundle, schema: schema)
        } catch let error as ConveyorError {
            throw error.inStage(name)
        }
    }

    init(name: String, bundle: MLeapBundle, schema: Schema?) throws {
        self.name = name
        bundleName = bundle.name
        mleapVersion = bundle.version
        format = bundle.format
        var inputTypes: [String: ColumnType] = [:]
        for field in schema?.input ?? [] { inputTypes[field.name] = field.columnType }
        transformers = try TransformerFactory.makeAll(bundle.nodes, inputTypes: inputTypes)
        modelIndex = transformers.firstIndex { NodeModel($0) != nil }
        addedColumns = transformers.reduce(0) { $0 + $1.outputs.count }

        let free = Self.freeInputs(transformers)
        if let schema {
            let declared = Set(schema.input.map(\.name))
            let missing = free.filter { !declared.contains($0) }
            guard missing.isEmpty else {
                throw ConveyorError(
                    .invalidPipeline,
                    "the schema's inputs lack \(missing.map { "'\($0)'" }.joined(separator: ", ")), "
                        + "which bundle '\(bundle.name)' reads", stage: name)
            }
            let unknown = schema.input.map(\.name).filter { !free.contains($0) }
            guard unknown.isEmpty else {
                throw ConveyorError(
                    .invalidPipeline,
                    "schema input \(unknown.map { "'\($0)'" }.joined(separator: ", ")) is not read by bundle "
                        + "'\(bundle.name)'; its inputs are \(free.map { "'\($0)'" }.joined(separator: ", "))",
                    stage: name)
            }
            inputs = schema.input.map(\.spec)
            let produced = Self.producedTypes(transformers)
            outputs = try schema.output.map { field in
                guard let type = produced[field.name] else {
                    throw ConveyorError(
                        .invalidPipeline,
                        "schema output '\(field.name)' is not produced by bundle '\(bundle.name)'; it produces "
                            + produced.keys.sorted().map { "'\($0)'" }.joined(separator: ", "),
                        stage: name, column: field.name)
                }
                // The bundle knows vector widths the schema cannot state.
                return ColumnSpec(field.name, field.structure == .basic ? field.columnType : type)
            }
            plan = Self.plan(transformers, keeping: outputs)
            outputNames = outputs.map { Frame.Name($0.name) }
        } else {
            // Without a schema, each input gets the type its first reader expects.
            let built = transformers
            inputs = free.map { name in
                let reader = built.first { $0.inputNames.contains(name) }
                return ColumnSpec(name, reader?.inputType ?? .double)
            }
            outputs = transformers.last?.outputs ?? []
            plan = Self.plan(transformers, keeping: outputs)
            outputNames = outputs.map { Frame.Name($0.name) }
        }
    }

    static func plan(_ transformers: [any NodeTransformer], keeping outputs: [ColumnSpec]) -> [any Kernel] {
        KernelFusion.plan(transformers.map { node in
            KernelFusion.Step(kernel: node.kernelToFuse ?? NodeKernel(node: node), reads: node.inputNames,
                              writes: node.outputs.map(\.name))
        }, keeping: Set(outputs.map(\.name)))
    }

    /// Columns read but not produced inside the bundle, in first-use order.
    static func freeInputs(_ transformers: [any NodeTransformer]) -> [String] {
        var produced = Set<String>()
        var free: [String] = []
        for transformer in transformers {
            for input in transformer.inputNames where !produced.contains(input) && !free.contains(input) {
                free.append(input)
            }
            produced.formUnion(transformer.outputs.map(\.name))
        }
        return free
    }

    static func producedTypes(_ transformers: [any NodeTransformer]) -> [String: ColumnType] {
        var types: [String: ColumnType] = [:]
        for transformer in transformers {
            for spec in transformer.outputs { types[spec.name] = spec.type }
        }
        return types
    }

    /// Runs the plan and keeps only the input columns and the stage's outputs.
    public func transform(_ frame: consuming Frame) throws -> Frame {
        let input = frame.layout
        frame.reserveColumns(addedColumns)
        try plan.apply(to: &frame, stage: name)
        return frame.pruned(to: input, keeping: outputNames)
    }

    /// Runs every node and keeps every intermediate column (for tests and debugging).
    public func transformAll(_ frame: Frame) throws -> Frame {
        var frame = frame
        frame.reserveColumns(addedColumns)
        try transformers.map { NodeKernel(node: $0) as any Kernel }.apply(to: &frame, stage: name)
        return frame
    }
}
