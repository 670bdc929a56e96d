import ConveyorCore
import ConveyorTestSupport
import Foundation
import Pipeline
import Testing

/// Explanations through Spark stages that move slots (VectorSlicer) or mix
/// columns (FeatureHasher, PolynomialExpansion, PCA, Normalizer, DCT), on a
/// pipeline saved by PySpark 4.3. Expected: shap's LinearExplainer values on
/// the feature vectors Spark's own transform assembled, summed over the slots
/// of each group of columns, the groups found by probing Spark's stages
/// (training/spark_lineage_shap.py).
@Suite struct ExplanationLineageTests {
    struct Fixture: Decodable {
        let inputs: [[String: ExplanationTests.Fixture.Cell]]
        let base: Double
        let columns: [String: [Double]]
        let margins: [Double]
    }

    static let strings: Set<String> = ["workclass", "education"]

    @Test func mixingStagesAttributeToTheirGroupOfColumns() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: repoFile(
            "Tests/Fixtures/spark-lineage-shap/expected.json")))
        let names = ["workclass", "education", "age", "fnlwgt", "education-num", "capital-gain", "capital-loss",
                     "hours-per-week"]
        let schema = names.map { #"{"name": "\#($0)", "type": "\#(Self.strings.contains($0) ? "string" : "double")"}"# }
        let model = repoFile("Tests/Fixtures/spark-lineage-shap/mixed_logistic").path
        let pipeline = try PipelineLoader().load(contentsOf: try writePipeline(#"""
            {"name": "mixed", "stages": [{"name": "spark", "kind": "sparkml", "model": "\#(model)",
             "schema": {"input": [\#(schema.joined(separator: ", "))],
                        "output": [{"name": "rawPrediction", "type": "double", "struct": "vector"}]}}]}
            """#, in: folder))
        let csv = try fixture.inputs.map { row in
            try names.map { try #require(row[$0]).csv ?? "" }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        let (predictions, explanation) = try await pipeline.explain(try pipeline.decoder.decode(Array(csv.utf8), as: .csv))
        #expect(explanation.method == "linear" && explanation.outputs == ["1"])
        #expect(Set(explanation.columns) == Set(fixture.columns.keys))
        var got: [Double] = []
        var want: [Double] = []
        for row in fixture.inputs.indices {
            got.append(Array(explanation.base(row: row))[0])
            want.append(fixture.base)
            for (index, column) in explanation.columns.enumerated() {
                got.append(Array(explanation.attribution(row: row, column: index))[0])
                want.append(try #require(fixture.columns[column])[row])
            }
        }
        let comparison = NumericComparison(got, want, tolerance: NumericTolerance(absolute: 1e-9, relative: 1e-9),
                                           columns: explanation.columns.count + 1, label: "mixed pipeline vs shap")
        #expect(comparison.matches, "\(comparison)")
        // And the prediction is Spark's: the margin is rawPrediction[1].
        let raw = try #require(predictions.column("rawPrediction")).vectorBlock(stage: "test")
        let margins = NumericComparison((0..<raw.rowCount).map { raw[$0, 1] }, fixture.margins,
                                        tolerance: NumericTolerance(absolute: 1e-9, relative: 1e-9), label: "margins")
        #expect(margins.matches, "\(margins)")
    }

    struct FormulaFixture: Decodable {
        struct Model: Decodable {
            let base: Double
            let columns: [String: [Double]]
            let margins: [Double]
        }

        let inputs: [String]
        let rows: [[String: ExplanationTests.Fixture.Cell]]
        let models: [String: Model]
    }

    /// RFormula (its fitted one-hot, interaction and assembler stages) and
    /// Interaction before a GBT: TreeSHAP on the caller's columns equals
    /// shap's TreeExplainer values on Spark's own feature vectors, summed
    /// over the slots each group of columns changes in Spark's transform
    /// (an interaction slot belongs to both of its columns;
    /// training/spark_formula_shap.py).
    @Test(arguments: ["rformula_gbt", "interaction_gbt"])
    func formulaAndInteractionAttributeToTheirColumns(_ name: String) async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixture = try JSONDecoder().decode(FormulaFixture.self, from: Data(contentsOf: repoFile(
            "Tests/Fixtures/spark-formula-shap/expected.json")))
        let expected = try #require(fixture.models[name])
        let schema = fixture.inputs.map { #"{"name": "\#($0)", "type": "\#(Self.strings.contains($0) ? "string" : "double")"}"# }
        let model = repoFile("Tests/Fixtures/spark-formula-shap/\(name)").path
        let pipeline = try PipelineLoader().load(contentsOf: try writePipeline(#"""
            {"name": "\#(name)", "stages": [{"name": "spark", "kind": "sparkml", "model": "\#(model)",
             "schema": {"input": [\#(schema.joined(separator: ", "))],
                        "output": [{"name": "rawPrediction", "type": "double", "struct": "vector"}]}}]}
            """#, in: folder))
        let csv = try fixture.rows.map { row in
            try fixture.inputs.map { try #require(row[$0]).csv ?? "" }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        let (predictions, explanation) = try await pipeline.explain(try pipeline.decoder.decode(Array(csv.utf8), as: .csv))
        #expect(explanation.method == "tree_shap" && explanation.outputs == ["1"])
        #expect(Set(explanation.columns) == Set(expected.columns.keys), "\(explanation.columns)")
        try #require(explanation.rowCount == fixture.rows.count && expected.margins.count == fixture.rows.count)
        var got: [Double] = [], want: [Double] = []
        for row in fixture.rows.indices {
            got.append(Array(explanation.base(row: row))[0])
            want.append(expected.base)
            for (index, column) in explanation.columns.enumerated() {
                got.append(Array(explanation.attribution(row: row, column: index))[0])
                want.append(try #require(expected.columns[column])[row])
            }
        }
        let comparison = NumericComparison(got, want, tolerance: NumericTolerance(absolute: 1e-9, relative: 1e-9),
                                           columns: explanation.columns.count + 1, label: "\(name) vs shap")
        #expect(comparison.matches, "\(comparison)")
        let raw = try #require(predictions.column("rawPrediction")).vectorBlock(stage: "test")
        let margins = NumericComparison((0..<raw.rowCount).map { raw[$0, 1] }, expected.margins,
                                        tolerance: NumericTolerance(absolute: 1e-9, relative: 1e-9), label: "margins")
        #expect(margins.matches, "\(margins)")
    }
}
