import CXGBoost

/// An error from loading or running an XGBoost model. Failures of the C
/// library carry the function that failed and `XGBGetLastError`'s text.
public struct XGBoostError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// The model file does not exist or cannot be read.
        case fileNotFound = "file_not_found"
        /// The bytes are not a readable XGBoost model (corrupt, truncated, wrong format).
        case corruptModel = "corrupt_model"
        /// A readable model that Conveyor cannot predict with correctly.
        case unsupportedModel = "unsupported_model"
        /// The features passed to `predict` do not fit the model.
        case invalidInput = "invalid_input"
        /// libxgboost failed while predicting.
        case predictionFailed = "prediction_failed"
    }

    public var code: Code
    public var message: String
    /// The C function that failed, when the error came from libxgboost.
    public var function: String?

    public init(_ code: Code, _ message: String, function: String? = nil) {
        self.code = code
        self.message = message
        self.function = function
    }

    public var description: String {
        guard let function else { return message }
        return "\(message) (\(function))"
    }
}

extension XGBoostError {
    /// Turns a non-zero return code of a libxgboost call into an error.
    /// `XGBGetLastError` is thread-local in libxgboost, so reading it right
    /// after the failing call on the same thread is safe.
    static func check(_ status: Int32, _ function: String, code: Code,
                      context: @autoclosure () -> String = "") throws(XGBoostError) {
        guard status != 0 else { return }
        let detail = XGBGetLastError().map { String(cString: $0) } ?? "no message"
        if let refusal = LibraryFailure.refusal(detail, function: function) { throw refusal }
        let prefix = context()
        let text = prefix.isEmpty ? detail : "\(prefix): \(detail)"
        throw XGBoostError(code, text.trimmingTrailingWhitespace(), function: function)
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
