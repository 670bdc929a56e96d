import ConveyorCore
import Foundation

/// Spark's Normalizer: divides each vector by its p-norm (p = ∞: max |x|);
/// a zero vector stays as it is, a null vector null.
public struct Normalizer: Kernel {
    public let input: String
    public let output: String
    public let p: Double
    public let width: Int?

    /// Nil when p is below 1 (not a norm).
    public init?(input: String, output: String, p: Double, width: Int? = nil) {
        guard p >= 1 else { return nil }
        self.input = input
        self.output = output
        self.p = p
        self.width = width
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        var (block, nulls) = try Inputs.vectors(frame, input, width: width, stage: stage)
        let w = block.width
        let rows = block.rowCount
        let p = self.p
        block.storage.withUnsafeMutableBufferPointer { x in
            for row in 0..<rows {
                let range = (row * w)..<((row + 1) * w)
                var norm = 0.0
                if p == .infinity {
                    // Spark's Vectors.norm keeps the largest |x| with `value > max`, which a NaN never
                    // passes: NaN is skipped for the norm (and stays NaN in the output).
                    for i in range where !x[i].isNaN && abs(x[i]) > norm { norm = abs(x[i]) }
                } else if p == 1 {
                    for i in range { norm += abs(x[i]) }
                } else if p == 2 {
                    for i in range { norm += x[i] * x[i] }
                    norm = norm.squareRoot()
                } else {
                    for i in range { norm += pow(abs(x[i]), p) }
                    norm = pow(norm, 1 / p)
                }
                if norm != 0 { for i in range { x[i] /= norm } }
            }
        }
        try frame.put(Column(name: output, type: .vector(w), values: .vector(block), nulls: nulls))
    }
}
