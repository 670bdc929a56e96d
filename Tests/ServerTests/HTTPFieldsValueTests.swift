import HTTPTypes
import Testing
@testable import Server

/// `HTTPFields.value(of:)` answers as HTTPTypes' own subscript does, which
/// gives every expected value here.
struct HTTPFieldsValueTests {
    @Test func answersAsTheSubscript() throws {
        let accept = HTTPField.Name.accept
        let cookie = HTTPField.Name.cookie
        var fields = HTTPFields()
        fields.append(HTTPField(name: .contentType, value: "text/csv"))
        fields.append(HTTPField(name: accept, value: "text/csv"))
        fields.append(HTTPField(name: accept, value: "application/json"))
        fields.append(HTTPField(name: cookie, value: "a=1"))
        fields.append(HTTPField(name: cookie, value: "b=2"))
        fields.append(HTTPField(name: try #require(HTTPField.Name("X-Conveyor-Trace")), value: "debug"))
        let names: [HTTPField.Name] = [
            .contentType, accept, cookie, .contentLength, try #require(HTTPField.Name("x-conveyor-trace")),
        ]
        for name in names {
            #expect(fields.value(of: name) == fields[name], "\(name)")
        }
        // Repeated fields joined, as the subscript joins them; absent ones nil.
        #expect(fields.value(of: accept) == "text/csv, application/json")
        #expect(fields.value(of: cookie) == "a=1; b=2")
        #expect(fields.value(of: .contentLength) == nil)
    }
}
