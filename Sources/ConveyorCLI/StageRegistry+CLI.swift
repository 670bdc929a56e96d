import Pipeline
import RemoteStage

extension StageRegistry {
    /// What the commands load pipelines with: the in-process kinds and `remote`.
    static let cli: StageRegistry = StageRegistry.builtin.addingRemote()
}
