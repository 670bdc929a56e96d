import Archives
import ConveyorCore

/// A stage's `metadata/part-00000*` JSON line: class, uid, Spark version,
/// and its explicit and default params.
struct SparkMetadata: Sendable {
    let className: String
    let uid: String
    let sparkVersion: String
    let paramMap: [String: SparkJSON]
    let defaultParamMap: [String: SparkJSON]
    /// Where it was read from, for messages.
    let source: String
    /// The whole line: models keep extra keys here (numFeatures, numClasses, numTrees).
    let json: SparkJSON

    init(json: SparkJSON, source: String) throws {
        guard let className = json["class"]?.string, let uid = json["uid"]?.string else {
            if let className = json["class"]?.string, className.hasPrefix("org.apache.spark.mllib.") {
                throw Self.mllibRefusal(className, source: source)
            }
            throw ConveyorError(.modelCorrupt, "'\(source)' has no 'class' and 'uid': not Spark ML metadata")
        }
        self.className = className
        self.uid = uid
        self.sparkVersion = json["sparkVersion"]?.string ?? "unknown"
        if case .object(let params)? = json["paramMap"] { paramMap = params } else { paramMap = [:] }
        if case .object(let params)? = json["defaultParamMap"] { defaultParamMap = params } else { defaultParamMap = [:] }
        self.source = source
        self.json = json
    }

    /// `model.save(sc, path)` of the RDD-based `spark.mllib` API writes
    /// `{"class": "org.apache.spark.mllib…", "version": …}` without a uid or params:
    /// another format, which Spark ML's own readers refuse too.
    static func mllibRefusal(_ className: String, source: String) -> ConveyorError {
        let name = className.split(separator: "$").first.map(String.init) ?? className
        return ConveyorError(.unsupportedModel, "'\(source)' is a spark.mllib model (\(name), the RDD-based API, "
            + "saved by model.save(sc, path)), not a Spark ML model: Conveyor serves spark.ml (DataFrame-based) models; "
            + "train with pyspark.ml / org.apache.spark.ml and save with model.write().save(path)")
    }

    /// A non-negative integer key beside the params.
    func extraInt(_ name: String) -> Int? {
        guard let value = json[name]?.double, value >= 0, value < Double(1 << 24) else { return nil }
        return Int(value)
    }

    /// Reads `<directory>/metadata/part-00000…` from the tree.
    static func read(_ tree: FileTree, directory: String) throws -> SparkMetadata {
        let prefix = directory.isEmpty ? "metadata/" : "\(directory)/metadata/"
        guard let path = tree.paths.first(where: {
            $0.hasPrefix(prefix) && $0.dropFirst(prefix.count).hasPrefix("part-00000") && !$0.hasSuffix(".crc")
        }) else {
            throw ConveyorError(.modelCorrupt, "'\(tree.source)' has no \(prefix)part-00000: not a Spark ML model directory")
        }
        let bytes = [UInt8](try tree.require(path))
        // One JSON object on the first line.
        let line = bytes.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: true).first.map(Array.init) ?? []
        return try SparkMetadata(json: try SparkJSON.parse(line, file: "\(tree.source)!/\(path)"), source: "\(tree.source)!/\(path)")
    }

    /// The explicit value, else the default.
    func param(_ name: String) -> SparkJSON? {
        if let value = paramMap[name], value != .null { return value }
        if let value = defaultParamMap[name], value != .null { return value }
        return nil
    }

    func isSet(_ name: String) -> Bool { paramMap[name] != nil }

    func string(_ name: String) -> String? { param(name)?.string }

    func strings(_ name: String) -> [String]? {
        param(name)?.array?.compactMap(\.string)
    }

    func double(_ name: String) -> Double? { param(name)?.double }

    func doubles(_ name: String) -> [Double]? {
        guard let items = param(name)?.array else { return nil }
        let values = items.compactMap(\.double)
        return values.count == items.count ? values : nil
    }

    func bool(_ name: String) -> Bool? { param(name)?.bool }

    func failure(_ message: String) -> ConveyorError {
        ConveyorError(.modelCorrupt, "\(className) '\(uid)': \(message)")
    }

    func require<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw failure("missing or malformed param '\(what)'") }
        return value
    }

    /// Single or multi-column in/out params, paired.
    func columnPairs() throws -> [(input: String, output: String)] {
        if let inputs = strings("inputCols"), isSet("inputCols") || !isSet("inputCol") {
            let outputs = try require(strings("outputCols"), "outputCols")
            guard inputs.count == outputs.count, !inputs.isEmpty else {
                throw failure("inputCols and outputCols differ in length")
            }
            return Array(zip(inputs, outputs)).map { (input: $0.0, output: $0.1) }
        }
        return [(input: try require(string("inputCol"), "inputCol"), output: try require(string("outputCol"), "outputCol"))]
    }

    /// Every explicitly set param, for `inspect`.
    var paramFacts: [Fact] {
        paramMap.sorted { $0.key < $1.key }.map { Fact($0.key, Self.describe($0.value)) }
    }

    static func describe(_ value: SparkJSON) -> String {
        switch value {
        case .null: return "null"
        case .bool(let v): return "\(v)"
        case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
        case .string(let v): return v
        case .array(let items):
            let shown = items.prefix(12).map(describe).joined(separator: ", ")
            return "[" + shown + (items.count > 12 ? ", … (\(items.count) items)" : "") + "]"
        case .object(let members):
            return "{" + members.sorted { $0.key < $1.key }.map { "\($0.key): \(describe($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
