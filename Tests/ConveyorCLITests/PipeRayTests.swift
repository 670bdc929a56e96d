import ConveyorTestSupport
import Foundation
import Testing

/// conveyor.ray's `map_batches` on real Ray (`ray.init(num_cpus=2)`, two actors, each with one
/// `conveyor pipe`), against the training frameworks' expected outputs and, on 69,120 rows, against
/// `conveyor transform` row for row (python/tests/ray_check.py). About 40 s: Ray starts its own
/// processes. Bounded by `timeout`, so a stuck Ray fails the test instead of hanging CI.
@Suite struct PipeRayTests {
    @Test func rayMapBatchesEqualsTheFrameworksAndTransform() async throws {
        let python = projectRoot.appendingPathComponent("training/.venvs/pipe-spark/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python.path), "run `bash .ci/pipe-spark-setup.sh` first (.ci/test.sh does)")
        setenv("CONVEYOR_BIN", conveyorExecutable.path, 1)
        let (status, output) = try await offPool {
            try runCombiningOutput(URL(fileURLWithPath: "/usr/bin/timeout"),
                                   ["600", python.path, projectRoot.appendingPathComponent("python/tests/ray_check.py").path])
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains(" passed, 0 failed"), "\(output)")
    }
}
