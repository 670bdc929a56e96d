import ConveyorTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// Every request type against every response type, two rows per request,
/// over a live server; answers compared with the training frameworks'.
@Suite struct ContentTypeTests {
    static let rows = [carExpected[0], carExpected[1000], carExpected[1727]]

    static func quoted(_ row: CarExpectation) -> String {
        "[" + row.inputs.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    /// Bodies in every request shape the issue lists.
    static let requests: [(name: String, contentType: String, body: String)] = [
        ("csv", "text/csv", csvBody(rows)),
        ("csv with charset", "text/csv; charset=utf-8", csvBody(rows)),
        ("json data", "application/json", #"{"data": [\#(rows.map(quoted).joined(separator: ","))]}"#),
        ("json list of rows", "application/json", "[" + rows.map(quoted).joined(separator: ",") + "]"),
        ("json schema and data", "application/json",
         #"{"schema": {"input": [\#(["buying", "maint", "doors", "persons", "lug_boots", "safety"].map { #"{"name": "\#($0)", "type": "string"}"# }.joined(separator: ","))], "output": {"name": "features", "type": "double", "struct": "vector"}}, "data": [\#(rows.map(quoted).joined(separator: ","))]}"#),
        ("json instances", "application/json", #"{"instances": [\#(rows.map(quoted).joined(separator: ","))]}"#),
        ("jsonlines", "application/jsonlines", rows.map(quoted).joined(separator: "\n") + "\n"),
    ]

    static let accepts = ["text/csv", "application/json", "application/jsonlines"]

    @Test(arguments: requests.indices, accepts)
    func everyPair(requestIndex: Int, accept: String) async throws {
        let request = Self.requests[requestIndex]
        try await withLiveServer(try makeServer()) { client in
            let response = try await client.execute(
                uri: "/invocations", method: .post,
                headers: headers(["Content-Type": request.contentType, "Accept": accept]),
                body: ByteBuffer(string: request.body))
            #expect(response.status == .ok, "\(request.name) → \(accept): \(text(response))")
            #expect(response.headers[.contentType] == accept)
            let answers = try parse(text(response), as: accept)
            #expect(answers.map(\.label) == Self.rows.map(\.label), "\(request.name) → \(accept)")
            // Flattened: a row with a missing or extra probability fails the count.
            let result = NumericComparison(answers.flatMap(\.probabilities),
                                           Self.rows.flatMap { $0.probabilities.map(ComparedValue.number) },
                                           tolerance: .absolute(1e-6), columns: 4,
                                           label: "\(request.name) → \(accept) probabilities")
            #expect(result.matches, "\(result)")
        }
    }

    @Test func missingOrWildcardAcceptGivesThePipelineDefault() async throws {
        try await withLiveServer(try makeServer()) { client in
            for accept in [nil, "*/*", "text/html;q=0.5, */*;q=0.9"] {
                var fields = headers(["Content-Type": "text/csv"])
                if let accept { fields[.accept] = accept }
                let response = try await client.execute(uri: "/invocations", method: .post, headers: fields,
                                                        body: ByteBuffer(string: csvBody(Self.rows)))
                #expect(response.headers[.contentType] == "text/csv", "Accept \(accept ?? "missing")")
                expectCSV(text(response), equals: Self.rows)
            }
        }
    }

    @Test func sageMakerDefaultAcceptOverridesThePipelineDefault() async throws {
        try await withLiveServer(try makeServer(defaultAccept: .jsonLines)) { client in
            let response = try await client.execute(uri: "/invocations", method: .post,
                                                    headers: headers(["Content-Type": "text/csv", "Accept": "*/*"]),
                                                    body: ByteBuffer(string: csvBody(Self.rows)))
            #expect(response.headers[.contentType] == "application/jsonlines")
            #expect(try parse(text(response), as: "application/jsonlines").map(\.label) == Self.rows.map(\.label))
        }
    }

    @Test func allRowsInOneRequestEqualTheTrainingFrameworks() async throws {
        #expect(carExpected.count == 1728)
        try await withLiveServer(try makeServer()) { client in
            let response = try await client.execute(uri: "/invocations", method: .post,
                                                    headers: headers(["Content-Type": "text/csv"]),
                                                    body: ByteBuffer(string: csvBody(carExpected)))
            #expect(response.status == .ok)
            expectCSV(text(response), equals: carExpected)
        }
    }

    @Test func oneRowPerRequestOnAKeepAliveConnection() async throws {
        let sample = stride(from: 0, to: carExpected.count, by: 17).map { carExpected[$0] }
        try await withLiveServer(try makeServer()) { client in
            for row in sample {
                let response = try await client.execute(uri: "/endpoints/car-evaluation-sklearn/invocations", method: .post,
                                                        headers: headers(["Content-Type": "text/csv"]),
                                                        body: ByteBuffer(string: csvBody([row])))
                expectCSV(text(response), equals: [row])
            }
        }
    }
}

/// One answer row as read back; nothing is dropped or turned into NaN, so
/// an unreadable value or row shows up in the comparison.
struct Answer {
    var label: String
    var probabilities: [ComparedValue]
}

func parse(_ body: String, as type: String) throws -> [Answer] {
    func answer(_ object: Any) -> Answer {
        let row = object as? [String: Any]
        let values = row?["probabilities"] as? [Any] ?? []
        return Answer(label: row?["predicted_class"] as? String ?? "<no predicted_class in \(object)>",
                      probabilities: values.map { value in
                          guard let number = value as? NSNumber else {
                              return .unparsable(String(describing: value))
                          }
                          return .number(number.doubleValue)
                      })
    }
    switch type {
    case "text/csv":
        return body.split(separator: "\n").map { line in
            let fields = line.split(separator: ",").map(String.init)
            return Answer(label: fields.first ?? "", probabilities: fields.dropFirst().map { ComparedValue(parsing: $0) })
        }
    case "application/json":
        let object = try ExactJSON.object(with: Data(body.utf8)) as? [String: Any]
        return (object?["predictions"] as? [Any] ?? []).map(answer)
    default:
        return try body.split(separator: "\n").map { line in
            answer(try ExactJSON.object(with: Data(line.utf8)))
        }
    }
}
