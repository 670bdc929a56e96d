import Codecs
import ConveyorCore
import Foundation
@testable import MLflow
import Testing

/// MLflow's signature types mapped to Conveyor's, and the input example's
/// layouts read into the same rows.
@Suite struct MLflowSignatureTests {
    static func signature(_ inputs: String, _ outputs: String = #"[{"type": "double"}]"#) throws -> MLflowSignature {
        try MLflowSignature(inputs: inputs, outputs: outputs)
    }

    @Test func columnTypesMapToConveyorTypes() throws {
        let signature = try Self.signature(#"""
            [{"type": "string", "name": "s"}, {"type": "double", "name": "d"}, {"type": "float", "name": "f"},
             {"type": "long", "name": "l"}, {"type": "integer", "name": "i"}, {"type": "boolean", "name": "b"},
             {"type": "array", "items": {"type": "string"}, "name": "words"}, {"type": "sparkml_vector", "name": "v"}]
            """#)
        #expect(signature.inputSpecs.map(\.description)
            == ["s: string", "d: double", "f: float", "l: long", "i: int", "b: boolean", "words: list<string>", "v: vector<double>"])
    }

    @Test func tensorSpecsAreScalarsOrVectors() throws {
        let signature = try Self.signature(#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]}}]"#,
                                           #"[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]"#)
        #expect(signature.inputSpecs.map(\.description) == ["input: vector<float>[3]"])
        #expect(signature.outputs.map(\.type) == [ColumnType(.long)])
        #expect(signature.outputs[0].mlflowType == "tensor int64 [-1]")
    }

    @Test(arguments: [
        (#"[{"type": "binary", "name": "photo"}]"#,
         "signature inputs 'photo' has type 'binary': binary columns (bytes) have no Conveyor type: CSV and JSON requests carry text and numbers"),
        (#"[{"type": "datetime", "name": "when"}]"#,
         "signature inputs 'when' has type 'datetime': Conveyor has no datetime type; send the time as a string or a number and convert it in the model"),
        (#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 28, 28]}, "name": "image"}]"#,
         "signature inputs 'image': tensor shape [-1, 28, 28] has 3 dimensions; Conveyor columns are scalars or vectors ([-1] or [-1, n])"),
        (#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [5]}}]"#,
         "signature inputs 1: tensor shape [5] is not a batch of rows ([-1] or [-1, n])"),
        (#"[{"type": "object", "name": "o", "properties": {}}]"#,
         "signature inputs 'o' has type 'object': object columns (nested records) have no Conveyor type"),
        (#"[{"type": "decimal", "name": "x"}]"#,
         "signature inputs 'x' has type 'decimal': it is not an MLflow type Conveyor knows"),
    ])
    func unmappableTypesAreRefusedByName(_ inputs: String, _ message: String) throws {
        let error = #expect(throws: ConveyorError.self) { try Self.signature(inputs) }
        #expect(error?.message == message)
    }

    @Test func malformedAndDeepSignaturesAreRefused() throws {
        let notJSON = #expect(throws: ConveyorError.self) { try Self.signature("[{") }
        #expect(notJSON?.message.hasPrefix("the signature's inputs is not valid JSON") == true)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let tooDeep = #expect(throws: ConveyorError.self) { try Self.signature(deep) }
        #expect(tooDeep?.message == "the signature's inputs nests deeper than 32 levels")
    }

    // MARK: input examples

    static let inputs = [ColumnSpec("a", .double), ColumnSpec("b", .string)]

    /// Writes `json` as an example, reads it in, and decodes it with Conveyor's JSON decoder.
    static func decode(_ json: String, inputs: [ColumnSpec] = inputs) throws -> (layout: String, frame: Frame) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("example-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        let example = try MLflowInputExample(url: url, inputs: inputs)
        return (example.layout, try FrameDecoder(inputs: inputs).decode(example.body, as: .json))
    }

    @Test(arguments: [
        (#"{"columns": ["b", "a"], "data": [["x", 1.5], ["y", 2]]}"#, "split"),
        (#"{"dataframe_split": {"columns": ["b", "a"], "data": [["x", 1.5], ["y", 2]]}}"#, "split"),
        (#"[{"a": 1.5, "b": "x"}, {"b": "y", "a": 2}]"#, "records"),
        (#"{"dataframe_records": [{"a": 1.5, "b": "x"}, {"b": "y", "a": 2}]}"#, "records"),
        (#"{"a": [1.5, 2], "b": ["x", "y"]}"#, "columns"),
        (#"[[1.5, "x"], [2, "y"]]"#, "rows"),
        (#"{"inputs": [[1.5, "x"], [2, "y"]]}"#, "rows"),
    ])
    func everyLayoutReadsTheSameRows(_ json: String, _ layout: String) throws {
        let (read, frame) = try Self.decode(json)
        #expect(read == layout)
        #expect(frame.column("a")?.values == .double([1.5, 2]))
        #expect(frame.column("b")?.values == .string(["x", "y"]))
    }

    @Test func singleRowsAndBareValues() throws {
        let one = try Self.decode(#"{"a": 1.5, "b": "x"}"#)
        #expect(one.layout == "single row" && one.frame.rowCount == 1)
        let vector = try Self.decode("[1, 2, 3]", inputs: [ColumnSpec("input", .vector(3))])
        #expect(vector.frame.column("input")?.values == .vector(VectorBlock(width: 3, storage: [1, 2, 3])))
        let values = try Self.decode("[1, 2, 3]", inputs: [ColumnSpec("x", .double)])
        #expect(values.layout == "values" && values.frame.column("x")?.values == .double([1, 2, 3]))
    }

    @Test func examplesOverTheRowLimitAreRefused() throws {
        let json = "[" + Array(repeating: #"{"a": 1, "b": "x"}"#, count: 1_001).joined(separator: ",") + "]"
        let error = #expect(throws: ConveyorError.self) { try Self.decode(json) }
        #expect(error?.message.hasSuffix("has 1001 rows; the limit is 1000") == true)
    }

    @Test func theFixturesExamplesAreRead() throws {
        let model = try MLflowModel(directory: MLflowFixtures.model("lightgbm-multiclass"))
        let example = try #require(try model.inputExample())
        #expect(example.layout == "rows" && example.rowCount == 2)
        #expect(String(decoding: example.body, as: UTF8.self) == #"{"instances":[[1,0,0,2,1,2],[1,1,1,0,1,0]]}"#)
    }
}
