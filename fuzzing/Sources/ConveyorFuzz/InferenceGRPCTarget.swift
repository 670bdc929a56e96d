import Codecs
import ConveyorCore
import InferenceGRPC

/// The Open Inference Protocol's gRPC requests (`ModelInferRequest` as
/// protobuf bytes, what `conveyor serve --grpc-port` receives): swift-protobuf
/// decodes, then our reading of raw and typed tensor values and the REST
/// decoder's checks into every column layout the other targets use; what
/// decodes is encoded as raw outputs and read back. The bytes are also read
/// directly as `raw_input_contents` of every datatype.
enum InferenceGRPCTarget {
    static func run(_ bytes: [UInt8]) {
        for datatype in InferenceProtocol.Datatype.allCases {
            _ = try? InferenceProtocol.TensorData(raw: bytes, datatype: datatype, tensor: "t")
        }
        guard let request = try? Inference_ModelInferRequest(serializedBytes: bytes) else { return }
        _ = request.payloadBytes
        guard let tensors = try? request.tensors() else { return }
        for layout in ArrowTarget.layouts {
            guard let decoded = try? InferenceProtocol.RequestDecoder(inputs: layout).decode(tensors, id: nil, outputs: nil),
                  let outputs = try? InferenceProtocol.RawOutput.encode(decoded.frame, columns: decoded.frame.columnNames)
            else { continue }
            // Conveyor's own raw outputs must read back as raw inputs with as many elements.
            for output in outputs {
                let back = try? InferenceProtocol.TensorData(raw: output.bytes, datatype: output.datatype, tensor: output.name)
                let elements = output.shape.reduce(1, *)
                precondition(back?.count == elements, "raw output '\(output.name)' did not read back")
            }
            _ = Inference_ModelInferResponse(outputs, model: "m", version: "1", id: request.id)
        }
    }
}
