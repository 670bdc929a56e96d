import Foundation
import Testing
@testable import XGBoost

/// Real UBJSON and legacy binary fixtures with bytes overwritten: absurd
/// lengths and broken trees are refused before anything is allocated from
/// them and before libxgboost sees the model.
@Suite struct HostileBinaryModelTests {
    // MARK: UBJSON (2.1.4 binary_logistic.ubj: keys and lengths are `L` int64)

    static func ubjson() throws -> [UInt8] { try HostileModels.fixtureBytes("2.1.4", "binary_logistic.ubj") }

    /// Offset of the first element of tree 0's `left_children` ([$l#L count, then int32s).
    static func firstLeftChildren(_ bytes: [UInt8]) throws -> (count: Int, elements: Int) {
        let value = try #require(HostileModels.ubjsonValue(after: "left_children", in: bytes))
        try #require(bytes[value..<(value + 5)].elementsEqual(Array("[$l#L".utf8)))
        return (value + 5, value + 13)
    }

    @Test func ubjsonCycleIsRefused() throws {
        var bytes = try Self.ubjson()
        let elements = try Self.firstLeftChildren(bytes).elements
        HostileModels.writeBigEndian(0, width: 4, into: &bytes, at: elements + 4 * 5)
        HostileModels.expectRefusal(bytes, .corruptModel, mentioning: ["tree 0, node 5", "reached a second time"])
    }

    @Test func ubjsonChildOutOfRangeIsRefused() throws {
        var bytes = try Self.ubjson()
        let elements = try Self.firstLeftChildren(bytes).elements
        HostileModels.writeBigEndian(1_000_000, width: 4, into: &bytes, at: elements + 4 * 6)
        HostileModels.expectRefusal(bytes, .corruptModel, mentioning: ["tree 0, node 6", "out of range"])
    }

    @Test func ubjsonAbsurdArrayCountIsRefused() throws {
        var bytes = try Self.ubjson()
        let count = try Self.firstLeftChildren(bytes).count
        HostileModels.writeBigEndian(1 << 40, width: 8, into: &bytes, at: count)
        HostileModels.expectRefusal(bytes, .corruptModel, mentioning: ["length 1099511627776 exceeds the"])
        HostileModels.writeBigEndian(Int64.max, width: 8, into: &bytes, at: count)
        HostileModels.expectRefusal(bytes, .corruptModel, mentioning: ["exceeds the"])
        // Fewer elements than bytes left, but not 4 bytes each.
        HostileModels.writeBigEndian(Int64(bytes.count - count) / 2, width: 8, into: &bytes, at: count)
        HostileModels.expectRefusal(bytes, .corruptModel, mentioning: ["typed array runs past the end"])
    }

    @Test func ubjsonAbsurdStringLengthIsRefused() throws {
        var bytes = try Self.ubjson()
        let value = try #require(HostileModels.ubjsonValue(after: "base_score", in: bytes))
        try #require(bytes[value..<(value + 2)].elementsEqual(Array("SL".utf8)))
        HostileModels.writeBigEndian(1 << 62, width: 8, into: &bytes, at: value + 2)
        HostileModels.expectRefusal(bytes, .corruptModel, mentioning: ["length 4611686018427387904 exceeds the"])
    }

    @Test func ubjsonAbsurdContainerCountIsRefused() throws {
        var bytes = try Self.ubjson()
        let value = try #require(HostileModels.ubjsonValue(after: "tree_info", in: bytes))
        try #require(bytes[value..<(value + 3)].elementsEqual(Array("[#L".utf8)))
        HostileModels.writeBigEndian(1 << 50, width: 8, into: &bytes, at: value + 3)
        HostileModels.expectRefusal(bytes, .corruptModel, mentioning: ["length 1125899906842624 exceeds the"])
    }

    @Test func ubjsonContainersWithoutPayloadAreRefused() {
        // 2^20 nulls for free: `[$Z#L` 2^20 and nothing after.
        let bytes: [UInt8] = Array("[$Z#L".utf8) + [0, 0, 0, 0, 0, 0x10, 0, 0]
        #expect(throws: UBJSONReader.Failure.self) { try UBJSONReader.parse(bytes) }
    }

    // MARK: legacy binary (2.1.4 binary_logistic.bin)

    static func legacy() throws -> ([UInt8], HostileModels.LegacyLayout) {
        let bytes = try HostileModels.fixtureBytes("2.1.4", "binary_logistic.bin")
        return (bytes, HostileModels.LegacyLayout(bytes))
    }

    /// Overwrites one little-endian field and expects a refusal.
    private func refuse(at offset: (HostileModels.LegacyLayout) -> Int, _ value: Int64, width: Int = 4,
                        _ code: XGBoostError.Code = .corruptModel, mentioning texts: [String],
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        var (bytes, layout) = try Self.legacy()
        HostileModels.writeLittleEndian(value, width: width, into: &bytes, at: offset(layout))
        HostileModels.expectRefusal(bytes, code, mentioning: texts, sourceLocation: sourceLocation)
    }

