extension String {
    /// At most `limit` characters of the string, then how many bytes were
    /// left out: for quoting request values in error messages and logs, so a
    /// 5 MB label does not become a 5 MB error body. Cost follows `limit`.
    public func boundedForMessage(_ limit: Int = 200) -> String {
        guard limit >= 0, utf8.count > limit else { return self }
        let kept = String(prefix(limit))
        let omitted = utf8.count - kept.utf8.count
        guard omitted > 0 else { return self }
        return kept + "… (\(omitted) more bytes)"
    }
}
