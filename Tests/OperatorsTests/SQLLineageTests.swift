import ConveyorCore
import Operators
import Testing

/// What explanations see through a SQLTransformer: computed columns come
/// from the columns they read, plain ones keep their slots.
@Suite struct SQLLineageTests {
    @Test func selectItemsDeriveFromTheColumnsTheyRead() throws {
        let sql = try SQLTransform(statement: "SELECT a + b AS s, c AS d, v AS w, 2 AS k, log(c) * a AS m FROM __THIS__", ansi: true)
        let frame = try Frame(columns: [
            .doubles("a", [1, 2]), .doubles("b", [3, 4]), .doubles("c", [5, 6]),
            .vectors("v", VectorBlock(width: 2, storage: [1, 2, 3, 4], rows: 2)),
        ])
        var lineage = Lineage()
        lineage.derive("c", from: ["x", "y"])  // c itself came from x and y earlier
        let output = try sql.transform(frame, stage: "sql")
        try sql.trace(&lineage, output: output)
        #expect(lineage.origins(of: "s") == ["a", "b"])
        #expect(lineage.origins(of: "d") == ["x", "y"])
        #expect(lineage.origins(of: "w", width: 2) == [["v[0]"], ["v[1]"]])
        #expect(lineage.origins(of: "k").isEmpty)
        #expect(lineage.origins(of: "m") == ["a", "x", "y"])
    }
}