    @Test func legacyLayoutIsWhereTheTestsWrite() throws {
        let (bytes, layout) = try Self.legacy()
        #expect(HostileModels.readLittleEndian(bytes, at: layout.learner + 4, width: 4) == 10)  // num_feature
        #expect(HostileModels.readLittleEndian(bytes, at: layout.gbtree, width: 4) == 30)  // num_trees
        #expect(HostileModels.readLittleEndian(bytes, at: layout.firstTree + 4, width: 4) == 15)  // num_nodes
        #expect(HostileModels.readLittleEndian(bytes, at: layout.node(0, field: 4), width: 4) == 1)  // left of 0
        #expect(HostileModels.readLittleEndian(bytes, at: layout.node(2, field: 8), width: 4) == 6)  // right of 2
        _ = try Booster(modelData: bytes)
    }

    @Test func legacyCorruptNodesAreRefused() throws {
        try refuse(at: { $0.node(2, field: 8) }, 1000, mentioning: ["tree 0, node 2", "right child 1000 is out of range"])
        try refuse(at: { $0.node(2, field: 8) }, 0, mentioning: ["tree 0, node 2", "reached a second time"])
        try refuse(at: { $0.node(6, field: 4) }, -7, mentioning: ["tree 0, node 6", "left child -7 is negative"])
        try refuse(at: { $0.node(4, field: 4) }, 4, mentioning: ["tree 0, node 4", "self loop"])
        try refuse(at: { $0.node(2, field: 12) }, 10, mentioning: ["tree 0, node 2", "split feature 10"])
        try refuse(at: { $0.node(12, field: 0) }, 3, mentioning: ["tree 0, node 12", "parent is recorded as 3"])
        // A node marked deleted (split index all ones) that num_deleted does not count.
        try refuse(at: { $0.node(7, field: 12) }, 0xFFFF_FFFF, mentioning: ["tree 0 marks 1 nodes deleted"])
    }

    @Test func legacyHostileSizesAreRefused() throws {
        try refuse(at: { $0.learner + 4 }, 4_000_000_000, mentioning: ["num_feature 4000000000 exceeds", "maxFeatures"])
        try refuse(at: { $0.learner + 8 }, 1_000_000_000, mentioning: ["num_class 1000000000 exceeds", "maxOutputGroups"])
        try refuse(at: { $0.learner + 8 }, -5, mentioning: ["num_class -5 is negative"])
        try refuse(at: { $0.learner + 28 }, 4_000_000_000, mentioning: ["num_target 4000000000 exceeds"])
        try refuse(at: { $0.objectiveLength }, 1 << 60, width: 8, mentioning: ["the objective", "maxLegacyString"])
        try refuse(at: { $0.gbtree }, 2_000_000_000, mentioning: ["num_trees 2000000000 exceeds", "maxTrees"])
        try refuse(at: { $0.gbtree }, -1, mentioning: ["num_trees -1 is negative"])
        try refuse(at: { $0.gbtree }, 31, mentioning: ["tree 30"])
        try refuse(at: { $0.firstTree + 4 }, Int64(Int32.max), mentioning: ["num_nodes 2147483647 exceeds", "maxTreeNodes"])
        try refuse(at: { $0.firstTree + 4 }, 1_000_000, mentioning: ["the 1000000 nodes of tree 0", "run past the end"])
        try refuse(at: { $0.firstTree + 4 }, 0, mentioning: ["tree 0 has 0 nodes"])
        try refuse(at: { $0.firstTree + 20 }, 2, .unsupportedModel, mentioning: ["tree 0", "size_leaf_vector 2"])
    }

    @Test func legacyForeignBoostersAndHeadersAreRefused() throws {
        let (bytes, layout) = try Self.legacy()
        // "gbtree" → "gblin" + "e": a booster libxgboost would load differently.
        var renamed = bytes
        let booster = layout.gbtree - 6
        renamed.replaceSubrange(booster..<(booster + 6), with: Array("gbline".utf8))
        HostileModels.expectRefusal(renamed, .unsupportedModel, mentioning: ["booster 'gbline' is not supported"])
        // libxgboost would parse JSON after "binf" without our checks.
        HostileModels.expectRefusal(Array("binf{\"learner\":{}}".utf8), .corruptModel, mentioning: ["after the binf header"])
        HostileModels.expectRefusal(Array("bs64AAAA".utf8), .corruptModel, mentioning: ["base64"])
    }

    @Test func legacyAbsurdAttributeCountIsRefused() throws {
        let (bytes, _) = try Self.legacy()
        var edited = bytes
        guard let start = Self.attributeCountOffset(bytes) else {
            Issue.record("no attribute block found")
            return
        }
        HostileModels.writeLittleEndian(1 << 40, width: 8, into: &edited, at: start)
        HostileModels.expectRefusal(edited, .corruptModel, mentioning: ["attributes do not fit"])
    }

    /// Walks the layout to the attribute count: trees then tree_info.
    static func attributeCountOffset(_ bytes: [UInt8]) -> Int? {
        let layout = HostileModels.LegacyLayout(bytes)
        let trees = HostileModels.readLittleEndian(bytes, at: layout.gbtree, width: 4)
        var offset = layout.firstTree
        for _ in 0..<trees {
            let nodes = HostileModels.readLittleEndian(bytes, at: offset + 4, width: 4)
            offset += 148 + nodes * 36
        }
        offset += 4 * trees
        return offset + 8 <= bytes.count ? offset : nil
    }
}
