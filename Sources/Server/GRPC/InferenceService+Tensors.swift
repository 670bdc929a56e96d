import Foundation
import Codecs
import ConveyorCore
import InferenceGRPC

extension InferenceService {
    /// A request's input tensors with their values: from `raw_input_contents`
    /// (one entry per input, as tritonclient sends them) or from each
    /// tensor's typed `contents`, never both.
    static func tensors(_ request: Inference_ModelInferRequest) throws -> [InferenceProtocol.Tensor] {
        let raw = request.rawInputContents
        if !raw.isEmpty {
            guard raw.count == request.inputs.count else {
                throw ConveyorError(
                    .invalidInput,
                    "raw_input_contents has \(raw.count) entries for \(request.inputs.count) inputs: give one per input, in order")
            }
            if let typed = request.inputs.first(where: \.hasContents) {
                throw ConveyorError(
                    .invalidInput,
                    "input tensor '\(typed.name.boundedForMessage(100))' has contents while the request uses raw_input_contents; "
                        + "use one or the other", column: typed.name)
            }
        }
        return try request.inputs.enumerated().map { index, input in
            let datatype = InferenceProtocol.Datatype(rawValue: input.datatype)
            var data: InferenceProtocol.TensorData?
            if let datatype, datatype != .fp16 {
                if !raw.isEmpty {
                    data = try InferenceProtocol.TensorData(raw: Array(raw[index]), datatype: datatype, tensor: input.name)
                } else if input.hasContents {
                    data = try InferenceProtocol.TensorData(contents: contents(input.contents), datatype: datatype, tensor: input.name)
                }
            }
            // Unknown and FP16 datatypes are refused here, with the REST wording.
            return try InferenceProtocol.Tensor(name: input.name, datatype: input.datatype, shape: input.shape, data: data)
        }
    }

    /// The bytes a request's tensor values take, counted without copying
    /// them: what `--max-payload-mb` bounds, as it bounds a REST body.
    static func payloadBytes(_ request: Inference_ModelInferRequest) -> Int {
        var total = request.rawInputContents.reduce(0) { $0 + $1.count }
        for input in request.inputs where input.hasContents {
            let contents = input.contents
            total += contents.boolContents.count + 4 * (contents.intContents.count + contents.uintContents.count
                + contents.fp32Contents.count) + 8 * (contents.int64Contents.count + contents.uint64Contents.count
                + contents.fp64Contents.count)
            total += contents.bytesContents.reduce(0) { $0 + 4 + $1.count }
        }
        return total
    }

    private static func contents(_ message: Inference_InferTensorContents) -> InferenceProtocol.TensorData.Contents {
        var contents = InferenceProtocol.TensorData.Contents()
        contents.bools = message.boolContents
        contents.ints = message.intContents
        contents.int64s = message.int64Contents
        contents.uints = message.uintContents
        contents.uint64s = message.uint64Contents
        contents.fp32s = message.fp32Contents
        contents.fp64s = message.fp64Contents
        contents.bytes = message.bytesContents.map { Array($0) }
        return contents
    }

    /// The answer: each output's name, datatype and shape, its values in `raw_output_contents`.
    static func response(_ outputs: [InferenceProtocol.RawOutput], model: String, version: String, id: String)
        -> Inference_ModelInferResponse
    {
        .with {
            $0.modelName = model
            $0.modelVersion = version
            $0.id = id
            $0.outputs = outputs.map { output in
                .with {
                    $0.name = output.name
                    $0.datatype = output.datatype.rawValue
                    $0.shape = output.shape.map(Int64.init)
                }
            }
            $0.rawOutputContents = outputs.map { Data($0.bytes) }
        }
    }
}
