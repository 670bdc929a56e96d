/// The values the restricted pickle reader can hold. There is no general
/// "object": the only object it can build is an inert `Booster` record.
indirect enum PickleValue: Equatable, Sendable {
    case none
    case bool(Bool)
    case int(Int64)
    case float(Double)
    /// A Python 2 `str` or a Python 3 `bytes`.
    case bytes([UInt8])
    /// A `unicode` / `str` as Unicode scalars.
    case text([UInt32])
    case bytearray([UInt8])
    case tuple([PickleValue])
    case list([PickleValue])
    case dict([DictEntry])
    /// A reference to one of the allowed globals; never resolved to code.
    case global(AllowedGlobal)
    /// `xgboost.core.Booster` rebuilt from its state, without running anything.
    case booster(state: [DictEntry]?)

    struct DictEntry: Equatable, Sendable {
        var key: PickleValue
        var value: PickleValue
    }

    /// The value as a short description, for messages.
    var kind: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .bytes: return "bytes"
        case .text: return "str"
        case .bytearray: return "bytearray"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .global(let global): return global.description
        case .booster: return "xgboost.core.Booster"
        }
    }

    /// ASCII text of a `str`/`unicode` value (dictionary keys, encodings).
    var string: String? {
        switch self {
        case .text(let scalars): return String(String.UnicodeScalarView(scalars.compactMap(Unicode.Scalar.init)))
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }
}

/// The only globals a SageMaker XGBoost pickle may name: the Booster class
/// and the standard-library helpers Python uses to pickle it (Python 2
/// spellings as written by containers up to 0.90 on Python 2, and the
/// Python 3 spellings).
enum AllowedGlobal: String, Equatable, Sendable, CaseIterable, CustomStringConvertible {
    case reconstructor = "copyreg._reconstructor"
    case booster = "xgboost.core.Booster"
    case object = "builtins.object"
    case bytearray = "builtins.bytearray"

    init?(module: String, name: String) {
        switch (module, name) {
        case ("copy_reg", "_reconstructor"), ("copyreg", "_reconstructor"): self = .reconstructor
        case ("xgboost.core", "Booster"): self = .booster
        case ("__builtin__", "object"), ("builtins", "object"): self = .object
        case ("__builtin__", "bytearray"), ("builtins", "bytearray"): self = .bytearray
        default: return nil
        }
    }

    var description: String { rawValue }
}
