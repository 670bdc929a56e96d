import ConveyorCore
import Operators

/// Reads a word_to_vector node (`words`, `indices`, `word_vectors`; only the
/// `avg` kernel) into the Word2Vec kernel.
struct WordToVector: NodeTransformer {
    let name: String
    let op = "word_to_vector"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Word2Vec

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        let attrs = node.attributes
        let words = try attrs.strings("words")
        let indices = try attrs.ints("indices")
        let vectors = try attrs.doubles("word_vectors")
        if let kernel = attrs["kernel"]?.string, kernel != "avg" {
            throw ConveyorError(
                .unsupportedModel, "MLeap node '\(node.name)' (word_to_vector): kernel '\(kernel)' is not supported (only avg)")
        }
        guard let kernel = Word2Vec(input: io.input, output: io.output, words: words, indices: indices, vectors: vectors,
                                         nullRows: .propagate)
        else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (word_to_vector): \(words.count) words, "
                + "\(indices.count) indices and \(vectors.count) vector values do not fit")
        }
        self.kernel = kernel
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(kernel.size))]
    }

    var inputType: ColumnType { .stringList }

    var details: [Fact] { [Fact("words", "\(kernel.wordCount)"), Fact("vector size", "\(kernel.size)")] }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
