import Codecs
import ConveyorCore
import Testing

@Suite("CSV decoding")
struct CSVDecoderTests {
    @Test func carEvaluationRow() throws {
        let frame = try decode("low,low,5more,more,big,high", carInputs)
        #expect(frame.rowCount == 1)
        #expect(frame.columnNames == carInputs.map(\.name))
        #expect(strings(frame, "doors") == ["5more"])
        #expect(strings(frame, "safety") == ["high"])
    }

    @Test func quotedFieldsHoldCommasQuotesSpacesAndNewlines() throws {
        let inputs = ["a", "b", "c", "d", "e"].map { ColumnSpec($0, .string) }
        let body = "\"x,y\",\"say \"\"hi\"\"\",\"  padded  \",\"line1\nline2\",\"crlf\r\ninside\"\n"
        let frame = try decode(body, inputs)
        #expect(frame.rowCount == 1)
        #expect(strings(frame, "a") == ["x,y"])
        #expect(strings(frame, "b") == ["say \"hi\""])
        #expect(strings(frame, "c") == ["  padded  "])
        #expect(strings(frame, "d") == ["line1\nline2"])
        #expect(strings(frame, "e") == ["crlf\r\ninside"])
    }

    @Test func unquotedSpacesArePartOfAStringField() throws {
        let frame = try decode(" low , high", [ColumnSpec("a", .string), ColumnSpec("b", .string)])
        #expect(strings(frame, "a") == [" low "])
        #expect(strings(frame, "b") == [" high"])
    }

    @Test func emptyUnquotedIsNullButEmptyQuotedIsEmptyString() throws {
        let inputs = [ColumnSpec("a", .string), ColumnSpec("b", .string), ColumnSpec("x", .double)]
        let frame = try decode(",\"\",\nz,y,2", inputs)
        let a = try #require(frame.column("a"))
        let b = try #require(frame.column("b"))
        let x = try #require(frame.column("x"))
        #expect(a.nulls == [true, false])
        #expect(strings(frame, "a") == ["", "z"])
        #expect(b.nulls == nil)
        #expect(strings(frame, "b") == ["", "y"])
        #expect(x.nulls == [true, false])
        #expect(try #require(doubles(frame, "x"))[0].isNaN)
    }

    @Test func crlfAndLfAndMissingFinalNewlineAndTrailingBlankLines() throws {
        let inputs = [ColumnSpec("a", .double), ColumnSpec("b", .double)]
        for body in ["1,2\r\n3,4\r\n", "1,2\n3,4", "1,2\r\n3,4", "1,2\n3,4\n\n\r\n\n"] {
            let frame = try decode(body, inputs)
            #expect(frame.rowCount == 2, "\(body.debugDescription)")
            #expect(doubles(frame, "a") == [1, 3])
            #expect(doubles(frame, "b") == [2, 4])
        }
    }

    @Test func wrongFieldCountNamesTheRowAndColumns() {
        let body = "low,low,5more,more,big,high\nhigh,med,2,4,small,low\nlow,low,5more,more,big\n"
        let error = conveyorError { _ = try decode(body, carInputs) }
        #expect(error?.code == .invalidInput)
        #expect(error?.row == 3)
        #expect(error?.message == "has 5 fields, expected 6: buying, maint, doors, persons, lug_boot, safety")
    }

    @Test func badNumberNamesRowAndColumn() {
        let inputs = [ColumnSpec("a", .double), ColumnSpec("b", .double)]
        let error = conveyorError { _ = try decode("1,2\n1.5,abc\n", inputs) }
        #expect(error?.code == .invalidInput)
        #expect(error?.row == 2)
        #expect(error?.column == "b")
        #expect(error?.message == "'abc' is not a number")
    }

    @Test func unterminatedQuoteIsAnError() {
        let error = conveyorError { _ = try decode("a,b\n\"open,c\n", [.init("x", .string), .init("y", .string)]) }
        #expect(error?.code == .invalidInput)
        #expect(error?.row == 2)
        #expect(error?.message.contains("unterminated") == true)
    }

