import ConveyorCore
import Foundation
import Testing

@testable import MLeap

/// Expected values come from the producers (SageMaker's integration test,
/// the MLeap runtime's served output, the scikit-learn export), never from us.
@Suite struct RealBundleTests {
    static let titanicSchema = Schema(
        input: [
            SchemaField(name: "Pclass", type: .float), SchemaField(name: "Embarked", type: .string),
            SchemaField(name: "Age", type: .float), SchemaField(name: "Fare", type: .float),
            SchemaField(name: "SibSp", type: .float), SchemaField(name: "Sex", type: .string),
        ],
        output: [SchemaField(name: "features", type: .double, structure: .vector)])

    func titanic() throws -> MLeapStage {
        try MLeapStage(
            name: "features", bundleURL: shared("sagemaker-pysdk-titanic-features/mleap_model.tar.gz"),
            schema: Self.titanicSchema)
    }

    @Test func titanicFeaturesMatchSageMaker() throws {
        let stage = try titanic()
        #expect(stage.outputs == [ColumnSpec("features", .vector(7))])
        let rows = try csvRows(shared("sagemaker-pysdk-titanic-features/valid_input.csv"))
        let out = try stage.transform(try frame(rows, fields: Self.titanicSchema.input))
        #expect(try vectorRow(out, "features") == [1.0, 0.0, 38.0, 1.0, 71.5, 0.0, 1.0])
        #expect(out.column("indexedSex") == nil, "intermediate columns are not stage outputs")
    }

    @Test func titanicInvalidRowIsRefused() throws {
        let stage = try titanic()
        let rows = try csvRows(shared("sagemaker-pysdk-titanic-features/invalid_input.csv"))
        let error = conveyorError { _ = try stage.transform(try frame(rows, fields: Self.titanicSchema.input)) }
        #expect(error?.code == .invalidInput)
        #expect(error?.row == 1)
        #expect(error?.stage == "features")
        #expect(error?.column == "Sex")
        #expect(error?.message == "unseen label '1.0' in column 'Sex' (handle_invalid=error)")
    }

    func airbnb(_ path: String) throws -> (MLeapStage, Frame) {
        let stage = try MLeapStage(name: "airbnb", bundleURL: shared(path), schema: nil)
        let input = try LeapFrame.read(Data(contentsOf: shared("mleap-airbnb-lr/frame.airbnb.json")))
        return (stage, try stage.transformAll(input))
    }

    @Test func airbnbLinearRegressionMatchesMLeap() throws {
        let (stage, out) = try airbnb("mleap-airbnb-lr/airbnb.model.lr.zip")
        #expect(stage.outputs == [ColumnSpec("price_prediction", .double)])
        #expect(try scalar(out, "price_prediction") == 232.62463916840318)
        #expect(try scalar(out, "state_index") == 1)
        #expect(try vectorRow(out, "state_index_oh") == [0, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(try vectorRow(out, "room_type_index_oh") == [1, 0])
        #expect(try vectorRow(out, "host_is_superhost_index_oh") == [0])
        #expect(try vectorRow(out, "cancellation_policy_index_oh") == [1, 0, 0, 0, 0, 0])
        #expect(try vectorRow(out, "instant_bookable_index_oh") == [0])
        #expect(try vectorRow(out, "unscaled_continuous_features") == [2, 3, 50, 30, 2, 56, 1250, 90])
        #expect(try vectorRow(out, "scaled_continuous_features") == [
            4.140280956934401, 3.5433405944541416, 0.20448502691363585, 0.7035254942843019,
            0.1070402397121551, 2.001013740068328, 3.4397510125672155, 10.492952125986108,
        ])
        // From lemonade_readme_response.json (the MLeap runtime's response).
        #expect(try vectorRow(out, "features_lr") == [
            1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            4.140280956934401, 3.5433405944541416, 0.20448502691363585, 0.7035254942843019,
            0.1070402397121551, 2.001013740068328, 3.4397510125672155, 10.492952125986108,
        ])
    }

    @Test func airbnbRandomForestMatchesMLeap() throws {
        let (stage, out) = try airbnb("mleap-airbnb-rf/airbnb.model.rf.zip")
        #expect(stage.ops.filter { $0 == "random_forest_regression" }.count == 1)
        #expect(stage.inputs.first { $0.name == "state" }?.type == .string)
        #expect(stage.inputs.first { $0.name == "bathrooms" }?.type == .double)
        #expect(try scalar(out, "price_prediction") == 218.2767196535019)
    }

    static let carModels = projectRoot.appendingPathComponent("models/car-evaluation")
    static let haveCar = FileManager.default.fileExists(atPath: carModels.appendingPathComponent("features.zip").path)

    @Test(.enabled(if: haveCar, "models/car-evaluation not present"))
    func carFeaturesMatchScikitLearn() throws {
        let names = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
        let fields = names.map { SchemaField(name: $0, type: .string) }
        let schema = Schema(input: fields, output: [SchemaField(name: "features", type: .double, structure: .vector)])
        let stage = try MLeapStage(
            name: "features", bundleURL: Self.carModels.appendingPathComponent("features.zip"), schema: schema)
        #expect(stage.outputs == [ColumnSpec("features", .vector(21))])
        let rows = try csvRows(Self.carModels.appendingPathComponent("features_expected.csv"))
        #expect(rows[0].prefix(6) == ArraySlice(names))
        let data = Array(rows.dropFirst())
        #expect(data.count == 50)
        let out = try stage.transform(try frame(data, fields: fields))
        let block = try #require(out.column("features")).vectorBlock()
        for (index, row) in data.enumerated() {
            let expected = row.dropFirst(6).map { Double($0)! }
            #expect(Array(block.row(index)) == expected, "row \(index + 1)")
        }
    }

    @Test(.enabled(if: haveCar, "models/car-evaluation not present"))
    func carLabelDecoder() throws {
        let stage = try MLeapStage(
            name: "labels", bundleURL: Self.carModels.appendingPathComponent("labels.zip"), schema: nil)
        #expect(stage.inputs.map(\.name) == ["predicted_label"])
        let input = try Frame(columns: [.doubles("predicted_label", [0, 1, 2, 3])])
        let out = try stage.transform(input)
        #expect(try #require(out.column("predicted_class")).optionalStrings() == ["acc", "good", "unacc", "vgood"])
    }

    @Test func factsDescribeNodes() throws {
        let facts = try titanic().facts
        #expect(facts.first == Fact("bundle", "PipelineModel_47a197c0505c5bcbe555"))
        #expect(facts.contains(Fact("mleap version", "0.10.0-SNAPSHOT")))
        let nodes = try #require(facts.first { $0.label == "nodes" })
        #expect(nodes.children.count == 5)
        #expect(nodes.children.contains { $0.value.hasPrefix("vector_assembler") && $0.value.contains("vector<double>[7]") })
    }
}
