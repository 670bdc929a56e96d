@testable import BatchTransform
import Codecs
import ConveyorCore
@testable import Storage

/// Request bodies, record splitting, JSONPath filters and S3 XML answers.
enum TextTargets {
    /// Input layouts a pipeline can declare: scalars of every kind, a
    /// vector of unknown width, a fixed-width vector beside scalars, a list.
    static let layouts: [[ColumnSpec]] = [
        [ColumnSpec("a", .double), ColumnSpec("b", .double), ColumnSpec("c", .double)],
        [ColumnSpec("s", .string), ColumnSpec("i", ColumnType(.int)), ColumnSpec("l", ColumnType(.long)),
         ColumnSpec("f", ColumnType(.float)), ColumnSpec("t", ColumnType(.boolean))],
        [ColumnSpec("features", .vector(nil))],
        [ColumnSpec("v", .vector(3)), ColumnSpec("name", .string)],
        [ColumnSpec("tokens", .stringList)],
    ]

    static func decode(_ bytes: [UInt8], as type: MediaType) {
        for layout in layouts {
            _ = try? FrameDecoder(inputs: layout).decodeRequest(bytes, as: type)
        }
        let prefix = RecordSplitter.completePrefixLength(bytes, type: type)
        precondition(prefix >= 0 && prefix <= bytes.count, "prefix \(prefix) outside 0...\(bytes.count)")
    }

    static func csv(_ bytes: [UInt8]) {
        decode(bytes, as: .csv)
        // Batch transform's view of the same bytes: lines, then fields.
        for quoted in [true, false] {
            for range in LineRecords.ranges(bytes[...], quoted: quoted) {
                var out: [UInt8] = []
                CSVRecord.join(CSVRecord.fields(bytes[range]), into: &out)
            }
        }
    }

    static func json(_ bytes: [UInt8]) {
        decode(bytes, as: .json)
        _ = try? JSONValue.parse(bytes[...])
    }

    static func jsonLines(_ bytes: [UInt8]) {
        decode(bytes, as: .jsonLines)
        for range in LineRecords.ranges(bytes[...], quoted: false) {
            _ = try? JSONValue.parse(bytes[range])
        }
    }

    /// First line: the JSONPath (an InputFilter / OutputFilter); the rest: one record.
    static func jsonPath(_ bytes: [UInt8]) {
        let newline = bytes.firstIndex(of: 0x0A) ?? bytes.count
        let text = String(decoding: bytes[..<newline], as: UTF8.self)
        let record = bytes[min(newline + 1, bytes.count)...]
        guard let path = try? JSONPath.parse(text) else { return }
        _ = path.description
        _ = try? RecordProcessing.filter(record, with: path, csv: true)
        _ = try? RecordProcessing.filter(record, with: path, csv: false)
    }

    /// The calls S3Store makes on ListObjectsV2, ListMultipartUploads and error answers.
    static func s3XML(_ bytes: [UInt8]) {
        let xml = String(decoding: bytes, as: UTF8.self)
        for block in S3XML.blocks("Contents", in: xml) {
            _ = S3XML.values("Key", in: block).first
            _ = S3XML.values("Size", in: block).first.flatMap { Int64($0) }
        }
        _ = S3XML.value("IsTruncated", in: xml)
        _ = S3XML.value("NextContinuationToken", in: xml)
        _ = S3XML.value("Code", in: xml)
        _ = S3XML.value("Message", in: xml)
        for block in S3XML.blocks("Upload", in: xml) {
            _ = S3XML.values("UploadId", in: block)
        }
        _ = S3XML.escape(S3XML.decode(xml[...]))
    }
}
