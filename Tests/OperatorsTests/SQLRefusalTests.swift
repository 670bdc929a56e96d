import ConveyorCore
import Testing

@testable import Operators

/// What the SQL engine refuses at load, with the construct and its position
/// named in the message, and what it accepts of Spark's syntax.
@Suite struct SQLRefusalTests {
    static let types: [String: ColumnType] = ["i": ColumnType(.int), "d": .double, "s": .string, "b": ColumnType(.boolean),
                                              "v": .vector(3), "Mixed": .double]

    /// The load error for `statement` (parse, then type check), or nil when it loads.
    static func loadError(_ statement: String) -> ConveyorError? {
        do {
            _ = try SQLTransform(statement: statement, ansi: true).outputs(given: types)
            return nil
        } catch let error as ConveyorError {
            return error
        } catch {
            return ConveyorError(.internal, "\(error)")
        }
    }

    @Test(arguments: [
        ("SELECT a.i FROM __THIS__ a JOIN __THIS__ b ON a.i = b.i", "JOIN", 28),
        ("SELECT i FROM __THIS__, __THIS__ t2", "a second table in FROM (a join)", 23),
        ("SELECT count(*) AS n FROM __THIS__", "aggregate function 'count(*)'", 8),
        ("SELECT sum(d) AS n FROM __THIS__", "aggregate function 'sum'", 8),
        ("SELECT avg(d) AS n FROM __THIS__", "aggregate function 'avg'", 8),
        ("SELECT i FROM __THIS__ GROUP BY i", "GROUP BY (aggregation)", 24),
        ("SELECT i FROM __THIS__ HAVING i > 0", "HAVING", 24),
        ("SELECT row_number() OVER (ORDER BY i) AS r FROM __THIS__", "window function 'row_number(…) OVER'", 21),
        ("SELECT rank(i) AS r FROM __THIS__", "window function 'rank'", 8),
        ("SELECT i FROM (SELECT i FROM __THIS__)", "subquery in FROM", 15),
        ("SELECT (SELECT 1) AS x FROM __THIS__", "subquery", 9),
        ("SELECT i FROM __THIS__ WHERE i IN (SELECT i FROM __THIS__)", "subquery in IN", 36),
        ("SELECT DISTINCT i FROM __THIS__", "SELECT DISTINCT", 8),
        ("SELECT i FROM __THIS__ ORDER BY i", "ORDER BY", 24),
        ("SELECT i FROM __THIS__ LIMIT 3", "LIMIT", 24),
        ("SELECT i FROM __THIS__ UNION SELECT i FROM __THIS__", "UNION", 24),
        ("SELECT my_udf(i) AS x FROM __THIS__", "unknown or unsupported function 'my_udf'", 8),
        ("SELECT explode(split(s, ',')) AS x FROM __THIS__", "generator 'explode'", 8),
        ("SELECT i FROM other_table", "only FROM __THIS__ is supported", 15),
        ("WITH t AS (SELECT 1) SELECT * FROM t", "common table expressions (WITH)", 1),
        ("SELECT i + 1 FROM __THIS__", "needs an alias (AS name)", 10),
        ("SELECT i * 1.5 AS x FROM __THIS__", "decimal arithmetic", 10),
        ("SELECT CAST(d AS DECIMAL(10,2)) AS x FROM __THIS__", "CAST to DECIMAL with parameters", 18),
        ("SELECT CAST(d AS DATE) AS x FROM __THIS__", "CAST to DATE is not supported", 8),
        ("SELECT v + 1 AS x FROM __THIS__", "a vector<double>[3] column can only be selected as it is", 8),
        ("SELECT nope AS x FROM __THIS__", "unknown column 'nope'", 8),
        ("SELECT i AS x, d AS x FROM __THIS__", "the output column 'x' appears twice", 16),
        ("SELECT b + 1 AS x FROM __THIS__", "'+' needs numbers, found boolean", 10),
        ("SELECT i FROM __THIS__ WHERE i", "a boolean is needed, found int", 30),
        ("SELECT s LIKE 'a\\\\b' AS x FROM __THIS__", "invalid escape", 15),
        ("SELECT i & 1 AS x FROM __THIS__", "bitwise operator '&'", 10),
        ("SELECT NULL AS x FROM __THIS__", "CAST the NULL to a type", 8),
        ("SELECT regexp_replace(s, s, 'x') AS x FROM __THIS__", "string literal pattern", 8),
        ("SELECT split(s, '\\\\p{Lower}') AS x FROM __THIS__", "property classes", 8),
        ("SELECT 'unterminated AS x FROM __THIS__", "unterminated string literal", 8),
        ("SELECT i FROM __THIS__ WHERE", "expected an expression, found the end of the statement", 29),
    ] as [(String, String, Int)])
    func refusesWithConstructAndPosition(statement: String, construct: String, position: Int) throws {
        let error = try #require(Self.loadError(statement), "\(statement) loads")
        #expect(error.code == .unsupportedModel)
        #expect(error.message.contains(construct), "\(error.message)")
        #expect(error.message.contains("position \(position):"), "\(error.message)")
    }

    @Test func acceptsSparkSyntaxVariants() throws {
        for statement in [
            "select i as a, d b, `s` from __THIS__",
            "SELECT `Mixed` AS m, mixed AS m2, MIXED FROM __THIS__ t WHERE t.i > 0",
            "SELECT *, i + 1 AS j FROM __THIS__;",
            "SELECT __THIS__.i AS k /* comment */ FROM __THIS__ -- trailing",
            "SELECT v, s FROM __THIS__ WHERE NOT b OR s IS NULL",
        ] {
            #expect(Self.loadError(statement) == nil, "\(statement): \(Self.loadError(statement).map { "\($0)" } ?? "")")
        }
        let outputs = try SQLTransform(statement: "select i as a, d b, `s`, v FROM __THIS__", ansi: true).outputs(given: Self.types)
        #expect(outputs == [ColumnSpec("a", ColumnType(.int)), ColumnSpec("b", .double), ColumnSpec("s", .string),
                            ColumnSpec("v", .vector(3))])
        // A case-insensitive reference outputs the column's own name, as Spark does.
        let mixed = try SQLTransform(statement: "SELECT MIXED FROM __THIS__", ansi: true).outputs(given: Self.types)
        #expect(mixed == [ColumnSpec("Mixed", .double)])
    }

    @Test func hostileNestingIsRefusedNotACrash() {
        let deep = "SELECT " + String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000) + " AS x FROM __THIS__"
        #expect(Self.loadError(deep)?.message.contains("nested") == true)
        let negations = "SELECT " + String(repeating: "NOT ", count: 5_000) + "b AS x FROM __THIS__"
        #expect(Self.loadError(negations)?.message.contains("nested") == true)
        let chain = "SELECT " + String(repeating: "i + ", count: 10_000) + "i AS x FROM __THIS__"
        #expect(Self.loadError(chain)?.message.contains("nested") == true)
        let long = "SELECT " + String(repeating: "i + ", count: 20_000) + "i AS x FROM __THIS__"
        #expect(Self.loadError(long)?.message.contains("limit") == true)
    }
}
