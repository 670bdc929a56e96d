import Codecs
import ConveyorCore
import Foundation
import Storage

/// A SageMaker `CreateTransformJob` request body. The fields that shape
/// the job are read; the rest (names, resources, tags, KMS keys, model
/// client settings) are accepted and ignored, so existing job definitions
/// run unchanged.
public struct JobRequest: Sendable, Decodable {
    public struct S3SourceSpec: Sendable, Decodable {
        public var S3DataType: String?
        public var S3Uri: String
    }
    public struct SourceSpec: Sendable, Decodable {
        public var S3DataSource: S3SourceSpec
    }
    public struct InputSpec: Sendable, Decodable {
        public var DataSource: SourceSpec
        public var ContentType: String?
        public var CompressionType: String?
        public var SplitType: String?
    }
    public struct OutputSpec: Sendable, Decodable {
        public var S3OutputPath: String
        public var Accept: String?
        public var AssembleWith: String?
    }
    public struct ProcessingSpec: Sendable, Decodable {
        public var InputFilter: String?
        public var OutputFilter: String?
        public var JoinSource: String?
    }

    public var TransformJobName: String?
    public var ModelName: String?
    public var BatchStrategy: String?
    public var MaxPayloadInMB: Int?
    public var MaxConcurrentTransforms: Int?
    public var Environment: [String: String]?
    public var TransformInput: InputSpec
    public var TransformOutput: OutputSpec
    public var DataProcessing: ProcessingSpec?

    public static func decode(_ bytes: [UInt8], source: String) throws -> JobRequest {
        do {
            return try JSONDecoder().decode(JobRequest.self, from: Data(bytes))
        } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            throw ConveyorError(.invalidInput, "job file \(source) has no \(path)")
        } catch {
            throw ConveyorError(.invalidInput, "job file \(source) is not a CreateTransformJob request: \(error)")
        }
    }

    /// True when the input is a manifest (`S3DataType` ManifestFile).
    public var isManifest: Bool { TransformInput.DataSource.S3DataSource.S3DataType == "ManifestFile" }

    /// Options from the request; unset fields keep SageMaker's defaults.
    public func options() throws -> TransformOptions {
        var options = TransformOptions()
        if let type = TransformInput.DataSource.S3DataSource.S3DataType, !["S3Prefix", "ManifestFile"].contains(type) {
            throw ConveyorError(.invalidInput, "S3DataType '\(type)' is not supported; use S3Prefix or ManifestFile")
        }
        if let type = TransformInput.ContentType {
            options.parquetInput = TransformOptions.isParquet(type)
            if !options.parquetInput { options.contentType = try MediaType(contentType: type) }
        }
        if let accept = TransformOutput.Accept {
            options.parquetOutput = TransformOptions.isParquet(accept)
            if !options.parquetOutput { options.accept = try MediaType(contentType: accept) }
        }
        if let split = TransformInput.SplitType { options.splitType = try Self.choice(split, "SplitType") }
        if let strategy = BatchStrategy { options.batchStrategy = try Self.choice(strategy, "BatchStrategy") }
        if let compression = TransformInput.CompressionType { options.compression = try Self.choice(compression, "CompressionType") }
        if let assemble = TransformOutput.AssembleWith { options.assembleWith = try Self.choice(assemble, "AssembleWith") }
        if let megabytes = MaxPayloadInMB { options.maxPayloadBytes = megabytes << 20 }
        if let concurrent = MaxConcurrentTransforms, concurrent > 0 { options.maxConcurrentTransforms = concurrent }
        if let processing = DataProcessing {
            options.inputFilter = try processing.InputFilter.flatMap(JSONPath.parse)
            options.outputFilter = try processing.OutputFilter.flatMap(JSONPath.parse)
            if let join = processing.JoinSource { options.joinSource = try Self.choice(join, "JoinSource") }
        }
        return options
    }

    /// Parses a SageMaker enum value, case-insensitively.
    public static func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ name: String) throws -> T where T.RawValue == String {
        if let match = T.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) { return match }
        throw ConveyorError(.invalidInput, "\(name) '\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
    }
}
