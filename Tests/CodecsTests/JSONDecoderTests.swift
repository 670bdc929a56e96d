import Codecs
import ConveyorCore
import Testing

@Suite("JSON decoding")
struct JSONDecoderTests {
    static let inputs = [ColumnSpec("name", .string), ColumnSpec("x", .double), ColumnSpec("n", ColumnType(.long))]

    /// Rows ("a", 1.5, 3) and ("b", null, 4), built by hand.
    static let expected = try! Frame(columns: [
        .strings("name", ["a", "b"]),
        .doubles("x", [1.5, .nan], nulls: [false, true]),
        Column(name: "n", type: ColumnType(.long), values: .int([3, 4])),
    ])

    @Test(arguments: [
        #"{"data": [["a", 1.5, 3], ["b", null, 4]]}"#,
        #"[["a", 1.5, 3], ["b", null, 4]]"#,
        #"[{"name": "a", "x": 1.5, "n": 3}, {"n": 4, "name": "b"}]"#,
        #"{"instances": [["a", 1.5, 3], ["b", null, 4]]}"#,
        #"{"instances": [{"name": "a", "x": 1.5, "n": 3}, {"name": "b", "x": null, "n": 4}]}"#,
        #"{"data": [{"name": "a", "x": 1.5, "n": 3}, ["b", null, 4]], "extra": true}"#,
        "\n  [ [\"a\" , 1.5e0 , 3] ,\r\n [\"b\", null, 4.0] ]  \n",
    ])
    func everyFormDecodesToTheSameFrame(body: String) throws {
        let frame = try decode(body, Self.inputs, as: .json)
        #expect(frame.columnNames == ["name", "x", "n"])
        #expect(strings(frame, "name") == strings(Self.expected, "name"))
        #expect(bits(doubles(frame, "x")) == bits(doubles(Self.expected, "x")))
        #expect(frame.column("x")?.nulls == [false, true])
        #expect(ints(frame, "n") == [3, 4])
    }

