import ConveyorCore

/// A kernel with one input and one output column whose every slot comes
/// from its whole input (a token list, a hashed or counted vector of them,
/// an averaged word vector): explanations give all of it to the column the
/// text came from.
public protocol WholeColumnFromInput: ColumnPairs {
    var input: String { get }
    var output: String { get }
}

extension WholeColumnFromInput {
    public var inputs: [String] { [input] }
    public var outputs: [String] { [output] }
}

extension Tokenizer: WholeColumnFromInput {}
extension RegexTokenizer: WholeColumnFromInput {}
extension NGram: WholeColumnFromInput {}
extension HashingTF: WholeColumnFromInput {}
extension CountVectorizer: WholeColumnFromInput {}
extension Word2Vec: WholeColumnFromInput {}
/// Filtering tokens keeps each column's own origin.
extension StopWordsRemover: ColumnPairs {}

/// IDF weighs term frequencies slot by slot.
extension IDF: SlotwiseFromInput {}
