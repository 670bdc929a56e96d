import ConveyorCore
import Parquet

extension SparkMetadata {
    /// A vector param (`ElementwiseProduct.scalingVec`) as Spark's
    /// JsonVectorConverter writes it: `{"type":1,"values":[…]}` dense or
    /// `{"type":0,"size":n,"indices":[…],"values":[…]}` sparse; nil when
    /// absent or malformed.
    func vector(_ name: String) -> [Double]? {
        guard let value = param(name), let type = value["type"]?.double,
              let items = value["values"]?.array else { return nil }
        let values = items.compactMap(\.double)
        guard values.count == items.count else { return nil }
        if type == 1 { return values }
        guard type == 0, let size = value["size"]?.double.flatMap({ Int(exactly: $0) }), size >= 0,
              size <= SparkMatrix.maxValues, let rawIndices = value["indices"]?.array,
              rawIndices.count == values.count else { return nil }
        var dense = [Double](repeating: 0, count: size)
        for (raw, element) in zip(rawIndices, values) {
            guard let index = raw.double.flatMap({ Int(exactly: $0) }), index >= 0, index < size else { return nil }
            dense[index] = element
        }
        return dense
    }
}
