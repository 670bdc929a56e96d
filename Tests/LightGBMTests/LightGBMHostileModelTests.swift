import ConveyorCore
import ConveyorTestSupport
import Foundation
@testable import LightGBM
import Testing

/// Corrupt and hostile model texts are refused with a message (exit 3 in the
/// CLI), in bounded time and memory, never a crash.
@Suite(.serialized) struct LightGBMHostileModelTests {
    static let binary = (try? String(contentsOf: LightGBMFixtures.directory.appendingPathComponent("binary.txt"),
                                     encoding: .utf8)) ?? ""

    /// The refusal of `text`, or nil (with an issue recorded) when it loads.
    func refusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConveyorError? {
        do {
            _ = try LightGBMModel(bytes: Array(text.utf8), source: "hostile.txt")
            Issue.record("the model loaded", sourceLocation: sourceLocation)
        } catch {
            #expect(error.message.contains("hostile.txt"), "\(error.message)", sourceLocation: sourceLocation)
            return error
        }
        return nil
    }

    /// Replaces the first line starting with `key=` after `Tree=<tree>`. The
    /// header's `tree_sizes` goes too (the tree's size changes), so the trees
    /// are read one after another.
    func replacing(_ key: String, with value: String, tree: Int = 0, in text: String = binary) -> String {
        var lines = text.components(separatedBy: "\n").filter { !$0.hasPrefix("tree_sizes=") }
        guard let start = lines.firstIndex(of: "Tree=\(tree)"),
              let index = lines[start...].firstIndex(where: { $0.hasPrefix("\(key)=") }) else { return "" }
        lines[index] = "\(key)=\(value)"
        return lines.joined(separator: "\n")
    }

    @Test func theUnchangedFixtureLoads() throws {
        let model = try LightGBMModel(bytes: Array(Self.binary.utf8), source: "binary.txt")
        #expect(model.treeCount == 20)
        #expect(model.numFeature == 14)
        // Without tree_sizes (read one after another) it is the same model.
        let sequential = try LightGBMModel(bytes: Array(replacing("is_linear", with: "0").utf8), source: "binary.txt")
        let rows = [Double](repeating: 1, count: 14) + [Double](repeating: .nan, count: 14)
        #expect(try sequential.rawScores(rows, rows: 2) == model.rawScores(rows, rows: 2))
        #expect(sequential.treeCount == 20)
        // With tree_sizes, a tree that changes size moves the next one off its offset.
        let moved = Self.binary.replacingOccurrences(of: "shrinkage=1\n", with: "shrinkage=1.0\n")
        #expect(refusal(moved)?.message.contains("tree 1 does not start with 'Tree='") == true)
    }

    @Test func truncatedFilesAreRefused() {
        let bytes = Array(Self.binary.utf8)
        // Cut inside the header, inside a tree's arrays, and after the first tree's leaf values.
        for fraction in [0.01, 0.3, 0.5, 0.77] {
            let cut = String(decoding: bytes.prefix(Int(Double(bytes.count) * fraction)), as: UTF8.self)
            let error = refusal(cut)
            #expect(error?.code == .modelCorrupt, "cut at \(fraction): \(String(describing: error))")
        }
        #expect(refusal("")?.message.contains("num_class") == true)
    }

    @Test func childrenOutOfRangeAreRefused() {
        let error = refusal(replacing("left_child", with: "1 2 4 99 -1 -3"))
        #expect(error?.message.contains("child 99 is out of range") == true, "\(String(describing: error))")
        let leaf = refusal(replacing("right_child", with: "3 5 -40 -5 -6 -7"))
        #expect(leaf?.message.contains("child -40 is out of range") == true, "\(String(describing: leaf))")
    }

