import HTTPTypes

extension HTTPFields {
    /// The field's value, as `self[name]` gives it (repeated fields joined),
    /// without the subscript's generic joining for a field that occurs once.
    /// An invocation reads eight headers: their subscripts were 3 % of the
    /// server's CPU at 16 connections (benchmarks/server/README.md).
    ///
    /// Never inlined: `invoke` reads six headers, and six inlined copies of
    /// this loop were kilobytes of code that a lone request fetches cold.
    @inline(never)
    func value(of name: HTTPField.Name) -> String? {
        // Names of another length are passed over before comparing strings:
        // eight lookups over a request's fields compared about 30 names.
        let length = name.canonicalName.utf8.count
        var found: String?
        for field in self where field.name.canonicalName.utf8.count == length && field.name == name {
            if found != nil { return self[name] }
            found = field.value
        }
        return found
    }
}
