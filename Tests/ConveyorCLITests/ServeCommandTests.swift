import Codecs
import ConveyorCore
import Foundation
import Pipeline
import Testing
@testable import ConveyorCLI

@Suite struct ServeCommandTests {
    func command(_ arguments: [String]) throws -> ServeCommand {
        try ServeCommand.parse(arguments)
    }

    @Test func defaultsAreLoopbackAnd8080() throws {
        let configuration = try command([]).configuration(environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.maxBodyBytes == 6 * 1024 * 1024)
        #expect(configuration.defaultAccept == nil)
    }

    @Test func sageMakerEnvironmentSetsPortHostLimitAndAccept() throws {
        let environment = ["SAGEMAKER_BIND_TO_PORT": "9090", "SAGEMAKER_MAX_PAYLOAD_IN_MB": "2",
                           "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "application/jsonlines"]
        let configuration = try command([]).configuration(environment: environment)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9090)
        #expect(configuration.maxBodyBytes == 2 * 1024 * 1024)
        #expect(configuration.defaultAccept == .jsonLines)
        let explicit = try command(["--host", "127.0.0.1", "--port", "7000"]).configuration(environment: environment)
        #expect(explicit.host == "127.0.0.1" && explicit.port == 7000)
    }

    /// gRPC is off unless asked for; a port outside 0…65535 is a usage error.
    @Test func grpcPortIsOptInAndChecked() throws {
        #expect(try command([]).configuration(environment: [:]).grpcPort == nil)
        #expect(try command(["--grpc-port", "8081"]).configuration(environment: [:]).grpcPort == 8081)
        #expect(try command(["--grpc-port", "0"]).configuration(environment: [:]).grpcPort == 0)
        let error = #expect(throws: (any Error).self) { try command(["--grpc-port", "70000"]).configuration(environment: [:]) }
        #expect("\(error.map { String(describing: $0) } ?? "")".contains("--grpc-port must be between 0 and 65535"))
    }

    /// The container image sets CONVEYOR_HOST=0.0.0.0: SageMaker starts it as
    /// `serve` without options and without SAGEMAKER_BIND_TO_PORT.
    @Test func conveyorHostSetsTheDefaultHost() throws {
        let configuration = try command([]).configuration(environment: ["CONVEYOR_HOST": "0.0.0.0"])
        #expect(configuration.host == "0.0.0.0" && configuration.port == 8080)
        let explicit = try command(["--host", "127.0.0.1"]).configuration(environment: ["CONVEYOR_HOST": "0.0.0.0"])
        #expect(explicit.host == "127.0.0.1")
    }

    @Test func aFolderServesEveryPipelineInIt() throws {
        let pipelines = try command(["--pipeline", projectRoot.appendingPathComponent("pipelines").path])
            .loadPipelines(environment: [:])
        #expect(pipelines.map(\.name).contains("car-evaluation"))
    }

    /// SAGEMAKER_SPARKML_SCHEMA and SAGEMAKER_INFERENCE_OUTPUT fill in what a
    /// pipeline file leaves out, and never override what it says.
    @Test func sageMakerModelVariablesFillGaps() throws {
        var definition = try PipelineLoader.definition(contentsOf: projectRoot.appendingPathComponent("pipelines/car-evaluation-sklearn.json"))
        let fileSchema = definition.stages[0].schema
        definition.stages[0].schema = nil
        definition.stages[1].outputs = nil
        let schema = #"{"input": [{"name": "buying", "type": "string"}], "output": {"name": "features", "type": "double", "struct": "vector"}}"#
        let applied = try SageMakerEnvironment(["SAGEMAKER_SPARKML_SCHEMA": schema,
                                                "SAGEMAKER_INFERENCE_OUTPUT": "predicted_label, probabilities"])
            .apply(to: definition)
        #expect(applied.stages[0].schema != nil && applied.stages[0].schema != fileSchema)
        #expect(applied.stages[1].outputs == ["predicted_label", "probabilities"])
        // The labels stage keeps its own schema.
        #expect(applied.stages[2].schema == definition.stages[2].schema)
        #expect(throws: ConveyorError.self) {
            try SageMakerEnvironment(["SAGEMAKER_SPARKML_SCHEMA": "{not json"]).apply(to: definition)
        }
    }
}
