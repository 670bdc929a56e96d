import ConveyorTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// A catalogue of malformed requests. Each must get its documented status
/// (docs/serving.md) and a JSON error naming what is wrong; afterwards the
/// server must still answer `/ping`.
@Suite struct MalformedRequestTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var uri = "/invocations"
        var headers: [String: String] = ["Content-Type": "text/csv"]
        var body: [UInt8]
        var status: Int
        var code: String
        var stage: String? = nil
        var row: Int? = nil
        var column: String? = nil
    }

    static let good = "low,low,5more,more,big,high"

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let cases: [Case] = [
        Case(description: "too few columns", body: bytes("low,low,5more,more,big\n"), status: 400, code: "invalid_input", row: 1),
        Case(description: "too many columns", body: bytes(good + ",extra\n"), status: 400, code: "invalid_input", row: 1),
        Case(description: "wrong column count on row 3", body: bytes("\(good)\n\(good)\nlow,low\n"), status: 400,
             code: "invalid_input", row: 3),
        Case(description: "unknown category", body: bytes("low,low,5more,more,huge,high\n"), status: 400,
             code: "invalid_input", stage: "features", row: 1, column: "lug_boots"),
        Case(description: "unknown category on row 2", body: bytes("\(good)\nlow,low,5more,more,big,extreme\n"), status: 400,
             code: "invalid_input", stage: "features", row: 2, column: "safety"),
        Case(description: "invalid UTF-8", body: [0x6C, 0x6F, 0xFF, 0xFE] + bytes(",low,5more,more,big,high\n"), status: 400,
             code: "invalid_input", row: 1),
        Case(description: "unbalanced quote", body: bytes("\"low,low,5more,more,big,high\n"), status: 400, code: "invalid_input"),
        Case(description: "NUL in a field", body: bytes("lo\u{0}w,low,5more,more,big,high\n"), status: 400, code: "invalid_input",
             row: 1),
        Case(description: "huge field", body: bytes(String(repeating: "x", count: 200_000) + ",low,5more,more,big,high\n"),
             status: 400, code: "invalid_input", row: 1),
        Case(description: "empty body", body: [], status: 400, code: "empty_input"),
        Case(description: "only newlines", body: bytes("\n\n\n"), status: 400, code: "empty_input"),
        Case(description: "bad JSON", headers: ["Content-Type": "application/json"], body: bytes(#"{"data": ["low","#),
             status: 400, code: "invalid_input"),
        Case(description: "JSON trailing garbage", headers: ["Content-Type": "application/json"],
             body: bytes(#"{"data": ["low","low","5more","more","big","high"]} xyz"#), status: 400, code: "invalid_input"),
        Case(description: "wrong JSON shape", headers: ["Content-Type": "application/json"], body: bytes(#"{"rows": []}"#),
             status: 400, code: "invalid_input"),
        Case(description: "JSON row too short", headers: ["Content-Type": "application/json"],
             body: bytes(#"{"data": ["low","low"]}"#), status: 400, code: "invalid_input", row: 1),
        Case(description: "JSON empty list", headers: ["Content-Type": "application/json"], body: bytes("[]"),
             status: 400, code: "empty_input"),
        Case(description: "JSON nested too deep", headers: ["Content-Type": "application/json"],
             body: bytes(String(repeating: "[", count: 100_000)), status: 400, code: "invalid_input"),
        Case(description: "JSON schema without a needed column", headers: ["Content-Type": "application/json"],
             body: bytes(#"{"schema": {"input": [{"name": "buying", "type": "string"}], "output": {"name": "x", "type": "double"}}, "data": ["low"]}"#),
             status: 400, code: "invalid_input"),
        Case(description: "JSON Lines bad second line", headers: ["Content-Type": "application/jsonlines"],
             body: bytes(#"["low","low","5more","more","big","high"]"# + "\n{oops\n"), status: 400, code: "invalid_input"),
        Case(description: "unsupported Content-Type", headers: ["Content-Type": "application/xml"], body: bytes("<a/>"),
             status: 415, code: "unsupported_content_type"),
        Case(description: "form Content-Type (curl's default)", headers: ["Content-Type": "application/x-www-form-urlencoded"],
             body: bytes(good), status: 415, code: "unsupported_content_type"),
        Case(description: "non-UTF-8 charset", headers: ["Content-Type": "text/csv; charset=utf-16"], body: bytes(good),
             status: 415, code: "unsupported_content_type"),
        Case(description: "unsupported Accept", headers: ["Content-Type": "text/csv", "Accept": "application/xml"],
             body: bytes(good), status: 406, code: "unsupported_accept"),
        Case(description: "Accept list with nothing supported", headers: ["Content-Type": "text/csv", "Accept": "text/html, image/png"],
             body: bytes(good), status: 406, code: "unsupported_accept"),
        Case(description: "Accept refusing CSV with q=0", headers: ["Content-Type": "text/csv", "Accept": "text/csv;q=0"],
             body: bytes(good), status: 406, code: "unsupported_accept"),
        Case(description: "oversize body", body: bytes(String(repeating: good + "\n", count: 7 * 1024 * 1024 / 29 + 1)),
             status: 413, code: "payload_too_large"),
        Case(description: "unknown endpoint", uri: "/endpoints/no-such-model/invocations", body: bytes(good), status: 404,
             code: "not_found"),
        Case(description: "unknown target container",
             headers: ["Content-Type": "text/csv", "X-Amzn-SageMaker-Target-Container-Hostname": "nope"], body: bytes(good),
             status: 404, code: "not_found"),
        Case(description: "direct classifier call with the wrong vector width",
             headers: ["Content-Type": "text/csv", "X-Amzn-SageMaker-Target-Container-Hostname": "classifier"],
             body: bytes(Array(repeating: "0", count: 20).joined(separator: ",") + "\n"), status: 400, code: "invalid_input"),
        Case(description: "direct classifier call with a non-number",
             headers: ["Content-Type": "text/csv", "X-Amzn-SageMaker-Target-Container-Hostname": "classifier"],
             body: bytes((Array(repeating: "0", count: 20) + ["zero"]).joined(separator: ",") + "\n"), status: 400,
             code: "invalid_input", row: 1),
    ]

    @Test func catalogueHasAtLeast25Cases() {
        #expect(Self.cases.count >= 25)
    }

    @Test func everyMalformedRequestGetsItsStatusAndAJSONError() async throws {
        try await withLiveServer(try makeServer()) { client in
            for item in Self.cases {
                let response = try await client.execute(uri: item.uri, method: .post, headers: headers(item.headers),
                                                        body: ByteBuffer(bytes: item.body))
                #expect(Int(response.status.code) == item.status, "\(item): \(text(response).prefix(300))")
                #expect(response.headers[.contentType] == "application/json", "\(item)")
                let error = errorObject(response)
                #expect(error?["code"] as? String == item.code, "\(item): \(text(response).prefix(300))")
                #expect((error?["message"] as? String)?.isEmpty == false, "\(item)")
                #expect(error?["status"] as? Int == item.status, "\(item)")
                if let stage = item.stage { #expect(error?["stage"] as? String == stage, "\(item)") }
                if let row = item.row { #expect(error?["row"] as? Int == row, "\(item): \(text(response).prefix(300))") }
                if let column = item.column { #expect(error?["column"] as? String == column, "\(item)") }
                #expect(response.headers[ConveyorServer.requestIDHeader] != nil)
            }
            let ping = try await client.execute(uri: "/ping", method: .get)
            #expect(ping.status == .ok)
            let after = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/csv"]),
                                                 body: ByteBuffer(string: Self.good + "\n"))
            #expect(text(after).hasPrefix("vgood,"))
        }
    }

    /// Paths no route serves get a JSON 404 like every other error, naming
    /// the request and the routes that exist (a route's path with another
    /// method is 405: MethodNotAllowedTests).
    @Test func unknownRoutesGetAJSONNotFound() async throws {
        try await withLiveServer(try makeServer()) { client in
            for (method, uri) in [(HTTPRequest.Method.post, "/invocation"), (.get, "/invocations/x"), (.get, "/nope/deeper")] {
                let response = try await client.execute(uri: uri, method: method)
                #expect(response.status == .notFound, "\(method) \(uri)")
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.headers[ConveyorServer.requestIDHeader] != nil)
                let error = errorObject(response)
                #expect(error?["code"] as? String == "not_found")
                let message = error?["message"] as? String ?? ""
                #expect(message.contains("\(method) \(uri)") && message.contains("POST /invocations"), "\(message)")
            }
        }
    }

    @Test func theRuntimeAPIWrapsModelErrorsAsSageMakerDoes() async throws {
        try await withLiveServer(try makeServer()) { client in
            let response = try await client.execute(
                uri: "/endpoints/car-evaluation-sklearn/invocations", method: .post, headers: headers(["Content-Type": "text/csv"]),
                body: ByteBuffer(string: "low,low,5more,more,huge,high\n"))
            #expect(response.status.code == 424)
            #expect(response.headers[HTTPField.Name("x-amzn-ErrorType")!] == "ModelError")
            let object = try ExactJSON.object(with: Data(text(response).utf8)) as? [String: Any]
            #expect(object?["OriginalStatusCode"] as? Int == 400)
            #expect((object?["OriginalMessage"] as? String)?.contains("lug_boots") == true)
            #expect((object?["Message"] as? String)?.contains("features") == true)
        }
    }

    @Test func aSmallerConfiguredLimitIsEnforced() async throws {
        try await withLiveServer(try makeServer(maxBodyBytes: 100)) { client in
            let small = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/csv"]),
                                                 body: ByteBuffer(string: Self.good + "\n"))
            #expect(small.status == .ok)
            let large = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/csv"]),
                                                 body: ByteBuffer(string: String(repeating: Self.good + "\n", count: 5)))
            #expect(large.status.code == 413)
            let parameters = try await client.execute(uri: "/execution-parameters", method: .get)
            #expect(text(parameters).contains("\"MaxPayloadInMB\":1"))
        }
    }
}