    @Test func cyclesAreRefused() {
        // Tree 0: node 1's left child is node 2, and node 2's left child becomes node 1.
        let lines = Self.binary.components(separatedBy: "\n")
        let tree = lines.firstIndex(of: "Tree=0") ?? 0
        let left = lines[tree...].first { $0.hasPrefix("left_child=") } ?? ""
        #expect(left == "left_child=1 2 4 -2 -1 -3", "fixture changed: \(left)")
        let error = refusal(replacing("left_child", with: "1 2 1 -2 -1 -3"))
        #expect(error?.message.contains("reached twice") == true, "\(String(describing: error))")
        let root = refusal(replacing("left_child", with: "0 2 4 -2 -1 -3"))
        #expect(root?.message.contains("reached twice") == true, "\(String(describing: root))")
    }

    @Test func hugeCountsAreRefusedBeforeAllocating() {
        let huge = refusal(replacing("num_leaves", with: "1000000000000"))
        #expect(huge?.message.contains("LightGBMLimits.maxLeaves") == true, "\(String(describing: huge))")
        let atLimit = refusal(replacing("num_leaves", with: "131072"))
        #expect(atLimit?.message.contains("has 7 values, expected 131072") == true, "\(String(describing: atLimit))")
        let overflow = refusal(replacing("num_leaves", with: "99999999999999999999999"))
        #expect(overflow?.message.contains("not an integer") == true, "\(String(describing: overflow))")
        let features = refusal(Self.binary.replacingOccurrences(of: "max_feature_idx=13", with: "max_feature_idx=4000000000"))
        #expect(features?.message.contains("max_feature_idx 4000000000 is out of range") == true)
        let classes = refusal(Self.binary.replacingOccurrences(of: "num_class=1", with: "num_class=9999999"))
        #expect(classes?.message.contains("num_class 9999999 is out of range") == true)
    }

    @Test func badBitSetBoundsAreRefused() {
        // Tree 2 of the fixture has one categorical split: cat_boundaries=0 1, cat_threshold=33.
        let past = refusal(replacing("cat_boundaries", with: "0 5", tree: 2))
        #expect(past?.message.contains("past the cat_threshold words") == true, "\(String(describing: past))")
        let backwards = refusal(replacing("cat_boundaries", with: "1 0", tree: 2))
        #expect(backwards?.message.contains("out of order") == true, "\(String(describing: backwards))")
        let negative = refusal(replacing("cat_boundaries", with: "-1 1", tree: 2))
        #expect(negative?.message.contains("out of order") == true, "\(String(describing: negative))")
        let word = refusal(replacing("cat_threshold", with: "4294967296", tree: 2))
        #expect(word?.message.contains("not a 32-bit value") == true, "\(String(describing: word))")
        let set = refusal(replacing("threshold", with: "3 9.5 4668.5 5095.5 1793.5 5095.5", tree: 2))
        #expect(set?.message.contains("categorical set 3.0 is not one of 0..<1") == true, "\(String(describing: set))")
        let noSets = refusal(replacing("num_cat", with: "0", tree: 2))
        #expect(noSets?.message.contains("a categorical split without categories") == true, "\(String(describing: noSets))")
    }

    @Test func otherCorruptionsAreRefusedWithAMessage() {
        let cases: [(String, String)] = [
            (replacing("split_feature", with: "10 2 3 3 4 99", tree: 2), "split_feature 99 is not below 14"),
            (replacing("threshold", with: "0 nan 4668.5 5095.5 1793.5 5095.5", tree: 2), "a NaN threshold"),
            (replacing("decision_type", with: "12 9 2 2 2 2", tree: 1), "decision_type 12 is not one LightGBM writes"),
            (replacing("leaf_value", with: "1 2 x 4 5 6 7"), "'leaf_value': 'x' is not a number"),
            (replacing("split_feature", with: "1 2"), "'split_feature' has 2 values, expected 6"),
            (Self.binary.replacingOccurrences(of: "objective=binary sigmoid:1", with: "objective=binary sigmoid:-2"),
             "needs sigmoid:<positive number>"),
            (Self.binary.replacingOccurrences(of: "num_tree_per_iteration=1", with: "num_tree_per_iteration=3"),
             "they must both be 1"),
            (Self.binary.replacingOccurrences(of: "tree_sizes=", with: "tree_sizes=99999999 "),
             "tree_sizes: tree 0 runs past the end"),
            (Self.binary.replacingOccurrences(of: "tree_sizes=", with: "tree_sizes=5 "),
             "tree_sizes: tree 1 does not start with 'Tree='"),
            (Self.binary.replacingOccurrences(of: "feature_names=age ", with: "feature_names="), "feature_names has 13 names"),
            (replacing("shrinkage", with: "0.1\nextra=1\nmore=2\nlines=3\nand=4\nmore=5\nstill=6\nthan=7\nallowed=8"),
             "has more than 22 lines"),
            (replacing("leaf_count", with: "1\nno equals sign here"), "a line without '='"),
            (Self.binary.replacingOccurrences(of: "version=v4", with: "version=v4\u{0}"), "NUL byte"),
        ]
        for (index, (text, message)) in cases.enumerated() {
            #expect(!text.isEmpty, "case \(index): the fixture line to change is missing")
            let error = refusal(text)
            #expect(error?.message.contains(message) == true, "case \(index): \(String(describing: error))")
        }
    }

