import ConveyorCore
import XGBoost

extension StageContext {
    /// The `engine` of an xgboost stage: `native` (the default) or `libxgboost`.
    public func xgboostEngine() throws -> Booster.Engine {
        guard let name = definition.engine else { return .native }
        guard let engine = Booster.Engine(rawValue: name) else {
            throw ConveyorError(.invalidPipeline,
                                "unknown engine '\(name.boundedForMessage(64))'; expected one of "
                                    + Booster.Engine.allCases.map(\.rawValue).joined(separator: ", "),
                                stage: definition.name)
        }
        return engine
    }

    /// Stage kinds without a choice of engine refuse the key rather than ignore it.
    public func refuseEngine() throws {
        guard definition.engine != nil else { return }
        throw ConveyorError(.invalidPipeline,
                            "'engine' applies to xgboost stages only, not to \(definition.kind) stages",
                            stage: definition.name)
    }
}
