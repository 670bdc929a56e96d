import CXGBoost
import Foundation
import TreeEngine

/// A loaded XGBoost model, owning its libxgboost `BoosterHandle`.
///
/// Sendable and safe to call from many threads at once: libxgboost's
/// in-place prediction keeps its per-call state thread-local and guards
/// lazy configuration with its own lock, the handle is never mutated after
/// `init`, and each call borrows its own proxy DMatrix from a pool.
public final class Booster: @unchecked Sendable {
    public struct Options: Sendable, Equatable {
        /// Threads libxgboost uses inside one `predict` call. 1 by default:
        /// requests run in parallel already, and threads cost more than
        /// they save on small batches.
        public var predictionThreads: Int
        /// The native engine by default; `.libxgboost` forces the library.
        public var engine: Engine

        public init(predictionThreads: Int = 1, engine: Engine = .native) {
            self.predictionThreads = predictionThreads
            self.engine = engine
        }
    }

    public let facts: ModelFacts
    let handle: BoosterHandle
    let proxies = ProxyPool()
    /// The compiled trees when the native engine predicts this model.
    public let nativeEngine: TreeEnsemble<Float>?
    /// A gblinear model's weights: it has no trees, and only Conveyor predicts it.
    public let linearModel: LinearBooster?
    /// Which engine predicts, and why libxgboost when it is not the native one.
    public let engineDescription: String
    /// A DART model: only the native engine applies its tree weights exactly.
    let treeWeighted: Bool

    /// Loads a model file (JSON, UBJSON or legacy binary).
    public convenience init(contentsOf url: URL, options: Options = Options()) throws(XGBoostError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw XGBoostError(exists ? .corruptModel : .fileNotFound,
                               exists ? "cannot read model file \(url.path): \(error.localizedDescription)"
                                      : "model file \(url.path) does not exist")
        }
        try self.init(modelData: [UInt8](data), options: options)
    }

    /// Loads a model from its bytes. Refuses corrupt, truncated and
    /// unsupported models with an error instead of crashing.
    public init(modelData bytes: [UInt8], options: Options = Options()) throws(XGBoostError) {
        guard !bytes.isEmpty else { throw XGBoostError(.corruptModel, "the model is empty") }
        let format = ModelFormat.detect(bytes)
        // Our own parse and checks come first: they refuse truncated
        // documents, hostile sizes and broken trees before libxgboost sees
        // them, and are the only reader of `version` and of a 3.1+ vector
        // base_score.
        let stored = try Self.readStoredParameters(bytes, format: format)
        if let name = stored?.objectiveName, Objective(name: name) == nil {
            throw XGBoostError(.unsupportedModel,
                               "objective '\(name)' is not supported; supported: \(Objective.supportedList)")
        }

        var created: BoosterHandle?
        try XGBoostError.check(XGBoosterCreate(nil, 0, &created), "XGBoosterCreate", code: .corruptModel)
        guard let handle = created else {
            throw XGBoostError(.corruptModel, "libxgboost returned no booster", function: "XGBoosterCreate")
        }
        let engine: (TreeEnsemble<Float>?, String)
        var linear: LinearBooster?
        do throws(XGBoostError) {
            try Self.load(bytes, into: handle, format: format)
            try XGBoostError.check(
                XGBoosterSetParam(handle, "nthread", String(max(options.predictionThreads, 1))),
                "XGBoosterSetParam", code: .unsupportedModel)
            let facts = try Self.readFacts(handle, format: format, stored: stored)
            if facts.linear {
                guard options.engine == .native else {
                    throw XGBoostError(.unsupportedModel, "booster 'gblinear' (a linear model): only the native engine "
                        + "predicts it (libxgboost 1.7.4 cannot predict linear models in place), and libxgboost was chosen")
                }
                linear = try LinearBooster(handle, facts: facts)
                engine = (nil, "native (linear model)")
            } else {
                engine = try Self.chooseEngine(handle, facts: facts, options: options, treeWeights: stored?.treeWeights)
            }
            self.facts = facts
        } catch {
            XGBoosterFree(handle)
            throw error
        }
        self.handle = handle
        (nativeEngine, engineDescription) = engine
        linearModel = linear
        treeWeighted = stored?.treeWeights != nil
        // A first prediction configures the learner once, here rather than
        // under concurrent load, and proves the model can predict at all
        // (libxgboost cannot predict a linear model in place: no probe).
        let probe = [Float](repeating: .nan, count: facts.numFeature)
        _ = try probe.withUnsafeBufferPointer { buffer throws(XGBoostError) in
            try linear == nil ? libraryPrediction(buffer, rows: 1, output: .value) : predict(buffer, rows: 1)
        }
    }

    deinit {
        XGBoosterFree(handle)
    }

    private static func load(_ bytes: [UInt8], into handle: BoosterHandle, format: ModelFormat) throws(XGBoostError) {
        // libxgboost reads anything not starting with `{` as the legacy
        // binary format: give it the JSON document we checked, from its `{`.
        let start = format == .json ? bytes.firstIndex(of: UInt8(ascii: "{")) ?? 0 : 0
        let status = bytes[start...].withUnsafeBytes { raw in
            XGBoosterLoadModelFromBuffer(handle, raw.baseAddress, bst_ulong(raw.count))
        }
        try XGBoostError.check(status, "XGBoosterLoadModelFromBuffer", code: .corruptModel,
                               context: "libxgboost cannot load this \(format) model")
    }

    /// Everything before libxgboost: parse, parser-agreement and model
    /// checks. Internal so the fuzzer (fuzzing/) drives exactly this path.
    static func readStoredParameters(_ bytes: [UInt8], format: ModelFormat) throws(XGBoostError) -> StoredParameters? {
        let document: ModelValue
        do {
            switch format {
            case .legacyBinary:
                try LegacyBinaryModel.check(bytes)
                return nil
            case .json:
                try JSONKeyCheck.check(bytes)
                document = try ModelValue.parseJSON(bytes)
            case .ubjson: document = try UBJSONReader.parse(bytes)
            }
        } catch let error as XGBoostError {
            throw error
        } catch {
            throw XGBoostError(.corruptModel, "not a readable \(format) model: \(Self.describe(error))")
        }
        guard let stored = StoredParameters(document: document) else {
            throw XGBoostError(.corruptModel, "the \(format) document is not an XGBoost model (no learner parameters)")
        }
        // libxgboost trusts the trees it is given: every one is checked first.
        try ModelCheck.check(document)
        return stored
    }

    /// Decoding errors print as long dumps; keep the useful part.
    static func describe(_ error: any Error) -> String {
        if let failure = error as? UBJSONReader.Failure { return failure.description }
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}
