import ConveyorCore
import XGBoost

extension XGBoostError {
    /// The ConveyorError for a failure, naming the stage and, for load
    /// failures, the model file.
    func conveyorError(stage: String, file: String? = nil, column: String? = nil) -> ConveyorError {
        let code: ConveyorError.Code
        switch self.code {
        case .fileNotFound: code = .modelNotFound
        case .corruptModel: code = .modelCorrupt
        case .unsupportedModel: code = .unsupportedModel
        case .invalidInput: code = .invalidInput
        case .predictionFailed: code = .stageFailed
        }
        var message = description
        if let file, !message.contains(file) { message = "XGBoost model \(file): \(message)" }
        return ConveyorError(code, message, stage: stage, column: column, cause: self)
    }
}
