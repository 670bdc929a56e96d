import Codecs
import ConveyorCore
import Foundation
import Testing

/// The Open Inference Protocol codec on its own: every datatype into the
/// columns it fits, shapes, nested data, whole-row tensors, and the
/// refusals, each naming the tensor.
@Suite struct InferenceProtocolCodecTests {
    static let specs: [ColumnSpec] = [
        ColumnSpec("flag", ColumnType(.boolean)), ColumnSpec("small", ColumnType(.byte)),
        ColumnSpec("count", ColumnType(.long)), ColumnSpec("ratio", ColumnType(.float)),
        ColumnSpec("amount", .double), ColumnSpec("label", .string), ColumnSpec("features", .vector(3)),
    ]

    static func decode(_ json: String, _ specs: [ColumnSpec] = specs) throws -> InferenceProtocol.Request {
        var text = json
        return try text.withUTF8 { try InferenceProtocol.RequestDecoder(inputs: specs).decode(UnsafeRawBufferPointer($0)) }
    }

    static func tensor(_ name: String, _ datatype: String, _ shape: [Int], _ data: String) -> String {
        #"{"name":"\#(name)","datatype":"\#(datatype)","shape":\#(shape),"data":\#(data)}"#
    }

    /// A request for `specs` with two rows, replacing the named tensors.
    static func request(_ replacing: [String: String] = [:], id: String? = nil) -> String {
        var tensors: [String: String] = [
            "flag": tensor("flag", "BOOL", [2], "[true,false]"),
            "small": tensor("small", "INT8", [2, 1], "[[-128],[127]]"),
            "count": tensor("count", "INT64", [2], "[9007199254740993,-3]"),
            "ratio": tensor("ratio", "FP32", [2], "[0.1,2.5]"),
            "amount": tensor("amount", "FP64", [2], "[0.1,1e300]"),
            "label": tensor("label", "BYTES", [2], #"["a","é\"b"]"#),
            "features": tensor("features", "FP64", [2, 3], "[1,2,3,4,5,6]"),
        ]
        for (name, value) in replacing { tensors[name] = value }
        let inputs = specs.compactMap { tensors[$0.name] }.joined(separator: ",")
        return #"{\#(id.map { #""id":"\#($0)","# } ?? "")"inputs":[\#(inputs)]}"#
    }

    @Test func everyDatatypeFillsItsColumn() throws {
        let request = try Self.decode(Self.request(id: "r-1"))
        #expect(request.id == "r-1")
        #expect(request.outputs == nil)
        let frame = request.frame
        #expect(frame.rowCount == 2)
        #expect(frame.column("flag")?.values == .bool([true, false]))
        #expect(frame.column("small")?.values == .int([-128, 127]))
        // An INT64 beyond 2^53 stays exact.
        #expect(frame.column("count")?.values == .int([9_007_199_254_740_993, -3]))
        #expect(frame.column("ratio")?.values == .double([Double(Float(0.1)), 2.5]))
        #expect(frame.column("amount")?.values == .double([0.1, 1e300]))
        #expect(frame.column("label")?.values == .string(["a", "é\"b"]))
        #expect(frame.column("features")?.values == .vector(VectorBlock(width: 3, storage: [1, 2, 3, 4, 5, 6])))
    }

    @Test func fp32IntoADoubleColumnIsRoundedToFloat32AndIntegersWiden() throws {
        let fp32 = try Self.decode(Self.request(["amount": Self.tensor("amount", "FP32", [2], "[0.1,3]")]))
        #expect(fp32.frame.column("amount")?.values == .double([Double(Float(0.1)), 3]))
        let uint = try Self.decode(Self.request(["amount": Self.tensor("amount", "UINT16", [2], "[65535,0]")]))
        #expect(uint.frame.column("amount")?.values == .double([65535, 0]))
        let vector32 = try Self.decode(Self.request(["features": Self.tensor("features", "FP32", [2, 3], "[0.1,2,3,4,5,6]")]))
        #expect(vector32.frame.column("features")?.values
            == .vector(VectorBlock(width: 3, storage: [Double(Float(0.1)), 2, 3, 4, 5, 6])))
    }

