import Foundation

extension LightGBMObjective {
    /// `ConvertOutput` on one row's `values` (one per tree of an iteration),
    /// with LightGBM's operations in LightGBM's order.
    func apply(_ values: UnsafeMutableBufferPointer<Double>) {
        switch transform {
        case .identity:
            return
        case .signedSquare:
            let x = values[0]
            // Common::Sign is an int: (x > 0) - (x < 0), times x, times x.
            values[0] = Double((x > 0 ? 1 : 0) - (x < 0 ? 1 : 0)) * x * x
        case .exp:
            values[0] = Foundation.exp(values[0])
        case .sigmoid(let sigmoid):
            values[0] = 1.0 / (1.0 + Foundation.exp(-sigmoid * values[0]))
        case .sigmoidEach(let sigmoid):
            for index in values.indices { values[index] = 1.0 / (1.0 + Foundation.exp(-sigmoid * values[index])) }
        case .logistic:
            values[0] = 1.0 / (1.0 + Foundation.exp(-values[0]))
        case .log1pExp:
            values[0] = Foundation.log1p(Foundation.exp(values[0]))
        case .softmax:
            // Common::Softmax: the maximum by std::max(x, m), exp(x − m), the sum, each divided by it.
            var largest = values[0]
            for index in values.indices.dropFirst() where !(values[index] < largest) { largest = values[index] }
            var sum = 0.0
            for index in values.indices {
                values[index] = Foundation.exp(values[index] - largest)
                sum += values[index]
            }
            for index in values.indices { values[index] /= sum }
        }
    }
}
