import ConveyorCore
import Testing

@Suite struct StringListsTests {
    static func rows(_ lists: StringLists) -> [[String]] { (0..<lists.rowCount).map { Array(lists.row($0)) } }

    @Test func storesRowsContiguously() {
        let lists = StringLists([["a", "b"], [], ["c"]])
        #expect(lists.elements == ["a", "b", "c"])
        #expect(lists.offsets == [0, 2, 2, 3])
        #expect(Self.rows(lists) == [["a", "b"], [], ["c"]])
    }

    @Test func filteringAndConcatenatingKeepRows() throws {
        let column = Column.stringLists("w", StringLists([["a"], ["b", "c"], []]), nulls: [false, false, true])
        let kept = column.filtered(keeping: [false, true, true])
        guard case .stringLists(let lists) = kept.values else { return #expect(Bool(false)) }
        #expect(Self.rows(lists) == [["b", "c"], []])
        #expect(kept.nulls == [false, true])

        let frame = try Frame(concatenating: [try Frame(columns: [column]), try Frame(columns: [kept])])
        guard case .stringLists(let all)? = frame.column("w")?.values else { return #expect(Bool(false)) }
        #expect(Self.rows(all) == [["a"], ["b", "c"], [], ["b", "c"], []])
        #expect(frame.column("w")?.nulls == [false, false, true, false, true])
    }

    @Test func listsAreNotNumbers() {
        let column = Column.stringLists("w", StringLists([["1"]]))
        #expect(throws: ConveyorError.self) { try column.scalarDoubles() }
        #expect(column.optionalStrings() == ["[\"1\"]"])
    }
}
