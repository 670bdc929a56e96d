/// libxgboost 1.7.4 load failures that mean "a valid model of a kind this
/// libxgboost cannot read" rather than "a corrupt model": refused in
/// Conveyor's words, naming the feature, instead of with libxgboost's text.
/// Only failures that `ModelCheck` cannot see in the parsed document belong
/// here (it does not keep UBJSON's array types).
enum LibraryFailure {
    static func refusal(_ detail: String, function: String) -> XGBoostError? {
        guard function == "XGBoosterLoadModelFromBuffer" else { return nil }
        // "`i` is not supported for typed array": 1.7.4 reads typed arrays of
        // uint8, int32, int64 and floats only. XGBoost 3.1+ writes the category
        // names of pandas/arrow category columns ("cats") as int8 arrays.
        if detail.contains("is not supported for typed array") {
            return XGBoostError(
                .unsupportedModel,
                "this UBJSON model holds int8 arrays, which libxgboost 1.7.4 cannot read; XGBoost 3.1+ writes "
                    + "them for the category names of categorical features (pandas or arrow category columns). "
                    + "The same model saved as JSON loads")
        }
        return nil
    }
}
