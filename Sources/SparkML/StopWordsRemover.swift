import ConveyorCore
import Operators

/// Reads a saved `StopWordsRemover` (one column, or `inputCols` and
/// `outputCols` since Spark 3.0) into the StopWordsRemover kernel. Without
/// `caseSensitive` Spark lower-cases with `locale` (en_US by default on an
/// English JVM); the Turkish, Azerbaijani and Lithuanian rules for I and J
/// are not reproduced, so those locales are refused.
struct StopWordsRemover: SparkTransformer {
    let metadata: SparkMetadata
    let pairs: [(input: String, output: String)]
    let kernel: Operators.StopWordsRemover

    /// Languages whose `toLowerCase(locale)` differs from the root locale's.
    static let specialCasingLanguages: Set<String> = ["tr", "az", "lt"]

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        pairs = try metadata.columnPairs()
        let stopWords = try metadata.require(metadata.strings("stopWords"), "stopWords")
        guard metadata.param("stopWords")?.array?.count == stopWords.count else {
            throw metadata.failure("param 'stopWords' holds a value that is not a string")
        }
        let caseSensitive = metadata.bool("caseSensitive") ?? false
        // Spark 2.4+ always writes the locale; older saves lower-case with the JVM's own.
        if !caseSensitive, let locale = metadata.string("locale") {
            let language = locale.split(whereSeparator: { $0 == "_" || $0 == "-" }).first.map { $0.lowercased() } ?? ""
            if Self.specialCasingLanguages.contains(language) {
                throw metadata.unsupported(
                    "locale", "'\(locale)' lower-cases I and J by its own rules, which Conveyor does not reproduce "
                        + "(supported: locales of other languages, or caseSensitive=true)")
            }
        }
        kernel = Operators.StopWordsRemover(inputs: pairs.map(\.input), outputs: pairs.map(\.output), stopWords: stopWords,
                                            caseSensitive: caseSensitive, nullRows: .refuse)
    }

    var inputs: [ColumnSpec] { pairs.map { ColumnSpec($0.input, .stringList) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        pairs.map { ColumnSpec($0.output, .stringList) }
    }

    var dataFacts: [Fact] { [Fact("stop words", "\(kernel.stopWordCount)")] }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
