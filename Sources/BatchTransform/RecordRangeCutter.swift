import ConveyorCore

/// Cuts one worker's records out of an object's bytes with `--shard-by
/// bytes`. The worker owns the records that start within its byte range
/// `[first, end)`: it skips to the first record start at or after `first`
/// (just after the first `\n` at or after `first - 1`) and stops after the
/// record that holds byte `end - 1`. Ranges that meet give parts that meet,
/// so the parts' bytes, and so their outputs, concatenate to the whole.
struct RecordRangeCutter {
    private enum Phase { case seeking, inside, done }

    let range: Range<Int64>
    /// CSV: a quoted field holding a line break is refused (a worker that
    /// starts mid-object cannot know it is inside quotes).
    let csv: Bool
    let source: String
    private var phase: Phase
    /// Absolute offset of the next byte handed to `cut`.
    private var position: Int64 = 0
    private var inQuotes = false

    init(range: Range<Int64>, csv: Bool, source: String) {
        self.range = range
        self.csv = csv
        self.source = source
        phase = range.isEmpty ? .done : (range.lowerBound == 0 ? .inside : .seeking)
    }

    var isDone: Bool { phase == .done }

    /// The part of `chunk` (the object's next bytes) this worker scores.
    mutating func cut(_ chunk: [UInt8]) throws -> ArraySlice<UInt8> {
        let base = position
        position += Int64(chunk.count)
        var from = 0
        if phase == .seeking {
            let scan = Int(clamping: max(0, range.lowerBound - 1 - base))
            guard scan < chunk.count, let newline = chunk[scan...].firstIndex(of: UInt8(ascii: "\n")) else { return [] }
            if base + Int64(newline) + 1 >= range.upperBound {
                phase = .done
                return []
            }
            phase = .inside
            from = newline + 1
        }
        guard phase == .inside else { return [] }
        var to = chunk.count
        let stopScan = max(from, Int(clamping: max(0, range.upperBound - 1 - base)))
        if stopScan < chunk.count, let newline = chunk[stopScan...].firstIndex(of: UInt8(ascii: "\n")) {
            to = newline + 1
            phase = .done
        }
        let part = chunk[from..<to]
        if csv { try checkQuotes(part, base: base) }
        return part
    }

    private mutating func checkQuotes(_ part: ArraySlice<UInt8>, base: Int64) throws {
        for index in part.indices {
            switch part[index] {
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: "\n"):
                guard !inQuotes else {
                    throw ConveyorError(.invalidInput, "\(source): a quoted CSV field holds a line break (before byte "
                        + "\(base + Int64(index))); --shard-by bytes cuts objects at line ends, so it cannot split "
                        + "this object: use --shard-by object")
                }
            default: break
            }
        }
    }
}
