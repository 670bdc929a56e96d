import ConveyorCore

/// Params the text stages read: bounded integers, one in/out column pair,
/// and refusals naming the param.
extension SparkMetadata {
    /// An integer param within `range` (Spark stores them as JSON numbers);
    /// nil when absent, an error when not an integer in range.
    func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = param(name) else { return nil }
        guard let number = value.double, let integer = Int(exactly: number), range.contains(integer) else {
            throw failure("param '\(name)' is \(Self.describe(value)); it must be an integer in "
                + "\(range.lowerBound)...\(range.upperBound)")
        }
        return integer
    }

    /// `inputCol` and `outputCol` of a one-column stage.
    func singleColumnPair() throws -> (input: String, output: String) {
        (input: try require(string("inputCol"), "inputCol"), output: try require(string("outputCol"), "outputCol"))
    }

    /// A param value Conveyor cannot compute as Spark would, refused at load.
    func unsupported(_ param: String, _ reason: String) -> ConveyorError {
        ConveyorError(.unsupportedModel, "\(className) '\(uid)': param '\(param)': \(reason)")
    }

    /// The major version of the Spark that saved the stage (`2` of `2.4.8`).
    var sparkMajorVersion: Int? {
        sparkVersion.split(separator: ".").first.flatMap { Int($0) }
    }
}
