import ConveyorCore

/// Spark's StopWordsRemover, one or many columns: drops the stop words,
/// comparing lower-cased forms (Java's `toLowerCase` in a locale without
/// special rules) unless `caseSensitive`.
public struct StopWordsRemover: Kernel {
    public let inputs: [String]
    public let outputs: [String]
    public let caseSensitive: Bool
    public let nullRows: NullRows
    /// The stop words as compared (lower-cased unless case-sensitive), byte
    /// for byte as Java's String.equals compares them.
    let stopWords: UTF8Index

    public init(inputs: [String], outputs: [String], stopWords: [String], caseSensitive: Bool, nullRows: NullRows) {
        precondition(inputs.count == outputs.count)
        self.inputs = inputs
        self.outputs = outputs
        self.caseSensitive = caseSensitive
        self.nullRows = nullRows
        self.stopWords = UTF8Index(caseSensitive ? stopWords : stopWords.map(JavaLowercase.lowercased))
    }

    public var stopWordCount: Int { stopWords.count }

    public func apply(to frame: inout Frame, stage: String) throws {
        // Every output is computed from the frame as it came in, as Spark does.
        let original = frame
        var results: [Column] = []
        for (input, output) in zip(inputs, outputs) {
            var scratch = original
            try TokenLists.map(&scratch, input: input, output: output, nullRows: nullRows, stage: stage) { row, out in
                for token in row where !stopWords.contains(caseSensitive ? token : JavaLowercase.lowercased(token)) {
                    out.appendElement(token)
                }
            }
            if let column = scratch.column(output) { results.append(column) }
        }
        for column in results { try frame.put(column) }
    }
}