    @Test func textAfterClosingQuoteIsAnError() {
        let error = conveyorError { _ = try decode("\"a\"b,c", [.init("x", .string), .init("y", .string)]) }
        #expect(error?.code == .invalidInput)
        #expect(error?.row == 1)
    }

    @Test func emptyBodyIsEmptyInput() {
        for body in ["", "\n", "\r\n\r\n"] {
            let error = conveyorError { _ = try decode(body, carInputs) }
            #expect(error?.code == .emptyInput, "\(body.debugDescription)")
        }
    }

    @Test func blankLineInsideIsARecordWithOneEmptyField() throws {
        let frame = try decode("1\n\n2\n", [ColumnSpec("x", .double)])
        #expect(frame.rowCount == 3)
        #expect(frame.column("x")?.nulls == [false, true, false])
        let error = conveyorError { _ = try decode("1,2\n\n3,4", [.init("a", .double), .init("b", .double)]) }
        #expect(error?.row == 2)
    }

    @Test func integerBooleanAndFloatColumns() throws {
        let inputs: [ColumnSpec] = [
            .init("i", ColumnType(.int)), .init("l", ColumnType(.long)), .init("s", ColumnType(.short)),
            .init("t", ColumnType(.boolean)), .init("f", ColumnType(.float)),
        ]
        let frame = try decode(
            "42,-9223372036854775808,3.0,true,0.1\n-7,9007199254740993,-2,0,0.71401393\n 8 ,1,1e2,FALSE,\n1,2,3,1,4",
            inputs)
        #expect(ints(frame, "i") == [42, -7, 8, 1])
        // 2^53 + 1 is not a Double: integers must not pass through one.
        #expect(ints(frame, "l") == [Int64.min, 9_007_199_254_740_993, 1, 2])
        #expect(ints(frame, "s") == [3, -2, 100, 3])
        #expect(bools(frame, "t") == [true, false, false, true])
        // Float(0.1) is 0.100000001490116119384765625 exactly.
        #expect(doubles(frame, "f")?[0] == 0.100000001490116119384765625)
        #expect(doubles(frame, "f")?[1] == Double(Float(0.71401393)))
        #expect(frame.column("f")?.nulls == [false, false, true, false])
        #expect(frame.column("f")?.type == ColumnType(.float))
    }

    @Test func integerAndBooleanErrors() {
        let cases: [(String, ScalarType, String)] = [
            ("2.5", .int, "'2.5' is not an integer"),
            ("300", .byte, "'300' is out of range for byte"),
            ("x", .long, "'x' is not a number"),
            ("yes", .boolean, "'yes' is not a boolean (expected true, false, 1 or 0)"),
        ]
        for (text, type, message) in cases {
            let error = conveyorError { _ = try decode("1,\(text)", [.init("a", .double), .init("b", ColumnType(type))]) }
            #expect(error?.message == message)
            #expect(error?.column == "b")
            #expect(error?.row == 1)
        }
    }

    @Test func loneVectorTakesEveryFieldAsRawXGBoostRows() throws {
        let frame = try decode("1,2,3\n4,,6\n", [ColumnSpec("features", .vector(nil))])
        let features = try #require(block(frame, "features"))
        #expect(features.width == 3)
        #expect(bits(features.storage) == bits([1, 2, 3, 4, .nan, 6]))
        #expect(frame.column("features")?.type == .vector(3))
    }

    @Test func vectorWidthMustMatch() {
        let known = conveyorError { _ = try decode("1,2,3,4", [ColumnSpec("features", .vector(3))]) }
        #expect(known?.message == "has 4 fields, expected 3: features[3]")
        let learned = conveyorError { _ = try decode("1,2,3\n4,5", [ColumnSpec("features", .vector(nil))]) }
        #expect(learned?.row == 2)
        #expect(learned?.message == "has 2 fields, expected 3: features[3]")
    }

