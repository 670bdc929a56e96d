/// `learner_model_param.base_score` as a model stores it: a scalar string
/// ("5E-1", every XGBoost before 3.1) or a vector string ("[2.4E-1]",
/// "[6.07E-1,-1.12E0,...]", 3.1 and later, one entry per class/target).
public enum BaseScore: Sendable, Equatable {
    case scalar(Float)
    case vector([Float])

    /// Parses the stored text; nil when it is neither form.
    public init?(stored text: String) {
        let trimmed = text.trimmingTrailingWhitespace()
        if trimmed.hasPrefix("[") {
            guard trimmed.hasSuffix("]") else { return nil }
            let inner = trimmed.dropFirst().dropLast()
            var values: [Float] = []
            for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
                guard let value = Float(part.trimmingPrefixWhitespace()) else { return nil }
                values.append(value)
            }
            guard !values.isEmpty else { return nil }
            self = .vector(values)
        } else {
            guard let value = Float(trimmed) else { return nil }
            self = .scalar(value)
        }
    }

    public var isVector: Bool {
        if case .vector = self { return true }
        return false
    }
}

extension Substring {
    func trimmingPrefixWhitespace() -> String {
        String(drop(while: \.isWhitespace)).trimmingTrailingWhitespace()
    }
}
