import Foundation
import Storage
import Testing

/// The worked examples of AWS's "Signature Calculations for the
/// Authorization Header: Transferring Payload in a Single Chunk" (S3 API
/// reference, sig-v4-header-based-auth), with its example keys.
@Suite struct SigV4SignerTests {
    let signer = SigV4Signer(credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                                        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                             region: "us-east-1")
    let date = Date(timeIntervalSince1970: 1_369_353_600)  // 20130524T000000Z

    func signature(_ headers: [(String, String)]) -> String? {
        headers.first { $0.0 == "authorization" }.map { String($0.1.split(separator: "=").last!) }
    }

    @Test func getObjectExample() {
        let headers = signer.sign(method: "GET", path: "/test.txt", query: [],
                                  headers: [("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9")],
                                  payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(signature(headers) == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(headers.contains { $0.0 == "authorization" && $0.1.contains("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,") })
    }

    @Test func listObjectsExample() {
        let headers = signer.sign(method: "GET", path: "/", query: [("max-keys", "2"), ("prefix", "J")],
                                  headers: [("host", "examplebucket.s3.amazonaws.com")],
                                  payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(signature(headers) == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func credentialsFileProfiles() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("credentials")
        try write("[default]\naws_access_key_id = A1\naws_secret_access_key = S1\n\n[ci]\naws_access_key_id=A2\naws_secret_access_key=S2\naws_session_token=T2\n", to: file)
        let environment = ["AWS_SHARED_CREDENTIALS_FILE": file.path, "HOME": folder.path]
        #expect(try S3Credentials.resolve(environment: environment) == S3Credentials(accessKeyID: "A1", secretAccessKey: "S1"))
        #expect(try S3Credentials.resolve(environment: environment.merging(["AWS_PROFILE": "ci"]) { $1 })
            == S3Credentials(accessKeyID: "A2", secretAccessKey: "S2", sessionToken: "T2"))
        #expect(try S3Credentials.resolve(environment: environment.merging(["AWS_ACCESS_KEY_ID": "E", "AWS_SECRET_ACCESS_KEY": "F"]) { $1 })
            == S3Credentials(accessKeyID: "E", secretAccessKey: "F"))
        #expect(throws: (any Error).self) { _ = try S3Credentials.resolve(environment: ["HOME": folder.path, "AWS_PROFILE": "none"]) }
    }
}
