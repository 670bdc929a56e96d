import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// docs/openapi.yaml describes exactly the routes the server has, and the
/// server serves that very file at `/openapi.yaml`.
@Suite struct OpenAPIDocumentTests {
    static let document = (try? String(contentsOf: repoFile("docs/openapi.yaml"), encoding: .utf8)) ?? ""

    /// `GET /path` for every operation under `paths:` (two-space path keys,
    /// four-space method keys, as the file is written).
    static func documentedOperations(_ yaml: String) -> Set<String> {
        var operations: Set<String> = []
        var path: String?
        var inPaths = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") { inPaths = line == "paths:"; path = nil; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.dropFirst(4).dropLast()
                if ["get", "post", "put", "delete", "patch", "head", "options"].contains(method) {
                    operations.insert("\(method.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    @Test func everyRouteIsDescribedAndEveryDescribedRouteExists() throws {
        let router = try makeServer().makeRouter()
        let routes = Set(router.routes.map { "\($0.method) \($0.path)" })
        let documented = Self.documentedOperations(Self.document)
        #expect(routes.count >= 15, "\(routes.sorted())")
        #expect(routes.subtracting(documented).isEmpty, "not in docs/openapi.yaml: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "no such route: \(documented.subtracting(routes).sorted())")
    }

    @Test func theParserSeesAMissingRoute() {
        // The check above cannot pass vacuously: dropping one path is seen.
        let trimmed = Self.document.replacingOccurrences(of: "  /v2/health/live:\n    get:", with: "  /v2/health/live:\n    x-none:")
        #expect(Self.documentedOperations(Self.document).contains("GET /v2/health/live"))
        #expect(!Self.documentedOperations(trimmed).contains("GET /v2/health/live"))
    }

    @Test func theServerServesTheCommittedFile() async throws {
        #expect(Self.document.hasPrefix("openapi: 3.1.0\n"))
        #expect(Self.document.contains("\n  version: \(ConveyorServer.version)\n"), "info.version is the server's")
        #expect(ConveyorServer.openAPIDocument == Self.document,
                "docs/openapi.yaml changed: paste it into Sources/Server/ConveyorServer+OpenAPI.swift")
        try await withLiveServer(try makeServer()) { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/yaml")
            #expect(text(response) == Self.document)
        }
    }
}
