extension Array {
    /// `count` copies of `value`, as `Array(repeating:count:)` makes them.
    ///
    /// Why not that initializer (nor `init(unsafeUninitializedCapacity:)`):
    /// both allocate through a standard-library function that is never
    /// specialized, so every call looks the array's storage type up in the
    /// runtime's global metadata table, under its lock: about 600
    /// instructions per array (callgrind), more than some one-row stages'
    /// own work, on memory a lone request finds cold. This initializer takes
    /// a path the compiler specializes, with the type's metadata cached.
    @inlinable
    public init(filled value: Element, count: Int) {
        self.init(repeatElement(value, count: count))
    }
}
