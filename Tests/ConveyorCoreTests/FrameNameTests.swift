import Testing
@testable import ConveyorCore

/// `Frame.Name` (a column name hashed once) finds, adds and selects the
/// same columns as the plain names do, and fails the same way.
@Suite struct FrameNameTests {
    @Test func putByNameReplacesAndAppendsAsPutDoes() throws {
        var frame = try Frame(columns: [.doubles("x", [1, 2]), .strings("s", ["a", "b"])])
        try frame.put(.doubles("x", [5, 6]), as: Frame.Name("x"))
        try frame.put(.doubles("y", [7, 8]), as: Frame.Name("y"))
        #expect(frame.columnNames == ["x", "s", "y"])
        #expect(frame.column("x")?.values == .double([5, 6]))
        #expect(frame.index(of: Frame.Name("y")) == 2)
        // Found afterwards by the plain name too: the same keys.
        #expect(frame.index(of: "y") == 2)
        #expect(throws: ConveyorError.self) { try frame.put(.doubles("z", [1]), as: Frame.Name("z")) }
    }

    @Test func containsAnyOfANameSetChecksEveryColumn() throws {
        let frame = try Frame(columns: [.doubles("x", [1]), .strings("s", ["a"]), .doubles("é", [2])])
        #expect(frame.containsAny(of: Frame.NameSet(["q", "é"])), "the last column")
        #expect(frame.containsAny(of: Frame.NameSet(["x"])), "the first column")
        #expect(!frame.containsAny(of: Frame.NameSet(["X", "e", "ss", "s "])))
        #expect(!frame.containsAny(of: Frame.NameSet([])))
        #expect(!Frame(rowCount: 1).containsAny(of: Frame.NameSet(["x"])))
    }

    @Test func requireAndSelectingByNameMatchThePlainNames() throws {
        let frame = try Frame(columns: [.doubles("x", [1]), .strings("s", ["a"]), .doubles("é", [2])])
        #expect(try frame.require(Frame.Name("s")) == frame.require("s"))
        let byName = try frame.selecting([Frame.Name("é"), Frame.Name("x")])
        #expect(byName.columns == [.doubles("é", [2]), .doubles("x", [1])])
        #expect(byName.columnNames == ["é", "x"])
        #expect(byName.index(of: "x") == 1)
        let missing = #expect(throws: ConveyorError.self) { try frame.require(Frame.Name("nope"), stage: "st") }
        #expect(missing?.message.contains("missing column 'nope'") == true)
        #expect(missing?.message.contains("'x', 's', 'é'") == true)
        #expect(throws: ConveyorError.self) { try frame.selecting([Frame.Name("x"), Frame.Name("nope")]) }
    }
}
