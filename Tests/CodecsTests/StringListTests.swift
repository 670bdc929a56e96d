import Codecs
import ConveyorCore
import Testing

/// Lists of strings per row (tokens): JSON arrays of strings in, out; CSV refuses them.
@Suite("Lists of strings")
struct StringListTests {
    static let inputs = [ColumnSpec("id", .string), ColumnSpec("words", .stringList)]

    static func lists(_ frame: Frame, _ name: String) -> [[String]]? {
        guard case .stringLists(let lists)? = frame.column(name)?.values else { return nil }
        return (0..<lists.rowCount).map { Array(lists.row($0)) }
    }

    @Test(arguments: [
        #"{"data": [["a", ["x", "y z"]], ["b", []], ["c", null]]}"#,
        #"[{"id": "a", "words": ["x", "y z"]}, {"id": "b", "words": []}, {"id": "c"}]"#,
        #"{"instances": [["a", ["x", "y z"]], ["b", []], ["c", null]]}"#,
    ])
    func jsonArraysOfStringsDecode(body: String) throws {
        let frame = try decode(body, Self.inputs, as: .json)
        #expect(Self.lists(frame, "words") == [["x", "y z"], [], []])
        #expect(frame.column("words")?.nulls == [false, false, true])
        #expect(frame.column("words")?.type == .stringList)
    }

    @Test func jsonLinesDecode() throws {
        let body = "[\"a\", [\"é\", \"\\\"q\\\"\"]]\n{\"id\": \"b\", \"words\": [\"\"]}\n"
        let frame = try decode(body, Self.inputs, as: .jsonLines)
        #expect(Self.lists(frame, "words") == [["é", "\"q\""], [""]])
    }

    @Test func aLoneListInputMayBeTheRowItself() throws {
        let frame = try decode(#"{"data": [["a", "b"], ["c"]]}"#, [ColumnSpec("words", .stringList)], as: .json)
        #expect(Self.lists(frame, "words") == [["a", "b"], ["c"]])
    }

    @Test func nonStringElementsAreRefusedWithRowAndColumn() {
        let error = conveyorError { _ = try decode(#"[["a", ["x", 1]]]"#, Self.inputs, as: .json) }
        #expect(error?.code == .invalidInput)
        #expect(error?.row == 1)
        #expect(error?.column == "words")
        #expect(error?.message.contains("list element 2 is a number") == true)
        let scalar = conveyorError { _ = try decode(#"[["a", "x y"]]"#, Self.inputs, as: .json) }
        #expect(scalar?.message.contains("expected a list of strings") == true)
    }

    @Test func encodesAsJSONArrays() throws {
        let frame = try Frame(columns: [.stringLists("words", StringLists([["x", "a\"b"], []]), nulls: [false, false])])
        let json = String(decoding: try FrameEncoder().encode(frame, columns: ["words"], as: .json), as: UTF8.self)
        #expect(json == #"{"predictions":[{"words":["x","a\"b"]},{"words":[]}]}"#)
        let lines = String(decoding: try FrameEncoder().encode(frame, columns: ["words"], as: .jsonLines), as: UTF8.self)
        #expect(lines == "{\"words\":[\"x\",\"a\\\"b\"]}\n{\"words\":[]}\n")
        // What the encoder writes, the decoder reads back.
        let back = try decode(json, [ColumnSpec("words", .stringList)], as: .json)
        #expect(Self.lists(back, "words") == [["x", "a\"b"], []])
    }

    @Test func csvRefusesListsBothWays() throws {
        let input = conveyorError { _ = try decode("a,x y\n", Self.inputs, as: .csv) }
        #expect(input?.code == .invalidInput)
        #expect(input?.column == "words")
        #expect(input?.message.contains("application/json") == true)
        let frame = try Frame(columns: [.stringLists("words", StringLists([["x"]]))])
        let output = conveyorError { _ = try FrameEncoder().encode(frame, columns: ["words"], as: .csv) }
        #expect(output?.code == .unsupportedAccept)
        #expect(output?.column == "words")
    }

    @Test func schemaArrayOfStringIsAList() throws {
        let field = SchemaField(name: "words", type: .string, structure: .array)
        #expect(field.columnType == .stringList)
        #expect(SchemaField(name: "v", type: .double, structure: .array).columnType == .vector(nil))
        #expect(ColumnType.stringList.description == "list<string>")
    }
}
