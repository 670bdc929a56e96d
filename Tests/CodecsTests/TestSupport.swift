import ConveyorTestSupport
import Codecs
import ConveyorCore
import Testing

/// Decodes `text` with the given input columns.
func decode(_ text: String, _ inputs: [ColumnSpec], as type: MediaType = .csv) throws -> Frame {
    try FrameDecoder(inputs: inputs).decode(Array(text.utf8), as: type)
}

/// The error `body` throws, or nil (Issue recorded by the caller's #expect).
func conveyorError(_ body: () throws -> Void) -> ConveyorError? {
    do {
        try body()
        return nil
    } catch let error as ConveyorError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

func strings(_ frame: Frame, _ name: String) -> [String]? {
    guard case .string(let values)? = frame.column(name)?.values else { return nil }
    return values.strings
}

func doubles(_ frame: Frame, _ name: String) -> [Double]? {
    guard case .double(let values)? = frame.column(name)?.values else { return nil }
    return values
}

func ints(_ frame: Frame, _ name: String) -> [Int64]? {
    guard case .int(let values)? = frame.column(name)?.values else { return nil }
    return values
}

func bools(_ frame: Frame, _ name: String) -> [Bool]? {
    guard case .bool(let values)? = frame.column(name)?.values else { return nil }
    return values
}

func block(_ frame: Frame, _ name: String) -> VectorBlock? {
    guard case .vector(let block)? = frame.column(name)?.values else { return nil }
    return block
}

/// Bit patterns, so that NaN equals NaN and -0.0 differs from 0.0.
func bits(_ values: [Double]?) -> [UInt64]? {
    values?.map(\.bitPattern)
}


extension String {
    var bytes: [UInt8] { Array(utf8) }
}

let carInputs: [ColumnSpec] = ["buying", "maint", "doors", "persons", "lug_boot", "safety"]
    .map { ColumnSpec($0, .string) }
