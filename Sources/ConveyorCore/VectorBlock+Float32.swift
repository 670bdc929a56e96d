extension VectorBlock {
    /// The values as a row-major float32 matrix, as XGBoost takes
    /// features: each double narrowed once; `missing` (when it is not NaN)
    /// becomes NaN, and so does every value of a row flagged in `nullRows`.
    /// NaN narrows to NaN, so with NaN as the missing value the narrowing
    /// alone is the matrix: one loop the compiler vectorizes (a test per
    /// value was 3 % of a Spark call at 1,728 rows). A float32 block with
    /// nothing to mark is its own matrix: no copy.
    @inlinable
    public func float32Matrix(nullRows: [Bool]? = nil, missing: Double = .nan) -> [Float] {
        var matrix: [Float]
        if isFloat32 {
            matrix = floats
            if !missing.isNaN {
                // Each float is exactly its double, so comparing the widened value is comparing the double.
                for index in matrix.indices where Double(matrix[index]) == missing { matrix[index] = .nan }
            }
        } else {
            let values = doubles
            let count = values.count
            matrix = [Float](unsafeUninitializedCapacity: count) { out, initialized in
                values.withUnsafeBufferPointer { values in
                    if missing.isNaN {
                        for index in 0..<count { out[index] = Float(values[index]) }
                    } else {
                        for index in 0..<count {
                            let value = values[index]
                            out[index] = value == missing ? .nan : Float(value)
                        }
                    }
                }
                initialized = count
            }
        }
        if let nullRows, nullRows.contains(true) {
            matrix.withUnsafeMutableBufferPointer { out in
                for row in 0..<min(rowCount, nullRows.count) where nullRows[row] {
                    for index in (row * width)..<((row + 1) * width) { out[index] = .nan }
                }
            }
        }
        return matrix
    }

    /// Whether every value survives narrowing to float32 and widening back
    /// unchanged (NaN counts as surviving: it stays NaN), so that a block of
    /// them may be held as float32.
    @inlinable
    public static func fitsFloat32(_ values: UnsafeBufferPointer<Double>) -> Bool {
        for value in values where Double(Float(value)) != value && !value.isNaN { return false }
        return true
    }
}
