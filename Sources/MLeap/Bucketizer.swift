import ConveyorCore
import Operators

/// Spark's Bucketizer: the index of the split interval [s_i, s_i+1) holding
/// the value (the last interval is closed). ±Infinity splits are written
/// as null. NaN follows handle_invalid (keep → an extra bucket, skip →
/// drop the row); a value outside the splits is always an error.
struct Bucketizer: NodeTransformer {
    let name: String
    let op = "bucketizer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let splits: [[Double]]
    let handleInvalid: HandleInvalid

    init(_ node: BundleNode) throws {
        let attrs = node.attributes
        guard attrs.has("splits") else {
            throw ConveyorError(
                .unsupportedModel,
                "MLeap node '\(node.name)' (bucketizer): only the single-column 'splits' layout is supported")
        }
        let raw = try attrs.doubles("splits")
        // null stands for -Infinity first and +Infinity last.
        let fixed = raw.enumerated().map { index, value -> Double in
            guard value.isNaN else { return value }
            return index == 0 ? -.infinity : .infinity
        }
        guard fixed.count >= 2, zip(fixed, fixed.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (bucketizer): splits are not increasing")
        }
        splits = [fixed]
        let io = try node.singleIO()
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .double)]
        handleInvalid = try attrs.handleInvalid()
    }

    var details: [Fact] {
        [Fact("buckets", "\(splits[0].count - 1)"), Fact("handle_invalid", handleInvalid.rawValue)]
    }

    func apply(to frame: inout Frame, stage: String) throws {
        let input = inputNames[0]
        let splits = self.splits[0]
        let values = try Inputs.doubles(frame, input, stage: stage)
        var out = [Double](repeating: 0, count: values.count)
        var keep: [Bool]?
        for row in 0..<values.count {
            let value = values[row]
            if value.isNaN {
                switch handleInvalid {
                case .keep: out[row] = Double(splits.count - 1)
                case .skip:
                    if keep == nil { keep = [Bool](repeating: true, count: values.count) }
                    keep?[row] = false
                case .error:
                    throw invalid(
                        "missing or NaN value in column '\(input)' (bucketizer handle_invalid=error)", frame,
                        row: row, column: input, stage: stage)
                }
                continue
            }
            guard value >= splits[0], value <= splits[splits.count - 1] else {
                throw invalid(
                    "value \(value) is outside the bucketizer bounds [\(splits[0]), \(splits[splits.count - 1])]",
                    frame, row: row, column: input, stage: stage)
            }
            out[row] = Double(Self.bucket(value, splits))
        }
        try frame.put(.doubles(outputs[0].name, out))
        if let keep { frame = frame.filtered(keeping: keep) }
    }

    /// Binary search for the interval; the top split belongs to the last bucket.
    static func bucket(_ value: Double, _ splits: [Double]) -> Int {
        if value == splits[splits.count - 1] { return splits.count - 2 }
        var low = 0
        var high = splits.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if value < splits[mid] { high = mid } else { low = mid }
        }
        return low
    }
}
