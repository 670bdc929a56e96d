import ConveyorCore
import Foundation

/// Reads the XGBoost conformance fixtures (Tests/Fixtures/xgboost) as frames.
enum StageFixtures {
    /// Repository root: three levels up from this file.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ version: String, _ file: String) -> URL {
        root.appendingPathComponent("Tests/Fixtures/xgboost/\(version)/\(file)")
    }

    /// A file of the objectives fixtures (Tests/Fixtures/xgboost-objectives),
    /// as a version path relative to the conformance fixtures.
    static func objectives(_ version: String) -> String { "../xgboost-objectives/\(version)" }

    struct BadField: Error, CustomStringConvertible {
        let file: String
        let line: Int
        let field: String
        var description: String { "\(file) line \(line): \"\(field)\" is not a number" }
    }

    /// A fixture CSV: no header, an empty field is NaN, any other text that is
    /// not a number is an error (never NaN).
    static func csv(_ version: String, _ file: String) throws -> [[Double]] {
        let text = try String(contentsOf: url(version, file), encoding: .utf8)
        return try text.split(whereSeparator: \.isNewline).enumerated().map { index, line in
            try line.split(separator: ",", omittingEmptySubsequences: false).map { field in
                if field.isEmpty { return .nan }
                guard let value = Double(field) else { throw BadField(file: file, line: index + 1, field: String(field)) }
                return value
            }
        }
    }

    /// An input CSV as a frame with one vector column.
    static func frame(_ version: String, _ file: String, column: String = "features") throws -> Frame {
        let rows = try csv(version, file)
        let block = VectorBlock(width: rows[0].count, storage: rows.flatMap { $0 })
        return try Frame(columns: [Column.vectors(column, block)])
    }

    static func doubles(_ column: Column?) -> [Double] {
        guard let column else { return [] }
        switch column.values {
        case .double(let values): return values
        case .vector(let block): return block.storage
        default: return []
        }
    }
}
