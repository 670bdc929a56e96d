import ConveyorCore

/// The model text cut up as LightGBM's `GBDT::LoadModelFromString` and
/// `Tree::Tree(const char*)` cut it: the header's `key=value` lines up to the
/// first `Tree=` line, then one block of `key=value` lines per tree (at most
/// 22, ended by an empty line), found through `tree_sizes` when the header
/// has it and one after the other otherwise. Values stay byte ranges into
/// the text; nothing else of the file is read.
struct ModelText {
    let bytes: [UInt8]
    let source: String
    /// Header keys; the last line with a key wins, as in LightGBM.
    private(set) var header: [String: String] = [:]
    /// Per tree: key → the value's bytes.
    private(set) var trees: [[String: Range<Int>]] = []

    init(bytes: [UInt8], source: String) throws(ConveyorError) {
        self.bytes = bytes
        self.source = source
        guard !bytes.contains(0) else { throw fail("the text contains a NUL byte (not a LightGBM text model)") }
        let treesStart = try readHeader()
        if let sizes = header["tree_sizes"] {
            try readTrees(sizes: sizes, from: treesStart)
        } else {
            try readTrees(from: treesStart)
        }
    }

    func fail(_ message: String) -> ConveyorError {
        ConveyorError(.modelCorrupt, "LightGBM model \(source): \(message)")
    }

    /// Where the line at `start` ends (before its line break).
    private func lineEnd(_ start: Int) -> Int {
        var end = start
        while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
        return end
    }

    /// LightGBM's `SkipNewLine`: one `\r`, then one `\n`.
    private func skipNewLine(_ position: Int) -> Int {
        var position = position
        if position < bytes.count, bytes[position] == 0x0D { position += 1 }
        if position < bytes.count, bytes[position] == 0x0A { position += 1 }
        return position
    }

    private static let treePrefix = Array("Tree=".utf8)

    private func startsTree(_ start: Int, _ end: Int) -> Bool {
        end - start >= Self.treePrefix.count && bytes[start..<(start + Self.treePrefix.count)].elementsEqual(Self.treePrefix)
    }

    /// Reads header lines up to the first `Tree=` line; returns where that line starts.
    private mutating func readHeader() throws(ConveyorError) -> Int {
        var position = 0
        while position < bytes.count {
            let end = lineEnd(position)
            if end > position {
                if startsTree(position, end) { return position }
                let line = bytes[position..<end]
                if let equals = line.firstIndex(of: UInt8(ascii: "=")) {
                    let key = String(decoding: bytes[position..<equals], as: UTF8.self)
                    let value = bytes[(equals + 1)..<end]
                    // LightGBM splits on '=' and refuses more than two parts, except in these two.
                    if value.contains(UInt8(ascii: "=")), key != "feature_names", key != "monotone_constraints" {
                        throw fail("wrong header line '\(String(decoding: line.prefix(128), as: UTF8.self))'")
                    }
                    header[key] = String(decoding: value, as: UTF8.self)
                } else {
                    header[String(decoding: line, as: UTF8.self)] = ""
                }
                position = end
            }
            position = skipNewLine(position)
        }
        return bytes.count
    }

    /// Trees one after another: blank lines between them, a non-tree line ends them.
    private mutating func readTrees(from start: Int) throws(ConveyorError) {
        var position = start
        while position < bytes.count {
            let end = lineEnd(position)
            if end > position {
                guard startsTree(position, end) else { break }
                guard trees.count < LightGBMLimits.maxTrees else {
                    throw LightGBMLimits.exceeded(source, "tree count", trees.count + 1, LightGBMLimits.maxTrees, "maxTrees")
                }
                position = try readBlock(at: skipNewLine(end))
            }
            position = skipNewLine(position)
        }
    }

    /// Trees at the byte offsets `tree_sizes` gives, counted from the first `Tree=` line.
    private mutating func readTrees(sizes text: String, from start: Int) throws(ConveyorError) {
        let sizes = text.split(separator: " ")
        guard sizes.count <= LightGBMLimits.maxTrees else {
            throw LightGBMLimits.exceeded(source, "tree_sizes count", sizes.count, LightGBMLimits.maxTrees, "maxTrees")
        }
        var offset = start
        for (index, size) in sizes.enumerated() {
            guard let size = Int(size), size >= 0 else { throw fail("tree_sizes: '\(size.prefix(40))' is not a size") }
            guard offset < bytes.count, startsTree(offset, lineEnd(offset)) else {
                throw fail("tree_sizes: tree \(index) does not start with 'Tree=' at byte \(offset)")
            }
            _ = try readBlock(at: skipNewLine(lineEnd(offset)))
            let (next, overflow) = offset.addingReportingOverflow(size)
            guard !overflow, next <= bytes.count else { throw fail("tree_sizes: tree \(index) runs past the end") }
            offset = next
        }
    }

    /// One tree's lines, up to an empty line or the end; returns where it stopped.
    private mutating func readBlock(at start: Int) throws(ConveyorError) -> Int {
        var fields: [String: Range<Int>] = [:]
        var position = start
        var lines = 0
        while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D {
            guard lines < LightGBMLimits.maxTreeLines else {
                throw fail("tree \(trees.count) has more than \(LightGBMLimits.maxTreeLines) lines (LightGBM reads no more)")
            }
            let end = lineEnd(position)
            guard let equals = bytes[position..<end].firstIndex(of: UInt8(ascii: "=")) else {
                throw fail("tree \(trees.count): a line without '=': "
                    + "'\(String(decoding: bytes[position..<end].prefix(64), as: UTF8.self))'")
            }
            fields[String(decoding: bytes[position..<equals], as: UTF8.self)] = (equals + 1)..<end
            lines += 1
            position = skipNewLine(end)
        }
        trees.append(fields)
        return position
    }
}
