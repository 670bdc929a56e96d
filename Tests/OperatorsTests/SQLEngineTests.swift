import ConveyorCore
import Testing

@testable import Operators

/// Behaviour the catalogue's one-row runs do not reach: which row error a
/// batch reports, row numbers after WHERE, `*` with pass-through columns,
/// and the input types a statement suggests.
@Suite struct SQLEngineTests {
    static func frame(rows: Int, zeroAt: Int, textAt: Int) throws -> Frame {
        try Frame(columns: [
            Column(name: "i", type: ColumnType(.int), values: .int((0..<rows).map { Int64($0) })),
            Column(name: "j", type: ColumnType(.int), values: .int((0..<rows).map { $0 == zeroAt ? 0 : 1 })),
            .strings("s", (0..<rows).map { $0 == textAt ? "abc" : "\($0)" }),
            .vectors("v", VectorBlock(width: 2, storage: (0..<(2 * rows)).map(Double.init), rows: rows)),
        ])
    }

    /// Spark evaluates row by row, so its error is the first failing row's (leftmost item first),
    /// even when a later row fails in an earlier column.
    @Test func reportsTheFirstFailingRowAsSparkDoes() throws {
        let sql = try SQLTransform(statement: "SELECT CAST(s AS INT) AS n, i / j AS q FROM __THIS__", ansi: true)
        let late = try Self.frame(rows: 10_000, zeroAt: 7_000, textAt: 9_000)
        let error = try #require(throws: ConveyorError.self) { try sql.transform(late, stage: "sql") }
        #expect(error.row == 7_001 && error.column == "q" && error.message.contains("[DIVIDE_BY_ZERO]"), "\(error)")
        let early = try Self.frame(rows: 10_000, zeroAt: 9_000, textAt: 7_000)
        let other = try #require(throws: ConveyorError.self) { try sql.transform(early, stage: "sql") }
        #expect(other.row == 7_001 && other.column == "n" && other.message.contains("[CAST_INVALID_INPUT]"), "\(other)")
        // Legacy mode: nulls, no error.
        let legacy = try SQLTransform(statement: "SELECT CAST(s AS INT) AS n, i / j AS q FROM __THIS__", ansi: false)
        let out = try legacy.transform(late, stage: "sql")
        #expect(out.column("q")?.isNull(7_000) == true && out.column("n")?.isNull(9_000) == true)
        #expect(out.column("q")?.isNull(6_999) == false)
    }

    /// A WHERE clause drops rows; later errors still name the input row.
    @Test func whereKeepsInputRowNumbers() throws {
        let sql = try SQLTransform(statement: "SELECT i, i / j AS q, v FROM __THIS__ WHERE i >= 5", ansi: true)
        let frame = try Self.frame(rows: 10, zeroAt: 8, textAt: 99)
        let error = try #require(throws: ConveyorError.self) { try sql.transform(frame, stage: "sql") }
        #expect(error.row == 9 && error.column == "q", "\(error)")
        let ok = try sql.transform(try Self.frame(rows: 10, zeroAt: 2, textAt: 99), stage: "sql")
        #expect(ok.rowCount == 5 && ok.rowNumbers == [5, 6, 7, 8, 9])
        #expect(ok.columnNames == ["i", "q", "v"])
        guard case .vector(let block)? = ok.column("v")?.values else { Issue.record("v is not a vector"); return }
        #expect(Array(block.row(0)) == [10, 11])
    }

    /// A condition that skips a row also skips its errors (CASE, IF, AND, OR, COALESCE).
    @Test func untakenBranchesRaiseNothing() throws {
        let frame = try Self.frame(rows: 4, zeroAt: 2, textAt: 3)
        for statement in [
            "SELECT CASE WHEN j = 0 THEN -1 ELSE i / j END AS x FROM __THIS__",
            "SELECT IF(j <> 0, i div j, NULL) AS x FROM __THIS__",
            "SELECT j <> 0 AND i / j > 0 AS x FROM __THIS__",
            "SELECT j = 0 OR i / j > 0 AS x FROM __THIS__",
            "SELECT coalesce(CAST(NULL AS INT), CASE WHEN s = 'abc' THEN 0 ELSE CAST(s AS INT) END) AS x FROM __THIS__",
        ] {
            let sql = try SQLTransform(statement: statement, ansi: true)
            #expect(throws: Never.self, "\(statement)") { _ = try sql.transform(frame, stage: "sql") }
        }
    }

    @Test func selectStarKeepsFrameOrderAndAddsItems() throws {
        let sql = try SQLTransform(statement: "SELECT *, upper(s) AS u FROM __THIS__", ansi: true)
        let out = try sql.transform(try Self.frame(rows: 3, zeroAt: 9, textAt: 1), stage: "sql")
        #expect(out.columnNames == ["i", "j", "s", "v", "u"])
        #expect(out.column("u")?.values == .string(["0", "ABC", "2"]))
        #expect(try sql.outputs(given: ["i": ColumnType(.int), "s": .string]) == [ColumnSpec("u", .string)])
    }

    @Test func inputsAreTypedByTheirFirstUse() throws {
        let sql = try SQLTransform(statement: "SELECT a, lower(b) AS lb, c * 2 AS c2, d FROM __THIS__ WHERE e AND f = 'x'", ansi: true)
        #expect(sql.inputs == [ColumnSpec("a", .string), ColumnSpec("b", .string), ColumnSpec("c", .double),
                               ColumnSpec("d", .string), ColumnSpec("e", ColumnType(.boolean)), ColumnSpec("f", .string)])
    }
}

extension SQLEngineTests {
    /// The deepest statements the parser accepts (200 levels, nesting or operator chains) load and run.
    @Test func deepestAcceptedStatementsRun() throws {
        let frame = try Self.frame(rows: 3, zeroAt: 9, textAt: 9)
        let chain = "SELECT " + String(repeating: "i + ", count: 198) + "i AS x FROM __THIS__"
        let nested = "SELECT " + String(repeating: "abs(", count: 198) + "i" + String(repeating: ")", count: 198) + " AS x FROM __THIS__"
        let cases = "SELECT " + String(repeating: "CASE WHEN i > 0 THEN ", count: 99) + "i" + String(repeating: " ELSE 0 END", count: 99)
            + " AS x FROM __THIS__"
        for (statement, expected) in [(chain, [0, 199, 398]), (nested, [0, 1, 2]), (cases, [0, 1, 2])] as [(String, [Int64])] {
            let sql = try SQLTransform(statement: statement, ansi: true)
            let out = try sql.transform(frame, stage: "sql")
            #expect(out.column("x")?.values == .int(expected))
        }
    }
}
