import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Pipeline
import Testing
@testable import Server

/// The SageMaker SDK's inference-pipeline integration test, over HTTP:
/// MLeap features → XGBoost from the SageMaker container's pickled Booster.
/// Its test asserts the string "0.714013934135" (Python 2's 12-digit str).
@Suite struct TitanicServingTests {
    let titanic = try! PipelineLoader().load(contentsOf: repoFile("pipelines/titanic.json"))

    @Test func theSDKRowGivesTheSDKAnswer() async throws {
        try await withLiveServer(try makeServer([titanic])) { client in
            for uri in ["/invocations", "/endpoints/titanic/invocations"] {
                let response = try await client.execute(uri: uri, method: .post,
                                                        headers: headers(["Content-Type": "text/csv", "Accept": "text/csv"]),
                                                        body: ByteBuffer(string: "1.0,C,38.0,71.5,1.0,female\n"))
                #expect(response.status == .ok)
                // The booster's float32 answer, printed in float32's shortest form;
                // widened to a double and printed to 12 digits as the SDK's Python did.
                let value = try #require(Float(text(response).trimmingCharacters(in: .whitespacesAndNewlines)))
                #expect(String(format: "%.12g", Double(value)) == "0.714013934135")
            }
        }
    }

    @Test func theSDKInvalidRowIsRefusedNamingTheColumn() async throws {
        let invalid = try String(contentsOf: repoFile("../shared/mleap-bundles/sagemaker-pysdk-titanic-features/invalid_input.csv"),
                                 encoding: .utf8)
        try await withLiveServer(try makeServer([titanic])) { client in
            let response = try await client.execute(uri: "/invocations", method: .post,
                                                    headers: headers(["Content-Type": "text/csv"]),
                                                    body: ByteBuffer(string: invalid))
            #expect(response.status == .badRequest)
            let error = try #require(errorObject(response))
            #expect(error["row"] as? Int == 1)
            #expect(error["column"] as? String != nil)
            let ping = try await client.execute(uri: "/ping", method: .get)
            #expect(ping.status == .ok)
        }
    }
}
