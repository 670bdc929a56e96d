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
}
