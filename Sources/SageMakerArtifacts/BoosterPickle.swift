import ConveyorCore

/// Reads the raw model bytes out of a pickled `xgboost.core.Booster`, as
/// SageMaker's XGBoost container (up to about 1.0) wrote `xgboost-model`.
///
/// This is not an unpickler. It interprets only the opcodes that layout
/// uses, accepts only the globals of `AllowedGlobal`, and "calls" only the
/// two reductions of that layout — `copyreg._reconstructor(Booster, object,
/// None)` and `bytearray(text, 'latin-1')` / `bytearray(bytes)` — by
/// building inert values. Nothing is imported or executed; any other
/// global, call or opcode is refused with a message.
public enum BoosterPickle {
    /// True when `bytes` look like a pickle: a protocol 2+ header, or a
    /// protocol 0/1 stream (opening with GLOBAL, MARK, INST or an empty
    /// container, ending with STOP). XGBoost's own formats start otherwise
    /// ('{' or a binary header) and never end like this together.
    public static func looksLikePickle<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first == 0x80 { return true }
        let openers: [UInt8] = [UInt8(ascii: "c"), UInt8(ascii: "("), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ")")]
        return openers.contains(first) && last == UInt8(ascii: ".")
    }

    /// The bytes of the Booster's `handle` (the model in XGBoost's own
    /// format), or `.unsupportedModel` / `.modelCorrupt` saying why not.
    public static func modelBytes(_ bytes: [UInt8], source: String) throws -> [UInt8] {
        var machine = PickleMachine(bytes)
        let result: PickleValue
        do {
            result = try machine.run()
        } catch let failure as PickleMachine.Refusal {
            throw ConveyorError(
                .unsupportedModel,
                "'\(source)' is a Python pickle that is not a plain xgboost Booster: \(failure.message); "
                    + "only \(AllowedGlobal.allCases.map(\.rawValue).joined(separator: ", ")) are accepted, "
                    + "and nothing in a pickle is ever executed")
        } catch let failure as PickleMachine.Malformed {
            throw ConveyorError(.modelCorrupt, "'\(source)' is not a readable pickle: \(failure.message) at byte \(failure.offset)")
        } catch let failure as PickleText.Failure {
            throw ConveyorError(.modelCorrupt, "'\(source)' is not a readable pickle: \(failure.message)")
        }
        guard case .booster(let state?) = result else {
            throw ConveyorError(
                .unsupportedModel, "'\(source)' is a pickle of \(result.kind), not of an xgboost Booster with its state")
        }
        guard let handle = state.first(where: { $0.key.string == "handle" })?.value else {
            throw ConveyorError(.modelCorrupt, "'\(source)': the pickled Booster has no 'handle' (model bytes)")
        }
        switch handle {
        case .bytearray(let raw), .bytes(let raw):
            guard !raw.isEmpty else { throw ConveyorError(.modelCorrupt, "'\(source)': the pickled Booster's model is empty") }
            return raw
        default:
            throw ConveyorError(.modelCorrupt, "'\(source)': the pickled Booster's 'handle' is \(handle.kind), not bytes")
        }
    }
}
