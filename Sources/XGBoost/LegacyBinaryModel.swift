/// Checks a model in XGBoost's deprecated binary layout (`.bin`,
/// `save_raw("deprecated")`) before libxgboost 1.7.4 loads it, following
/// that version's reader: learner.cc `LoadModel(dmlc::Stream*)`,
/// gbtree_model.cc `GBTreeModel::Load`, tree_model.cc `RegTree::Load`.
/// libxgboost sizes vectors from the counts in these bytes and copies nodes
/// raw, so every count is bounded and every tree checked (`TreeShape`) here.
/// Little-endian, as XGBoost writes it on every platform it supports.
struct LegacyBinaryModel {
    /// sizeof(LearnerModelParamLegacy), GBTreeModelParam, TreeParam, Node, RTreeNodeStat.
    static let learnerParamSize = 136, gbtreeParamSize = 160, treeParamSize = 148
    static let nodeSize = 20, statSize = 16

    var reader: LittleEndianReader

    static func check(_ bytes: [UInt8]) throws(XGBoostError) {
        var model = LegacyBinaryModel(reader: LittleEndianReader(bytes))
        try model.check()
    }

    mutating func check() throws(XGBoostError) {
        let header = reader.peek(4)
        guard header != Array("bs64".utf8) else { throw corrupt("base64 models are not supported") }
        if header == Array("binf".utf8) { try reader.skip(4, "the binf header") }
        // libxgboost parses JSON after "binf" unchecked; nothing writes that.
        guard reader.peek(1) != [UInt8(ascii: "{")] else { throw corrupt("a JSON document after the binf header") }

        let learner = try reader.slice(Self.learnerParamSize, "the learner parameters")
        let numFeature = Int(learner.uint32(at: 4))
        let numClass = Int(learner.int32(at: 8))
        let extraAttributes = learner.int32(at: 12)
        let numTarget = max(Int(learner.uint32(at: 28)), 1)
        guard numFeature <= ModelLimits.maxFeatures else {
            throw ModelLimits.exceeded("num_feature", numFeature, ModelLimits.maxFeatures, "maxFeatures")
        }
        guard numClass >= 0 else { throw corrupt("num_class \(numClass) is negative") }
        for (name, value) in [("num_class", numClass), ("num_target", numTarget)] where value > ModelLimits.maxOutputGroups {
            throw ModelLimits.exceeded(name, value, ModelLimits.maxOutputGroups, "maxOutputGroups")
        }
        guard numClass <= 1 || numTarget <= 1 else {
            throw corrupt("num_class \(numClass) and num_target \(numTarget): a model cannot have both")
        }
        // Refused by name here: libxgboost fails on them with its own messages.
        try ModelSupport.checkLegacyObjective(try reader.string("the objective"))
        try ModelSupport.checkBooster(try reader.string("the booster name"))
        try checkTrees(numFeature: numFeature, groups: max(numClass, numTarget, 1))
        if extraAttributes != 0 { try checkAttributes() }
        // libxgboost reads nothing after the attributes.
    }

    func corrupt(_ problem: String) -> XGBoostError {
        XGBoostError(.corruptModel, "legacy binary model: \(problem)")
    }

    mutating func checkTrees(numFeature: Int, groups: Int) throws(XGBoostError) {
        let parameters = try reader.slice(Self.gbtreeParamSize, "the gbtree parameters")
        let numTrees = Int(parameters.int32(at: 0))
        guard numTrees >= 0 else { throw corrupt("num_trees \(numTrees) is negative") }
        guard numTrees <= ModelLimits.maxTrees else {
            throw ModelLimits.exceeded("num_trees", numTrees, ModelLimits.maxTrees, "maxTrees")
        }
        var noCategories = 0  // the binary format has no categorical splits
        for tree in 0..<numTrees {
            try readTree(tree).check(numFeature: numFeature, categoryBudget: &noCategories)
        }
        for tree in 0..<numTrees {
            let group = try reader.slice(4, "tree_info").int32(at: 0)
            guard group >= 0, group < groups else {
                throw corrupt("tree_info[\(tree)] = \(group) is not a prediction group (the model has \(groups))")
            }
        }
    }

    mutating func readTree(_ tree: Int) throws(XGBoostError) -> TreeShape {
        let parameters = try reader.slice(Self.treeParamSize, "the parameters of tree \(tree)")
        let nodes = Int(parameters.int32(at: 4))
        let numDeleted = Int(parameters.int32(at: 8))
        let leafVector = parameters.int32(at: 20)
        guard nodes >= 1 else { throw corrupt("tree \(tree) has \(nodes) nodes") }
        guard leafVector <= 1 else {
            throw ModelSupport.vectorLeaves(tree: tree, size: Int(leafVector))
        }
        guard nodes <= ModelLimits.maxTreeNodes else {
            throw ModelLimits.exceeded("tree \(tree): num_nodes", nodes, ModelLimits.maxTreeNodes, "maxTreeNodes")
        }
        // Both products are below 2^31: nodes ≤ 2^24.
        let table = try reader.slice(nodes * Self.nodeSize, "the \(nodes) nodes of tree \(tree)")
        try reader.skip(nodes * Self.statSize, "the node statistics of tree \(tree)")
        var shape = TreeShape(tree: tree, nodes: nodes, left: [], right: [], parents: [], splitIndices: [])
        shape.left.reserveCapacity(nodes); shape.right.reserveCapacity(nodes)
        shape.parents.reserveCapacity(nodes); shape.splitIndices.reserveCapacity(nodes)
        var deleted = 0
        for node in 0..<nodes {
            let base = node * Self.nodeSize
            let parent = table.uint32(at: base)
            // The parent's top bit says "I am its left child"; the root's is all ones.
            shape.parents.append(Int32(bitPattern: parent & 0x7FFF_FFFF))
            shape.left.append(table.int32(at: base + 4))
            shape.right.append(table.int32(at: base + 8))
            let split = table.uint32(at: base + 12)
            if split == UInt32.max && node > 0 { deleted += 1 }
            shape.splitIndices.append(Int32(bitPattern: split & 0x7FFF_FFFF))
        }
        guard deleted == numDeleted else {
            throw corrupt("tree \(tree) marks \(deleted) nodes deleted but num_deleted is \(numDeleted)")
        }
        return shape
    }

    /// The string attributes: a count, then name and value per attribute.
    /// The `objective` one is JSON that libxgboost parses recursively.
    mutating func checkAttributes() throws(XGBoostError) {
        let count = try reader.slice(8, "the attribute count").uint64(at: 0)
        // Each attribute takes at least its two 8-byte lengths.
        guard count <= UInt64(reader.remaining / 16) else {
            throw corrupt("\(count) attributes do not fit in the \(reader.remaining) bytes left")
        }
        for _ in 0..<Int(count) {
            let name = try reader.string("an attribute name")
            let value = try reader.string("the value of attribute '\(name)'")
            guard name == "objective" else { continue }
            guard let document = try? ModelValue.parseJSON(Array(value.utf8)),
                  ModelCheck.nesting(document, limit: ModelLimits.maxNesting) <= ModelLimits.maxNesting else {
                throw corrupt("the objective attribute is not a readable JSON document of bounded nesting")
            }
        }
    }
}
