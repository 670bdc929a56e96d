import ConveyorCore
import Foundation

/// One entry of an MLflow signature (a column spec or a tensor spec),
/// mapped to a Conveyor column type.
public struct MLflowColumn: Sendable, Equatable {
    /// The spec's name; nil for MLflow's unnamed specs.
    public var name: String?
    public var type: ColumnType
    /// How MLflow wrote it (`long`, `tensor float64 [-1, 4]`), for `inspect`.
    public var mlflowType: String

    /// Column-spec types and the tensor dtypes with a Conveyor scalar type.
    static let scalarTypes: [String: ScalarType] = [
        "string": .string, "str": .string, "double": .double, "float64": .double, "float": .float,
        "float32": .float, "long": .long, "int64": .long, "integer": .int, "int32": .int, "int16": .short,
        "int8": .byte, "uint8": .short, "uint16": .int, "uint32": .long, "boolean": .boolean, "bool": .boolean,
    ]

    /// Why a type is refused, for the ones MLflow defines and Conveyor cannot carry.
    static let refusedTypes: [String: String] = [
        "binary": "binary columns (bytes) have no Conveyor type: CSV and JSON requests carry text and numbers",
        "bytes": "binary columns (bytes) have no Conveyor type: CSV and JSON requests carry text and numbers",
        "datetime": "Conveyor has no datetime type; send the time as a string or a number and convert it in the model",
        "datetime64": "Conveyor has no datetime type; send the time as a string or a number and convert it in the model",
        "object": "object columns (nested records) have no Conveyor type",
        "map": "map columns have no Conveyor type",
        "any": "'any' columns have no fixed type Conveyor could check",
        "uint64": "uint64 does not fit Conveyor's long without loss",
    ]

    /// Parses one spec of a signature's `inputs` or `outputs` list.
    init(spec: Any, index: Int, side: String) throws {
        guard let object = spec as? [String: Any], let kind = object["type"] as? String else {
            throw ConveyorError(.modelCorrupt, "signature \(side) entry \(index + 1) is not an object with a 'type'")
        }
        name = object["name"] as? String
        let label = name.map { "'\($0.boundedForMessage(64))'" } ?? "\(index + 1)"
        switch kind {
        case "tensor":
            guard let tensor = object["tensor-spec"] as? [String: Any], let dtype = tensor["dtype"] as? String,
                  let shape = tensor["shape"] as? [Any] else {
                throw ConveyorError(.modelCorrupt, "signature \(side) \(label): a tensor without 'tensor-spec' dtype and shape")
            }
            let dims = shape.compactMap { ($0 as? NSNumber).flatMap { Int(exactly: $0.doubleValue) } }
            type = try Self.tensorType(dtype: dtype, shape: dims, count: shape.count, side: side, label: label)
            mlflowType = "tensor \(dtype) \(dims)"
        case "array":
            let items = (object["items"] as? [String: Any])?["type"] as? String
            guard items == "string" else {
                throw ConveyorError(.unsupportedModel, "signature \(side) \(label): arrays of \(items ?? "?") have no Conveyor type "
                    + "(arrays of strings become list<string> columns)")
            }
            type = .stringList
            mlflowType = "array<string>"
        case "sparkml_vector":
            type = .vector(nil)
            mlflowType = kind
        default:
            type = ColumnType(try Self.scalar(kind, side: side, label: label))
            mlflowType = kind
        }
    }

    init(name: String?, type: ColumnType, mlflowType: String) {
        self.name = name
        self.type = type
        self.mlflowType = mlflowType
    }

    static func scalar(_ kind: String, side: String, label: String) throws -> ScalarType {
        if let scalar = scalarTypes[kind] { return scalar }
        let reason = refusedTypes[kind] ?? "it is not an MLflow type Conveyor knows"
        throw ConveyorError(.unsupportedModel, "signature \(side) \(label) has type '\(kind.boundedForMessage(64))': \(reason)")
    }

    /// `[-1]` is a scalar per row, `[-1, n]` a vector of n; other shapes are refused.
    static func tensorType(dtype: String, shape: [Int], count: Int, side: String, label: String) throws -> ColumnType {
        let scalar = try scalar(dtype, side: side, label: label)
        guard shape.count == count, let first = shape.first, first == -1 else {
            throw ConveyorError(.unsupportedModel, "signature \(side) \(label): tensor shape \(shape) is not a batch of rows "
                + "([-1] or [-1, n])")
        }
        switch shape.count {
        case 1: return ColumnType(scalar)
        case 2:
            let width = shape[1]
            guard (1...MLflowLimits.maxColumns).contains(width) else {
                throw ConveyorError(.unsupportedModel, "signature \(side) \(label): tensor width \(width) is not 1 to \(MLflowLimits.maxColumns)")
            }
            guard scalar.isNumeric || scalar == .boolean else {
                throw ConveyorError(.unsupportedModel, "signature \(side) \(label): a tensor of \(dtype) has no Conveyor type "
                    + "(vectors hold numbers)")
            }
            return ColumnType(scalar, .vector(width: width))
        default:
            throw ConveyorError(.unsupportedModel, "signature \(side) \(label): tensor shape \(shape) has \(shape.count) dimensions; "
                + "Conveyor columns are scalars or vectors ([-1] or [-1, n])")
        }
    }
}
