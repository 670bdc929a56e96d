import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import SparkML

let layoutFixtures = projectRoot.appendingPathComponent("Tests/Fixtures/spark-layouts")

/// A fixture of Tests/Fixtures/spark-layouts (training/spark_layouts.py) with its expected file.
func layoutFixture(_ name: String) throws -> SparkFixture {
    try SparkFixture(layoutFixtures.appendingPathComponent("\(name).expected.json"),
                     model: layoutFixtures.appendingPathComponent(name))
}

/// The stage folder names under `<model>/<sub>stages/`.
func stageFolders(_ model: URL, under sub: String = "") throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: model.appendingPathComponent(sub + "stages").path).sorted()
}

/// A scratch copy of a fixture directory, for the refusal and renaming tests.
func scratchCopy(of model: URL) throws -> URL {
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-layouts-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: model, to: copy)
    return copy
}

/// Runs a fixture whose one input is a `features` vector (each row holds its
/// values) through the stage and compares every column Spark wrote.
func checkVectorFixture(_ fixture: SparkFixture, stage: SparkMLStage, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let rows = try fixture.rows.map { row in
        try row.map { cell -> Double in
            guard case .number(let value) = number(cell) else { throw ConveyorError(.invalidInput, "fixture cell \(cell)") }
            return value
        }
    }
    let width = rows.first?.count ?? 0
    let out = try stage.transformAll(try Frame(columns: [Columns.vectors("features", width: width, rows)]))
    #expect(out.rowCount == rows.count && fixture.expected.count == rows.count, sourceLocation: sourceLocation)
    for index in rows.indices {
        guard let want = fixture.expected[index], index < out.rowCount else { continue }
        let problems = mismatches(out, row: index, expected: want)
        #expect(problems.isEmpty, "row \(index): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
    }
}

/// Issue 12, layout items: Spark's zero-padded stage folders, leftover folders,
/// and old file names, each on a model Spark itself saved.
@Suite struct SparkLayoutTests {
    /// Spark's `getStagePath`: index padded to the digits of the stage count.
    @Test func stageFolderNamesFollowSparksRule() {
        #expect(SparkPipelineModel.stageFolder(uid: "u", index: 0, count: 9) == "0_u")
        #expect(SparkPipelineModel.stageFolder(uid: "u", index: 8, count: 9) == "8_u")
        #expect(SparkPipelineModel.stageFolder(uid: "u", index: 0, count: 10) == "00_u")
        #expect(SparkPipelineModel.stageFolder(uid: "u", index: 9, count: 10) == "09_u")
        #expect(SparkPipelineModel.stageFolder(uid: "u", index: 12, count: 13) == "12_u")
        #expect(SparkPipelineModel.stageFolder(uid: "u", index: 7, count: 100) == "007_u")
        #expect(SparkPipelineModel.stageFolder(uid: "u", index: 100, count: 101) == "100_u")
    }

    /// 13 stages saved by Spark's JVM writer: folders 00_ … 12_, predictions equal Spark's.
    @Test func thirteenStagePipelineEqualsSpark() throws {
        let fixture = try layoutFixture("adult-13-stages")
        let folders = try stageFolders(fixture.model)
        #expect(folders.filter { $0.hasPrefix("00_") || $0.hasPrefix("09_") || $0.hasPrefix("12_") }.count == 3)
        let stage = try SparkMLStage(name: "adult13", modelURL: fixture.model, schema: nil)
        #expect(stage.stageClasses.count == 13)
        #expect(stage.stageClasses.last == "org.apache.spark.ml.feature.IndexToString")
        #expect(fixture.rows.count == 16 && fixture.expected.count == 16)
        try checkAgainstSpark(fixture, stage: stage)
    }

    /// The same directory holds the stage folders of an earlier 3-stage save
    /// (unpadded, same imputer uid, strategy mean instead of median) that
    /// stageUids does not list: they are not read, as Spark does not read them.
    @Test func foldersLeftFromAnEarlierSaveAreIgnored() throws {
        let model = layoutFixtures.appendingPathComponent("adult-13-stages")
        let folders = try stageFolders(model)
        let leftover = try #require(folders.first { $0.hasPrefix("0_Imputer_") })
        let current = try #require(folders.first { $0.hasPrefix("00_Imputer_") })
        #expect(leftover.dropFirst(2) == current.dropFirst(3), "the leftover must share the uid to be a trap")
        #expect(folders.count == 16)
        // Each folder alone is a stage Spark saved: the leftover really holds other values.
        let old = try SparkMLStage(name: "old", modelURL: model.appendingPathComponent("stages/" + leftover), schema: nil)
        let new = try SparkMLStage(name: "new", modelURL: model.appendingPathComponent("stages/" + current), schema: nil)
        #expect(old.transformers.first?.metadata.string("strategy") == "mean")
        #expect(new.transformers.first?.metadata.string("strategy") == "median")
        let stage = try SparkMLStage(name: "adult13", modelURL: model, schema: nil)
        #expect(stage.transformers.first?.metadata.string("strategy") == "median")
    }

