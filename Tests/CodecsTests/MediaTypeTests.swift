import Codecs
import ConveyorCore
import Testing

@Suite("Media types")
struct MediaTypeTests {
    @Test(arguments: [
        ("text/csv", MediaType.csv),
        ("text/csv; charset=utf-8", .csv),
        ("text/csv;label_size=0", .csv),
        ("Text/CSV ; charset=\"UTF-8\"", .csv),
        ("application/json", .json),
        ("application/json; charset=utf-8", .json),
        ("application/jsonlines", .jsonLines),
        ("application/jsonl", .jsonLines),
        ("application/x-jsonlines", .jsonLines),
        (" application/jsonlines ;data=text", .jsonLines),
    ])
    func contentTypes(value: String, expected: MediaType) throws {
        #expect(try MediaType(contentType: value) == expected)
    }

    @Test(arguments: ["text/libsvm", "application/x-recordio-protobuf", "text/plain", "text/csv; charset=latin-1", "csv"])
    func unsupportedContentTypes(value: String) {
        let error = conveyorError { _ = try MediaType(contentType: value) }
        #expect(error?.code == .unsupportedContentType)
        #expect(error?.message.contains("'\(value)'") == true)
    }

    @Test func missingContentType() {
        for value in [nil, "", "  "] as [String?] {
            let error = conveyorError { _ = try MediaType(contentType: value) }
            #expect(error?.code == .unsupportedContentType)
        }
    }

    @Test(arguments: [
        ("text/csv", MediaType?.some(.csv)),
        ("application/json", .json),
        ("application/jsonlines", .jsonLines),
        ("application/json;q=0.5, text/csv", .csv),
        ("text/csv;q=0.2, application/json;q=0.9", .json),
        ("application/xml, application/jsonl;q=0.1", .jsonLines),
        ("text/html;q=1, text/*;q=0.5", .csv),
        ("application/json, text/csv", .json),
        ("text/csv;q=0, application/json;q=0.1", .json),
        ("*/*", nil),
        ("application/json;q=0.4, */*;q=0.8", nil),
        ("application/json, */*;q=0.8", .json),
        ("", nil),
        ("  ", nil),
    ])
    func acceptValues(value: String, expected: MediaType?) throws {
        #expect(try MediaType.accepted(by: value) == expected)
    }

    @Test func acceptDefaults() throws {
        #expect(try MediaType.accepted(by: nil) == nil)
        #expect(try MediaType.negotiate(accept: nil, default: .csv) == .csv)
        #expect(try MediaType.negotiate(accept: "*/*", default: .jsonLines) == .jsonLines)
        #expect(try MediaType.negotiate(accept: "application/json", default: .csv) == .json)
    }

    @Test(arguments: ["application/xml", "text/html, image/png", "text/csv;q=0", "application/x-recordio-protobuf"])
    func unsupportedAccept(value: String) {
        let error = conveyorError { _ = try MediaType.accepted(by: value) }
        #expect(error?.code == .unsupportedAccept)
        #expect(error?.message.contains("'\(value)'") == true)
    }

    @Test func canonicalHeaders() throws {
        #expect(MediaType.csv.canonical == "text/csv")
        #expect(MediaType.json.canonical == "application/json")
        #expect(MediaType.jsonLines.canonical == "application/jsonlines")
        for type in MediaType.allCases {
            #expect(try MediaType(contentType: type.canonical) == type)
        }
    }
}
