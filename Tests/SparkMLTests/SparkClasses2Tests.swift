import ConveyorCore
import Foundation
import Testing
@testable import SparkML

/// RFormulaModel, Interaction, TargetEncoderModel, ALSModel and the LSH
/// models saved by PySpark 4.3 (training/spark_classes2.py): every column
/// Spark adds equals Spark's own transform, row by row, with the rows Spark
/// refuses refused and the rows it drops dropped.
@Suite struct SparkClasses2Tests {
    /// Compared bit for bit: indices, one-hot slots, copied values, products
    /// of them, floored projections, MinHash minima, ALS's float32 dot products.
    static let exactFixtures = [
        "rformula_basic", "rformula_keep", "rformula_skip", "rformula_no_intercept", "rformula_interaction",
        "rformula_dot", "rformula_string_label", "interaction_pipeline", "brp_lsh", "brp_lsh_one", "minhash_lsh",
        "als_nan", "als_drop", "als_implicit", "target_binary_error_0_0", "target_binary_error_2_5",
        "target_binary_keep_0_0", "target_binary_keep_2_5", "target_continuous_error_0_0", "target_continuous_error_2_5",
        "target_continuous_keep_0_0", "target_continuous_keep_2_5", "target_single",
    ]

    @Test(arguments: exactFixtures)
    func equalsSparkTransform(_ name: String) throws {
        try checkClasses2AgainstSpark(try SparkClassesFixture(classes2: name), exact: true)
    }

    /// The same classes saved by PySpark 3.5 (their save format did not change; TargetEncoder is Spark 4 only).
    @Test(arguments: ["rformula_interaction", "interaction_pipeline", "als_drop", "brp_lsh", "brp_lsh_one", "minhash_lsh"])
    func spark35SaveEqualsSparkTransform(_ name: String) throws {
        let fixture = try SparkClassesFixture(classes2: "spark35/\(name)")
        #expect(fixture.base.json["spark_version"] as? String == "3.5.9")
        try checkClasses2AgainstSpark(fixture, exact: true)
    }

    /// The fixtures hold the edges the comparisons are meant to cover.
    @Test func fixturesExerciseTheEdges() throws {
        // RFormula under error refuses the unseen, empty and null strings and the NaN; keep indexes them.
        #expect(try SparkClassesFixture(classes2: "rformula_basic").base.errorRows == [3, 4, 5, 6, 7, 8])
        #expect(try SparkClassesFixture(classes2: "rformula_keep").base.errorRows.isEmpty)
        // An interaction of a null double is refused, as Spark refuses it.
        #expect(try SparkClassesFixture(classes2: "rformula_interaction").base.errorRows == [8])
        // TargetEncoder under error refuses unseen 5, null, NaN, -1 and 1.5; keep gives them the global encoding.
        #expect(try SparkClassesFixture(classes2: "target_binary_error_0_0").base.errorRows == [2, 3, 4, 5, 7, 8])
        let keep = try SparkClassesFixture(classes2: "target_binary_keep_2_5").base
        #expect((keep.expected[2]?["a_te"] as? NSNumber) == (keep.expected[3]?["a_te"] as? NSNumber))
        // ALS: null ids are refused; unknown ids give NaN, or the row is dropped.
        #expect(try SparkClassesFixture(classes2: "als_nan").base.errorRows == [5, 6])
        #expect(try SparkClassesFixture(classes2: "als_nan").base.expected[3]?["prediction"] as? String == "NaN")
        #expect(try SparkClassesFixture(classes2: "als_drop").base.expected[3] == nil)
    }

    @Test func rformulaDeclaresItsColumns() throws {
        let stage = try SparkClassesFixture(classes2: "rformula_interaction").stage()
        #expect(stage.inputs.map(\.name).sorted() == ["color", "shape", "x", "z"])
        #expect(stage.outputs.map(\.description) == ["features: vector<double>[17]"])
        #expect(stage.stageClasses == ["org.apache.spark.ml.feature.RFormulaModel"])
    }

    /// A row that already holds the features column is refused, as Spark's checkCanTransform does.
    @Test func rformulaRefusesAnExistingFeaturesColumn() throws {
        let stage = try SparkClassesFixture(classes2: "rformula_basic").stage()
        let frame = try Frame(columns: [
            .strings("color", ["red"]), .strings("shape", ["circle"]), .doubles("x", [1]), .doubles("features", [0]),
        ])
        #expect(throws: ConveyorError.self) { try stage.transformAll(frame) }
    }

