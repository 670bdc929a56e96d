import ConveyorCore
import ConveyorTestSupport
import Codecs
import Foundation
import Testing
@testable import Pipeline
@testable import SparkML

/// A pipeline runs each stage narrowed to the columns later stages and the
/// output read (`NarrowableStage`): the default pipeline's Spark stage then
/// fuses its StringIndexer → OneHotEncoder → VectorAssembler chain, whose
/// index and one-hot columns nothing reads. The output must be exactly
/// what the whole stages give, on rows the fused loop takes and on rows it
/// leaves to the original kernels (nulls and unseen labels, which the
/// Spark model keeps as their own category).
@Suite struct NarrowedStageTests {
    @Test func defaultPipelineFusesAndAnswersAsTheWholeStages() async throws {
        let pipeline = try PipelineLoader().load(contentsOf: repoFile("pipelines/car-evaluation.json"))
        let whole = try #require(pipeline.stages.first as? SparkMLStage)
        let narrowed = try #require(pipeline.runStages.first as? SparkMLStage)
        #expect(whole.planLength == 5, "StringIndexer, OneHotEncoder, VectorAssembler, XGBoost, IndexToString")
        #expect(narrowed.planLength == 3, "the first three fused")

        // Spark's held-back rows (nulls included), then every Car row, then unseen labels.
        let data = try Data(contentsOf: repoFile("models/car-evaluation-spark/expected.json"))
        let json = try #require(try ExactJSON.object(with: data) as? [String: Any])
        var rows = try #require(json["rows"] as? [[Any]]).map { $0.map { $0 as? String } }
        #expect(rows.contains { $0.contains(nil) }, "the held-back rows include nulls")
        let car = try String(contentsOf: projectRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/datasets/car-evaluation/car.csv"), encoding: .utf8)
        rows += car.split(separator: "\n").dropFirst().map { $0.split(separator: ",").prefix(6).map { String($0) } }
        rows.append(["vhigh", "vhigh", "seven", "2", "small", "low"])
        rows.append(["", "low", "2", "4", "big", "high"])

        let names = pipeline.inputs.map(\.name)
        let columns = names.indices.map { index in
            Column.strings(names[index], rows.map { $0[index] ?? "" }, nulls: rows.map { $0[index] == nil })
        }
        // The fused loop declines a whole call with any null or unseen
        // label: the Car rows alone are the ones it answers.
        let carRows = Array(rows.indices.suffix(1_730).dropLast(2))
        let carFrame = try Frame(columns: names.indices.map { index in
            Column.strings(names[index], carRows.map { rows[$0][index] ?? "" })
        })
        #expect(carFrame.rowCount == 1_728)
        for input in [try Frame(columns: columns), carFrame] {
            let fused = try await pipeline.run(input)
            var current = input
            for stage in pipeline.stages { current = try await stage.transform(current) }
            let expected = try current.selecting(pipeline.outputs.map(\.name))
            #expect(fused == expected, "\(input.rowCount) rows")
            // The model reads a one-hot feature as `x < 1`: compare the
            // assembled vectors themselves too.
            let withFeatures = try #require(whole.narrowed(keeping: ["features"]) as? SparkMLStage)
            #expect(withFeatures.planLength == 3)
            #expect(try withFeatures.transform(input).selecting(["features"])
                == (try whole.transform(input).selecting(["features"])), "\(input.rowCount) rows")
        }
    }

    /// A column the stage writes but nothing reads is not built at all: the
    /// narrowed plan's XGBoost classifier leaves rawPrediction out, and
    /// builds it again when the output asks for it.
    @Test func aColumnNothingReadsIsNotBuilt() throws {
        let pipeline = try PipelineLoader().load(contentsOf: repoFile("pipelines/car-evaluation.json"))
        let whole = try #require(pipeline.stages.first as? SparkMLStage)
        #expect(whole.outputs.map(\.name).contains("rawPrediction"))
        let row = try FrameDecoder(inputs: pipeline.inputs).decode(Array("vhigh,vhigh,2,2,small,low\n".utf8), as: .csv)
        func written(_ stage: SparkMLStage) throws -> Set<String> {
            var frame = row
            try stage.plan.apply(to: &frame, stage: stage.name)
            return Set(frame.columnNames)
        }
        let served = try #require(pipeline.runStages.first as? SparkMLStage)
        #expect(try !written(served).contains("rawPrediction"))
        #expect(try written(served).isSuperset(of: ["prediction", "probability", "predicted_class"]))
        let withRaw = try #require(whole.narrowed(keeping: ["predicted_class", "rawPrediction"]) as? SparkMLStage)
        #expect(try written(withRaw).contains("rawPrediction"))
        #expect(try withRaw.transform(row).selecting(["rawPrediction", "predicted_class"])
            == (try whole.transform(row).selecting(["rawPrediction", "predicted_class"])))
    }

    /// Only what is needed is narrowed away: a pipeline whose output names
    /// an intermediate column keeps the chain unfused.
    @Test func anOutputIntermediateKeepsTheChain() throws {
        let pipeline = try PipelineLoader().load(contentsOf: repoFile("pipelines/car-evaluation.json"))
        let whole = try #require(pipeline.stages.first as? SparkMLStage)
        let narrowed = try #require(whole.narrowed(keeping: ["buying_vec", "predicted_class"]) as? SparkMLStage)
        #expect(narrowed.planLength == 5)
        let everything = try #require(whole.narrowed(keeping: Set(whole.outputs.map(\.name))) as? SparkMLStage)
        #expect(everything.planLength == 5)
    }
}
