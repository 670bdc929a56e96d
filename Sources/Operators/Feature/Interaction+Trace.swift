import ConveyorCore

extension Interaction: Traceable {
    /// Each output slot is the product of one encoded slot per input (a
    /// numeric element, or one category of a nominal one): it comes from
    /// the union of those elements' columns, the group an explanation
    /// reports as one attribution.
    public func trace(_ lineage: inout Lineage, output frame: Frame) throws {
        // Per input, the columns behind each encoded slot.
        let encoded: [[Set<String>]] = inputs.indices.map { input in
            let elements = lineage.origins(of: inputs[input], width: cardinalities[input].count)
            var slots: [Set<String>] = []
            slots.reserveCapacity(encodedWidths[input])
            for (element, cardinality) in cardinalities[input].enumerated() {
                slots.append(contentsOf: repeatElement(elements[element], count: max(cardinality, 1)))
            }
            return slots
        }
        var slots = [Set<String>](repeating: [], count: width)
        for index in 0..<width {
            // Row-major over the inputs: the last varies fastest.
            var rest = index
            for input in inputs.indices.reversed() {
                slots[index].formUnion(encoded[input][rest % encodedWidths[input]])
                rest /= encodedWidths[input]
            }
        }
        lineage.derive(output, slots: slots)
    }
}
