import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Pipeline
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
    /// `/openapi.json` is the YAML as JSON (numbers stay numbers, version
    /// strings stay strings) plus what each served pipeline makes concrete:
    /// here the Car pipeline (six strings in, a class and four
    /// probabilities out) and Titanic (floats and strings in, a float out).
    @Test func theJSONDocumentDescribesEachServedPipeline() async throws {
        let titanic = try PipelineLoader().load(contentsOf: repoFile("pipelines/titanic.json"))
        let body = try await withLiveServer(try makeServer([carPipeline, titanic])) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            return Data(text(response).utf8)
        }
        let document = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let info = try #require(document["info"] as? [String: Any])
        #expect(info["version"] as? String == ConveyorServer.version)
        let paths = try #require(document["paths"] as? [String: Any])
        let yamlPaths = Set(Self.documentedOperations(Self.document).map { String($0.split(separator: " ")[1]) })
        let concrete = ["car-evaluation-sklearn", "titanic"].flatMap {
            ["/endpoints/\($0)/invocations", "/models/\($0)/invoke", "/v2/models/\($0)/infer"]
        }
        #expect(Set(paths.keys) == yamlPaths.union(concrete))

        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let tensorShape = try #require((schemas["TensorMetadata"] as? [String: Any])?["properties"] as? [String: Any])
        let minimum = ((tensorShape["shape"] as? [String: Any])?["items"] as? [String: Any])?["minimum"]
        #expect((minimum as? NSNumber)?.intValue == -1, "a YAML integer is a JSON number")

        let row = try #require(schemas["titanic.Row"] as? [String: Any])
        #expect(row["required"] as? [String] == ["Pclass", "Embarked", "Age", "Fare", "SibSp", "Sex"])
        let properties = try #require(row["properties"] as? [String: [String: Any]])
        let ageType = properties["Age"]?["type"] as? [String], sexType = properties["Sex"]?["type"] as? [String]
        #expect(ageType == ["number", "null"])
        #expect(sexType == ["string", "null"])
        let values = try #require(schemas["titanic.Values"] as? [String: Any])
        let prefixCount = (values["prefixItems"] as? [Any])?.count, minItems = values["minItems"] as? Int
        #expect(prefixCount == 6 && minItems == 6)
        let score = try #require((schemas["titanic.Prediction"] as? [String: Any])?["properties"] as? [String: [String: Any]])
        let scoreType = score["score"]?["type"] as? [String]
        #expect(score.keys.sorted() == ["score"] && scoreType == ["number", "null"])
        let probabilities = try #require(((schemas["car-evaluation-sklearn.Prediction"] as? [String: Any])?["properties"]
            as? [String: [String: Any]])?["probabilities"])
        let (least, most) = (probabilities["minItems"] as? Int, probabilities["maxItems"] as? Int)
        #expect(least == 4 && most == 4)

        // The concrete routes: no path parameter left, their own operation ids, this pipeline's bodies.
        let infer = try #require((paths["/v2/models/titanic/infer"] as? [String: Any])?["post"] as? [String: Any])
        #expect(infer["operationId"] as? String == "modelInfer_titanic")
        #expect((infer["parameters"] as? [Any])?.isEmpty == true)
        let invoke = try #require((paths["/models/titanic/invoke"] as? [String: Any])?["post"] as? [String: Any])
        let parameters = try #require(invoke["parameters"] as? [[String: Any]])
        #expect(!parameters.contains { $0["$ref"] as? String == "#/components/parameters/ModelName" })
        let invocations = try #require((paths["/invocations"] as? [String: Any])?["post"] as? [String: Any])
        let json = "\(invocations["requestBody"] ?? "")"
        #expect(json.contains("car-evaluation-sklearn.Values") && !json.contains("titanic"),
                "/invocations takes the first pipeline's rows")
    }
}
