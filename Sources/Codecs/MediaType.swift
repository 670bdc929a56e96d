import ConveyorCore

/// The content types Conveyor reads and writes at a pipeline's edges.
public enum MediaType: Sendable, Equatable, Hashable, CaseIterable {
    case csv, json, jsonLines
    /// Tab-separated rows as Spark SQL's `TRANSFORM … USING` exchanges them (`\N` is null).
    case tsv
    /// The Arrow IPC stream format: typed columns, no text.
    case arrowStream

    /// The header value Conveyor sends for this type.
    public var canonical: String {
        switch self {
        case .csv: return "text/csv"
        case .json: return "application/json"
        case .jsonLines: return "application/jsonlines"
        case .tsv: return "text/tab-separated-values"
        case .arrowStream: return "application/vnd.apache.arrow.stream"
        }
    }

    /// Parses a `Content-Type` value such as `text/csv; charset=utf-8` or
    /// `text/csv;label_size=0`. Parameters other than a non-UTF-8 charset
    /// are ignored. A missing or unknown type throws
    /// `.unsupportedContentType` naming the value.
    public init(contentType: String?) throws {
        let value = contentType ?? ""
        guard let range = MediaRange(value), !range.type.isEmpty else {
            throw ConveyorError(
                .unsupportedContentType,
                "missing Content-Type; expected \(MediaType.supportedList)")
        }
        guard let type = MediaType(exactly: range.type), range.hasUTF8Charset else {
            throw ConveyorError(
                .unsupportedContentType,
                "Content-Type '\(value)' is not supported; expected \(MediaType.supportedList)")
        }
        self = type
    }

    /// The type an `Accept` value asks for, or nil when the client has no
    /// preference (a missing or empty header, or `*/*` winning), in which
    /// case the caller uses its default. Entries are tried by descending
    /// q-value, then in the client's order; `q=0` entries are refusals.
    /// Throws `.unsupportedAccept` naming the value when nothing listed fits.
    public static func accepted(by accept: String?) throws -> MediaType? {
        guard let accept, accept.contains(where: { !$0.isWhitespace && $0 != "," }) else {
            return nil
        }
        let ranges = accept.split(separator: ",").compactMap { MediaRange(String($0)) }
            .filter { !$0.type.isEmpty }
        // Stable: equal q-values keep the client's order.
        let ordered = ranges.enumerated()
            .filter { $0.element.quality > 0 }
            .sorted { lhs, rhs in
                lhs.element.quality != rhs.element.quality
                    ? lhs.element.quality > rhs.element.quality
                    : lhs.offset < rhs.offset
            }
            .map(\.element)
        for range in ordered {
            switch range.type {
            case "*/*", "*": return nil
            case "text/*": return .csv
            case "application/*": return .json
            default:
                if let type = MediaType(exactly: range.type), range.hasUTF8Charset { return type }
            }
        }
        throw ConveyorError(
            .unsupportedAccept,
            "Accept '\(accept)' is not supported; expected \(MediaType.supportedList)")
    }

    /// `accepted(by:)`, falling back to `default` when the client has no preference.
    public static func negotiate(accept: String?, default fallback: MediaType) throws -> MediaType {
        try accepted(by: accept) ?? fallback
    }

    /// Maps a bare, lower-cased `type/subtype` to a media type.
    init?(exactly type: String) {
        switch type {
        case "text/csv": self = .csv
        case "application/json": self = .json
        case "application/jsonlines", "application/jsonl", "application/x-jsonlines": self = .jsonLines
        case "text/tab-separated-values", "text/tsv": self = .tsv
        case "application/vnd.apache.arrow.stream": self = .arrowStream
        default: return nil
        }
    }

    public static let supportedList =
        "text/csv, application/json, application/jsonlines, text/tab-separated-values or application/vnd.apache.arrow.stream"
}

/// One `type/subtype; name=value; ...` entry of a header.
struct MediaRange {
    /// Lower-cased `type/subtype`, without parameters.
    var type: String
    /// Lower-cased parameter names with their unquoted values.
    var parameters: [(name: String, value: String)]

    init?(_ text: String) {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = parts.first else { return nil }
        type = first.trimmingSpaces().lowercased()
        parameters = parts.dropFirst().compactMap { part in
            guard let equals = part.firstIndex(of: "=") else { return nil }
            let name = part[..<equals].trimmingSpaces().lowercased()
            var value = part[part.index(after: equals)...].trimmingSpaces()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            return (name, value)
        }
    }

    func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// The `q` parameter; a missing or malformed one counts as 1.
    var quality: Double {
        guard let text = parameter("q"), let q = Double(text), q >= 0 else { return 1 }
        return min(q, 1)
    }

    /// Bodies are read and written as UTF-8; ASCII is a subset of it.
    var hasUTF8Charset: Bool {
        guard let charset = parameter("charset")?.lowercased() else { return true }
        return ["utf-8", "utf8", "us-ascii", "ascii"].contains(charset)
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }),
              let end = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[start...end])
    }
}
