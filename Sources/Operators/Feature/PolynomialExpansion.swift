import ConveyorCore

/// Spark's PolynomialExpansion: every monomial of degree 1…d, in Spark's
/// order (the recursion over the last feature first). A null vector stays null.
public struct PolynomialExpansion: Kernel {
    public let input: String
    public let output: String
    public let degree: Int
    public let inputWidth: Int
    public let outputWidth: Int

    /// The expansion recurses once per input element.
    public static let maxInputWidth = 1024

    /// Nil when the degree is below 1, the input is wider than
    /// `maxInputWidth` or the output would be wider than `maxOutputWidth`.
    public init?(input: String, output: String, degree: Int, inputWidth: Int, maxOutputWidth: Int) {
        guard degree >= 1, inputWidth >= 0, inputWidth <= Self.maxInputWidth,
              Self.polySize(inputWidth, degree) <= Double(maxOutputWidth) + 1 else { return nil }
        self.input = input
        self.output = output
        self.degree = degree
        self.inputWidth = inputWidth
        outputWidth = Int(Self.polySize(inputWidth, degree).rounded()) - 1
    }

    /// C(n + d, d): monomials of degree ≤ d in n variables, the constant included.
    public static func polySize(_ n: Int, _ d: Int) -> Double {
        var result = 1.0
        for i in 0..<d { result = result * Double(n + d - i) / Double(i + 1) }
        return result
    }

    /// Writes the monomials of x[0...last] up to `degree`, times `multiplier`,
    /// from `start`; returns the next free position.
    private func expand(_ x: ArraySlice<Double>, _ last: Int, _ degree: Int, _ multiplier: Double,
                        _ out: inout [Double], _ start: Int) -> Int {
        if multiplier != 0 {
            if degree == 0 || last < 0 {
                if start >= 0 { out[start] = multiplier }
            } else {
                let v = x[x.startIndex + last]
                var alpha = multiplier
                var cursor = start
                var power = 0
                while power <= degree && alpha != 0 {
                    cursor = expand(x, last - 1, degree - power, alpha, &out, cursor)
                    power += 1
                    alpha *= v
                }
            }
        }
        return start + Int(Self.polySize(last + 1, degree).rounded())
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, input, width: inputWidth, stage: stage)
        var out = VectorBlock(width: outputWidth, rows: block.rowCount)
        var scratch = [Double](repeating: 0, count: outputWidth)
        for row in 0..<block.rowCount {
            for i in 0..<outputWidth { scratch[i] = 0 }
            _ = expand(block.row(row), inputWidth - 1, degree, 1, &scratch, -1)
            out.storage.replaceSubrange((row * outputWidth)..<((row + 1) * outputWidth), with: scratch)
        }
        try frame.put(Column(name: output, type: .vector(outputWidth), values: .vector(out), nulls: nulls))
    }
}
