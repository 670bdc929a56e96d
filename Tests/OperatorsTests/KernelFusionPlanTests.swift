import ConveyorCore
import Testing
@testable import Operators

/// Which chains `KernelFusion` fuses, and which it must leave alone because
/// something else could see the columns fusion removes. (Whether a fused
/// plan computes what the kernels compute is checked on real bundles and
/// pipelines: MLeapTests' KernelFusionTests and PipelineTests'
/// NarrowedStageTests.)
@Suite struct KernelFusionPlanTests {
    static let indexer = StringIndexer(inputs: ["colour", "size"], outputs: ["colour_i", "size_i"],
                                       labels: [["red", "green"], ["s", "m", "l"]], handleInvalid: .error)
    static let encoder = OneHotEncoder(inputs: ["colour_i", "size_i"], outputs: ["colour_v", "size_v"],
                                       encodings: [.init(categorySize: 2, dropLast: true, keepInvalid: false),
                                                   .init(categorySize: 3, dropLast: true, keepInvalid: false)],
                                       handleInvalid: .error)
    static let assembler = VectorAssembler(inputs: ["colour_v", "weight", "size_v"], output: "features",
                                           onNull: .error, onNaN: .error)

    static func chain(_ extra: [KernelFusion.Step] = []) -> [KernelFusion.Step] {
        [KernelFusion.Step(kernel: indexer, reads: indexer.inputs, writes: indexer.outputs),
         KernelFusion.Step(kernel: encoder, reads: encoder.inputs, writes: encoder.outputs),
         KernelFusion.Step(kernel: assembler, reads: assembler.inputs, writes: ["features"])] + extra
    }

    @Test func aWholeChainBecomesOneKernel() throws {
        let plan = KernelFusion.plan(Self.chain(), keeping: ["features"])
        #expect(plan.count == 1)
        let fused = try #require(plan.first as? OneHotAssembly)
        #expect(fused.categoryColumns == ["colour", "size"] && fused.valueColumns == ["weight"])
        // The fused kernel and the chain agree; an unseen label gives the chain's own error.
        let frame = try Frame(columns: [.strings("colour", ["green", "red"]), .strings("size", ["l", "s"]),
                                        .doubles("weight", [2.5, -1])])
        var chained = frame
        for kernel in [Self.indexer, Self.encoder, Self.assembler] as [any Kernel] {
            try kernel.apply(to: &chained, stage: "s")
        }
        #expect(try fused.transform(frame, stage: "s").column("features") == chained.column("features"))
        let unseen = try Frame(columns: [.strings("colour", ["blue"]), .strings("size", ["l"]), .doubles("weight", [1])])
        #expect(throws: ConveyorError.self) { try fused.transform(unseen, stage: "s") }
    }

    /// The fused vectors are float32 when every value is exactly one (a
    /// tree model then takes them as its matrix), doubles otherwise; both
    /// equal the chain's.
    @Test func theFusedVectorsAreFloat32OnlyWhenEveryValueIsExactlyOne() throws {
        let fused = try #require(KernelFusion.plan(Self.chain(), keeping: ["features"]).first as? OneHotAssembly)
        for (weights, float32) in [([2.5, -1], true), ([0.1, 7], false), ([.nan, 1e300], false)] as [([Double], Bool)] {
            let frame = try Frame(columns: [.strings("colour", ["green", "red"]), .strings("size", ["l", "s"]),
                                            .doubles("weight", weights)])
            var chained = frame
            for kernel in [Self.indexer, Self.encoder,
                           VectorAssembler(inputs: Self.assembler.inputs, output: "features", onNull: .error, onNaN: .keep)]
                as [any Kernel] {
                try kernel.apply(to: &chained, stage: "s")
            }
            let keepNaN = OneHotAssembly(parts: fused.parts, output: "features", onNaN: .keep, original: fused.original,
                                         intermediates: ["colour_i", "size_i", "colour_v", "size_v"])
            let column = try keepNaN.transform(frame, stage: "s").require("features", stage: "s")
            guard case .vector(let block) = column.values, case .vector(let expected) = try chained.require("features", stage: "s").values
            else { Issue.record("features are not vectors"); continue }
            #expect((block.float32Storage != nil) == float32, "\(weights)")
            #expect(block.storage.map(\.bitPattern) == expected.storage.map(\.bitPattern), "\(weights)")
        }
    }

    @Test func aKeptOrReadIntermediateKeepsTheChain() {
        #expect(KernelFusion.plan(Self.chain(), keeping: ["features", "size_i"]).count == 3)
        let reader = KernelFusion.Step(kernel: Self.assembler, reads: ["colour_v"], writes: ["other"])
        #expect(KernelFusion.plan(Self.chain([reader]), keeping: ["features"]).count == 4)
    }

    @Test func aStageThatMayReadAnythingAfterwardsKeepsTheChain() {
        let star = KernelFusion.Step(kernel: Self.assembler, reads: [], writes: ["sql"], readsAny: true)
        #expect(KernelFusion.plan(Self.chain([star]), keeping: ["features"]).count == 4)
        // Before the chain it does not matter.
        let plan = KernelFusion.plan([star] + Self.chain(), keeping: ["features"])
        #expect(plan.count == 2)
    }

    @Test func anOverwrittenRawColumnKeepsTheChain() {
        let overwrite = KernelFusion.Step(kernel: Self.assembler, reads: [], writes: ["colour"])
        var steps = Self.chain()
        steps.insert(overwrite, at: 2)
        #expect(KernelFusion.plan(steps, keeping: ["features"]).count == 4)
    }
}
