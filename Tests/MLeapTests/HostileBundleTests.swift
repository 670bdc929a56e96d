import ConveyorCore
import Foundation
import Testing

@testable import MLeap

/// Hostile bundle attributes (issue 10): sizes, shapes and indices read
/// from a bundle are checked at load; before, some of these trapped
/// (Double → Int) or were accepted and allocated per request.
@Suite struct HostileBundleTests {
    private func loadError(
        _ nodes: [(name: String, op: String, attributes: String, inputs: [String], outputs: [String])],
        files: [String: String] = [:]
    ) throws -> ConveyorError? {
        let url = try writeBundle(nodes)
        defer { try? FileManager.default.removeItem(at: url) }
        for (path, text) in files { try Data(text.utf8).write(to: url.appendingPathComponent(path)) }
        return conveyorError { _ = try MLeapStage(name: "m", bundleURL: url, schema: nil) }
    }

    @Test func tensorDimensionOf10To12WithOneValueIsRefused() throws {
        let attributes = #""coefficients": {"type": "tensor", "double": [1.5], "shape": {"dimensions": [{"size": 1000000000000, "name": ""}]}}, "intercept": {"double": 0.5}"#
        let error = try loadError([("lr", "linear_regression", attributes, ["features"], ["prediction"])])
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("shape [1000000000000]") == true, "\(String(describing: error))")
    }

    @Test func tensorShapeWhoseProductOverflowsIsRefused() throws {
        let attributes = #""coefficients": {"type": "tensor", "double": [1.5], "shape": {"dimensions": [{"size": 4294967296, "name": ""}, {"size": 4294967296, "name": ""}]}}, "intercept": {"double": 0.5}"#
        let error = try loadError([("lr", "linear_regression", attributes, ["features"], ["prediction"])])
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("too large") == true, "\(String(describing: error))")
    }

    @Test func oneHotSizeOf1e19IsRefusedNotTrapped() throws {
        // Int(1e19) trapped (SIGILL) in Attribute.int.
        let error = try loadError([("ohe", "one_hot_encoder", #""size": {"long": 1e19}"#, ["x"], ["v"])])
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("'size' is missing or not an integer") == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        #""size": {"long": 1000000000000}"#,
        #""category_sizes": {"type": "list", "long": [3, 1000000000000]}, "drop_last": {"boolean": false}"#,
        #""category_sizes": {"type": "list", "long": [2.5]}"#,
        #""size": {"long": -4}"#,
    ])
    func absurdOneHotSizesAreRefused(_ attributes: String) throws {
        let error = try loadError([("ohe", "one_hot_encoder", attributes, ["x"], ["v"])])
        #expect(error?.code == .modelCorrupt, "\(String(describing: error))")
        #expect(error?.message.contains("'ohe' (one_hot_encoder)") == true, "\(String(describing: error))")
    }

    @Test func hashingFeaturesBeyondTheWidthLimitAreRefused() throws {
        let error = try loadError([("tf", "hashing_term_frequency", #""num_features": {"long": 1099511627776}"#, ["t"], ["v"])])
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("\(MLeapLimits.maxWidth)") == true, "\(String(describing: error))")
    }

    @Test func interactionWidthProductIsCheckedForOverflow() throws {
        let sizes = #"{"type": "list", "long": [16777216]}"#
        let attributes = #""num_features0": \#(sizes), "num_features1": \#(sizes), "num_features2": \#(sizes)"#
        let error = try loadError([("ia", "interaction", attributes, ["a", "b", "c"], ["v"])])
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("multiply past") == true, "\(String(describing: error))")
    }

    @Test func perceptronLayerSizesAreBounded() throws {
        for layers in ["[1e19, 2]", "[16777216, 16777216]", "[4, 0, 2]"] {
            let attributes = #""layers": {"type": "list", "long": \#(layers)}, "weights": {"type": "list", "double": [1.0]}"#
            let error = try loadError([("mlp", "multi_layer_perceptron_classifier", attributes, ["features"], ["prediction"])])
            #expect(error?.code == .modelCorrupt, "\(layers): \(String(describing: error))")
        }
    }

    @Test func polynomialExpansionWidthIsBoundedBeforeConversion() throws {
        // C(1000 + 1000, 1000) ≈ 2e600 is infinite as a Double: Int(...) trapped.
        let attributes = #""degree": {"long": 1000}, "input_size": {"long": 1000}"#
        let error = try loadError([("pe", "polynomial_expansion", attributes, ["v"], ["w"])])
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("monomials") == true, "\(String(describing: error))")
    }

    @Test func negativeLabelsLengthIsRefused() throws {
        // `0..<count` with a negative count trapped.
        let error = try loadError([("si", "string_indexer", #""labels_length": {"long": -1}"#, ["s"], ["i"])])
        #expect(error?.code == .modelCorrupt)
    }

    @Test func treeSplittingOnAFeatureOutsideTheVectorIsRefused() throws {
        let tree = #"{"type": "internal", "split": {"type": "continuous", "featureIndex": 7, "threshold": 0.5}}"# + "\n"
            + #"{"type": "leaf", "values": [1.0]}"# + "\n" + #"{"type": "leaf", "values": [2.0]}"# + "\n"
        let error = try loadError(
            [("dt", "decision_tree_regression", #""num_features": {"long": 3}"#, ["features"], ["prediction"])],
            files: ["root/dt.node/tree.json": tree])
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("feature 7") == true, "\(String(describing: error))")
    }

    @Test func treeEndingInsideASplitIsRefused() throws {
        let tree = #"{"type": "internal", "split": {"type": "continuous", "featureIndex": 0, "threshold": 0.5}}"# + "\n"
            + #"{"type": "leaf", "values": [1.0]}"# + "\n"
        let error = try loadError(
            [("dt", "decision_tree_regression", #""num_features": {"long": 3}"#, ["features"], ["prediction"])],
            files: ["root/dt.node/tree.json": tree])
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("ends inside the tree") == true, "\(String(describing: error))")
    }

    @Test func aModelJsonOfMillionsOfTinyValuesIsRefusedBeforeDecoding() throws {
        // 5 million zeros: 10 MB of text that decoded to ~270 MB before the count was checked.
        let zeros = Array(repeating: "0", count: 5_000_000).joined(separator: ",")
        let attributes = #""coefficients": {"type": "list", "double": [\#(zeros)]}, "intercept": {"double": 0.5}"#
        let error = try loadError([("lr", "linear_regression", attributes, ["features"], ["prediction"])])
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("JSON values; the limit is \(MLeapLimits.maxJSONValues)") == true,
                "\(String(describing: error))")
        // Commas inside strings are not values.
        #expect(JSONValue.valueCount(Data(#"{"a": "x,y,[z", "b": [1, 2]}"#.utf8)) == 5)
    }

    @Test func aTreeOneHundredThousandLevelsDeepLoadsWithoutRecursion() throws {
        // A left chain: each split sends x <= depth left; the build used to recurse once per level.
        let depth = 100_000
        var lines: [String] = []
        for level in 0..<depth {
            lines.append(#"{"type": "internal", "split": {"type": "continuous", "featureIndex": 0, "threshold": \#(depth - level)}}"#)
        }
        lines.append(#"{"type": "leaf", "values": [-1.0]}"#)
        // Right children in pre-order: the deepest split's first; each leaf holds its split's threshold.
        for threshold in 1...depth { lines.append(#"{"type": "leaf", "values": [\#(threshold)]}"#) }
        let url = try writeBundle([("dt", "decision_tree_regression", #""num_features": {"long": 1}"#, ["features"], ["prediction"])])
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(lines.joined(separator: "\n").utf8).write(to: url.appendingPathComponent("root/dt.node/tree.json"))
        let stage = try MLeapStage(name: "m", bundleURL: url, schema: nil)
        let block = VectorBlock(width: 1, storage: [0.5, 10.5, Double(depth) + 1])
        let out = try stage.transform(try Frame(columns: [.vectors("features", block)]))
        // 0.5 reaches the deepest leaf; 10.5 leaves the chain right at threshold 10; past the root, 100000.
        #expect(try out.require("prediction", stage: "m").scalarDoubles() == [-1, 10, Double(depth)])
    }
}
