import ConveyorCore
import Foundation

/// Spark's DCT: the orthonormal DCT-II (or, with `inverse`, DCT-III) of
/// the vector, as JTransforms computes it with scaling. A null vector stays
/// null. Over more than 2 values an infinite value is refused: JTransforms'
/// FFT (Spark's and MLeap's) turns it into NaN in some outputs and ±∞ in
/// others, which a direct sum does not reproduce (over 2 values both give
/// ±∞; NaN spreads to every output either way).
public struct DCT: Kernel {
    public let input: String
    public let output: String
    public let width: Int
    public let inverse: Bool
    /// basis[k * width + n] = s_k cos(π/N (n + ½) k).
    let basis: [Double]

    /// The basis is width² doubles.
    public static let maxWidth = 4096

    /// Nil when the width is not in 1...maxWidth.
    public init?(input: String, output: String, width: Int, inverse: Bool) {
        guard width > 0, width <= Self.maxWidth else { return nil }
        var basis = [Double](repeating: 0, count: width * width)
        let n = Double(width)
        for k in 0..<width {
            let scale = k == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
            for i in 0..<width { basis[k * width + i] = scale * Self.cosine((2 * i + 1) * k, quarter: width) }
        }
        self.input = input
        self.output = output
        self.width = width
        self.inverse = inverse
        self.basis = basis
    }

    /// cos(m · π / (2N)), reduced to the first quadrant in integers so that
    /// mathematically opposite basis values are exactly opposite (equal
    /// inputs then cancel to 0, as in Spark's JTransforms DCT).
    static func cosine(_ m: Int, quarter n: Int) -> Double {
        var m = m % (4 * n)
        if m > 2 * n { m = 4 * n - m }
        var sign = 1.0
        if m > n { sign = -1; m = 2 * n - m }
        if m == n { return 0 }
        return sign * cos(Double(m) * Double.pi / Double(2 * n))
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, input, width: width, stage: stage)
        if width > 2, let index = block.storage.firstIndex(where: { $0.isInfinite }) {
            throw invalidRow("DCT of an infinite value is not reproduced (Spark's FFT gives NaN in some outputs)", frame,
                             row: index / width, column: input, stage: stage)
        }
        let w = width
        var out = VectorBlock(width: w, rows: block.rowCount)
        block.storage.withUnsafeBufferPointer { x in
            basis.withUnsafeBufferPointer { b in
                for row in 0..<block.rowCount {
                    for o in 0..<w {
                        var sum = 0.0
                        for i in 0..<w { sum += (inverse ? b[i * w + o] : b[o * w + i]) * x[row * w + i] }
                        out.storage[row * w + o] = sum
                    }
                }
            }
        }
        try frame.put(Column(name: output, type: .vector(w), values: .vector(out), nulls: nulls))
    }
}
