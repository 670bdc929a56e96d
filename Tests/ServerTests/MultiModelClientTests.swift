import ConveyorTestSupport
import Foundation
import Testing

/// boto3's invoke_endpoint(TargetModel=...) over three pipelines with a
/// budget that fits two, and every status of SageMaker's multi-model
/// contract, against `conveyor serve --model-root` as a child process
/// (Tests/PythonClients/run_multimodel_clients.py; its last line is 'N passed, N failed').
@Suite struct MultiModelClientTests {
    @Test func boto3TargetModelUnderABudgetAndEveryStatusOfTheContract() async throws {
        let python = PythonClientTests.python
        try #require(FileManager.default.isExecutableFile(atPath: python.path),
                     "run `bash .ci/clients-setup.sh` first (.ci/test.sh does)")
        let script = projectRoot.appendingPathComponent("Tests/PythonClients/run_multimodel_clients.py")
        let (status, output) = try await offPool {
            try runCombiningOutput(python, [script.path, "--conveyor", conveyorExecutable.path])
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains(" passed, 0 failed"), "\(output)")
        #expect(output.contains("ok   the third load unloaded the least recently used"), "\(output)")
        #expect(output.contains("ok   POST /models when the budget is full: 507"), "\(output)")
    }
}