    @Test func vectorAfterScalarsTakesTheRest() throws {
        let frame = try decode("x,1,2\ny,3,4", [ColumnSpec("id", .string), ColumnSpec("v", .vector(nil))])
        #expect(strings(frame, "id") == ["x", "y"])
        #expect(block(frame, "v")?.storage == [1, 2, 3, 4])
        #expect(block(frame, "v")?.width == 2)
    }
    @Test func quotedNumbersAreNumbersAndBlankNumbersAreNull() throws {
        let inputs = [ColumnSpec("a", .double), ColumnSpec("b", .double), ColumnSpec("c", .double)]
        let frame = try decode("\"1.5\",  ,\"\"\n", inputs)
        #expect(doubles(frame, "a") == [1.5])
        #expect(frame.column("b")?.nulls == [true])
        #expect(frame.column("c")?.nulls == [true])
    }

    @Test func quoteInsideUnquotedFieldIsLiteral() throws {
        let frame = try decode("5\"3 ft,x", [ColumnSpec("a", .string), ColumnSpec("b", .string)])
        #expect(strings(frame, "a") == ["5\"3 ft"])
    }
}

/// Bodies of many rows keep their text fields as bytes (`TextValues`):
/// the same values, nulls and errors as the few-row cases above.
@Suite("CSV decoding of many rows")
struct CSVManyRowsTests {
    @Test func textFieldsOfManyRowsAreTheirBytesWithTheSameValues() throws {
        let fields = ["low", "\"x,y\"", "\"say \"\"hi\"\"\"", "\"\"", "", "\u{e9}t\u{e9}", "\"line1\nline2\"", " padded "]
        let values = ["low", "x,y", "say \"hi\"", "", "", "\u{e9}t\u{e9}", "line1\nline2", " padded "]
        let rows = 40
        let body = (0..<rows).map { "\(fields[$0 % fields.count]),\($0)" }.joined(separator: "\n") + "\n"
        let frame = try decode(body, [ColumnSpec("a", .string), ColumnSpec("n", .double)])
        #expect(frame.rowCount == rows)
        let column = try #require(frame.column("a"))
        guard case .string(let texts) = column.values else { return #expect(Bool(false)) }
        #expect(texts.storesBytes)
        #expect(Array(texts) == (0..<rows).map { values[$0 % values.count] })
        // Only the empty unquoted field is null.
        #expect(column.nulls == (0..<rows).map { $0 % fields.count == 4 })
    }

    /// Records far wider than the decoder's first guess of fields (its
    /// field buffer grows several times, then is reused for narrower rows).
    @Test(arguments: [MediaType.csv, .tsv])
    func wideRecordsKeepEveryField(_ type: MediaType) throws {
        let separator = type == .csv ? "," : "\t"
        let widths = [1_000, 3, 700]
        let body = widths.enumerated().map { row, width in
            (["id\(row)"] + (0..<width).map { "\(row * 10_000 + $0)" }).joined(separator: separator)
        }.joined(separator: "\n")
        let inputs = [ColumnSpec("id", .string), ColumnSpec("v", .vector(nil))]
        // The vector's width is learnt from the first row, so each width is its own request.
        let frame = try decode(body.split(separator: "\n").first.map(String.init) ?? "", inputs, as: type)
        #expect(block(frame, "v")?.storage == (0..<1_000).map(Double.init))
        for (row, width) in widths.enumerated() {
            let line = String(body.split(separator: "\n")[row])
            let one = try decode(line + "\n" + line, inputs, as: type)
            #expect(strings(one, "id") == ["id\(row)", "id\(row)"])
            let expected = (0..<width).map { Double(row * 10_000 + $0) }
            #expect(block(one, "v")?.storage == expected + expected)
        }
        let mixed = conveyorError { _ = try decode(body, inputs, as: type) }
        #expect(mixed?.row == 2)
        #expect(mixed?.message == "has 4 fields, expected 1001: id, v[1000]")
    }

    @Test func invalidUTF8InALaterRowNamesRowAndColumn() {
        var body = Array((0..<30).map { "low,\($0)\n" }.joined().utf8)
        body += [0x68, 0xFF, 0x2C, 0x31, 0x0A]  // "h\xFF,1"
        let error = conveyorError {
            _ = try FrameDecoder(inputs: [ColumnSpec("a", .string), ColumnSpec("n", .double)]).decode(body, as: .csv)
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.row == 31)
        #expect(error?.column == "a")
        #expect(error?.message.contains("UTF-8") == true)
    }
}
