@testable import Storage
import Testing

/// S3XML on hostile answers (found by fuzzing/run.sh s3-xml): a stray `&`
/// must not make decoding quadratic, and real entities still decode.
@Suite struct S3XMLTests {
    @Test func entitiesDecode() {
        let xml = "<Contents><Key>a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#65;&#x42;&#x0000043;</Key></Contents>"
        #expect(S3XML.values("Key", in: xml[...]) == ["a&b <c> \"d\" 'e' ABC"])
    }

    @Test func strayAmpersandsStayText() {
        #expect(S3XML.decode("AT&T; &bogus; & ;"[...]) == "AT&T; &bogus; & ;")
        #expect(S3XML.decode("&#xD800; &#1114112;"[...]) == "&#xD800; &#1114112;")
        // The semicolon is beyond the longest entity, so nothing is decoded.
        #expect(S3XML.decode("&#x41\(String(repeating: " ", count: 20));"[...]) == "&#x41\(String(repeating: " ", count: 20));")
    }

    /// The fuzzer's reproducer, scaled up: 200,000 bare `&` with no `;`
    /// took hours (each `&` searched the rest of the text); now linear.
    @Test func bareAmpersandsDecodeInLinearTime() {
        let amps = String(repeating: "&", count: 200_000)
        let xml = "<ListBucketResult><Contents><Key>\(amps)</Key><Size>1</Size></Contents></ListBucketResult>"
        let clock = ContinuousClock()
        var keys: [String] = []
        let elapsed = clock.measure {
            keys = S3XML.blocks("Contents", in: xml).flatMap { S3XML.values("Key", in: $0) }
        }
        #expect(keys == [amps])
        #expect(elapsed < .seconds(10), "decoding 200,000 '&' took \(elapsed)")
    }
}
