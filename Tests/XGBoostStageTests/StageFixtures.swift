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

    /// A fixture CSV: no header, an empty field is NaN.
    static func csv(_ version: String, _ file: String) throws -> [[Double]] {
        let text = try String(contentsOf: url(version, file), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { $0.isEmpty ? .nan : Double($0)! }
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
