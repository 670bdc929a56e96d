import ConveyorCore
import ConveyorTestSupport
import Foundation
import Pipeline
import Testing

/// Explanations through Spark stages that move slots or mix columns, on
/// pipelines saved by PySpark 4.3, against shap's values on the feature
/// vectors Spark's own transform assembled, summed over the slots of each
/// group of columns; the groups are found by probing Spark's stages, not
/// taken from Conveyor's lineage.
@Suite struct ExplanationLineageTests {
    typealias Cell = ExplanationTests.Fixture.Cell

    /// One model's expected values: shap's base, its values summed per group
    /// of columns (one per row), and Spark's margins (rawPrediction[1]).
    struct Expected: Decodable {
        let base: Double
        let columns: [String: [Double]]
        let margins: [Double]
    }

    struct MixingFixture: Decodable {
        let inputs: [[String: Cell]]
        let base: Double
        let columns: [String: [Double]]
        let margins: [Double]
    }

    struct FormulaFixture: Decodable {
        let inputs: [String]
        let rows: [[String: Cell]]
        let models: [String: Expected]
    }

    static let strings: Set<String> = ["workclass", "education"]

    /// FeatureHasher, PolynomialExpansion, PCA, Normalizer, DCT and
    /// VectorSlicer before a logistic regression: shap's LinearExplainer
    /// (training/spark_lineage_shap.py).
    @Test func mixingStagesAttributeToTheirGroupOfColumns() async throws {
        let fixture = try JSONDecoder().decode(MixingFixture.self, from: Data(contentsOf: repoFile(
            "Tests/Fixtures/spark-lineage-shap/expected.json")))
        let names = ["workclass", "education", "age", "fnlwgt", "education-num", "capital-gain", "capital-loss",
                     "hours-per-week"]
        try await Self.expectShapAgreement(model: "spark-lineage-shap/mixed_logistic", inputs: names, rows: fixture.inputs,
                                           expected: Expected(base: fixture.base, columns: fixture.columns,
                                                              margins: fixture.margins),
                                           method: "linear")
    }

    /// RFormula (its fitted one-hot, interaction and assembler stages) and
    /// Interaction before a GBT: shap's TreeExplainer; an interaction slot
    /// belongs to both of its columns (training/spark_formula_shap.py).
    @Test(arguments: ["rformula_gbt", "interaction_gbt"])
    func formulaAndInteractionAttributeToTheirColumns(_ name: String) async throws {
        let fixture = try JSONDecoder().decode(FormulaFixture.self, from: Data(contentsOf: repoFile(
            "Tests/Fixtures/spark-formula-shap/expected.json")))
        try await Self.expectShapAgreement(model: "spark-formula-shap/\(name)", inputs: fixture.inputs, rows: fixture.rows,
                                           expected: try #require(fixture.models[name]), method: "tree_shap")
    }

    /// Serves the saved PipelineModel under `Tests/Fixtures/<model>` as one
    /// stage, explains `rows`, and expects shap's base and per-group values
    /// and Spark's margins (1e-9).
    static func expectShapAgreement(model: String, inputs: [String], rows: [[String: Cell]], expected: Expected,
                                    method: String) async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = repoFile("Tests/Fixtures/" + model).path
        let schema = inputs.map { #"{"name": "\#($0)", "type": "\#(strings.contains($0) ? "string" : "double")"}"# }
        let pipeline = try PipelineLoader().load(contentsOf: try writePipeline(#"""
            {"name": "explained", "stages": [{"name": "spark", "kind": "sparkml", "model": "\#(path)",
             "schema": {"input": [\#(schema.joined(separator: ", "))],
                        "output": [{"name": "rawPrediction", "type": "double", "struct": "vector"}]}}]}
            """#, in: folder))
        let csv = try rows.map { row in
            try inputs.map { try #require(row[$0]).csv ?? "" }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        let (predictions, explanation) = try await pipeline.explain(try pipeline.decoder.decode(Array(csv.utf8), as: .csv))
        #expect(explanation.method == method && explanation.outputs == ["1"])
        #expect(Set(explanation.columns) == Set(expected.columns.keys), "\(explanation.columns)")
        try #require(explanation.rowCount == rows.count && expected.margins.count == rows.count)
        var got: [Double] = [], want: [Double] = []
        for row in rows.indices {
            got.append(Array(explanation.base(row: row))[0])
            want.append(expected.base)
            for (index, column) in explanation.columns.enumerated() {
                got.append(Array(explanation.attribution(row: row, column: index))[0])
                want.append(try #require(expected.columns[column])[row])
            }
        }
        let comparison = NumericComparison(got, want, tolerance: NumericTolerance(absolute: 1e-9, relative: 1e-9),
                                           columns: explanation.columns.count + 1, label: "\(model) vs shap")
        #expect(comparison.matches, "\(comparison)")
        // And the prediction is Spark's: the margin is rawPrediction[1].
        let raw = try #require(predictions.column("rawPrediction")).vectorBlock(stage: "test")
        let margins = NumericComparison((0..<raw.rowCount).map { raw[$0, 1] }, expected.margins,
                                        tolerance: NumericTolerance(absolute: 1e-9, relative: 1e-9), label: "margins")
        #expect(margins.matches, "\(margins)")
    }
}
