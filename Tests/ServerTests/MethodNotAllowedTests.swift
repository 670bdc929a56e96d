import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// A route's path with a method it does not have is 405 with `Allow` and
/// the JSON error body of its route family; a path no route has stays 404;
/// HEAD is answered wherever GET is.
@Suite struct MethodNotAllowedTests {
    @Test func wrongMethodsAre405WithAllow() async throws {
        try await withLiveServer(try makeServer()) { client in
            let cases: [(String, HTTPRequest.Method, String)] = [
                ("/invocations", .get, "POST"),
                ("/ping", .post, "GET, HEAD"),
                ("/ping", .delete, "GET, HEAD"),
                ("/endpoints/car-evaluation/invocations", .get, "POST"),
                ("/models", .put, "GET, HEAD, POST"),
                ("/models/some-model", .post, "DELETE, GET, HEAD"),
                ("/openapi.yaml", .post, "GET, HEAD"),
            ]
            for (uri, method, allow) in cases {
                let response = try await client.execute(uri: uri, method: method)
                #expect(response.status == .methodNotAllowed, "\(method) \(uri): \(response.status)")
                #expect(response.headers[.allow] == allow, "\(method) \(uri): \(response.headers[.allow] ?? "no Allow")")
                let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let error = try #require(body["error"] as? [String: Any], "\(body)")
                #expect(error["code"] as? String == "method_not_allowed", "\(body)")
                #expect((error["message"] as? String)?.contains("allowed: \(allow)") == true, "\(body)")
                #expect(response.headers[ConveyorServer.requestIDHeader] != nil)
            }
            // The Open Inference Protocol's routes answer in its error shape.
            let infer = try await client.execute(uri: "/v2/models/car-evaluation/infer", method: .get)
            #expect(infer.status == .methodNotAllowed && infer.headers[.allow] == "POST")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: infer.body)) as? [String: Any])
            #expect((body["error"] as? String)?.contains("not allowed") == true, "\(body)")
        }
    }

    @Test func unknownPathsStay404AndHeadFollowsGet() async throws {
        try await withLiveServer(try makeServer()) { client in
            let missing = try await client.execute(uri: "/no-such-route", method: .get)
            #expect(missing.status == .notFound)
            let deeper = try await client.execute(uri: "/invocations/extra", method: .post)
            #expect(deeper.status == .notFound)
            let head = try await client.execute(uri: "/ping", method: .head)
            #expect(head.status == .ok)
        }
    }
}
