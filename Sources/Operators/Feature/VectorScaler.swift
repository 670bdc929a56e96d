import ConveyorCore

/// Spark's StandardScalerModel, MinMaxScalerModel and MaxAbsScalerModel: a
/// vector column scaled element-wise with the fitted statistics, computed as
/// Spark 3+ computes them (multiplying by scales worked out once). A null
/// vector stays null.
public struct VectorScaler: Kernel {
    public enum Scaling: Sendable {
        /// (x − shift) · scale; either part absent when withMean / withStd is off.
        case standard(shift: [Double]?, scale: [Double]?)
        /// (x − originalMin) · scale + low; a constant feature (scale 0) maps to
        /// the middle of [low, high]; NaN stays NaN.
        case minMax(originalMin: [Double], scale: [Double], low: Double, high: Double)
        /// x · scale.
        case maxAbs(scale: [Double])

        /// From the fitted mean and std (a zero std scales to 0).
        public static func standard(mean: [Double]?, std: [Double]?) -> Scaling {
            .standard(shift: mean, scale: std?.map { $0 == 0 ? 0 : 1 / $0 })
        }

        /// From the fitted per-feature min and max and the target range.
        public static func minMax(originalMin: [Double], originalMax: [Double], low: Double, high: Double) -> Scaling {
            let scale = zip(originalMin, originalMax).map { min, max in max - min != 0 ? (high - low) / (max - min) : 0 }
            return .minMax(originalMin: originalMin, scale: scale, low: low, high: high)
        }

        /// From the fitted max |x| (a zero leaves the feature as it is).
        public static func maxAbs(_ maxAbs: [Double]) -> Scaling { .maxAbs(scale: maxAbs.map { $0 == 0 ? 1 : 1 / $0 }) }
    }

    public let input: String
    public let output: String
    public let width: Int
    public let scaling: Scaling

    /// Nil if the statistics' widths disagree. `width` is needed only when
    /// no statistic says it (a standard scaler with neither mean nor std).
    public init?(input: String, output: String, scaling: Scaling, width: Int? = nil) {
        var widths: [Int]
        switch scaling {
        case .standard(let shift, let scale): widths = [shift?.count, scale?.count].compactMap { $0 }
        case .minMax(let originalMin, let scale, _, _): widths = [originalMin.count, scale.count]
        case .maxAbs(let scale): widths = [scale.count]
        }
        if let width { widths.append(width) }
        guard let width = widths.first, widths.allSatisfy({ $0 == width }) else { return nil }
        self.input = input
        self.output = output
        self.width = width
        self.scaling = scaling
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        var (block, nulls) = try Inputs.vectors(frame, input, width: width, stage: stage)
        let rows = block.rowCount
        let width = self.width
        block.storage.withUnsafeMutableBufferPointer { x in
            switch scaling {
            case .standard(let shift, let scale):
                if let shift {
                    for row in 0..<rows { for i in 0..<width { x[row * width + i] -= shift[i] } }
                }
                if let scale {
                    for row in 0..<rows { for i in 0..<width { x[row * width + i] *= scale[i] } }
                }
            case .minMax(let originalMin, let scale, let low, let high):
                let middle = 0.5 * (high - low) + low
                for row in 0..<rows {
                    for i in 0..<width where !x[row * width + i].isNaN {
                        let value = x[row * width + i]
                        x[row * width + i] = scale[i] != 0 ? (value - originalMin[i]) * scale[i] + low : middle
                    }
                }
            case .maxAbs(let scale):
                for row in 0..<rows { for i in 0..<width { x[row * width + i] *= scale[i] } }
            }
        }
        try frame.put(Column(name: output, type: .vector(width), values: .vector(block), nulls: nulls))
    }
}
