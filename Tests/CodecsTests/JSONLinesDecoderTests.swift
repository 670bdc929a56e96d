import Codecs
import ConveyorCore
import Testing

@Suite("JSON Lines decoding")
struct JSONLinesDecoderTests {
    let inputs = JSONDecoderTests.inputs

    @Test(arguments: [
        "[\"a\", 1.5, 3]\n{\"name\": \"b\", \"n\": 4}\n",
        "{\"data\": [\"a\", 1.5, 3]}\r\n\r\n{\"data\": [[\"b\", null, 4]]}",
        "{\"data\": [[\"a\", 1.5, 3], [\"b\", null, 4]]}\n\n\n",
        "  [\"a\", 1.5, 3]  \n\t\n[\"b\", null, 4]",
    ])
    func linesDecodeToTheSameFrame(body: String) throws {
        let frame = try decode(body, inputs, as: .jsonLines)
        #expect(frame.rowCount == 2)
        #expect(strings(frame, "name") == ["a", "b"])
        #expect(bits(doubles(frame, "x")) == bits([1.5, .nan]))
        #expect(frame.column("x")?.nulls == [false, true])
        #expect(ints(frame, "n") == [3, 4])
    }

    @Test func errorsNameLineAndRow() {
        // Line 2 is blank; the bad value is on line 3, which holds row 2.
        let error = conveyorError { _ = try decode("[\"a\", 1, 2]\n\n[\"b\", \"zz\", 4]\n", inputs, as: .jsonLines) }
        #expect(error?.code == .invalidInput)
        #expect(error?.row == 2)
        #expect(error?.column == "x")
        #expect(error?.message == "line 3: 'zz' is not a number")

        let malformed = conveyorError { _ = try decode("[\"a\", 1, 2]\n[\"b\", 1,", inputs, as: .jsonLines) }
        #expect(malformed?.message.hasPrefix("line 2: invalid JSON") == true)
    }

    @Test func schemaOnTheFirstLine() throws {
        let body = """
        {"schema": {"input": [{"name": "v", "type": "double", "struct": "vector"}], "output": {"name": "p"}}, "data": [1, 2]}
        {"data": [3, 4]}
        """
        let request = try FrameDecoder(inputs: inputs).decodeRequest(body.bytes, as: .jsonLines)
        #expect(request.schema?.input == [SchemaField(name: "v", type: .double, structure: .vector)])
        #expect(request.frame.columnNames == ["v"])
        #expect(block(request.frame, "v")?.storage == [1, 2, 3, 4])
    }

    @Test func blankBodyIsEmptyInput() {
        let error = conveyorError { _ = try decode("\n \r\n\n", inputs, as: .jsonLines) }
        #expect(error?.code == .emptyInput)
    }
}
