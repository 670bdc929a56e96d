/// Java's `String.toLowerCase()`, which Spark's text ops call. Swift's
/// `lowercased()` maps each scalar on its own; Java also applies Unicode's
/// one context rule, Final_Sigma: a capital sigma that ends a word becomes
/// `ς`, not `σ`.
enum JavaLowercase {
    static let capitalSigma: Unicode.Scalar = "\u{03A3}"

    static func lowercased(_ text: String) -> String {
        guard text.unicodeScalars.contains(capitalSigma) else { return text.lowercased() }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if scalar == capitalSigma && isFinal(scalars, index) {
                out.append("\u{03C2}")
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }

    /// Preceded by a cased letter and not followed by one, skipping
    /// case-ignorable scalars (apostrophes, combining marks) both ways.
    private static func isFinal(_ scalars: [Unicode.Scalar], _ index: Int) -> Bool {
        var before = index - 1
        while before >= 0, scalars[before].properties.isCaseIgnorable { before -= 1 }
        guard before >= 0, scalars[before].properties.isCased else { return false }
        var after = index + 1
        while after < scalars.count, scalars[after].properties.isCaseIgnorable { after += 1 }
        return after == scalars.count || !scalars[after].properties.isCased
    }
}
