import ConveyorCore

/// The text ops (tokens in lists of strings, term vectors), kept apart from
/// the tabular ops' factory.
extension TransformerFactory {
    static let textOps: [String] = [
        "count_vectorizer", "hashing_term_frequency", "idf", "ngram", "regex_tokenizer", "stopwords_remover",
        "tokenizer", "word_filter", "word_to_vector",
    ]

    /// The transformer for a text op, or nil for any other op.
    static func makeText(_ node: BundleNode) throws -> (any NodeTransformer)? {
        switch node.op {
        case "tokenizer": return try Tokenizer(node)
        case "regex_tokenizer": return try RegexTokenizer(node)
        case "ngram", "stopwords_remover", "word_filter": return try TokenFilter(node)
        case "hashing_term_frequency": return try HashingTermFrequency(node)
        case "count_vectorizer": return try CountVectorizer(node)
        case "idf": return try IDF(node)
        case "word_to_vector": return try WordToVector(node)
        default: return nil
        }
    }
}
