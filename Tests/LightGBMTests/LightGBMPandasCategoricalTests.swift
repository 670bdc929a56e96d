import ConveyorCore
import Foundation
import LightGBM
import Testing

/// A model saved from pandas category columns needs LightGBM's Python-side
/// mapping of values to codes, which Conveyor does not do: refused by name.
@Suite struct LightGBMPandasCategoricalTests {
    static func model(trailer: String) throws -> [UInt8] {
        let text = try String(contentsOf: LightGBMFixtures.directory.appendingPathComponent("binary.txt"), encoding: .utf8)
        #expect(text.contains("\npandas_categorical:null\n"))
        return Array(text.replacingOccurrences(of: "\npandas_categorical:null\n", with: "\n\(trailer)\n").utf8)
    }

    @Test func categoriesInTheTrailerAreRefused() throws {
        let bytes = try Self.model(trailer: #"pandas_categorical:[["Private", "Self-emp"], [3, 7, 9]]"#)
        let error = #expect(throws: ConveyorError.self) { try LightGBMModel(bytes: bytes, source: "categorical.txt") }
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("trained on pandas category columns") == true, "\(String(describing: error))")
        #expect(error?.message.contains(#"[["Private", "Self-emp"], [3, 7, 9]]"#) == true, "\(String(describing: error))")
    }

    @Test func aNullTrailerOrNoneLoads() throws {
        _ = try LightGBMModel(bytes: try Self.model(trailer: "pandas_categorical:null"), source: "null.txt")
        _ = try LightGBMModel(bytes: try Self.model(trailer: ""), source: "none.txt")
    }
}
