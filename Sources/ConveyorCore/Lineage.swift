/// Which input columns each slot of a frame's columns derives from, as
/// stages that can say so record it: explanations add a model's per-slot
/// attributions back up onto the columns the caller sent (a one-hot slot
/// onto its string column). A column nobody derived is an input: it derives
/// from itself, and a vector the caller sent slot by slot from its own
/// slots, named `column[i]`, so that a model fed the caller's feature
/// vector is explained feature by feature.
public struct Lineage: Sendable, Equatable {
    public enum Origin: Sendable, Equatable {
        /// Every slot derives from these columns.
        case whole(Set<String>)
        /// Slot by slot.
        case slots([Set<String>])
    }

    private var derived: [String: Origin] = [:]

    public init() {}

    /// The columns any slot of `column` derives from.
    public func origins(of column: String) -> Set<String> {
        switch derived[column] {
        case nil: return [column]
        case .whole(let set): return set
        case .slots(let slots): return slots.reduce(into: Set()) { $0.formUnion($1) }
        }
    }

    /// The columns each of `width` slots of `column` derives from. Slots
    /// recorded for another width count as the whole column.
    public func origins(of column: String, width: Int) -> [Set<String>] {
        switch derived[column] {
        case .slots(let slots) where slots.count == width: return slots
        case nil where width > 1: return (0..<width).map { ["\(column)[\($0)]"] }
        case .whole(let set): return [Set<String>](repeating: set, count: width)
        case nil: return [Set<String>](repeating: [column], count: width)
        case .slots: return [Set<String>](repeating: origins(of: column), count: width)
        }
    }

    /// Records that every slot of `column` derives from `sources`.
    public mutating func derive(_ column: String, from sources: Set<String>) {
        derived[column] = .whole(sources)
    }

    /// Records where each slot of `column` comes from.
    public mutating func derive(_ column: String, slots: [Set<String>]) {
        derived[column] = .slots(slots)
    }

    /// Slots per row of a column: a vector's width, else one.
    public static func width(of column: Column) -> Int {
        if case .vector(let block) = column.values { return block.width }
        return 1
    }
}
