import ConveyorCore

/// Checks at load time that each stage's inputs are produced, with a
/// fitting type and width, by the stages before it — so a mismatch is a
/// load error naming both stages, not a wrong answer at request time.
struct ChainCheck {
    /// Where a column came from, for messages.
    private struct Source {
        var spec: ColumnSpec
        var stage: String?
    }

    private var available: [String: Source] = [:]
    private(set) var pipelineInputs: [ColumnSpec] = []

    mutating func add(_ stage: any Stage, isFirst: Bool) throws {
        for input in stage.inputs {
            guard let source = available[input.name] else {
                if isFirst {
                    pipelineInputs.append(input)
                    available[input.name] = Source(spec: input, stage: nil)
                    continue
                }
                let known = available.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
                throw ConveyorError(
                    .chainMismatch,
                    "stage '\(stage.name)' reads column '\(input.name)', which no earlier stage produces "
                        + "(available: \(known))",
                    stage: stage.name, column: input.name)
            }
            if let problem = Self.mismatch(produced: source.spec.type, expected: input.type) {
                let producer = source.stage.map { "stage '\($0)' produces" } ?? "the request provides"
                throw ConveyorError(
                    .chainMismatch,
                    "stage '\(stage.name)' expects '\(input.name)' as \(input.type), but \(producer) "
                        + "\(source.spec.type): \(problem)",
                    stage: stage.name, column: input.name)
            }
        }
        for output in stage.outputs {
            available[output.name] = Source(spec: output, stage: stage.name)
        }
    }

    func spec(of column: String) -> ColumnSpec? { available[column]?.spec }

    /// Why a produced type cannot feed an expected one, or nil if it can.
    static func mismatch(produced: ColumnType, expected: ColumnType) -> String? {
        switch (produced.shape, expected.shape) {
        case (.vector(let have), .vector(let want)):
            if let have, let want, have != want { return "width \(have) where \(want) is needed" }
            return nil
        case (.scalar, .vector), (.vector, .scalar):
            return "a vector and a scalar do not fit"
        case (.list, .list):
            return produced.scalar == expected.scalar ? nil : "lists of different element types"
        case (.list, _), (_, .list):
            return "a list and a single value or vector do not fit"
        case (.scalar, .scalar):
            if produced.scalar == .string && expected.scalar != .string { return "text where a number is needed" }
            if produced.scalar != .string && expected.scalar == .string { return "a number where text is needed" }
            return nil
        }
    }
}