    /// A chain of 11 leaves is 21 nodes in the file but 2,047 in the
    /// engine's complete layout: enough such trees are refused before the
    /// engine lays them out.
    @Test func layoutExpansionIsBounded() throws {
        let splits = 10
        let tree = """
            num_leaves=\(splits + 1)
            num_cat=0
            split_feature=\(Array(repeating: "0", count: splits).joined(separator: " "))
            threshold=\((0..<splits).map { "\($0)" }.joined(separator: " "))
            left_child=\((0..<splits).map { "\(~$0)" }.joined(separator: " "))
            right_child=\((1..<splits).map { "\($0)" }.joined(separator: " ")) -\(splits + 1)
            leaf_value=\(Array(repeating: "1", count: splits + 1).joined(separator: " "))
            """
        let text = try ModelTextProbe.tree(tree)
        let chain = try LightGBMTree(TreeFields(values: try #require(text.trees.first), bytes: text.bytes, tree: 0,
                                                source: "chain.txt"), numFeature: 1)
        #expect(chain.depth() == 10)
        let fits = [LightGBMTree](repeating: chain, count: LightGBMLimits.maxLayoutNodes / 2047)
        try LightGBMModel.Compiler.checkLayoutSize(fits, source: "chain.txt")
        do {
            try LightGBMModel.Compiler.checkLayoutSize(fits + [chain], source: "chain.txt")
            Issue.record("one more chain should exceed the layout budget")
        } catch {
            #expect(error.message.contains("LightGBMLimits.maxLayoutNodes"), "\(error)")
        }
    }

    @Test func unsupportedObjectivesAreNamed() {
        let error = refusal(Self.binary.replacingOccurrences(of: "objective=binary sigmoid:1", with: "objective=survival_aft"))
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("objective 'survival_aft' is not supported") == true, "\(String(describing: error))")
    }

    /// Random byte changes to a real model: each either loads or is refused
    /// with a ConveyorError (the test process surviving is the point).
    @Test func randomMutationsNeverCrash() {
        var generator = SeededGenerator(seed: 17)
        let original = Array(Self.binary.utf8)
        let alphabet = Array("0123456789-=. \n\rTreabcnl_:".utf8)
        var refused = 0
        for _ in 0..<150 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
            }
            do {
                let model = try LightGBMModel(bytes: bytes, source: "mutated.txt")
                _ = try model.predictions([Double](repeating: 1, count: model.numFeature * 4), rows: 4)
            } catch {
                #expect(!error.message.isEmpty)
                refused += 1
            }
        }
        #expect(refused > 25, "most mutations should be refused, \(refused) were")
    }
}

/// One tree block read by ModelText, for tests that build trees directly.
enum ModelTextProbe {
    static func tree(_ block: String) throws -> ModelText {
        try ModelText(bytes: Array("tree\nnum_class=1\n\nTree=0\n\(block)\n\nend of trees\n".utf8), source: "probe.txt")
    }
}
