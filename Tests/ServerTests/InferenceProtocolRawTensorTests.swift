import Codecs
import ConveyorCore
import Foundation
import InferenceGRPC
import Testing

/// The gRPC forms of tensors: `raw_input_contents` bytes and typed
/// `contents` into the same columns as the REST JSON, and
/// `raw_output_contents` out. Expected bytes are written out by hand from
/// the protocol's layout (little-endian; BYTES as a 4-byte length and bytes).
@Suite struct InferenceProtocolRawTensorTests {
    typealias Data = InferenceProtocol.TensorData
    static let specs = InferenceProtocolCodecTests.specs

    static func tensor(_ name: String, _ datatype: String, _ shape: [Int64], raw: [UInt8]) throws -> InferenceProtocol.Tensor {
        let type = try #require(InferenceProtocol.Datatype(rawValue: datatype))
        return try InferenceProtocol.Tensor(name: name, datatype: datatype, shape: shape,
                                            data: try Data(raw: raw, datatype: type, tensor: name))
    }

    /// Raw tensors for `specs`: two rows, the values of the REST codec test's request.
    static func rawTensors() throws -> [InferenceProtocol.Tensor] {
        [
            try tensor("flag", "BOOL", [2], raw: [1, 0]),
            try tensor("small", "INT8", [2, 1], raw: [0x80, 0x7F]),
            try tensor("count", "INT64", [2], raw: [0x01, 0, 0, 0, 0, 0, 0x20, 0, 0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
            // 0.1f = 0x3DCCCCCD, 2.5f = 0x40200000
            try tensor("ratio", "FP32", [2], raw: [0xCD, 0xCC, 0xCC, 0x3D, 0, 0, 0x20, 0x40]),
            // 0.1 = 0x3FB999999999999A, 1e300 = 0x7E37E43C8800759C
            try tensor("amount", "FP64", [2], raw: [0x9A, 0x99, 0x99, 0x99, 0x99, 0x99, 0xB9, 0x3F,
                                                    0x9C, 0x75, 0x00, 0x88, 0x3C, 0xE4, 0x37, 0x7E]),
            try tensor("label", "BYTES", [2], raw: [1, 0, 0, 0, 0x61, 4, 0, 0, 0, 0xC3, 0xA9, 0x22, 0x62]),
            try tensor("features", "INT32", [2, 3], raw: [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0]),
        ]
    }

    @Test func rawTensorsFillTheSameColumnsAsJSON() throws {
        let raw = try InferenceProtocol.RequestDecoder(inputs: Self.specs).decode(try Self.rawTensors(), id: "g", outputs: nil)
        let json = try InferenceProtocolCodecTests.decode(InferenceProtocolCodecTests.request())
        #expect(raw.id == "g")
        #expect(raw.frame == json.frame)
        #expect(raw.frame.column("count")?.values == .int([9_007_199_254_740_993, -3]))
        #expect(raw.frame.column("label")?.values == .string(["a", "é\"b"]))
    }

    @Test func typedContentsFillTheSameColumns() throws {
        func typed(_ name: String, _ datatype: String, _ shape: [Int64], _ fill: (inout Data.Contents) -> Void) throws
            -> InferenceProtocol.Tensor
        {
            var contents = Data.Contents()
            fill(&contents)
            let type = try #require(InferenceProtocol.Datatype(rawValue: datatype))
            return try InferenceProtocol.Tensor(name: name, datatype: datatype, shape: shape,
                                                data: try Data(contents: contents, datatype: type, tensor: name))
        }
        let tensors = [
            try typed("flag", "BOOL", [2]) { $0.bools = [true, false] },
            try typed("small", "INT8", [2, 1]) { $0.ints = [-128, 127] },
            try typed("count", "INT64", [2]) { $0.int64s = [9_007_199_254_740_993, -3] },
            try typed("ratio", "FP32", [2]) { $0.fp32s = [0.1, 2.5] },
            try typed("amount", "FP64", [2]) { $0.fp64s = [0.1, 1e300] },
            try typed("label", "BYTES", [2]) { $0.bytes = [Array("a".utf8), Array("é\"b".utf8)] },
            try typed("features", "UINT32", [2, 3]) { $0.uints = [1, 2, 3, 4, 5, 6] },
        ]
        let typedRequest = try InferenceProtocol.RequestDecoder(inputs: Self.specs).decode(tensors, id: nil, outputs: ["label"])
        let json = try InferenceProtocolCodecTests.decode(InferenceProtocolCodecTests.request())
        #expect(typedRequest.frame == json.frame)
        #expect(typedRequest.outputs == ["label"])
    }

    @Test func rawAndTypedValuesAreCheckedAsJSONValuesAre() throws {
        func refusal(_ replacing: InferenceProtocol.Tensor) throws -> String? {
            var tensors = try Self.rawTensors()
            let index = try #require(tensors.firstIndex { $0.name == replacing.name })
            tensors[index] = replacing
            let error = #expect(throws: ConveyorError.self) {
                try InferenceProtocol.RequestDecoder(inputs: Self.specs).decode(tensors, id: nil, outputs: nil)
            }
            return error?.description
        }
        // An INT8 tensor's int_contents are 32-bit on the wire: 300 is out of its range.
        var wide = Data.Contents()
        wide.ints = [300, 1]
        let outOfRange = try refusal(try InferenceProtocol.Tensor(name: "small", datatype: "INT8", shape: [2],
                                                                  data: try Data(contents: wide, datatype: .int8, tensor: "small")))
        #expect(outOfRange?.contains("input tensor 'small': 300 is out of range for INT8") == true, "\(outOfRange ?? "")")
        // Three values for a shape of two.
        let count = try refusal(try Self.tensor("ratio", "FP32", [2], raw: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
        #expect(count?.contains("input tensor 'ratio' has shape [2], which holds 2 elements, but its data has 3") == true,
                "\(count ?? "")")
        // A string column takes BYTES only, and BYTES must be UTF-8 for it.
        let wrongType = try refusal(try Self.tensor("label", "INT32", [2], raw: [1, 0, 0, 0, 2, 0, 0, 0]))
        #expect(wrongType?.contains("input tensor 'label' is INT32, but column 'label' is string: send BYTES") == true)
        let badText = try refusal(try Self.tensor("label", "BYTES", [2], raw: [1, 0, 0, 0, 0xFF, 1, 0, 0, 0, 0x61]))
        #expect(badText?.contains("row 1") == true && badText?.contains("UTF-8") == true, "\(badText ?? "")")
        // UINT64 beyond Int64.
        let huge = try refusal(try Self.tensor("count", "UINT64", [2], raw: Array(repeating: 0xFF, count: 8) + [1, 0, 0, 0, 0, 0, 0, 0]))
        #expect(huge?.contains("18446744073709551615 is beyond the integers columns hold") == true, "\(huge ?? "")")
    }

    @Test func malformedRawBytesAndContentsAreRefusedNamingTheTensor() throws {
        let partial = #expect(throws: ConveyorError.self) { try Data(raw: [1, 2, 3], datatype: .fp32, tensor: "x") }
        #expect(partial?.message == "input tensor 'x' has 3 raw bytes, not a whole number of 4-byte FP32 elements")
        let shortLength = #expect(throws: ConveyorError.self) { try Data(raw: [1, 0, 0], datatype: .bytes, tensor: "s") }
        #expect(shortLength?.message == "input tensor 's' ends inside the length of BYTES element 1")
        let overLength = #expect(throws: ConveyorError.self) { try Data(raw: [9, 0, 0, 0, 0x61], datatype: .bytes, tensor: "s") }
        #expect(overLength?.message == "input tensor 's' BYTES element 1 declares 9 bytes but 1 remain")
        var contents = Data.Contents()
        contents.fp64s = [1]
        let stray = #expect(throws: ConveyorError.self) { try Data(contents: contents, datatype: .fp32, tensor: "r") }
        #expect(stray?.message == "input tensor 'r' is FP32, whose values go in fp32_contents, but it has fp64_contents")
        let missing = #expect(throws: ConveyorError.self) {
            try InferenceProtocol.Tensor(name: "r", datatype: "FP32", shape: [1], data: nil)
        }
        #expect(missing?.message == "input tensor 'r' has no values: give its fp32_contents or raw_input_contents")
        let negative = #expect(throws: ConveyorError.self) {
            try InferenceProtocol.Tensor(name: "r", datatype: "FP32", shape: [-1], data: .fp32([]))
        }
        #expect(negative?.message.contains("shape size that is not a whole number ≥ 0") == true)
        let fp16 = #expect(throws: ConveyorError.self) {
            try InferenceProtocol.Tensor(name: "h", datatype: "FP16", shape: [1], data: nil)
        }
        #expect(fp16?.message == "input tensor 'h' is FP16, which Conveyor does not take: send FP32 or FP64")
    }

    @Test func outputsAreRawLittleEndianTensors() throws {
        var frame = Frame(rowCount: 2)
        try frame.put(Column(name: "p", type: ColumnType(.float), values: .double([0.1, -2])))
        try frame.put(Column.doubles("d", [1e300, 0], nulls: [false, true]))
        try frame.put(Column(name: "n", type: ColumnType(.short), values: .int([-2, 258])))
        try frame.put(Column.strings("s", ["é", ""]))
        try frame.put(Column(name: "b", type: ColumnType(.boolean), values: .bool([true, false])))
        try frame.put(Column(name: "v", type: .vector(2), values: .vector(VectorBlock(width: 2, storage: [1, 2, 3, 4]))))
        let outputs = try InferenceProtocol.RawOutput.encode(frame, columns: ["p", "d", "n", "s", "b", "v"])
        #expect(outputs.map(\.name) == ["p", "d", "n", "s", "b", "v"])
        #expect(outputs.map(\.datatype.rawValue) == ["FP32", "FP64", "INT16", "BYTES", "BOOL", "FP64"])
        #expect(outputs.map(\.shape) == [[2], [2], [2], [2], [2], [2, 2]])
        #expect(outputs[0].bytes == [0xCD, 0xCC, 0xCC, 0x3D, 0, 0, 0, 0xC0])
        // A null number is NaN (0x7FF8000000000000).
        #expect(outputs[1].bytes == [0x9C, 0x75, 0x00, 0x88, 0x3C, 0xE4, 0x37, 0x7E, 0, 0, 0, 0, 0, 0, 0xF8, 0x7F])
        #expect(outputs[2].bytes == [0xFE, 0xFF, 0x02, 0x01])
        #expect(outputs[3].bytes == [2, 0, 0, 0, 0xC3, 0xA9, 0, 0, 0, 0])
        #expect(outputs[4].bytes == [1, 0])
        #expect(outputs[5].bytes.count == 32 && outputs[5].bytes[24...] == [0, 0, 0, 0, 0, 0, 0x10, 0x40])
        // Raw output bytes read back as raw input give the values again.
        let back = try Data(raw: outputs[3].bytes, datatype: .bytes, tensor: "s")
        guard case .bytes(let strings) = back else {
            Issue.record("not BYTES")
            return
        }
        #expect(strings == [Array("é".utf8), []])
    }

    @Test func aNullThatARawTensorCannotCarryIsRefused() throws {
        var frame = Frame(rowCount: 2)
        try frame.put(Column.strings("label", ["a", ""], nulls: [false, true]))
        let error = #expect(throws: ConveyorError.self) { try InferenceProtocol.RawOutput.encode(frame, columns: ["label"]) }
        #expect(error?.code == .unsupportedAccept)
        #expect(error?.row == 2 && error?.column == "label")
    }

    /// A protobuf request: raw contents go with their inputs one to one, and
    /// a request uses raw or typed contents, not both.
    @Test func aGRPCRequestsRawContentsMatchItsInputs() throws {
        var request = Inference_ModelInferRequest()
        request.inputs = [.with { $0.name = "ratio"; $0.datatype = "FP32"; $0.shape = [1] },
                          .with { $0.name = "label"; $0.datatype = "BYTES"; $0.shape = [1] }]
        request.rawInputContents = [Foundation.Data([0, 0, 0x20, 0x40])]
        let short = #expect(throws: ConveyorError.self) { try request.tensors() }
        #expect(short?.message == "raw_input_contents has 1 entries for 2 inputs: give one per input, in order")
        request.rawInputContents.append(Foundation.Data([1, 0, 0, 0, 0x61]))
        let tensors = try request.tensors()
        #expect(tensors.map(\.name) == ["ratio", "label"] && tensors.map(\.shape) == [[1], [1]])
        #expect(request.payloadBytes == 9)
        request.inputs[1].contents = .with { $0.bytesContents = [Foundation.Data("a".utf8)] }
        let both = #expect(throws: ConveyorError.self) { try request.tensors() }
        #expect(both?.message.contains("input tensor 'label' has contents while the request uses raw_input_contents") == true)
    }
}