    @Test func sparkMLSingleRow() throws {
        let frame = try decode(#"{"data": ["a", 1.5, 3]}"#, Self.inputs, as: .json)
        #expect(frame.rowCount == 1)
        #expect(strings(frame, "name") == ["a"])
        #expect(doubles(frame, "x") == [1.5])
        #expect(ints(frame, "n") == [3])
    }

    @Test func singleObjectIsOneRow() throws {
        let frame = try decode(#"{"name": "a", "x": 1.5, "n": 3}"#, Self.inputs, as: .json)
        #expect(frame.rowCount == 1)
        #expect(doubles(frame, "x") == [1.5])
    }

    @Test func requestSchemaDecidesColumnsAndIsReported() throws {
        let body = #"""
        {"schema": {"input": [{"name": "x", "type": "double"}, {"name": "name", "type": "string"},
                              {"name": "n", "type": "integer"}],
                    "output": {"name": "features", "type": "double", "struct": "vector"}},
         "data": [1.5, "a", 3]}
        """#
        let request = try FrameDecoder(inputs: Self.inputs).decodeRequest(body.bytes, as: .json)
        let schema = try #require(request.schema)
        #expect(schema.input == [
            SchemaField(name: "x", type: .double), SchemaField(name: "name", type: .string),
            SchemaField(name: "n", type: .int),
        ])
        #expect(schema.output == [SchemaField(name: "features", type: .double, structure: .vector)])
        #expect(request.frame.columnNames == ["x", "name", "n"])
        #expect(request.frame.column("n")?.type == ColumnType(.int))
        #expect(strings(request.frame, "name") == ["a"])
        #expect(doubles(request.frame, "x") == [1.5])
    }

    @Test func numbersForStringColumnsKeepTheirLiteralText() throws {
        let frame = try decode(#"{"data": [2.50, "1", true]}"#,
                               [ColumnSpec("s", .string), ColumnSpec("x", .double), ColumnSpec("b", ColumnType(.boolean))],
                               as: .json)
        #expect(strings(frame, "s") == ["2.50"])
        // A numeric string is read for a numeric column.
        #expect(doubles(frame, "x") == [1])
        #expect(bools(frame, "b") == [true])
    }

    @Test func exactNumbersAndPythonSpecials() throws {
        let body = #"[[0.1, 9007199254740993, NaN], [5e-324, -9223372036854775808, -Infinity], [-0.0, 1, Infinity]]"#
        let frame = try decode(body, [ColumnSpec("d", .double), ColumnSpec("l", ColumnType(.long)), ColumnSpec("s", .double)],
                               as: .json)
        #expect(bits(doubles(frame, "d")) == bits([0.1, .leastNonzeroMagnitude, -0.0]))
        #expect(ints(frame, "l") == [9_007_199_254_740_993, Int64.min, 1])
        let specials = try #require(doubles(frame, "s"))
        #expect(specials[0].isNaN && specials[1] == -.infinity && specials[2] == .infinity)
        #expect(frame.column("s")?.nulls == nil)
    }

    @Test func vectorsAsLists() throws {
        let inputs = [ColumnSpec("features", .vector(nil))]
        for body in [#"{"data": [[1, 2, 3], [4, null, 6]]}"#,
                     #"[[1, 2, 3], [4, null, 6]]"#,
                     #"{"instances": [{"features": [1, 2, 3]}, {"features": [4, null, 6]}]}"#,
                     #"{"data": [[[1, 2, 3]], [[4, null, 6]]]}"#] {
            let frame = try decode(body, inputs, as: .json)
            #expect(block(frame, "features")?.width == 3, "\(body)")
            #expect(bits(block(frame, "features")?.storage) == bits([1, 2, 3, 4, .nan, 6]), "\(body)")
        }
        let one = try decode(#"{"data": [1, 2, 3]}"#, inputs, as: .json)
        #expect(one.rowCount == 1)
        #expect(block(one, "features")?.storage == [1, 2, 3])
    }

    @Test func vectorNextToScalars() throws {
        let frame = try decode(#"{"data": ["x", [0.5, 1.5]]}"#, [ColumnSpec("id", .string), ColumnSpec("v", .vector(2))],
                               as: .json)
        #expect(strings(frame, "id") == ["x"])
        #expect(block(frame, "v")?.storage == [0.5, 1.5])
    }

    @Test func stringEscapes() throws {
        let frame = try decode(#"[["\u00e9\ud83d\ude00 \"q\" \\ \/ \n\t"]]"#, [ColumnSpec("s", .string)], as: .json)
        #expect(strings(frame, "s") == ["é😀 \"q\" \\ / \n\t"])
    }

    @Test func errorsNameRowAndColumn() {
        let wrongType = conveyorError { _ = try decode(#"[["a", 1, 2], ["b", "abc", 3]]"#, Self.inputs, as: .json) }
        #expect(wrongType?.code == .invalidInput)
        #expect(wrongType?.row == 2)
        #expect(wrongType?.column == "x")
        #expect(wrongType?.message == "'abc' is not a number")

        let wrongCount = conveyorError { _ = try decode(#"[["a", 1]]"#, Self.inputs, as: .json) }
        #expect(wrongCount?.row == 1)
        #expect(wrongCount?.message == "has 2 values, expected 3: name, x, n")

        let boolForNumber = conveyorError { _ = try decode(#"[["a", true, 1]]"#, Self.inputs, as: .json) }
        #expect(boolForNumber?.column == "x")

        let noKnownKeys = conveyorError { _ = try decode(#"{"rows": [["a", 1, 2]]}"#, Self.inputs, as: .json) }
        #expect(noKnownKeys?.code == .invalidInput)
        #expect(noKnownKeys?.message.contains("none of the input columns") == true)
    }

    @Test(arguments: [#"{"data": [1, 2"#, #"[1, 2,]"#, #"{"data": [01]}"#, #"[1] x"#, #"{'a': 1}"#, "[\"a\tb\"]"])
    func malformedJSON(body: String) {
        let error = conveyorError { _ = try decode(body, Self.inputs, as: .json) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.hasPrefix("invalid JSON at byte") == true)
    }

    @Test(arguments: ["", "  \n", #"{"data": []}"#, "[]", #"{"instances": []}"#])
    func noRowsIsEmptyInput(body: String) {
        let error = conveyorError { _ = try decode(body, Self.inputs, as: .json) }
        #expect(error?.code == .emptyInput)
    }
    @Test func bareValuesForALoneScalarInput() throws {
        let frame = try decode(#"{"instances": [1.5, null, "2"]}"#, [ColumnSpec("x", .double)], as: .json)
        #expect(bits(doubles(frame, "x")) == bits([1.5, .nan, 2]))
        #expect(frame.column("x")?.nulls == [false, true, false])
    }

    @Test func predictionsReadLikeInstances() throws {
        let frame = try decode(#"{"predictions": [{"x": 1.0}, {"x": 2.0}]}"#, [ColumnSpec("x", .double)], as: .json)
        #expect(doubles(frame, "x") == [1, 2])
    }
}
