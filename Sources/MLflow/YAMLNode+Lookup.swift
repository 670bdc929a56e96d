import ConveyorCore
import Yams

/// Key lookups in a composed YAML tree that compare scalar keys only, so a
/// hostile file's aliased structures are never walked or compared.
extension Node {
    func value(_ key: String) -> Node? {
        guard case .mapping(let mapping) = self else { return nil }
        for (candidate, value) in mapping {
            if case .scalar(let scalar) = candidate, scalar.string == key { return value }
        }
        return nil
    }

    /// A plain scalar's text (`null`, `~` and empty read as nil).
    var text: String? {
        guard case .scalar(let scalar) = self else { return nil }
        if scalar.style == .plain, ["", "null", "Null", "NULL", "~"].contains(scalar.string) { return nil }
        return scalar.string
    }

    /// The keys of a mapping that are scalars, in file order.
    var keys: [String] {
        guard case .mapping(let mapping) = self else { return [] }
        return mapping.keys.compactMap { key in
            if case .scalar(let scalar) = key { return scalar.string }
            return nil
        }
    }
}
