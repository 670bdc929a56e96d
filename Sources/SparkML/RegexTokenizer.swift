import ConveyorCore
import Operators

/// Reads a saved `RegexTokenizer` into the RegexTokenizer kernel. Spark's
/// defaults (the same from 2.0 to 4.x, and used when a Spark 2.1 save has
/// no `defaultParamMap`): pattern `\s+`, gaps, minTokenLength 1, lower-case.
/// A pattern Java and ICU read differently is refused at load.
struct RegexTokenizer: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: Operators.RegexTokenizer

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        let pair = try metadata.singleColumnPair()
        let pattern = metadata.string("pattern") ?? "\\s+"
        do {
            kernel = try Operators.RegexTokenizer(
                input: pair.input, output: pair.output, pattern: pattern, gaps: metadata.bool("gaps") ?? true,
                minTokenLength: try metadata.int("minTokenLength", in: 0...Int(Int32.max)) ?? 1,
                lowercase: metadata.bool("toLowercase") ?? true, nullRows: .refuse)
        } catch let error as Operators.RegexTokenizer.PatternError {
            throw error.compiles ? metadata.unsupported("pattern", "\(error)") : metadata.failure("param 'pattern': \(error)")
        }
    }

    var inputs: [ColumnSpec] { [ColumnSpec(kernel.input, .string)] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [ColumnSpec(kernel.output, .stringList)] }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
