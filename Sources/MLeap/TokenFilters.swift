import ConveyorCore

/// The list-to-list text ops share a shape: one list of strings in, one out,
/// nulls kept.
protocol TokenListTransform: NodeTransformer {
    /// Appends the output tokens of one row to `out` (the caller ends the row).
    func tokens(_ row: ArraySlice<String>, into out: inout StringLists)
}

extension TokenListTransform {
    var inputType: ColumnType { .stringList }

    func apply(to frame: inout Frame, stage: String) throws {
        let (lists, nulls) = try Inputs.lists(frame, inputNames[0], stage: stage)
        var out = StringLists()
        out.reserveCapacity(rows: lists.rowCount, elements: lists.elements.count)
        for row in 0..<lists.rowCount {
            if nulls?[row] != true { tokens(lists.row(row), into: &out) }
            out.endRow()
        }
        try frame.put(.stringLists(outputs[0].name, out, nulls: nulls))
    }
}

/// Spark's NGram: each run of `n` consecutive tokens joined by a space;
/// fewer than `n` tokens give none.
struct NGram: TokenListTransform {
    let name: String
    let op = "ngram"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let n: Int

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        n = node.attributes["n"]?.int ?? 2
        guard n >= 1 else { throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (ngram): n is \(n)") }
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .stringList)]
    }

    var details: [Fact] { [Fact("n", "\(n)")] }

    func tokens(_ row: ArraySlice<String>, into out: inout StringLists) {
        guard row.count >= n else { return }
        for start in row.startIndex...(row.endIndex - n) {
            out.appendElement(row[start..<(start + n)].joined(separator: " "))
        }
    }
}

/// Spark's StopWordsRemover: drops the bundle's stop words, comparing
/// lower-cased forms unless `case_sensitive`.
struct StopWordsRemover: TokenListTransform {
    let name: String
    let op = "stopwords_remover"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let caseSensitive: Bool
    let stopWords: Set<String>

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        caseSensitive = try node.attributes.bool("case_sensitive", default: false)
        let words = try node.attributes.strings("stop_words")
        stopWords = Set(caseSensitive ? words : words.map(JavaLowercase.lowercased))
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .stringList)]
    }

    var details: [Fact] { [Fact("stop words", "\(stopWords.count)"), Fact("case sensitive", "\(caseSensitive)")] }

    func tokens(_ row: ArraySlice<String>, into out: inout StringLists) {
        for token in row where !stopWords.contains(caseSensitive ? token : JavaLowercase.lowercased(token)) {
            out.appendElement(token)
        }
    }
}

/// MLeap's own WordLengthFilter (`word_filter`; no Spark counterpart):
/// keeps a word when every UTF-16 unit is a letter (Java's
/// `Character.isLetter(char)`) and it is longer than `length` units.
struct WordLengthFilter: TokenListTransform {
    let name: String
    let op = "word_filter"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let length: Int

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        length = node.attributes["length"]?.int ?? 3
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .stringList)]
    }

    var details: [Fact] { [Fact("longer than", "\(length)")] }

    func tokens(_ row: ArraySlice<String>, into out: inout StringLists) {
        for word in row where word.utf16.count > length && word.utf16.allSatisfy(Self.isLetter) {
            out.appendElement(word)
        }
    }

    /// A surrogate half is never a letter on its own, as in Java.
    static func isLetter(_ unit: UInt16) -> Bool {
        guard let scalar = Unicode.Scalar(unit) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }
}
