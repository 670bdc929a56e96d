import Foundation

/// Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi
/// rotations: A = V diag(values) Vᵀ. Accurate to a few ulps of the largest
/// eigenvalue, which is what Spark's MultivariateGaussian needs from
/// LAPACK's dsyev (its results do not depend on the eigenvectors' signs or order).
enum SymmetricEigen {
    /// `matrix` is row-major n × n; returns the eigenvalues and the
    /// eigenvectors as the columns of a row-major n × n matrix.
    static func decompose(_ matrix: [Double], n: Int) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        let total = a.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<64 {
            var off = 0.0
            for p in 0..<n { for q in p..<n where q > p { off += a[p * n + q] * a[p * n + q] } }
            // Converged when what is left off the diagonal is below rounding.
            if off <= total * 1e-34 || !off.isFinite { break }
            for p in 0..<n {
                for q in p..<n where q > p {
                    let apq = a[p * n + q]
                    if apq == 0 { continue }
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<n).map { a[$0 * n + $0] }, v)
    }
}