    @Test func nestedDataEqualsFlatData() throws {
        let nested = try Self.decode(Self.request(["features": Self.tensor("features", "FP64", [2, 3], "[[1,2,3],[4,5,6]]"),
                                                   "label": Self.tensor("label", "BYTES", [2, 1], #"[["a"],["é\"b"]]"#)]))
        let flat = try Self.decode(Self.request())
        #expect(nested.frame == flat.frame)
    }

    @Test func nullsAreMissingValues() throws {
        let request = try Self.decode(Self.request(["amount": Self.tensor("amount", "FP64", [2], "[null,1]"),
                                                    "features": Self.tensor("features", "FP64", [2, 3], "[1,null,3,4,5,6]")]))
        let amount = try #require(request.frame.column("amount"))
        #expect(amount.isNull(0) && !amount.isNull(1))
        guard case .vector(let block)? = request.frame.column("features")?.values else {
            Issue.record("features is not a vector")
            return
        }
        #expect(block[0, 1].isNaN && block[0, 2] == 3)
    }

    @Test func requestedOutputsAreKeptInOrderAndChecked() throws {
        let json = Self.request().dropLast() + #","outputs":[{"name":"b"},{"name":"a","parameters":{"binary_data":true}}]}"#
        let request = try Self.decode(String(json))
        #expect(request.outputs == ["b", "a"])
        let available = [ColumnSpec("a", .double), ColumnSpec("b", .string)]
        #expect(try InferenceProtocol.outputNames(requested: request.outputs, available: available) == ["b", "a"])
        #expect(try InferenceProtocol.outputNames(requested: nil, available: available) == ["a", "b"])
        let unknown = #expect(throws: ConveyorError.self) {
            try InferenceProtocol.outputNames(requested: ["c"], available: available)
        }
        #expect(unknown?.message.contains("unknown output tensor 'c'; the model's outputs are a, b") == true)
    }

    @Test func wholeRowTensorsMapWhenTheyFitCleanly() throws {
        let specs = [ColumnSpec("a", .string), ColumnSpec("b", .double), ColumnSpec("c", ColumnType(.long))]
        let bytes = try Self.decode(#"{"inputs":[{"name":"input-0","datatype":"BYTES","shape":[2,3],"data":[["x","1.5","7"],["y","2","-1"]]}]}"#, specs)
        #expect(bytes.frame.column("a")?.values == .string(["x", "y"]))
        #expect(bytes.frame.column("b")?.values == .double([1.5, 2]))
        #expect(bytes.frame.column("c")?.values == .int([7, -1]))
        let numeric = [ColumnSpec("b", .double), ColumnSpec("c", ColumnType(.long))]
        let numbers = try Self.decode(#"{"inputs":[{"name":"x","datatype":"INT64","shape":[2,2],"data":[1,2,3,4]}]}"#, numeric)
        #expect(numbers.frame.column("b")?.values == .double([1, 3]))
        #expect(numbers.frame.column("c")?.values == .int([2, 4]))
        // Numbers cannot fill a string column.
        let refused = #expect(throws: ConveyorError.self) {
            try Self.decode(#"{"inputs":[{"name":"x","datatype":"FP64","shape":[1,3],"data":[1,2,3]}]}"#, specs)
        }
        #expect(refused?.message.contains("send whole rows as BYTES") == true)
        #expect(refused?.column == "a")
    }

    /// (request, words the message must hold, column the error names).
    static let refusals: [(String, String, String?)] = [
        (request(["label": tensor("label", "INT64", [2], "[1,2]")]), "input tensor 'label' is INT64, but column 'label' is string: send BYTES", "label"),
        (request(["count": tensor("count", "FP64", [2], "[1,2]")]), "is FP64, but column 'count' is long: send INT64", "count"),
        (request(["flag": tensor("flag", "BOOL", [2], "[true,1]")]), "input tensor 'flag' element 2 is a number; BOOL elements are true or false", "flag"),
        (request(["amount": tensor("amount", "FP64", [3], "[1,2]")]), "has shape [3], which holds 3 elements, but its data has 2", "amount"),
        (request(["amount": tensor("amount", "FP64", [2], "[1,2,3]")]), "which holds 2 elements, but its data has 3", "amount"),
        (request(["amount": tensor("amount", "FP64", [1], "[1]")]), "input tensor 'amount' has 1 rows (shape [1])", "amount"),
        (request(["amount": tensor("amount", "FP64", [2, 2], "[1,2,3,4]")]), "takes one value per row: shape [N] or [N, 1]", "amount"),
        (request(["features": tensor("features", "FP64", [2, 2], "[1,2,3,4]")]), "takes a vector of 3 numbers per row: shape [N, 3]", "features"),
        (request(["small": tensor("small", "INT8", [2], "[1,128]")]), "'128' is out of range for INT8", "small"),
        (request(["small": tensor("small", "INT32", [2], "[1,1000]")]), "'1000' is out of range for byte", "small"),
        (request(["count": tensor("count", "UINT64", [2], "[1,18446744073709551615]")]), "is beyond the integers columns hold", "count"),
        (request(["count": tensor("count", "INT64", [2], "[1,1.5]")]), "'1.5' is not an integer", "count"),
        (request(["amount": tensor("amount", "FP16", [2], "[1,2]")]), "is FP16, which Conveyor does not take: send FP32 or FP64", "amount"),
        (request(["amount": tensor("amount", "FP128", [2], "[1,2]")]), "unknown datatype 'FP128'", "amount"),
        (request(["amount": tensor("amount", "FP64", [-1], "[1,2]")]), "shape size that is not a whole number", "amount"),
        (request(["amount": #"{"name":"amount","datatype":"FP64","shape":[2],"parameters":{"binary_data_size":16}}"#]),
         "binary data extension", "amount"),
        (request(["features": tensor("features", "FP64", [9223372036854775807, 3], "[1,2,3]")]), "which holds too many elements", "features"),
        (request(["amount": tensor("extra", "FP64", [2], "[1,2]")]), "unknown input tensor 'extra'; the model's inputs are flag, small", nil),
        (request(["amount": tensor("label", "BYTES", [2], #"["a","b"]"#)]), "input tensor 'label' is given twice", "label"),
        (#"{"inputs":[\#(tensor("flag", "BOOL", [1], "[true]"))]}"#, "missing input tensors 'small', 'count'", nil),
        (#"{"inputs":[]}"#, "'inputs', a non-empty list of tensors", nil),
        (#"[1,2]"#, "an inference request is a JSON object", nil),
        (#"{"inputs":[{"name":"flag"#, "invalid JSON at byte", nil),
        (#"{"id":7,"inputs":[]}"#, "'id' must be a string", nil),
    ]

    @Test(arguments: refusals.indices) func badTensorsAreRefusedNamingThem(_ index: Int) throws {
        let (json, words, column) = Self.refusals[index]
        let error = #expect(throws: ConveyorError.self) { try Self.decode(json) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains(words) == true, "\(error?.message ?? "no error")")
        #expect(error?.column == column, "\(String(describing: error))")
    }

    @Test func elementErrorsNameTheRow() throws {
        let error = #expect(throws: ConveyorError.self) {
            try Self.decode(Self.request(["amount": Self.tensor("amount", "FP64", [2, 1], #"[[1],["x"]]"#)]))
        }
        #expect(error?.row == 2)
        #expect(error?.column == "amount")
        #expect(error?.message == "input tensor 'amount' element 2 is a string; FP64 elements are numbers")
    }

    @Test func zeroRowsAndEmptyBodiesAreEmptyInput() throws {
        let empty = #expect(throws: ConveyorError.self) { try Self.decode("  ") }
        #expect(empty?.code == .emptyInput)
        let specs = [ColumnSpec("amount", .double)]
        let zero = #expect(throws: ConveyorError.self) {
            try Self.decode(#"{"inputs":[{"name":"amount","datatype":"FP64","shape":[0],"data":[]}]}"#, specs)
        }
        #expect(zero?.code == .emptyInput)
    }

    @Test func listColumnsAreRefusedInAndOut() throws {
        let specs = [ColumnSpec("tokens", .stringList)]
        let input = #expect(throws: ConveyorError.self) {
            try Self.decode(#"{"inputs":[{"name":"tokens","datatype":"BYTES","shape":[1],"data":["a"]}]}"#, specs)
        }
        #expect(input?.message.contains("a list of strings per row, which a tensor cannot carry") == true)
        let frame = try Frame(columns: [.stringLists("tokens", StringLists([["a", "b"]]))])
        let output = #expect(throws: ConveyorError.self) {
            try InferenceProtocol.ResponseEncoder().encode(frame, columns: ["tokens"], modelName: "m", modelVersion: nil, id: nil)
        }
        #expect(output?.code == .unsupportedAccept)
    }

    @Test func responsesCarryOneTensorPerColumn() throws {
        let frame = try Frame(columns: [
            .strings("label", ["a", "b\"c"]),
            Column(name: "p", type: ColumnType(.float, .vector(width: 2)),
                   values: .vector(VectorBlock(width: 2, storage: [0.1, .nan, 1, 2])), nulls: [false, true]),
            Column(name: "n", type: ColumnType(.long), values: .int([1, -2])),
            Column(name: "ok", type: ColumnType(.boolean), values: .bool([true, false])),
            .doubles("x", [0.5, .infinity]),
        ])
        let bytes = try InferenceProtocol.ResponseEncoder().encode(frame, columns: ["p", "label", "n", "ok", "x"],
                                                                   modelName: "m", modelVersion: "1", id: "q")
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"model_name":"m","model_version":"1","id":"q","outputs":["#
            + #"{"name":"p","datatype":"FP32","shape":[2,2],"data":[0.1,null,null,null]},"#
            + #"{"name":"label","datatype":"BYTES","shape":[2],"data":["a","b\"c"]},"#
            + #"{"name":"n","datatype":"INT64","shape":[2],"data":[1,-2]},"#
            + #"{"name":"ok","datatype":"BOOL","shape":[2],"data":[true,false]},"#
            + #"{"name":"x","datatype":"FP64","shape":[2],"data":[0.5,null]}]}"#)
    }

    @Test func metadataDescribesColumnsAsTensors() {
        let bytes = InferenceProtocol.modelMetadata(name: "m", versions: ["1"], platform: "conveyor",
                                                    inputs: [ColumnSpec("a", .string), ColumnSpec("v", .vector(nil))],
                                                    outputs: [ColumnSpec("p", ColumnType(.float, .vector(width: 4)))])
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"name":"m","versions":["1"],"platform":"conveyor","#
            + #""inputs":[{"name":"a","datatype":"BYTES","shape":[-1]},{"name":"v","datatype":"FP64","shape":[-1,-1]}],"#
            + #""outputs":[{"name":"p","datatype":"FP32","shape":[-1,4]}]}"#)
    }
}
