extension Frame {
    /// A column name with its hash computed once. A stage that knows its
    /// columns when it is loaded looks them up and adds them through these,
    /// so a call hashes no name: hashing a few names per call was about 6 %
    /// of a one-row Spark pipeline.
    public struct Name: Sendable, Equatable, CustomStringConvertible {
        public let string: String
        /// `string.hashValue`, as `Frame` keys its columns.
        let key: Int

        public init(_ string: String) {
            self.string = string
            key = string.hashValue
        }

        public var description: String { string }
    }

    /// Names looked up together, to ask whether a frame has any of them
    /// (`Frame.containsAny`): one pass over the frame's columns instead of
    /// one per name.
    public struct NameSet: Sendable {
        let names: [Name]
        let keys: Set<Int>

        public init(_ names: [String]) {
            self.names = names.map(Name.init)
            keys = Set(self.names.map(\.key))
        }
    }

    /// Whether any column is named as one of `set`.
    public func containsAny(of set: NameSet) -> Bool {
        for index in nameKeys.indices where set.keys.contains(nameKeys[index]) {
            if set.names.contains(where: { $0.key == nameKeys[index] && $0.string == columns[index].name }) { return true }
        }
        return false
    }

    /// The position of the column named `name`, if any.
    public func index(of name: Name) -> Int? {
        index(of: name.string, key: name.key)
    }

    /// The column named `name`, or an error that lists the frame's columns.
    public func require(_ name: Name, stage: String? = nil) throws -> Column {
        guard let index = index(of: name) else { return try require(name.string, stage: stage) }
        return columns[index]
    }

    /// Adds `column`, named `name`, replacing one of the same name.
    public mutating func put(_ column: consuming Column, as name: Name) throws {
        assert(column.name == name.string, "column '\(column.name)' put as '\(name)'")
        try put(column, key: name.key)
    }

    /// The columns named `names`, in that order.
    public func selecting(_ names: [Name], stage: String? = nil) throws -> Frame {
        var copy = self
        copy.nameKeys = names.map(\.key)
        copy.columns = try names.map { name in
            guard let index = index(of: name) else { return try require(name.string, stage: stage) }
            return columns[index]
        }
        return copy
    }
}
