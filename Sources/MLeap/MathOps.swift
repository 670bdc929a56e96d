import ConveyorCore
import Foundation

/// MLeap's MathUnary: one scalar function of a numeric column.
struct MathUnary: NodeTransformer {
    static let operations: [String: @Sendable (Double) -> Double] = [
        "sin": { sin($0) }, "cos": { cos($0) }, "tan": { tan($0) }, "log": { log($0) }, "exp": { exp($0) },
        "abs": { abs($0) }, "sqrt": { $0.squareRoot() }, "log10": { log10($0) }, "log2": { log2($0) },
        "asin": { asin($0) }, "acos": { acos($0) }, "atan": { atan($0) }, "sinh": { sinh($0) },
        "cosh": { cosh($0) }, "tanh": { tanh($0) }, "floor": { $0.rounded(.down) }, "ceil": { $0.rounded(.up) },
    ]

    let name: String
    let op = "math_unary"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let operation: String
    let function: @Sendable (Double) -> Double

    init(_ node: BundleNode) throws {
        let io = try node.singleIO()
        operation = try node.attributes.string("operation")
        guard let function = Self.operations[operation] else {
            throw ConveyorError(
                .unsupportedModel,
                "MLeap node '\(node.name)' (math_unary): operation '\(operation)' is not supported; supported: "
                    + Self.operations.keys.sorted().joined(separator: ", "))
        }
        self.function = function
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .double)]
    }

    var details: [Fact] { [Fact("operation", operation)] }

    func apply(to frame: inout Frame, stage: String) throws {
        let values = try Inputs.doubles(frame, inputNames[0], stage: stage)
        try frame.put(.doubles(outputs[0].name, values.map(function)))
    }
}

/// MLeap's MathBinary: a ∘ b of two numeric columns; a missing input port
/// takes its default (`da` / `db`).
struct MathBinary: NodeTransformer {
    static let operations: [String: @Sendable (Double, Double) -> Double] = [
        "add": { $0 + $1 }, "sub": { $0 - $1 }, "mul": { $0 * $1 }, "div": { $0 / $1 },
        "rem": { $0.truncatingRemainder(dividingBy: $1) }, "log_n": { log($0) / log($1) }, "pow": { pow($0, $1) },
        "min": { Swift.min($0, $1) }, "max": { Swift.max($0, $1) },
    ]

    let name: String
    let op = "math_binary"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let operation: String
    let function: @Sendable (Double, Double) -> Double
    let a: String?
    let b: String?
    let defaultA: Double
    let defaultB: Double

    init(_ node: BundleNode) throws {
        operation = try node.attributes.string("operation")
        guard let function = Self.operations[operation] else {
            throw ConveyorError(
                .unsupportedModel,
                "MLeap node '\(node.name)' (math_binary): operation '\(operation)' is not supported; supported: "
                    + Self.operations.keys.sorted().joined(separator: ", "))
        }
        self.function = function
        a = node.input(port: "input_a")
        b = node.input(port: "input_b")
        defaultA = node.attributes["da"]?.double ?? 0
        defaultB = node.attributes["db"]?.double ?? 0
        guard let output = node.outputNames.first, a != nil || b != nil else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (math_binary) has no inputs or no output")
        }
        name = node.name
        inputNames = [a, b].compactMap { $0 }
        outputs = [ColumnSpec(output, .double)]
    }

    var details: [Fact] { [Fact("operation", operation)] }

    func apply(to frame: inout Frame, stage: String) throws {
        let left = try a.map { try Inputs.doubles(frame, $0, stage: stage) }
        let right = try b.map { try Inputs.doubles(frame, $0, stage: stage) }
        var out = [Double](repeating: 0, count: frame.rowCount)
        for row in 0..<out.count {
            out[row] = function(left?[row] ?? defaultA, right?[row] ?? defaultB)
        }
        try frame.put(.doubles(outputs[0].name, out))
    }
}
