import ConveyorCore
import Testing

@testable import SparkML

/// Spark metadata JSON is parsed into a tree: its value count and depth are
/// bounded so that a small file cannot grow into gigabytes or overflow the stack.
@Suite struct HostileMetadataTests {
    @Test func metadataOfMillionsOfValuesIsRefused() throws {
        let text = "[" + Array(repeating: "0", count: SparkJSON.maxValues + 1).joined(separator: ",") + "]"
        #expect(throws: ConveyorError.self) { _ = try SparkJSON.parse(Array(text.utf8), file: "m") }
        let fits = "[" + Array(repeating: "0", count: 1000).joined(separator: ",") + "]"
        #expect(try SparkJSON.parse(Array(fits.utf8), file: "m").array?.count == 1000)
    }

    @Test func deepNestingIsRefused() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try SparkJSON.parse(Array(text.utf8), file: "m")
            Issue.record("accepted")
        } catch let error as ConveyorError {
            #expect(error.message.contains("nesting deeper than 64"))
        } catch { Issue.record("unexpected \(error)") }
    }
}
