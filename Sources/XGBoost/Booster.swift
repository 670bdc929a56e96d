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
    /// libxgboost's booster; nil for a model libxgboost 1.7.4 cannot load,
    /// which the native engine alone predicts (`libraryGap`).
    let handle: BoosterHandle?
    let proxies = ProxyPool()
    /// The compiled trees when the native engine predicts this model.
    public let nativeEngine: TreeEnsemble<Float>?
    /// A gblinear model's weights: it has no trees, and only Conveyor predicts it.
    public let linearModel: LinearBooster?
    /// Which engine predicts, and why libxgboost when it is not the native one.
    public let engineDescription: String
    /// Why libxgboost 1.7.4 cannot load this model, when it cannot.
    public let libraryGap: String?
    /// A DART model: only the native engine applies its tree weights exactly.
    let treeWeighted: Bool
    /// TreeSHAP over the engine's trees, or why the model cannot be explained.
    let explanation: Result<TreeExplainer<Float>, TreeEngineError>

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
        let parsed = try Self.readModel(bytes, format: format)
        let stored = parsed?.stored
        if let name = stored?.objectiveName, Objective(name: name) == nil {
            throw XGBoostError(.unsupportedModel,
                               "objective '\(name)' is not supported; supported: \(Objective.supportedList)")
        }
        let loaded: Loaded
        if let parsed, let gap = ModelSupport.libraryGap(parsed.document, containerTypes: parsed.containerTypes) {
            loaded = try Self.loadNatively(parsed, format: format, options: options, gap: gap)
        } else {
            loaded = try Self.loadWithLibrary(bytes, format: format, stored: stored, options: options)
        }
        handle = loaded.handle
        facts = loaded.facts
        nativeEngine = loaded.engine.ensemble
        engineDescription = loaded.engine.description
        explanation = loaded.engine.explainer
        linearModel = loaded.linear
        libraryGap = loaded.gap
        treeWeighted = stored?.treeWeights != nil
        // A first prediction configures the learner once, here rather than
        // under concurrent load, and proves the model can predict at all
        // (libxgboost cannot predict a linear model in place: no probe).
        let probe = [Float](repeating: .nan, count: facts.numFeature)
        _ = try probe.withUnsafeBufferPointer { buffer throws(XGBoostError) in
            try handle == nil || loaded.linear != nil
                ? predict(buffer, rows: 1) : libraryPrediction(buffer, rows: 1, output: .value)
        }
    }

    deinit {
        if let handle { XGBoosterFree(handle) }
    }

    /// What `init` builds, from libxgboost or natively.
    struct Loaded {
        var handle: BoosterHandle?
        var facts: ModelFacts
        var engine: NativeChoice
        var linear: LinearBooster?
        var gap: String?
    }

    /// Loads the model into libxgboost, then compiles the native engine from
    /// libxgboost's export of it.
    private static func loadWithLibrary(_ bytes: [UInt8], format: ModelFormat, stored: StoredParameters?,
                                         options: Options) throws(XGBoostError) -> Loaded {
        var created: BoosterHandle?
        try XGBoostError.check(XGBoosterCreate(nil, 0, &created), "XGBoosterCreate", code: .corruptModel)
        guard let handle = created else {
            throw XGBoostError(.corruptModel, "libxgboost returned no booster", function: "XGBoosterCreate")
        }
        do throws(XGBoostError) {
            try Self.load(bytes, into: handle, format: format)
            try XGBoostError.check(
                XGBoosterSetParam(handle, "nthread", String(max(options.predictionThreads, 1))),
                "XGBoosterSetParam", code: .unsupportedModel)
            let facts = try Self.readFacts(handle, format: format, stored: stored)
            guard facts.linear else {
                let engine = try Self.chooseEngine({ () throws(TreeEngineError) in try exportedModel(handle) },
                                                   facts: facts, options: options, treeWeights: stored?.treeWeights)
                return Loaded(handle: handle, facts: facts, engine: engine)
            }
            guard options.engine == .native else {
                throw XGBoostError(.unsupportedModel, "booster 'gblinear' (a linear model): only the native engine "
                    + "predicts it (libxgboost 1.7.4 cannot predict linear models in place), and libxgboost was chosen")
            }
            let linear = try LinearBooster(handle, facts: facts)
            let engine = NativeChoice(ensemble: nil, description: "native (linear model)",
                                      explainer: .failure(TreeEngineError("a linear model has no trees to explain")))
            return Loaded(handle: handle, facts: facts, engine: engine, linear: linear)
        } catch {
            XGBoosterFree(handle)
            throw error
        }
    }

    /// A model libxgboost 1.7.4 cannot load (`gap` says why): the native
    /// engine reads its trees from Conveyor's own checked parse, or it is refused.
    private static func loadNatively(_ parsed: ParsedModel, format: ModelFormat, options: Options,
                                     gap: String) throws(XGBoostError) -> Loaded {
        guard options.engine == .native else {
            throw XGBoostError(.unsupportedModel, "libxgboost 1.7.4 cannot load this model (\(gap)); only the "
                + "native engine predicts it, and libxgboost was chosen")
        }
        let facts = try nativeFacts(parsed, format: format)
        guard !facts.linear else {
            throw XGBoostError(.unsupportedModel, "booster 'gblinear' with \(gap) is not supported")
        }
        let engine = try chooseEngine({ () throws(TreeEngineError) in parsed.document }, facts: facts,
                                      options: options, treeWeights: parsed.stored.treeWeights)
        guard engine.ensemble != nil else {
            throw XGBoostError(.unsupportedModel, "libxgboost 1.7.4 cannot load this model (\(gap)), and "
                + "the native engine cannot run it: \(engine.description)")
        }
        return Loaded(handle: nil, facts: facts,
                      engine: NativeChoice(ensemble: engine.ensemble, description: "native (libxgboost 1.7.4 "
                          + "cannot load this model: \(gap))", explainer: engine.explainer), gap: gap)
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

    /// A JSON or UBJSON model as Conveyor read and checked it.
    struct ParsedModel {
        var stored: StoredParameters
        var document: ModelValue
        /// UBJSON typed-array types met (`ModelSupport.libraryGap`).
        var containerTypes: Set<UInt8>
    }

    /// Everything before libxgboost: parse, parser-agreement and model
    /// checks. Internal so the fuzzer (fuzzing/) drives exactly this path.
    static func readStoredParameters(_ bytes: [UInt8], format: ModelFormat) throws(XGBoostError) -> StoredParameters? {
        try readModel(bytes, format: format)?.stored
    }

    /// `readStoredParameters` with the parsed document; nil for the legacy
    /// binary format, which is only checked.
    static func readModel(_ bytes: [UInt8], format: ModelFormat) throws(XGBoostError) -> ParsedModel? {
        let document: ModelValue
        var containerTypes: Set<UInt8> = []
        do {
            switch format {
            case .legacyBinary:
                try LegacyBinaryModel.check(bytes)
                return nil
            case .json:
                try JSONKeyCheck.check(bytes)
                document = try ModelValue.parseJSON(bytes)
            case .ubjson:
                let parsed = try UBJSONReader.parseNotingTypes(bytes)
                document = parsed.value
                containerTypes = parsed.containerTypes
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
        return ParsedModel(stored: stored, document: document, containerTypes: containerTypes)
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
