import CXGBoost

extension Booster {
    /// Predicts `rows` rows of a row-major float32 matrix with
    /// `facts.numFeature` columns. NaN marks a missing value; every other
    /// value, zero included, is a real value.
    public func predict(_ features: UnsafeBufferPointer<Float>, rows: Int,
                        output: PredictionOutput = .value) throws(XGBoostError) -> Prediction {
        let columns = facts.numFeature
        guard rows >= 0, features.count == rows * columns else {
            throw XGBoostError(.invalidInput,
                               "expected \(rows) rows × \(columns) features = \(max(rows, 0) * columns) values, got \(features.count)")
        }
        guard rows > 0 else { return Prediction(values: [], rows: 0, groups: groups(for: output)) }
        let groups: Int
        let margins: [Float]
        if let nativeEngine {
            groups = nativeEngine.groups
            // Zeroed and then written, not `init(unsafeUninitializedCapacity:)`:
            // that allocates through an unspecialized standard-library function
            // (see ConveyorCore's `Array(filled:count:)`).
            var computed = Array(repeatElement(Float(0), count: rows * groups))
            computed.withUnsafeMutableBufferPointer { nativeEngine.margins(features, rows: rows, into: $0) }
            margins = computed
        } else if let linearModel {
            groups = linearModel.groups
            var computed = Array(repeatElement(Float(0), count: rows * groups))
            computed.withUnsafeMutableBufferPointer { linearModel.margins(features, rows: rows, into: $0) }
            margins = computed
        } else {
            return try libraryPredict(features, rows: rows, output: output)
        }
        guard output == .value else { return Prediction(values: margins, rows: rows, groups: groups) }
        var values = facts.objective.values(fromMargins: consume margins, rows: rows, groups: groups)
        if facts.sortsQuantiles { Objective.sortRows(&values, rows: rows, groups: groups) }
        return Prediction(values: values, rows: rows, groups: values.count / rows)
    }

    /// `predict` by libxgboost, whichever engine the booster uses: the
    /// reference the native engine is tested against.
    public func libraryPredict(_ features: UnsafeBufferPointer<Float>, rows: Int,
                               output: PredictionOutput = .value) throws(XGBoostError) -> Prediction {
        let columns = facts.numFeature
        guard rows > 0, features.count == rows * columns else {
            throw XGBoostError(.invalidInput, "expected \(rows) rows × \(columns) features, got \(features.count)")
        }
        guard !treeWeighted else {
            throw XGBoostError(.unsupportedModel, "libxgboost 1.7.4 ignores this DART model's tree weights")
        }
        guard linearModel == nil else {
            throw XGBoostError(.unsupportedModel, "libxgboost 1.7.4 cannot predict a linear model in place")
        }
        return try libraryPrediction(features, rows: rows, output: output)
    }

    /// libxgboost's prediction, whatever the model (the load-time probe
    /// configures a DART model's learner through it too).
    func libraryPrediction(_ features: UnsafeBufferPointer<Float>, rows: Int,
                           output: PredictionOutput) throws(XGBoostError) -> Prediction {
        let columns = facts.numFeature
        guard let handle else {
            throw XGBoostError(.unsupportedModel, "libxgboost 1.7.4 cannot load this model (\(libraryGap ?? "unknown"))")
        }
        guard let base = features.baseAddress else {
            throw XGBoostError(.invalidInput, "no feature buffer")
        }
        let data = Self.arrayInterface(address: base, shape: [rows, columns])
        return try proxies.withProxy { proxy throws(XGBoostError) in
            if let margins = facts.correctedBaseMargins {
                try setBaseMargin(margins, rows: rows, data: data, on: proxy)
            }
            var shape: UnsafePointer<bst_ulong>?
            var dimensions: bst_ulong = 0
            var result: UnsafePointer<Float>?
            let status = XGBoosterPredictFromDense(handle, data, Self.config(for: output), proxy.raw,
                                                   &shape, &dimensions, &result)
            try XGBoostError.check(status, "XGBoosterPredictFromDense", code: .predictionFailed)
            // The result buffer is thread-local in libxgboost: copy it now.
            let total = shape.map { pointer in (0..<Int(dimensions)).reduce(1) { $0 * Int(pointer[$1]) } } ?? 0
            guard let result, total > 0, total % rows == 0 else {
                throw XGBoostError(.predictionFailed, "libxgboost returned \(total) values for \(rows) rows",
                                   function: "XGBoosterPredictFromDense")
            }
            let values = Array(UnsafeBufferPointer(start: result, count: total))
            return Prediction(values: values, rows: rows, groups: total / rows)
        }
    }

    /// Array convenience for `predict(_:rows:output:)`.
    public func predict(_ features: [Float], rows: Int, output: PredictionOutput = .value) throws(XGBoostError) -> Prediction {
        try features.withUnsafeBufferPointer { buffer throws(XGBoostError) in
            try predict(buffer, rows: rows, output: output)
        }
    }

    /// Values per row for an output kind: multi:softmax gives one class
    /// index per row but K margins.
    func groups(for output: PredictionOutput) -> Int {
        if facts.objective == .multiSoftmax && output == .value { return 1 }
        return facts.outputGroups
    }

    /// Sets the per-row intercepts that replace base_score (see
    /// `correctedBaseMargins`). The proxy belongs to this call alone.
    private func setBaseMargin(_ margins: [Float], rows: Int, data: String,
                               on proxy: ProxyHandle) throws(XGBoostError) {
        // The data goes first: libxgboost 1.7.4 reshapes a base_margin
        // against the proxy's current row count, which is otherwise the
        // previous call's.
        try XGBoostError.check(XGProxyDMatrixSetDataDense(proxy.raw, data), "XGProxyDMatrixSetDataDense",
                               code: .predictionFailed)
        var matrix = [Float]()
        matrix.reserveCapacity(rows * margins.count)
        for _ in 0..<rows { matrix.append(contentsOf: margins) }
        let shape = margins.count == 1 ? [rows] : [rows, margins.count]
        let status = matrix.withUnsafeBufferPointer { buffer in
            XGDMatrixSetInfoFromInterface(proxy.raw, "base_margin",
                                          Self.arrayInterface(address: buffer.baseAddress!, shape: shape))
        }
        try XGBoostError.check(status, "XGDMatrixSetInfoFromInterface", code: .predictionFailed,
                               context: "cannot set the corrected base margin")
    }

    /// `__array_interface__` JSON describing a C-contiguous float32 buffer.
    static func arrayInterface(address: UnsafePointer<Float>, shape: [Int]) -> String {
        let pointer = UInt(bitPattern: address)
        let dims = shape.map(String.init).joined(separator: ",")
        return #"{"data":[\#(pointer),true],"shape":[\#(dims)],"strides":null,"typestr":"<f4","version":3}"#
    }

    /// Prediction config. libxgboost 1.7.4 requires `cache_id`; its JSON
    /// reader accepts the bare `NaN` literal for the missing value.
    static func config(for output: PredictionOutput) -> String {
        output == .value ? valueConfig : marginConfig
    }

    private static let valueConfig = makeConfig(.value)
    private static let marginConfig = makeConfig(.margin)

    private static func makeConfig(_ output: PredictionOutput) -> String {
        #"{"type":\#(output.rawValue),"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false,"cache_id":0,"missing":NaN}"#
    }
}
