import ConveyorCore

extension InferenceProtocol {
    /// One output tensor in the protocol's raw layout (gRPC's
    /// `raw_output_contents`, which is what Triton answers and tritonclient
    /// reads): row-major, little-endian numbers, one byte per BOOL, BYTES
    /// elements as a 4-byte little-endian length and the UTF-8 bytes.
    public struct RawOutput: Sendable, Equatable {
        public var name: String
        public var datatype: Datatype
        public var shape: [Int]
        public var bytes: [UInt8]

        /// The chosen columns of `frame` as raw tensors, typed as in
        /// `TensorMetadata`: doubles FP64, floats FP32, integers by width,
        /// vectors `[N, k]`. A null number is NaN (as JSON's `null` is);
        /// a raw tensor has no null for other types, so a null string,
        /// integer or boolean is refused naming its column and row.
        public static func encode(_ frame: Frame, columns: [String]) throws -> [RawOutput] {
            try columns.map { try encode(try frame.require($0), rows: frame.rowCount) }
        }

        static func encode(_ column: Column, rows: Int) throws -> RawOutput {
            let metadata = TensorMetadata(column.spec)
            var output = RawOutput(name: column.name, datatype: metadata.datatype, shape: [rows], bytes: [])
            let float = column.type.scalar == .float
            switch column.values {
            case .double(let values):
                output.bytes.reserveCapacity(rows * (float ? 4 : 8))
                for (row, value) in values.enumerated() {
                    appendNumber(column.isNull(row) ? .nan : value, float: float, to: &output.bytes)
                }
            case .vector(let block):
                output.shape = [rows, block.width]
                output.bytes.reserveCapacity(block.storage.count * (float ? 4 : 8))
                for row in 0..<rows {
                    let isNull = column.isNull(row)
                    for element in 0..<block.width {
                        appendNumber(isNull ? .nan : block[row, element], float: float, to: &output.bytes)
                    }
                }
            case .int(let values):
                try refuseNulls(column)
                let width = metadata.datatype.byteWidth ?? 8
                output.bytes.reserveCapacity(rows * width)
                for value in values {
                    let bits = UInt64(bitPattern: value)
                    for byte in 0..<width { output.bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * byte))) }
                }
            case .bool(let values):
                try refuseNulls(column)
                output.bytes = values.map { $0 ? 1 : 0 }
            case .string(let values):
                try refuseNulls(column)
                for value in values {
                    let length = UInt32(truncatingIfNeeded: value.utf8.count)
                    append(length, to: &output.bytes)
                    output.bytes.append(contentsOf: value.utf8)
                }
            case .stringLists:
                throw ConveyorError(
                    .unsupportedAccept,
                    "output '\(column.name)' is a list of strings per row, which a tensor cannot carry; leave it out of "
                        + "'outputs', or ask /invocations for application/json",
                    column: column.name)
            }
            return output
        }

        private static func refuseNulls(_ column: Column) throws {
            guard let row = column.nulls?.firstIndex(of: true) else { return }
            throw ConveyorError(
                .unsupportedAccept,
                "output '\(column.name)' is null in row \(row + 1), and a raw \(Datatype(column.type.scalar).rawValue) "
                    + "tensor has no null; ask the REST route (JSON null) or /invocations",
                row: row + 1, column: column.name)
        }

        /// A number as FP32 or FP64 bits.
        private static func appendNumber(_ number: Double, float: Bool, to bytes: inout [UInt8]) {
            float ? append(Float(number).bitPattern, to: &bytes) : append(number.bitPattern, to: &bytes)
        }

        private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
    }
}
