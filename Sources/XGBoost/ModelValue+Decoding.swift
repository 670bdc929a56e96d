import Foundation

extension ModelValue: Decodable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int64.self) {
            self = .int(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let numbers = try? container.decode([Double].self), numbers.count > ModelValue.smallArray {
            // The trees' bulk arrays: integers are kept for the tree checks,
            // of floats only the length.
            self = Self.bulk(numbers)
        } else if let items = try? container.decode([ModelValue].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: ModelValue].self))
        }
    }

    static func bulk(_ numbers: [Double]) -> ModelValue {
        var integers: [Int32] = []
        integers.reserveCapacity(numbers.count)
        for number in numbers {
            // XGBoost writes float32 values: narrowed back here (DART's
            // weight_drop is read from them; trees come from libxgboost's export).
            guard let integer = saturatedInt32(number) else { return .floats(numbers.map { Float($0) }) }
            integers.append(integer)
        }
        return .integers(integers)
    }

    /// Parses a JSON model. JSON5 is allowed because XGBoost writes
    /// non-finite floats as `NaN` and `Infinity`, which strict JSON lacks.
    /// Invalid UTF-8 is refused first: Foundation's JSON5 scanner traps on it
    /// (found by fuzzing/run.sh xgboost-json) instead of throwing.
    static func parseJSON(_ bytes: [UInt8]) throws -> ModelValue {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw XGBoostError(.corruptModel, "the JSON model is not valid UTF-8")
        }
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        return try decoder.decode(ModelValue.self, from: Data(bytes))
    }
}
