/// Every fuzz target. Each one feeds the bytes to a real entry point and
/// ignores thrown errors: only crashes, hangs and memory blow-ups count.
enum FuzzTarget: String, CaseIterable, Sendable {
    case csv, json, jsonlines, jsonpath
    case mleapBundle = "mleap-bundle"
    case sparkMetadata = "spark-metadata"
    case parquet
    case xgboostJSON = "xgboost-json"
    case xgboostUBJSON = "xgboost-ubjson"
    case xgboostBinary = "xgboost-binary"
    case zip, gzip, tar, pickle
    case lightgbm, mlflow
    case s3XML = "s3-xml"
    case sparkSQL = "spark-sql"
    case arrow
    case oipGRPC = "oip-grpc"

    func run(_ bytes: [UInt8]) {
        switch self {
        case .csv: TextTargets.csv(bytes)
        case .json: TextTargets.json(bytes)
        case .jsonlines: TextTargets.jsonLines(bytes)
        case .jsonpath: TextTargets.jsonPath(bytes)
        case .s3XML: TextTargets.s3XML(bytes)
        case .mleapBundle: ModelTargets.mleapBundle(bytes)
        case .sparkMetadata: ModelTargets.sparkMetadata(bytes)
        case .parquet: ModelTargets.parquet(bytes)
        case .xgboostJSON, .xgboostUBJSON, .xgboostBinary: ModelTargets.xgboost(bytes)
        case .pickle: ModelTargets.pickle(bytes)
        case .lightgbm: ModelTargets.lightgbm(bytes)
        case .mlflow: MLflowTarget.run(bytes)
        case .zip: ArchiveTargets.zip(bytes)
        case .gzip: ArchiveTargets.gzip(bytes)
        case .tar: ArchiveTargets.tar(bytes)
        case .sparkSQL: SQLTarget.run(bytes)
        case .arrow: ArrowTarget.run(bytes)
        case .oipGRPC: InferenceGRPCTarget.run(bytes)
        }
    }
}