    /// Serving rows lack the label: Spark skips the label's StringIndexer and adds no label column; the
    /// features are those Spark computed with the label present.
    @Test func rformulaWithoutTheLabelColumnAddsNoLabel() throws {
        let fixture = try SparkClassesFixture(classes2: "rformula_string_label")
        let stage = try fixture.stage()
        #expect(stage.inputs.map(\.name).sorted() == ["color", "x"])
        #expect(stage.outputs.map(\.description) == ["feats: vector<double>[4]"])
        var frame = try fixture.frame(row: 0)
        frame.remove("shape")
        let out = try stage.transformAll(frame)
        #expect(out.column("lab") == nil)
        let want = try #require(fixture.base.expected[0]?["feats"])
        #expect(mismatches(out, row: 0, expected: ["feats": want], exact: true).isEmpty)
    }

    /// Interaction and LSH widths are known at load.
    @Test func widthsAreKnownAtLoad() throws {
        let pipeline = try SparkClassesFixture(classes2: "interaction_pipeline").stage()
        let widths = Dictionary(uniqueKeysWithValues: pipeline.outputs.map { ($0.name, $0.type.vectorWidth) })
        #expect(widths["out1"] == 8 && widths["out2"] == 3 && widths["out3"] == 15)
        let brp = try SparkClassesFixture(classes2: "brp_lsh").stage()
        #expect(brp.inputs.map(\.description) == ["features: vector<double>[4]"])
        #expect(brp.outputs.map(\.description) == ["hashes: vector<double>[3]"])
        #expect(try SparkClassesFixture(classes2: "minhash_lsh").stage().outputs.map(\.description)
                == ["hashes: vector<double>[4]"])
    }
}

/// Interaction's lineage: each output slot comes from the columns of the
/// input elements it multiplies (a nominal input's every category slot from
/// its column), so explanations attribute it to that group of columns.
@Suite struct InteractionLineageTests {
    @Test func eachSlotComesFromTheColumnsItMultiplies() throws {
        let fixture = try SparkClassesFixture(classes2: "interaction_pipeline")
        let stage = try fixture.stage()
        var lineage = Lineage()
        _ = try stage.trace(try fixture.frame(row: 0), lineage: &lineage)
        // out1 = color_idx (4 categories) × xz [x, z] × x: the xz slot alternates.
        #expect(lineage.origins(of: "out1", width: 8)
                == (0..<8).map { $0 % 2 == 0 ? ["color", "x"] : ["color", "x", "z"] })
        // out2 = color_vec (3 numeric slots, from color) × z.
        #expect(lineage.origins(of: "out2", width: 3) == [Set<String>](repeating: ["color", "z"], count: 3))
        // out3 = ix [color_idx (4 categories), x] × color_vec: ix varies slowest.
        #expect(lineage.origins(of: "out3", width: 15)
                == (0..<15).map { $0 < 12 ? ["color"] : ["color", "x"] })
    }
}

/// RFormulaModel's lineage, through the stages Spark fitted for the formula:
/// each features slot comes from the terms that made it (`color:x` from
/// color and x), so a model after a formula is explained on the formula's
/// columns.
@Suite struct RFormulaLineageTests {
    func features(_ name: String) throws -> [Set<String>] {
        let fixture = try SparkClassesFixture(classes2: name)
        let stage = try fixture.stage()
        var lineage = Lineage()
        let out = try stage.trace(try fixture.frame(row: 0), lineage: &lineage)
        let width = try #require(out.column("features")?.type.vectorWidth)
        return lineage.origins(of: "features", width: width)
    }

    @Test func termsKeepTheirColumns() throws {
        // y ~ color + shape + x: one-hot color, one-hot shape, x.
        let basic = try features("rformula_basic")
        #expect(basic.last == ["x"] && basic.first == ["color"], "\(basic)")
        #expect(Set(basic) == [["color"], ["shape"], ["x"]], "\(basic)")
        // y ~ color:x + shape:color + z: the products carry both columns, in the formula's order.
        let interaction = try features("rformula_interaction")
        #expect(interaction.first == ["color", "x"] && interaction.last == ["z"], "\(interaction)")
        #expect(Set(interaction) == [["color", "x"], ["shape", "color"], ["z"]], "\(interaction)")
        let groups = interaction.reduce(into: [Set<String>]()) { if $0.last != $1 { $0.append($1) } }
        #expect(groups == [["color", "x"], ["shape", "color"], ["z"]], "\(interaction)")
    }
}
