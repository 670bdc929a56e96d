import ConveyorTestSupport
import Foundation
import Testing

/// conveyor.spark (mapInArrow with pass-through columns, the RDD.pipe fallback) and Spark SQL's
/// `SELECT TRANSFORM … USING 'conveyor pipe …'` on real PySpark 4.3 in local[2] mode, against the
/// training frameworks' expected outputs (python/tests/spark_check.py). About a minute: one JVM.
@Suite struct PipeSparkTests {
    @Test func sparkMapInArrowPipeAndSQLTransform() async throws {
        let python = projectRoot.appendingPathComponent("training/.venvs/pipe-spark/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python.path), "run `bash .ci/pipe-spark-setup.sh` first (.ci/test.sh does)")
        setenv("CONVEYOR_BIN", conveyorExecutable.path, 1)
        let (status, output) = try await offPool {
            try runCombiningOutput(python, [projectRoot.appendingPathComponent("python/tests/spark_check.py").path])
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains(" passed, 0 failed"), "\(output)")
    }
}
