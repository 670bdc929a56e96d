import ConveyorCore
import Synchronization

/// The lineage a pipeline's tracing stages record, kept per input shape.
/// Which input columns each model input comes from depends on the stages
/// and on the shape of the frame they are given (column names, kinds and
/// vector widths), never on its values; so once one request of a shape has
/// been traced, later ones only run the stages (`transform`, without the
/// tracing's bookkeeping) and reuse its lineage. A few shapes are kept: a
/// pipeline's requests nearly always have one.
final class LineageCache: Sendable {
    /// A frame's shape: its column names and, per column, a kind tag and width.
    struct Shape: Equatable, Sendable {
        let names: [String]
        let kinds: [Int]

        init(_ frame: Frame) {
            names = frame.columns.map(\.name)
            kinds = frame.columns.map { column in
                switch column.values {
                case .double: return -1
                case .int: return -2
                case .bool: return -3
                case .string: return -4
                case .stringLists: return -5
                case .vector(let block): return block.width
                }
            }
        }
    }

    private static let capacity = 8
    private let entries = Mutex<[(shape: Shape, lineage: Lineage)]>([])

    /// The lineage traced for frames of this shape, if one was.
    func lineage(for shape: Shape) -> Lineage? {
        entries.withLock { entries in entries.first { $0.shape == shape }?.lineage }
    }

    /// Keeps `lineage` for frames of `shape`, dropping the oldest shape when full.
    func store(_ lineage: Lineage, for shape: Shape) {
        entries.withLock { entries in
            guard !entries.contains(where: { $0.shape == shape }) else { return }
            if entries.count == Self.capacity { entries.removeFirst() }
            entries.append((shape, lineage))
        }
    }
}
