import Codecs
import ConveyorCore
import Foundation

/// Renders traces: the `Server-Timing` header (per-stage durations in
/// milliseconds, a W3C standard header browsers and curl show as is) and,
/// in debug mode, a JSON body with each stage's intermediate output.
enum TraceResponse {
    static func serverTiming(_ stages: [StageTiming]) -> String {
        stages.map { stage in
            let milliseconds = Double(stage.duration.components.attoseconds) / 1e15
                + Double(stage.duration.components.seconds) * 1e3
            return "\(stage.name);desc=\"\(stage.kind), \(stage.rows) rows\";dur=\(String(format: "%.3f", milliseconds))"
        }.joined(separator: ", ")
    }

    /// `{"pipeline", "request_id", "stages": [{"name", "kind", "milliseconds",
    /// "rows", "output": [row objects]}], "response": {"content_type", "body"}}`.
    static func debugBody(pipeline: String, requestID: String, result: InvocationResult) -> [UInt8] {
        let stages: [[String: Any]] = result.stages.map { stage in
            var entry: [String: Any] = [
                "name": stage.name, "kind": stage.kind, "rows": stage.rows,
                "milliseconds": Double(stage.duration.components.attoseconds) / 1e15
                    + Double(stage.duration.components.seconds) * 1e3,
            ]
            if let frame = stage.output, let rows = rowObjects(frame) { entry["output"] = rows }
            return entry
        }
        let object: [String: Any] = [
            "pipeline": pipeline, "request_id": requestID, "stages": stages,
            "response": ["content_type": result.contentType.canonical,
                         "body": String(decoding: result.body, as: UTF8.self)],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }

    /// Every column of a frame as JSON row objects, via the response encoder.
    private static func rowObjects(_ frame: Frame) -> Any? {
        guard let bytes = try? FrameEncoder().encode(frame, columns: frame.columnNames, as: .json),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        else { return nil }
        return object["predictions"]
    }
}
