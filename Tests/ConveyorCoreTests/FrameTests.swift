import Testing
@testable import ConveyorCore

@Suite struct FrameTests {
    @Test func filteringKeepsOriginalRowNumbers() throws {
        let frame = try Frame(columns: [
            .doubles("x", [1, 2, 3, 4]),
            .strings("s", ["a", "b", "c", "d"], nulls: [false, true, false, false]),
            .vectors("v", VectorBlock(width: 2, storage: [1, 1, 2, 2, 3, 3, 4, 4])),
        ])
        let kept = frame.filtered(keeping: [true, false, false, true])
        #expect(kept.rowCount == 2)
        #expect(kept.rowNumbers == [0, 3])
        #expect(kept.inputRow(1) == 4)
        #expect(kept.column("x")?.values == .double([1, 4]))
        #expect(kept.column("s")?.nulls == nil, "the only null was dropped")
        #expect(kept.column("v")?.values == .vector(VectorBlock(width: 2, storage: [1, 1, 4, 4])))
    }

    @Test func putReplacesByNameAndChecksLength() throws {
        var frame = try Frame(columns: [.doubles("x", [1, 2])])
        try frame.put(.doubles("x", [5, 6]))
        #expect(frame.columnNames == ["x"])
        #expect(frame.column("x")?.values == .double([5, 6]))
        #expect(throws: ConveyorError.self) { try frame.put(.doubles("y", [1])) }
    }

    @Test func requireNamesTheMissingColumn() throws {
        let frame = try Frame(columns: [.doubles("x", [1])])
        #expect {
            _ = try frame.require("y", stage: "s")
        } throws: { error in
            let error = error as! ConveyorError
            return error.stage == "s" && error.column == "y" && error.message.contains("'x'")
        }
    }

    /// Looked for at a position first, by name otherwise: the same column
    /// either way, and the same error when there is none.
    @Test func requireAtAPositionFindsTheNamedColumnAnywhere() throws {
        let frame = try Frame(columns: [.doubles("x", [1]), .doubles("y", [2])])
        #expect(try frame.require("y", at: 1).values == .double([2]))
        #expect(try frame.require("y", at: 0).values == .double([2]), "not at that place: found by name")
        #expect(try frame.require("x", at: 7).values == .double([1]), "past the end: found by name")
        #expect {
            _ = try frame.require("z", at: 0, stage: "s")
        } throws: { error in
            let error = error as! ConveyorError
            return error.stage == "s" && error.column == "z" && error.message.contains("'x', 'y'")
        }
    }

    /// `nulls` keeps an array only when some row is null.
    @Test func nullsWithoutANullAreNil() {
        #expect(Column.doubles("x", [1, 2], nulls: [false, false]).nulls == nil)
        #expect(Column.doubles("x", [1, 2], nulls: [false, true]).nulls == [false, true])
        #expect(Column(name: "x", type: .double, values: .double([1])).nulls == nil)
    }

    @Test func widthZeroVectorsKeepTheirRows() {
        let block = VectorBlock(width: 0, rows: 3)
        #expect(block.rowCount == 3)
        #expect(block.filtered(keeping: [true, false, true]).rowCount == 2)
    }

    @Test func concatenationStacksRowsAndNulls() throws {
        let a = try Frame(columns: [.doubles("x", [1]), .strings("s", ["a"])])
        let b = try Frame(columns: [.doubles("x", [2, 3]), .strings("s", ["", "c"], nulls: [true, false])])
        let both = try Frame(concatenating: [a, b])
        #expect(both.rowCount == 3)
        #expect(both.column("x")?.values == .double([1, 2, 3]))
        #expect(both.column("s")?.nulls == [false, true, false])
    }

    @Test func scalarDoublesTurnNullsIntoNaN() throws {
        let column = Column(name: "n", type: ColumnType(.long), values: .int([1, 0, 3]), nulls: [false, true, false])
        let doubles = try column.scalarDoubles()
        #expect(doubles[0] == 1 && doubles[1].isNaN && doubles[2] == 3)
        #expect(throws: ConveyorError.self) { _ = try Column.strings("s", ["a"]).scalarDoubles() }
    }

    @Test func errorDescriptionNamesWhereItHappened() {
        let error = ConveyorError(.invalidInput, "'abc' is not a number", stage: "features", row: 3, column: "age")
        #expect(error.description == "stage 'features', row 3, column 'age': 'abc' is not a number")
    }

    @Test func aLayoutBuildsTheFrameItNames() throws {
        #expect(Frame.Layout(names: ["a", "b", "a"]) == nil, "a repeated name has no layout")
        let layout = try #require(Frame.Layout(names: ["a", "b"]))
        let frame = try Frame(rowCount: 2, columns: [.doubles("a", [1, 2]), .strings("b", ["x", "y"])], layout: layout)
        #expect(frame.columnNames == ["a", "b"])
        #expect(frame.column("b")?.values == .string(["x", "y"]))
        #expect(frame.index(of: Frame.Name("b")) == 1)
        #expect(frame.index(of: Frame.Name("c")) == nil)
        #expect(throws: ConveyorError.self) {
            try Frame(rowCount: 3, columns: [.doubles("a", [1, 2]), .strings("b", ["x", "y"])], layout: layout)
        }
    }

    @Test func pruningKeepsTheInputsColumnsAndTheNamedAdditions() throws {
        let input = try Frame(columns: [.doubles("a", [1]), .doubles("b", [2])])
        let layout = input.layout
        // Added after the input's columns, one replaced in place: only `kept` is added.
        var grown = input
        try grown.put(.doubles("scratch", [3]))
        try grown.put(.doubles("b", [20]))
        try grown.put(.doubles("kept", [4]))
        let pruned = grown.pruned(to: layout, keeping: ["kept"])
        #expect(pruned.columnNames == ["a", "b", "kept"])
        #expect(pruned.column("b")?.values == .double([20]))
        // A stage that dropped one of the input's columns (a SQL SELECT): the rest by name.
        var reshaped = try Frame(columns: [.doubles("b", [2]), .doubles("scratch", [3]), .doubles("kept", [4])])
        reshaped = reshaped.pruned(to: layout, keeping: ["kept"])
        #expect(reshaped.columnNames == ["b", "kept"])
    }
}
