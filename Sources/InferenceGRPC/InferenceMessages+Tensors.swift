import Codecs
import ConveyorCore
import Foundation

/// The protocol's gRPC messages ↔ Codecs' `InferenceProtocol` types: a
/// request's tensors with their values, and the raw outputs as a response.
/// Parsing only; the server checks and runs them as it does REST bodies.
extension Inference_ModelInferRequest {
    /// The input tensors with their values: from `raw_input_contents` (one
    /// entry per input, as tritonclient sends them) or from each tensor's
    /// typed `contents`, never both.
    public func tensors() throws -> [InferenceProtocol.Tensor] {
        let raw = rawInputContents
        if !raw.isEmpty {
            guard raw.count == inputs.count else {
                throw ConveyorError(
                    .invalidInput,
                    "raw_input_contents has \(raw.count) entries for \(inputs.count) inputs: give one per input, in order")
            }
            if let typed = inputs.first(where: \.hasContents) {
                throw ConveyorError(
                    .invalidInput,
                    "input tensor '\(typed.name.boundedForMessage(100))' has contents while the request uses raw_input_contents; "
                        + "use one or the other", column: typed.name)
            }
        }
        return try inputs.enumerated().map { index, input in
            let datatype = InferenceProtocol.Datatype(rawValue: input.datatype)
            var data: InferenceProtocol.TensorData?
            if let datatype, datatype != .fp16 {
                if !raw.isEmpty {
                    data = try InferenceProtocol.TensorData(raw: Array(raw[index]), datatype: datatype, tensor: input.name)
                } else if input.hasContents {
                    data = try InferenceProtocol.TensorData(contents: input.contents.values, datatype: datatype, tensor: input.name)
                }
            }
            // Unknown and FP16 datatypes are refused here, with the REST wording.
            return try InferenceProtocol.Tensor(name: input.name, datatype: input.datatype, shape: input.shape, data: data)
        }
    }

    /// The bytes the tensor values take, counted without copying them: what
    /// `--max-payload-mb` bounds, as it bounds a REST body.
    public var payloadBytes: Int {
        var total = rawInputContents.reduce(0) { $0 + $1.count }
        for input in inputs where input.hasContents {
            let contents = input.contents
            total += contents.boolContents.count + 4 * (contents.intContents.count + contents.uintContents.count
                + contents.fp32Contents.count) + 8 * (contents.int64Contents.count + contents.uint64Contents.count
                + contents.fp64Contents.count)
            total += contents.bytesContents.reduce(0) { $0 + 4 + $1.count }
        }
        return total
    }

    /// The output names asked for, in order; nil: all of them.
    public var requestedOutputs: [String]? { outputs.isEmpty ? nil : outputs.map(\.name) }
}

extension Inference_InferTensorContents {
    /// The typed fields as Codecs takes them.
    var values: InferenceProtocol.TensorData.Contents {
        var contents = InferenceProtocol.TensorData.Contents()
        contents.bools = boolContents
        contents.ints = intContents
        contents.int64s = int64Contents
        contents.uints = uintContents
        contents.uint64s = uint64Contents
        contents.fp32s = fp32Contents
        contents.fp64s = fp64Contents
        contents.bytes = bytesContents.map { Array($0) }
        return contents
    }
}

extension Inference_ModelInferResponse {
    /// The answer: each output's name, datatype and shape, its values in `raw_output_contents`.
    public init(_ outputs: [InferenceProtocol.RawOutput], model: String, version: String, id: String) {
        self.init()
        modelName = model
        modelVersion = version
        self.id = id
        self.outputs = outputs.map { output in
            .with {
                $0.name = output.name
                $0.datatype = output.datatype.rawValue
                $0.shape = output.shape.map(Int64.init)
            }
        }
        rawOutputContents = outputs.map { Data($0.bytes) }
    }
}

extension Inference_ModelMetadataResponse.TensorMetadata {
    /// A column as the tensor that carries it (`InferenceProtocol.TensorMetadata`).
    public init(_ spec: ColumnSpec) {
        self.init()
        let tensor = InferenceProtocol.TensorMetadata(spec)
        name = tensor.name
        datatype = tensor.datatype.rawValue
        shape = tensor.shape.map(Int64.init)
    }
}
