import BatchTransform
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Storage
import Testing

/// Parquet objects (spooled from S3, since Parquet is read from its footer)
/// and byte-range shards over moto's S3 server, boto3 uploading and downloading.
@Suite(.serialized) struct S3ParquetShardTests {
    @Test func parquetOverS3AndByteShardPartsConcatenateToTheWhole() async throws {
        let moto = try await MotoServer(buckets: ["data"])
        defer { moto.stop() }
        let root = try temporaryFolder()
        let up = root.appendingPathComponent("up")
        try FileManager.default.createDirectory(at: up, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: ParquetTransformTests.fixtures.appendingPathComponent("car-spark-zstd.parquet"),
                                         to: up.appendingPathComponent("cars.parquet"))
        try write(ByteShardTests.carCSV(carRows[0..<700]), to: root.appendingPathComponent("csv/cars.csv"))
        try await moto.boto3(["upload", up.path, "data", "pq/"])
        try await moto.boto3(["upload", root.appendingPathComponent("csv").path, "data", "csv/"])
        func run(_ input: String, _ output: String, configure: (inout TransformOptions) -> Void) async throws -> TransformSummary {
            var options = TransformOptions()
            configure(&options)
            let s3 = moto.configuration(partBytes: 4096)
            return try await TransformJob(pipeline: carPipeline, input: .prefix(try StorageLocation(input)),
                                          output: try StorageLocation(output), options: options,
                                          stores: StoreResolver { s3 }).run()
        }
        let parquet = try await run("s3://data/pq/", "s3://data/scored/") {
            ParquetTransformTests.parquet(&$0)
            $0.passThrough = ["id"]
        }
        #expect(parquet.isSuccess && parquet.records == 1728, "\(parquet.text())")
        let csv: (inout TransformOptions) -> Void = {
            $0.contentType = .csv
            $0.splitType = .line
        }
        let whole = try await run("s3://data/csv/", "s3://data/whole/", configure: csv)
        #expect(whole.isSuccess && whole.records == 700)
        for index in 0..<5 {
            let part = try await run("s3://data/csv/", "s3://data/parts/") {
                csv(&$0)
                $0.shardBy = .bytes
                $0.shard = Shard(index: index, count: 5)
            }
            #expect(part.isSuccess, "\(part.text())")
        }
        let down = root.appendingPathComponent("down")
        try await moto.boto3(["download", "data", "scored/", down.appendingPathComponent("scored").path])
        try await moto.boto3(["download", "data", "whole/", down.appendingPathComponent("whole").path])
        try await moto.boto3(["download", "data", "parts/", down.appendingPathComponent("parts").path])
        let lines = try read(down.appendingPathComponent("scored/cars.parquet.out")).split(separator: "\n")
        let fields: [[Substring]] = lines.map { $0.split(separator: ",", maxSplits: 1) }
        let ids: [String] = fields.map { $0.first.map(String.init) ?? "" }
        let wanted: [String] = (0..<1728).map { String($0) }
        #expect(ids == wanted)
        let scored: [Substring] = fields.map { $0.last ?? "" }
        expectCarOutput(scored, carRows[...])
        let expected = try Data(contentsOf: down.appendingPathComponent("whole/cars.csv.out"))
        expectCarOutput(String(decoding: expected, as: UTF8.self).split(separator: "\n"), carRows[0..<700])
        #expect(try ByteShardTests.joinedParts(down.appendingPathComponent("parts"), "cars.csv", count: 5) == expected)
    }
}
