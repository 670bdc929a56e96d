/// What an op does with a value it cannot handle (unseen, null, NaN, out of
/// range): Spark's `handleInvalid`, which MLeap bundles call `handle_invalid`.
public enum HandleInvalid: String, Sendable {
    /// Refuse the request, naming the row and column.
    case error
    /// Drop the row.
    case skip
    /// Keep the row with the op's stand-in (an extra index, NaN, …).
    case keep
}
