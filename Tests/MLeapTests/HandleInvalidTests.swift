import ConveyorCore
import Foundation
import Testing

@testable import MLeap

/// Spark's handle_invalid semantics on small bundles written here; the
/// expected values follow Spark's documented behaviour.
@Suite struct HandleInvalidTests {
    func indexerBundle(_ mode: String, encoder: String = #""size": {"long": 3}, "drop_last": {"boolean": false}"#)
        throws -> MLeapStage
    {
        let url = try writeBundle([
            ("idx", "string_indexer",
             #""labels": {"type": "list", "string": ["a", "b", "c"]}, "handle_invalid": {"string": "\#(mode)"}"#,
             ["color"], ["color_index"]),
            ("ohe", "one_hot_encoder", encoder, ["color_index"], ["color_vec"]),
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        return try MLeapStage(name: "prep", bundleURL: url, schema: nil)
    }

    let input = try! Frame(columns: [.strings("color", ["b", "zzz", "a", ""], nulls: [false, false, false, true])])

    @Test func stringIndexerErrorNamesRowColumnAndValue() throws {
        let stage = try indexerBundle("error")
        let error = conveyorError { _ = try stage.transform(input) }
        #expect(error?.code == .invalidInput)
        #expect(error?.row == 2)
        #expect(error?.column == "color")
        #expect(error?.stage == "prep")
        #expect(error?.message == "unseen label 'zzz' in column 'color' (handle_invalid=error)")
    }

    @Test func stringIndexerKeepUsesExtraIndex() throws {
        let stage = try indexerBundle(
            "keep", encoder: #""category_sizes": {"type": "list", "int": [3]}, "drop_last": {"boolean": false}, "handle_invalid": {"string": "keep"}"#)
        #expect(stage.outputs == [ColumnSpec("color_vec", .vector(4))])
        let out = try stage.transformAll(input)
        #expect(try #require(out.column("color_index")).scalarDoubles() == [1, 3, 0, 3])
        #expect(try vectorRow(out, "color_vec", 1) == [0, 0, 0, 1])
        #expect(try vectorRow(out, "color_vec", 2) == [1, 0, 0, 0])
    }

    @Test func stringIndexerSkipDropsRowsAndKeepsRowNumbers() throws {
        let stage = try indexerBundle("skip")
        let out = try stage.transform(input)
        #expect(out.rowCount == 2)
        #expect(out.rowNumbers == [0, 2])
        #expect(try vectorRow(out, "color_vec", 0) == [0, 1, 0])
        #expect(try vectorRow(out, "color_vec", 1) == [1, 0, 0])
    }

    func encoder(_ attributes: String) throws -> MLeapStage {
        let url = try writeBundle([("ohe", "one_hot_encoder", attributes, ["i"], ["v"])])
        defer { try? FileManager.default.removeItem(at: url) }
        return try MLeapStage(name: "ohe", bundleURL: url, schema: nil)
    }

    let indexes = try! Frame(columns: [.doubles("i", [0, 2, 5])])

    @Test func oneHotCategorySizesDropLastAndError() throws {
        let stage = try encoder(#""category_sizes": {"type": "list", "int": [3]}, "drop_last": {"boolean": true}"#)
        #expect(stage.outputs == [ColumnSpec("v", .vector(2))])
        let error = conveyorError { _ = try stage.transform(indexes) }
        #expect(error?.row == 3)
        #expect(error?.message.contains("handle_invalid=error") == true)
        let out = try stage.transform(try Frame(columns: [.doubles("i", [0, 2])]))
        #expect(try vectorRow(out, "v", 0) == [1, 0])
        #expect(try vectorRow(out, "v", 1) == [0, 0])
    }

    @Test func oneHotKeepWithDropLastHasNoExtraSlot() throws {
        let stage = try encoder(
            #""category_sizes": {"type": "list", "int": [3]}, "drop_last": {"boolean": true}, "handle_invalid": {"string": "keep"}"#)
        #expect(stage.outputs == [ColumnSpec("v", .vector(3))])
        let out = try stage.transform(indexes)
        #expect(try vectorRow(out, "v", 2) == [0, 0, 0])
    }

    @Test func oneHotSkipDropsRow() throws {
        let stage = try encoder(
            #""category_sizes": {"type": "list", "int": [3]}, "drop_last": {}, "handle_invalid": {"string": "skip"}"#)
        let out = try stage.transform(indexes)
        #expect(out.rowNumbers == [0, 1])
        #expect(try vectorRow(out, "v", 1) == [0, 0, 1])
    }

    @Test func oldSparkSizeLayoutTreatsIndexSizeAsDroppedCategory() throws {
        // Spark ≤ 0.11: 3 categories, drop_last → size 2; index 2 is valid and all zeros.
        let stage = try encoder(#""size": {"long": 2}, "drop_last": {"boolean": true}"#)
        let out = try stage.transform(try Frame(columns: [.doubles("i", [1, 2])]))
        #expect(try vectorRow(out, "v", 0) == [0, 1])
        #expect(try vectorRow(out, "v", 1) == [0, 0])
    }
}