    /// A listed stage whose padded folder is missing is refused naming the
    /// folder Spark's rule expects, and the leftover that holds its uid.
    @Test func aMissingPaddedFolderIsRefusedNamingIt() throws {
        let copy = try scratchCopy(of: layoutFixtures.appendingPathComponent("adult-13-stages"))
        defer { try? FileManager.default.removeItem(at: copy) }
        let current = try #require(try stageFolders(copy).first { $0.hasPrefix("00_Imputer_") })
        try FileManager.default.removeItem(at: copy.appendingPathComponent("stages/" + current))
        do {
            _ = try SparkMLStage(name: "s", modelURL: copy, schema: nil)
            Issue.record("loaded without its first stage")
        } catch let error as ConveyorError {
            #expect(error.code == .modelCorrupt)
            #expect(error.message.contains("stages/\(current) is missing"), "\(error)")
            #expect(error.message.contains("2 digit(s) of the stage count 13"), "\(error)")
            #expect(error.message.contains("stages/0_Imputer_"), "\(error)")
        }
    }

    /// Spark 2.0 named data files `part-r-<n>-<uuid>.<codec>.parquet` and
    /// metadata plain `part-00000`. No licensed Spark 2.0 save was found, so
    /// this renames the files of the Spark 4.3 save the Spark 2.0 way
    /// (Tests/Fixtures/spark-layouts/README.md).
    @Test func spark2FileNamesLoad() throws {
        let fixture = try layoutFixture("adult-13-stages")
        let copy = try scratchCopy(of: fixture.model)
        defer { try? FileManager.default.removeItem(at: copy) }
        let manager = FileManager.default
        var renamed = 0
        for path in try manager.subpathsOfDirectory(atPath: copy.path) {
            let url = copy.appendingPathComponent(path)
            let name = url.lastPathComponent
            if name.hasPrefix("part-00000-"), name.hasSuffix("-c000.snappy.parquet") {
                let uuid = name.dropFirst("part-00000-".count).dropLast("-c000.snappy.parquet".count)
                try manager.moveItem(at: url, to: url.deletingLastPathComponent().appendingPathComponent("part-r-00000-\(uuid).snappy.parquet"))
                renamed += 1
            } else if name.hasPrefix("part-00000"), name.hasSuffix(".txt") {
                try manager.moveItem(at: url, to: url.deletingLastPathComponent().appendingPathComponent("part-00000"))
                renamed += 1
            } else if name.hasPrefix(".") || name == "_SUCCESS" {
                try manager.removeItem(at: url)
            }
        }
        #expect(renamed > 20)
        let stage = try SparkMLStage(name: "spark2names", modelURL: copy, schema: nil)
        try checkAgainstSpark(fixture, stage: stage)
    }

    /// A real Spark 2.1.0 save (datitran/PySpark-App-CF, MIT): metadata without
    /// `defaultParamMap`, every param in `paramMap`, a 20-hex-digit Python uid.
    /// Its predictions equal Spark 4.3's transform of the same directory.
    @Test func spark21MetadataWithoutDefaultParamMapLoads() throws {
        let fixture = try layoutFixture("datitran-lr-2.1")
        let metadata = try String(contentsOf: fixture.model.appendingPathComponent("metadata/part-00000"), encoding: .utf8)
        #expect(metadata.contains("\"sparkVersion\":\"2.1.0\"") && !metadata.contains("defaultParamMap"))
        let stage = try SparkMLStage(name: "lr21", modelURL: fixture.model, schema: nil)
        #expect(stage.sparkVersion == "2.1.0")
        #expect(stage.inputs.map(\.name) == ["features"])
        try checkVectorFixture(fixture, stage: stage)
    }

    /// A real Spark 2.0.2 PipelineModel (Hydrospheredata/hydro-serving-spark,
    /// Apache-2.0): Scala-style uids (`pipeline_…`, `binarizer_…`), metadata
    /// `part-00000` without `defaultParamMap`. Equals Spark 4.3's transform of it,
    /// null, NaN and infinity included.
    @Test func spark202PipelineWithScalaUidsLoads() throws {
        let fixture = try layoutFixture("hydro-binarizer-2.0.2")
        let folders = try stageFolders(fixture.model)
        #expect(folders == ["0_binarizer_1d440269fda6"])
        let stage = try SparkMLStage(name: "bin202", modelURL: fixture.model, schema: nil)
        #expect(stage.sparkVersion == "2.0.2")
        #expect(stage.stageClasses == ["org.apache.spark.ml.feature.Binarizer"])
        #expect(fixture.expected.count == 9)
        try checkAgainstSpark(fixture, stage: stage)
    }
}
