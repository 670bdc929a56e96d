import ConveyorCore
import Foundation

/// A model's `input_example.json`, whatever layout MLflow saved it in,
/// rewritten as one `application/json` request body that Conveyor's own
/// decoder reads (`{"instances": [row, …]}`), so the example is checked by
/// the same code as a real request.
public struct MLflowInputExample: Sendable, Equatable {
    /// The file it came from.
    public var url: URL
    /// `split`, `records`, `columns`, `rows` or `single row`: how the file laid the rows out.
    public var layout: String
    public var rowCount: Int
    /// `{"instances": [...]}`: rows as objects keyed by column, or as lists in signature order.
    public var body: [UInt8]

    init(url: URL, inputs: [ColumnSpec]) throws {
        self.url = url
        let data = try BoundedJSON.readFile(url, limit: MLflowLimits.maxExampleBytes, what: "input example")
        var document = try BoundedJSON.parse(data, what: "input example \(url.lastPathComponent)")
        // The serving layouts (serving_input_example.json, or an example saved that way).
        if let object = document as? [String: Any], object.count == 1,
           let key = ["dataframe_split", "dataframe_records", "inputs", "instances"].first(where: { object[$0] != nil }),
           let inner = object[key] {
            document = inner
        }
        let rows: [Any]
        (rows, layout) = try Self.rows(of: document, inputs: inputs)
        guard !rows.isEmpty else { throw ConveyorError(.modelCorrupt, "input example \(url.path) has no rows") }
        guard rows.count <= MLflowLimits.maxExampleRows else {
            throw ConveyorError(.modelCorrupt, "input example \(url.path) has \(rows.count) rows; the limit is \(MLflowLimits.maxExampleRows)")
        }
        rowCount = rows.count
        do {
            body = Array(try JSONSerialization.data(withJSONObject: ["instances": rows], options: [.sortedKeys]))
        } catch {
            throw ConveyorError(.modelCorrupt, "input example \(url.path) cannot be rewritten as JSON rows: \(error)")
        }
    }

    /// The rows, each an object or a list, and the layout's name.
    static func rows(of document: Any, inputs: [ColumnSpec]) throws -> ([Any], String) {
        let scalarsOnly = inputs.allSatisfy { $0.type.shape == .scalar }
        if let object = document as? [String: Any] {
            if let names = object["columns"] as? [String], let data = object["data"] as? [[Any]] {
                // pandas orient='split' (MLflow's default for DataFrames).
                let rows = try data.enumerated().map { index, row -> [String: Any] in
                    guard row.count == names.count else {
                        throw ConveyorError(.modelCorrupt, "input example row \(index + 1) has \(row.count) values for \(names.count) columns")
                    }
                    return Dictionary(zip(names, row), uniquingKeysWith: { first, _ in first })
                }
                return (rows, "split")
            }
            let lists = object.values.compactMap { $0 as? [Any] }
            if scalarsOnly, !object.isEmpty, lists.count == object.count, Set(lists.map(\.count)).count == 1 {
                // pandas orient='list' or a dict of columns: one list per column.
                let count = lists[0].count
                let rows = (0..<count).map { index in object.mapValues { ($0 as? [Any])?[index] ?? NSNull() } }
                return (rows, "columns")
            }
            return ([object], "single row")
        }
        if let list = document as? [Any] {
            if list.allSatisfy({ $0 is [String: Any] }) { return (list, "records") }
            if list.allSatisfy({ $0 is [Any] }) { return (list, "rows") }
            // A flat list: one row of a lone vector input, or one value per row of a lone scalar.
            if inputs.count == 1, scalarsOnly { return (list.map { [$0] }, "values") }
            return ([list], "single row")
        }
        // A bare scalar: one row of a lone scalar input.
        return ([[document]], "single row")
    }
}
