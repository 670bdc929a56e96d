import Codecs
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import Pipeline

/// Explanations of the default pipeline (pipelines/car-evaluation.json: Spark
/// StringIndexer → OneHotEncoder → VectorAssembler → SparkXGBClassifier →
/// IndexToString; and the scikit-learn one: MLeap one-hot bundle → XGBoost) on the caller's six string columns, against XGBoost's own
/// `pred_contribs` on Spark's feature vectors, summed over the one-hot slots
/// Spark's saved stages say each column produced
/// (Tests/Fixtures/explanations/car-spark.json, training/explanation_fixtures.py).
@Suite struct ExplanationTests {
    struct Fixture: Decodable {
        /// An input cell as the producer wrote it: text, a number or null.
        enum Cell: Decodable {
            case text(String), number(Double), null

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if container.decodeNil() { self = .null }
                else if let number = try? container.decode(Double.self) { self = .number(number) }
                else { self = .text(try container.decode(String.self)) }
            }

            var csv: String? {
                switch self {
                case .text(let text): return text
                case .number(let number): return "\(number)"
                case .null: return nil
                }
            }
        }

        struct Row: Decodable {
            let row: Int
            let input: [Cell]
            let base: [Double]
            let columns: [String: [Double]]
            let margins: [Double]
        }

