import BatchTransform
import Codecs
import ConveyorCore
import Testing

/// Formats `conveyor pipe` and the server read that a batch transform
/// cannot split: refused up front, naming what to use instead.
@Suite struct StreamFormatTests {
    @Test func arrowStreamsAreLeftToPipe() throws {
        var input = TransformOptions()
        input.contentType = .arrowStream
        let error = #expect(throws: ConveyorError.self) { try input.validate() }
        #expect(error?.message.contains("conveyor pipe") == true, "\(String(describing: error))")
        var output = TransformOptions()
        output.accept = .arrowStream
        #expect(throws: ConveyorError.self) { try output.validate() }
    }

    @Test func tabSeparatedRecordsTakeNoFilters() throws {
        var options = TransformOptions()
        options.contentType = .tsv
        options.splitType = .line
        try options.validate()
        options.joinSource = .input
        let error = #expect(throws: ConveyorError.self) { try options.validate() }
        #expect(error?.message.contains("text/tab-separated-values") == true, "\(String(describing: error))")
    }
}
