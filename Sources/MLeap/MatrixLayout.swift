import Archives
import ConveyorCore
import Foundation

/// The order of a `[rows × cols]` tensor's values in a bundle. Spark's and
/// MLeap's Scala writers store Spark matrices column-major (`Matrix.toArray`)
/// and MLeap's Scala runtime reads them back with `Matrices.dense(rows,
/// cols, values)`. mleap's Python (scikit-learn) writer stores numpy's
/// `flatten()`, i.e. row-major, under the same attribute and shape, so the
/// values alone cannot tell; the writer can: Python's serializer always
/// indents JSON by 3 spaces (`json.dump(indent=3)`), Scala's by 2 or not at
/// all. MLeap's Scala runtime ignores this and mispredicts Python-written
/// multinomial models (training/sklearn_models.py measures it).
enum MatrixLayout: String, Sendable {
    case columnMajor = "column-major (Spark/MLeap Scala writer)"
    case rowMajor = "row-major (mleap Python writer)"

    /// The layout of a matrix in `files/model.json`, or an error when the
    /// writer is not recognised and the layouts differ (rows > 1 and cols > 1).
    static func of(_ files: FileTree, rows: Int, cols: Int, node: String, op: String) throws -> MatrixLayout {
        guard rows > 1, cols > 1 else { return .columnMajor }  // both orders coincide
        let data = try files.require("model.json")
        if let format = writerIndent(data) {
            switch format {
            case 3: return .rowMajor
            case 0, 2: return .columnMajor
            default: break
            }
        }
        throw ConveyorError(
            .unsupportedModel,
            "MLeap node '\(node)' (\(op)): cannot tell whether its \(rows)×\(cols) matrix is row-major "
                + "(mleap's Python writer) or column-major (Spark/MLeap Scala writer): model.json is laid out "
                + "by neither; re-export the bundle unmodified")
    }

    /// Indentation of the first indented line (0 for compact JSON without
    /// spaces after separators, Scala's `compactPrint`); nil when unknown.
    static func writerIndent(_ data: Data) -> Int? {
        guard let newline = data.firstIndex(of: UInt8(ascii: "\n")) else {
            // Compact: Scala writes `{"op":`, Python's json.dump without indent `{"op": `.
            return data.firstRange(of: Data("\":".utf8)).map { range in
                range.upperBound < data.endIndex && data[range.upperBound] == UInt8(ascii: " ") ? nil : 0
            } ?? nil
        }
        var count = 0
        var index = data.index(after: newline)
        while index < data.endIndex, data[index] == UInt8(ascii: " ") {
            count += 1
            index = data.index(after: index)
        }
        return count
    }

    /// `values` as a row-major `[rows][cols]` array.
    func rowMajor(_ values: [Double], rows: Int, cols: Int) -> [Double] {
        guard self == .columnMajor else { return values }
        var out = [Double](repeating: 0, count: values.count)
        for r in 0..<rows {
            for c in 0..<cols { out[r * cols + c] = values[c * rows + r] }
        }
        return out
    }
}
