import Codecs
import ConveyorCore

/// SageMaker's per-record DataProcessing on bytes: JSONPath filters over
/// CSV rows (as arrays of fields) or JSON records, and JoinSource=Input.
enum RecordProcessing {
    static func filter(_ record: ArraySlice<UInt8>, with path: JSONPath, csv: Bool) throws -> [UInt8] {
        if csv {
            let fields = CSVRecord.fields(record)
            // Indexes stand for fields, so the selection maps back to raw text.
            let selected = try path.apply(.array(fields.indices.map { .number(String($0)) }))
            var out: [UInt8] = []
            switch selected {
            case .array(let items):
                CSVRecord.join(try items.map { try field(fields, $0, path) }, into: &out)
            default:
                out += try field(fields, selected, path)
            }
            return out
        }
        return try path.apply(try parse(record)).bytes
    }

    private static func field(_ fields: [ArraySlice<UInt8>], _ value: JSONValue, _ path: JSONPath) throws -> ArraySlice<UInt8> {
        guard case .number(let text) = value, let index = Int(text) else {
            throw ConveyorError(.invalidInput, "JSONPath '\(path)' must select CSV columns by index")
        }
        return fields[index]
    }

    /// CSV: input fields then output fields. JSON: the input object with a
    /// `SageMakerOutput` member, or `{"SageMakerInput":…,"SageMakerOutput":…}`.
    static func join(input: ArraySlice<UInt8>, output: [UInt8], csv: Bool) throws -> [UInt8] {
        if csv { return Array(input) + [UInt8(ascii: ",")] + output }
        let inputValue = try parse(input)
        let outputValue = try parse(output[...])
        if case .object(var members) = inputValue {
            members.removeAll { $0.key == "SageMakerOutput" }
            members.append((key: "SageMakerOutput", value: outputValue))
            return JSONValue.object(members).bytes
        }
        return JSONValue.object([(key: "SageMakerInput", value: inputValue), (key: "SageMakerOutput", value: outputValue)]).bytes
    }

    private static func parse(_ bytes: ArraySlice<UInt8>) throws -> JSONValue {
        do {
            return try JSONValue.parse(bytes)
        } catch let error as ConveyorError {
            throw ConveyorError(.invalidInput, "not a JSON record: \(error.message)")
        }
    }
}
