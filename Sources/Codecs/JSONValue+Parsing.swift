import ConveyorCore

extension JSONValue {
    /// Parses one JSON document (for batch transform's filters and joins).
    /// Throws `.invalidInput` describing where the text stops being JSON.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws -> JSONValue {
        var parser = JSONParser(bytes)
        return try parser.parseDocument()
    }

    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> JSONValue {
        try bytes.withUnsafeBytes { try parse($0) }
    }
}
