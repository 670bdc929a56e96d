import ConveyorTestSupport
import Foundation
import Testing

/// conveyor.spark (mapInArrow with pass-through columns, the RDD.pipe fallback) and Spark SQL's
/// `SELECT TRANSFORM … USING 'conveyor pipe …'` on real PySpark 4.3, against the training
/// frameworks' expected outputs (python/tests/spark_check.py, local[2]) and, at 1,000,512 rows on a
/// local-cluster of two executor JVMs, against `conveyor transform` row for row
/// (python/tests/spark_scale_check.py). Serialized: each starts its own JVMs. Bounded by `timeout`,
/// so a stuck cluster fails the test instead of hanging CI.
@Suite(.serialized) struct PipeSparkTests {
    private func runCheck(_ script: String, limitSeconds: Int) async throws -> (status: Int32, output: String) {
        let python = projectRoot.appendingPathComponent("training/.venvs/pipe-spark/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python.path), "run `bash .ci/pipe-spark-setup.sh` first (.ci/test.sh does)")
        setenv("CONVEYOR_BIN", conveyorExecutable.path, 1)
        return try await offPool {
            try runCombiningOutput(URL(fileURLWithPath: "/usr/bin/timeout"),
                                   ["\(limitSeconds)", python.path, projectRoot.appendingPathComponent("python/tests/\(script)").path])
        }
    }

    @Test func sparkMapInArrowPipeAndSQLTransform() async throws {
        let (status, output) = try await runCheck("spark_check.py", limitSeconds: 600)
        #expect(status == 0, "\(output)")
        #expect(output.contains(" passed, 0 failed"), "\(output)")
    }

    @Test func aMillionRowsOnALocalClusterEqualTransform() async throws {
        let (status, output) = try await runCheck("spark_scale_check.py", limitSeconds: 1200)
        #expect(status == 0, "\(output)")
        #expect(output.contains("ok   at least 1,000,000 rows"), "\(output)")
        #expect(output.contains(" passed, 0 failed"), "\(output)")
    }
}
