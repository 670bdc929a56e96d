/// One step of a pipeline: reads some columns of a frame and adds others.
///
/// A stage behaves like a SageMaker inference container, but in process:
/// it receives typed frames, not text. Content types matter only at the
/// pipeline's edges (and for remote stages).
public protocol Stage: Sendable {
    /// The stage's name in the pipeline file.
    var name: String { get }
    /// The stage kind as written in the pipeline file (`mleap`, `xgboost`, …).
    var kind: String { get }
    /// The columns the stage reads, with the types it accepts.
    var inputs: [ColumnSpec] { get }
    /// The columns the stage adds, in output order.
    var outputs: [ColumnSpec] { get }
    /// Facts about the loaded model for `conveyor inspect`.
    var facts: [Fact] { get }

    /// Runs the stage over every row of `frame`. May drop rows
    /// (`handle_invalid=skip`). Throws `ConveyorError` naming row and column.
    ///
    /// Async so that stages doing I/O (remote containers) fit the same
    /// protocol; in-process stages implement it synchronously, and callers
    /// run pipelines off the event loop.
    ///
    /// `consuming`: a caller that hands over its frame lets the stage add
    /// columns in place; while the caller keeps a reference, the first
    /// added column copies the whole column array.
    func transform(_ frame: consuming Frame) async throws -> Frame
}

/// A stage that computes in process and never suspends (every stage kind
/// but remote containers and what wraps them). A pipeline of such stages
/// runs without an `await` per stage (`Pipeline.runNow`): for a one-row
/// request each suspension point, its task frame and its split code cost
/// about as much as a small stage's work.
public protocol LocalStage: Stage {
    /// `Stage.transform`, not async: in-process stages already implement
    /// it so, and that one method satisfies both requirements.
    func transform(_ frame: consuming Frame) throws -> Frame
}

/// A stage that can compute less when the stages after it and the
/// pipeline's output read only some of its output columns: a pipeline runs
/// the narrowed stage, and keeps the stage itself for direct invocation,
/// explanations and `inspect`.
public protocol NarrowableStage: Stage {
    /// This stage, still writing every column in `needed` that it writes
    /// (others it may skip) and passing its input through.
    func narrowed(keeping needed: Set<String>) -> any Stage
    /// Whether the stage reads no column besides `inputs`: stages before
    /// one that may (a SQL `SELECT *`) are not narrowed.
    var readsOnlyItsInputs: Bool { get }
}

/// A labelled fact about a stage's model, in display order.
public struct Fact: Sendable, Equatable, CustomStringConvertible {
    public var label: String
    public var value: String
    /// Nested facts (for example one entry per MLeap node).
    public var children: [Fact]

    public init(_ label: String, _ value: String, children: [Fact] = []) {
        self.label = label
        self.value = value
        self.children = children
    }

    public var description: String { "\(label): \(value)" }
}
