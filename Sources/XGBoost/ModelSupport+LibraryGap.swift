/// Models that libxgboost 1.7.4 cannot load but Conveyor reads and predicts
/// itself, from its own parse of the JSON or UBJSON model (the native
/// engine is then the loader; each case is a fixture in
/// Tests/Fixtures/xgboost-objectives predicted exactly as its producer does).
extension ModelSupport {
    /// The typed-array types 1.7.4's UBJSON reader knows: uint8, int32,
    /// int64 and float32 ("`i` is not supported for typed array" otherwise).
    static let libraryTypedArrays: Set<UInt8> = [UInt8(ascii: "U"), UInt8(ascii: "l"), UInt8(ascii: "L"),
                                                 UInt8(ascii: "d")]

    /// Why libxgboost 1.7.4 cannot load this checked model, or nil when it can.
    static func libraryGap(_ document: ModelValue, containerTypes: Set<UInt8>) -> String? {
        let learner = document["learner"]
        if let name = learner?.at("objective", "name")?.string, let objective = Objective(name: name) {
            if !objective.libraryLoads {
                switch objective {
                case .rankPairwise, .rankNDCG:
                    return "objective '\(name)' as XGBoost 2.0+ saves it (1.7.4 cannot read its lambdarank_param)"
                default:
                    return "objective '\(name)' (XGBoost 2.0+; unknown to 1.7.4)"
                }
            }
            if let parameters = objective.libraryParameters, learner?.at("objective", parameters) == nil {
                return "objective '\(name)' stored without '\(parameters)' (as XGBoost 3.0.5 and later save it)"
            }
        }
        if let size = trees(of: learner).lazy.compactMap({ $0.at("tree_param", "size_leaf_vector")?.integer })
            .first(where: { $0 > 1 }) {
            return "vector-leaf trees (size_leaf_vector \(size), multi_strategy=multi_output_tree)"
        }
        let unreadable = containerTypes.subtracting(libraryTypedArrays)
        if !unreadable.isEmpty {
            let names = unreadable.sorted().map { UBJSONReader.typeName($0) }.joined(separator: ", ")
            return "UBJSON typed arrays of \(names) (XGBoost 3.1+ writes the category names of categorical "
                + "features as int8 arrays)"
        }
        return nil
    }

    /// The trees of a gbtree or dart booster (none for gblinear).
    static func trees(of learner: ModelValue?) -> [ModelValue] {
        guard let booster = learner?["gradient_booster"] else { return [] }
        let model = booster["name"]?.string == "dart" ? booster.at("gbtree", "model") : booster["model"]
        return model?["trees"]?.items ?? []
    }
}