        let columns: [String]
        let rows: [Row]
    }

    /// Explains the fixture's rows through `pipeline` and compares base and
    /// per-column values with the producer's, and their sums with its margins.
    private func check(_ pipelinePath: String, _ fixturePath: String, stage: String, outputs: Set<String>) async throws {
        let url = pipelinePath.hasPrefix("/") ? URL(fileURLWithPath: pipelinePath) : repoFile(pipelinePath)
        let pipeline = try PipelineLoader().load(contentsOf: url)
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: repoFile(fixturePath)))
        let rows = fixture.rows.filter { $0.input.allSatisfy { $0.csv != nil } }
        #expect(rows.count >= 40)
        let csv = rows.map { $0.input.map { $0.csv ?? "" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        let frame = try pipeline.decoder.decode(Array(csv.utf8), as: .csv)
        // Twice: the first request traces the stages before the model, the
        // second (same shape) reuses that lineage and only runs them.
        let lineages = try pipeline.explanationPlan.get().lineages
        #expect(lineages.lineage(for: LineageCache.Shape(frame)) == nil)
        for pass in ["traced", "cached"] {
            try await checkExplanation(pipeline, frame, rows, fixture, "\(pipelinePath) (\(pass))", stage: stage, outputs: outputs)
            #expect(lineages.lineage(for: LineageCache.Shape(frame)) != nil)
        }
    }

    private func checkExplanation(_ pipeline: Pipeline, _ frame: Frame, _ rows: [Fixture.Row], _ fixture: Fixture,
                                  _ pipelinePath: String, stage: String, outputs: Set<String>) async throws {
        let (predictions, explanation) = try await pipeline.explain(frame)

        #expect(predictions.rowCount == rows.count)
        #expect(explanation.stage == stage)
        #expect(explanation.method == "tree_shap")
        #expect(explanation.space == "margin")
        #expect(Set(explanation.outputs) == outputs)
        #expect(explanation.columns == fixture.columns)
        let width = explanation.outputs.count

        var actual: [Double] = [], expected: [Double] = []
        var sums: [Double] = [], margins: [Double] = []
        for (index, row) in rows.enumerated() {
            let base = Array(explanation.base(row: index))
            let columns = explanation.columns.indices.map { Array(explanation.attribution(row: index, column: $0)) }
            actual += base + columns.joined()
            expected += row.base + explanation.columns.flatMap { row.columns[$0] ?? [] }
            sums += (0..<width).map { output in base[output] + columns.reduce(0) { $0 + $1[output] } }
            margins += row.margins
        }
        let comparison = NumericComparison(actual, expected, tolerance: NumericTolerance(absolute: 1e-6, relative: 1e-6),
                                           columns: (explanation.columns.count + 1) * width, label: "\(pipelinePath) attributions")
        #expect(comparison.matches, "\(comparison)")
        // Additivity: base + Σ columns = the producer's margin, per output.
        let additivity = NumericComparison(sums, margins, tolerance: .absolute(1e-5), columns: width,
                                           label: "\(pipelinePath) additivity")
        #expect(additivity.matches, "\(additivity)")
    }

    /// One Spark stage: lineage traced inside it, class names from its IndexToString.
    @Test func sparkCarColumnsEqualXGBoostContributionsSummedOverSparkSlots() async throws {
        try await check("pipelines/car-evaluation.json", "Tests/Fixtures/explanations/car-spark.json", stage: "spark",
                        outputs: ["unacc", "acc", "good", "vgood"])
    }

    /// Two stages: lineage traced through the MLeap bundle into the XGBoost stage;
    /// the classes named by the labels stage after it.
    @Test func sklearnCarColumnsEqualXGBoostContributionsSummedOverOneHotBlocks() async throws {
        try await check("pipelines/car-evaluation-sklearn.json", "Tests/Fixtures/explanations/car-sklearn.json",
                        stage: "classifier", outputs: ["unacc", "acc", "good", "vgood"])
        // Output k is class index k: the names in the order training/car_evaluation.py's
        // label encoder gave them (expected.csv pairs predicted_index with predicted_label).
        let table = try lines(repoFile("models/car-evaluation/expected.csv")).map(fields)
        let header = try #require(table.first)
        let index = try #require(header.firstIndex(of: "predicted_index")), label = try #require(header.firstIndex(of: "predicted_label"))
        var names: [Int: String] = [:]
        for row in table.dropFirst() { names[Int(row[index]) ?? -1] = row[label] }
        let pipeline = try PipelineLoader().load(contentsOf: repoFile("pipelines/car-evaluation-sklearn.json"))
        let frame = try pipeline.decoder.decode(Array("low,low,5more,more,big,high\n".utf8), as: .csv)
        let (_, explanation) = try await pipeline.explain(frame)
        #expect(explanation.outputs == (0..<4).map { names[$0] ?? "?" })
    }

    /// Imputed numeric columns pass straight through; binary: one margin, the positive class's.
    @Test func sparkAdultColumnsThroughImputerEqualXGBoostContributions() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try writePipeline(#"{"name": "adult-xgb", "stages": [{"name": "spark", "kind": "sparkml", "model": "\#(repoFile("Tests/Fixtures/spark/adult-xgb").path)"}]}"#, in: folder)
        try await check(url.path, "Tests/Fixtures/explanations/adult-xgb.json", stage: "spark", outputs: ["1"])
    }

    @Test func aPipelineWithoutAModelIsRefusedByName() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = repoFile("Tests/Fixtures/spark-text/pipeline").path
        let alone = try PipelineLoader().load(contentsOf: try writePipeline(
            #"{"name": "text", "stages": [{"name": "words", "kind": "sparkml", "model": "\#(text)"}]}"#, in: folder))
        let error = await #expect(throws: ConveyorError.self) {
            try await alone.explain(try alone.decoder.decode(Array("the quick brown fox\n".utf8), as: .csv))
        }
        #expect(error?.code == .notExplainable)
        #expect(error?.message.contains("no stage of this pipeline can explain its predictions: 'words' (sparkml)") == true)
    }

    /// A Spark stage of feature stages only, then a Spark stage holding a
    /// model: the first is traced, the second explains. Both are Spark's
    /// saves (Tests/Fixtures/spark/stages); the sums equal the prediction
    /// Spark computed for the same rows.
    @Test func aFeatureOnlySparkStageBeforeTheModelStageIsTraced() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scaler = repoFile("Tests/Fixtures/spark/stages/standard_scaler_mean").path
        let model = repoFile("Tests/Fixtures/spark/stages/linear_regression").path
        let url = try writePipeline(#"""
            {"name": "two", "stages": [{"name": "scale", "kind": "sparkml", "model": "\#(scaler)"},
                                       {"name": "model", "kind": "sparkml", "model": "\#(model)"}]}
            """#, in: folder)
        let pipeline = try PipelineLoader().load(contentsOf: url)
        struct Fixture: Decodable {
            struct Expected: Decodable {
                struct Values: Decodable { let prediction: Double }
                let row: Int
                let values: Values
            }
            let rows: [[ExplanationTests.Fixture.Cell]]
            let expected: [Expected]
        }
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: repoFile(
            "Tests/Fixtures/spark/stages/linear_regression.expected.json")))
        // The pipeline reads y and z (the fixture rows: cat, cat2, x, y, z).
        #expect(pipeline.inputs.map(\.name) == ["y", "z"])
        let rows = fixture.expected.map { Array(fixture.rows[$0.row][3...]) }
        let csv = rows.map { $0.map { $0.csv ?? "" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        let frame = try pipeline.decoder.decode(Array(csv.utf8), as: .csv)
        let (_, explanation) = try await pipeline.explain(frame)
        #expect(explanation.stage == "model" && explanation.method == "linear")
        #expect(explanation.columns == ["y", "z"])
        let sums = (0..<rows.count).map { row in
            explanation.base(row: row).reduce(0, +)
                + (0..<explanation.columns.count).map { explanation.attribution(row: row, column: $0).reduce(0, +) }.reduce(0, +)
        }
        let comparison = NumericComparison(sums, fixture.expected.map(\.values.prediction),
                                           tolerance: NumericTolerance(absolute: 1e-12, relative: 1e-12), label: "sums vs Spark")
        #expect(comparison.matches, "\(comparison)")
    }

    /// Tokenizer → HashingTF → IDF and two numeric columns assembled into a
    /// logistic regression (saved by PySpark 4.3): the 64 hashed slots add
    /// up to the text column. Expected: shap's LinearExplainer on Spark's own
    /// assembled features, summed per column (training/spark_linear_shap.py).
    @Test func textStagesTraceToTheTextColumn() async throws {
        struct Fixture: Decodable {
            struct Text: Decodable {
                let inputs: [[ExplanationTests.Fixture.Cell]]
                let base: Double
                let columns: [String: [Double]]
                let margins: [Double]
            }
            let pipelines: [String: Text]
        }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = repoFile("Tests/Fixtures/spark-linear-shap/text_logistic").path
        let pipeline = try PipelineLoader().load(contentsOf: try writePipeline(
            #"{"name": "text", "stages": [{"name": "spark", "kind": "sparkml", "model": "\#(model)"}]}"#, in: folder))
        let data = try Data(contentsOf: repoFile("Tests/Fixtures/spark-linear-shap/expected.json"))
        let text = try #require(try JSONDecoder().decode(Fixture.self, from: data).pipelines["text_logistic"])
        #expect(pipeline.inputs.map(\.name) == ["text", "age", "hours-per-week"])
        let csv = text.inputs.map { $0.map { $0.csv ?? "" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        let (_, explanation) = try await pipeline.explain(try pipeline.decoder.decode(Array(csv.utf8), as: .csv))
        #expect(explanation.method == "linear" && explanation.outputs == ["1"])
        #expect(Set(explanation.columns) == ["text", "age", "hours-per-week"])
        var got: [Double] = []
        var want: [Double] = []
        for row in 0..<text.inputs.count {
            got.append(Array(explanation.base(row: row))[0])
            want.append(text.base)
            for (index, column) in explanation.columns.enumerated() {
                got.append(Array(explanation.attribution(row: row, column: index))[0])
                want.append(try #require(text.columns[column])[row])
            }
        }
        let comparison = NumericComparison(got, want, tolerance: NumericTolerance(absolute: 1e-9, relative: 1e-9),
                                           columns: 4, label: "text pipeline vs shap")
        #expect(comparison.matches, "\(comparison)")
    }
}
