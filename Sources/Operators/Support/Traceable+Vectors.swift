import ConveyorCore

// Lineage of the vector-to-vector kernels. A kernel that moves or scales
// slots keeps each slot's origin; one whose every output slot mixes all
// input slots (PCA, DCT, Normalizer's norm) makes every output slot come
// from the whole group of columns its input came from; PolynomialExpansion
// gives each monomial the columns of its factors.

extension ElementwiseProduct: SlotwiseFromInput {}
extension VectorIndexer: SlotwiseFromInput {}

/// A kernel whose every output slot depends on every input slot.
public protocol MixesAllSlots: Traceable {
    var input: String { get }
    var output: String { get }
}

extension MixesAllSlots {
    public func trace(_ lineage: inout Lineage, output frame: Frame) throws {
        lineage.derive(output, from: lineage.origins(of: input))
    }
}

extension PCA: MixesAllSlots {}
extension DCT: MixesAllSlots {}
/// Each slot is divided by the norm of the whole vector.
extension Normalizer: MixesAllSlots {}

extension VectorSelect: Traceable {
    /// Output slot i is input slot `indices[i]`.
    public func trace(_ lineage: inout Lineage, output frame: Frame) throws {
        let width = Lineage.width(of: try frame.require(input))
        let slots = lineage.origins(of: input, width: width)
        lineage.derive(output, slots: indices.map { $0 < slots.count ? slots[$0] : lineage.origins(of: input) })
    }
}

extension PolynomialExpansion: Traceable {
    /// Monomial by monomial, the columns of its factors.
    public func trace(_ lineage: inout Lineage, output frame: Frame) throws {
        let slots = lineage.origins(of: input, width: inputWidth)
        lineage.derive(output, slots: monomialFactors().map { factors in
            factors.reduce(into: Set<String>()) { $0.formUnion(slots[$1]) }
        })
    }

    /// The input slots multiplied in each output slot, in the order `apply`
    /// writes them: the same recursion over positions, on sets of factors.
    func monomialFactors() -> [Set<Int>] {
        var out = [Set<Int>](repeating: [], count: outputWidth)
        func walk(_ last: Int, _ degree: Int, _ factors: Set<Int>, _ start: Int) -> Int {
            if degree == 0 || last < 0 {
                if start >= 0 { out[start] = factors }
            } else {
                var cursor = start
                for power in 0...degree {
                    cursor = walk(last - 1, degree - power, power > 0 ? factors.union([last]) : factors, cursor)
                }
            }
            return start + Int(Self.polySize(last + 1, degree).rounded())
        }
        _ = walk(inputWidth - 1, degree, [], -1)
        return out
    }
}

extension FeatureHasher: Traceable {
    /// A numeric column adds to the slot its name hashes to; a categorical,
    /// string or boolean one to a slot its value picks, so every slot may
    /// come from any of those.
    public func trace(_ lineage: inout Lineage, output frame: Frame) throws {
        var byValue = Set<String>()
        var slots = [Set<String>](repeating: [], count: numFeatures)
        for input in inputs {
            let column = try frame.require(input.name)
            switch column.values {
            case .int where !input.categorical, .double where !input.categorical:
                slots[Murmur3.index(of: input.name, features: numFeatures, version: version)]
                    .formUnion(lineage.origins(of: input.name))
            default:
                byValue.formUnion(lineage.origins(of: input.name))
            }
        }
        lineage.derive(output, slots: slots.map { $0.union(byValue) })
    }
}
