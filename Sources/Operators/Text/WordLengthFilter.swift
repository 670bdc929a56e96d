import ConveyorCore

/// MLeap's own WordLengthFilter (`word_filter`; no Spark counterpart):
/// keeps a word when every UTF-16 unit is a letter (Java's
/// `Character.isLetter(char)`) and it is longer than `length` units.
public struct WordLengthFilter: Kernel {
    public let input: String
    public let output: String
    public let length: Int

    public init(input: String, output: String, length: Int) {
        self.input = input
        self.output = output
        self.length = length
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let length = self.length
        try TokenLists.map(&frame, input: input, output: output, nullRows: .propagate, stage: stage) { row, out in
            for word in row where word.utf16.count > length && word.utf16.allSatisfy(Self.isLetter) {
                out.appendElement(word)
            }
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
