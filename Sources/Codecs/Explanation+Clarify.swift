import ConveyorCore

extension Explanation {
    /// The response SageMaker Clarify's online explainability sends
    /// (`EnableExplanations`): the predictions as the model container wrote
    /// them, the output labels, and per record one entry per column with its
    /// attribution to each output. The method is named as it is: exact
    /// `tree_shap` in margin space, not Clarify's sampled `kernel_shap`.
    ///
    ///     {"version": "1.0",
    ///      "predictions": {"content_type": "text/csv", "data": "vgood,0.0015…\n"},
    ///      "label_headers": ["unacc", "acc", "good", "vgood"],
    ///      "explanations": {"tree_shap": [[{"feature_header": "buying",
    ///                                       "attributions": [{"attribution": [-0.90, -0.65, 1.09, 1.10]}]}, …]]}}
    public func clarifyDocument(predictions: [UInt8], contentType: MediaType) -> [UInt8] {
        var writer = ByteWriter(capacity: predictions.count + rowCount * columns.count * outputs.count * 24 + 256)
        writer.append("{\"version\":\"1.0\",\"predictions\":{\"content_type\":")
        writer.appendJSONString(contentType.canonical)
        writer.append(",\"data\":")
        writer.appendJSONString(String(decoding: predictions, as: UTF8.self))
        writer.append("},\"label_headers\":[")
        for (index, output) in outputs.enumerated() {
            if index > 0 { writer.append(.comma) }
            writer.appendJSONString(output)
        }
        writer.append("],\"explanations\":{")
        writer.appendJSONString(method)
        writer.append(":[")
        for row in 0..<rowCount {
            if row > 0 { writer.append(.comma) }
            writer.append(UInt8(ascii: "["))
            for (index, column) in columns.enumerated() {
                if index > 0 { writer.append(.comma) }
                writer.append("{\"feature_header\":")
                writer.appendJSONString(column)
                writer.append(",\"attributions\":[{\"attribution\":")
                Self.writeNumbers(attribution(row: row, column: index), into: &writer)
                writer.append("}]}")
            }
            writer.append(UInt8(ascii: "]"))
        }
        writer.append("]}}")
        return writer.bytes
    }
}
