/// The restricted stack machine behind `BoosterPickle`.
struct PickleMachine {
    /// The pickle asks for something outside the Booster layout.
    struct Refusal: Error { let message: String }
    /// The bytes are not a well-formed pickle.
    struct Malformed: Error { let message: String; let offset: Int }

    /// A stack slot: a value with its nesting depth (kept beside it so that
    /// no value deeper than `maxDepth` is ever built: deep values would
    /// overflow the stack when compared or freed), or a MARK.
    enum Item { case value(PickleValue, depth: Int), mark }

    static let maxStack = 10_000
    static let maxMemo = 100_000
    static let maxDepth = 64
    /// Elements copied while appending to lists and dicts (values are copied
    /// on write): bounds a pickle of a million APPENDs to a memoized list.
    static let maxWork = 10_000_000

    let bytes: [UInt8]
    var position = 0
    var stack: [Item] = []
    var memo: [Int: (value: PickleValue, depth: Int)] = [:]
    var work = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func run() throws -> PickleValue {
        while true {
            let offset = position
            let opcode = try byte()
            switch opcode {
            case 0x80: _ = try byte()  // PROTO n
            case 0x95: _ = try take(8)  // FRAME: a length hint only
            case UInt8(ascii: "."):  // STOP
                return try pop(offset)
            case UInt8(ascii: "("): try pushMark()
            case UInt8(ascii: "c"):  // GLOBAL module\nname\n
                let module = String(decoding: try line(), as: UTF8.self)
                let name = String(decoding: try line(), as: UTF8.self)
                try push(.global(try allowed(module, name)))
            case 0x93:  // STACK_GLOBAL
                let name = try pop(offset).string
                let module = try pop(offset).string
                guard let module, let name else { throw Malformed(message: "STACK_GLOBAL needs two strings", offset: offset) }
                try push(.global(try allowed(module, name)))
            case UInt8(ascii: "p"): try memoize(Int(try decimal(offset)), offset)
            case UInt8(ascii: "q"): try memoize(Int(try byte()), offset)
            case UInt8(ascii: "r"): try memoize(Int(try littleEndian(4)), offset)
            case 0x94: try memoize(memo.count, offset)
            case UInt8(ascii: "g"): try recall(Int(try decimal(offset)), offset)
            case UInt8(ascii: "h"): try recall(Int(try byte()), offset)
            case UInt8(ascii: "j"): try recall(Int(try littleEndian(4)), offset)
            case UInt8(ascii: "N"): try push(.none)
            case 0x88: try push(.bool(true))
            case 0x89: try push(.bool(false))
            case UInt8(ascii: "I"):  // INT (01/00 are protocol 0 booleans)
                let text = String(decoding: try line(), as: UTF8.self)
                if text == "01" || text == "00" { try push(.bool(text == "01")); break }
                guard let value = Int64(text) else { throw Malformed(message: "bad INT '\(text)'", offset: offset) }
                try push(.int(value))
            case UInt8(ascii: "L"):
                var text = String(decoding: try line(), as: UTF8.self)
                if text.hasSuffix("L") { text.removeLast() }
                guard let value = Int64(text) else { throw Refusal(message: "LONG '\(text)' does not fit 64 bits") }
                try push(.int(value))
            case UInt8(ascii: "J"): try push(.int(Int64(Int32(bitPattern: UInt32(try littleEndian(4))))))
            case UInt8(ascii: "K"): try push(.int(Int64(try byte())))
            case UInt8(ascii: "M"): try push(.int(Int64(try littleEndian(2))))
            case 0x8A:  // LONG1
                let count = Int(try byte())
                guard count <= 8 else { throw Refusal(message: "LONG1 of \(count) bytes does not fit 64 bits") }
                let raw = try take(count)
                var value: Int64 = 0
                for (shift, b) in raw.enumerated() { value |= Int64(b) << (8 * Int64(shift)) }
                if let last = raw.last, count < 8, last & 0x80 != 0 { value -= Int64(1) << (8 * Int64(count)) }
                try push(.int(value))
            case UInt8(ascii: "F"):
                let text = String(decoding: try line(), as: UTF8.self)
                guard let value = Double(text) else { throw Malformed(message: "bad FLOAT '\(text)'", offset: offset) }
                try push(.float(value))
            case UInt8(ascii: "G"):
                try push(.float(Double(bitPattern: try bigEndian(8))))
            case UInt8(ascii: "S"): try push(.bytes(try PickleText.quoted(try line())))
            case UInt8(ascii: "T"): try push(.bytes(Array(try take(Int(try littleEndian(4))))))
            case UInt8(ascii: "U"): try push(.bytes(Array(try take(Int(try byte())))))
            case UInt8(ascii: "V"): try push(.text(try PickleText.rawUnicodeEscape(try line())))
            case UInt8(ascii: "X"): try push(.text(try PickleText.utf8(try take(Int(try littleEndian(4))))))
            case 0x8C: try push(.text(try PickleText.utf8(try take(Int(try byte())))))
            case 0x8D: try push(.text(try PickleText.utf8(try take(try length8(offset)))))
            case UInt8(ascii: "B"): try push(.bytes(Array(try take(Int(try littleEndian(4))))))
            case UInt8(ascii: "C"): try push(.bytes(Array(try take(Int(try byte())))))
            case 0x8E: try push(.bytes(Array(try take(try length8(offset)))))
            case 0x96: try push(.bytearray(Array(try take(try length8(offset)))))
            case UInt8(ascii: ")"): try push(.tuple([]))
            case UInt8(ascii: "t"): try pushContainer(try popToMark(offset), PickleValue.tuple)
            case 0x85: try pushContainer(try popItems(1, offset), PickleValue.tuple)
            case 0x86: try pushContainer(try popItems(2, offset), PickleValue.tuple)
            case 0x87: try pushContainer(try popItems(3, offset), PickleValue.tuple)
            case UInt8(ascii: "]"): try push(.list([]))
            case UInt8(ascii: "l"): try pushContainer(try popToMark(offset), PickleValue.list)
            case UInt8(ascii: "a"): try append(try popItems(1, offset), offset)
            case UInt8(ascii: "e"): try append(try popToMark(offset), offset)
            case UInt8(ascii: "}"): try push(.dict([]))
            case UInt8(ascii: "d"):
                let items = try popToMark(offset)
                try push(.dict(try pairs(items.map(\.value), offset)), depth: 1 + (items.map(\.depth).max() ?? 0))
            case UInt8(ascii: "s"): try setItems(try popItems(2, offset), offset)
            case UInt8(ascii: "u"): try setItems(try popToMark(offset), offset)
            case UInt8(ascii: "R"):
                let arguments = try pop(offset)
                let callable = try pop(offset)
                try push(try reduce(callable, arguments))
            case 0x81:  // NEWOBJ: cls.__new__(cls, *args)
                let arguments = try pop(offset)
                let cls = try pop(offset)
                guard cls == .global(.booster), arguments == .tuple([]) else {
                    throw Refusal(message: "NEWOBJ of \(cls.kind) with \(arguments.kind) is not the Booster layout")
                }
                try push(.booster(state: nil))
            case UInt8(ascii: "b"):  // BUILD: only the Booster takes a state, and only a dict
                let state = try popItems(1, offset)[0]
                let object = try pop(offset)
                guard case .booster(nil) = object, case .dict(let entries) = state.value else {
                    throw Refusal(message: "BUILD of \(object.kind) with \(state.value.kind) is not the Booster layout")
                }
                try push(.booster(state: entries), depth: state.depth + 1)
            default:
                throw Refusal(message: "opcode 0x\(String(opcode, radix: 16)) ('\(Self.name(opcode))') at byte \(offset) is not allowed")
            }
        }
    }

    /// The two calls of the Booster layout, evaluated as data.
    private func reduce(_ callable: PickleValue, _ arguments: PickleValue) throws -> PickleValue {
        let refusal = Refusal(message: "calling \(callable.kind) with \(arguments.kind) is not the Booster layout")
        guard case .global(let global) = callable, case .tuple(let args) = arguments else { throw refusal }
        switch global {
        case .reconstructor:
            guard args == [.global(.booster), .global(.object), .none] else { throw refusal }
            return .booster(state: nil)
        case .bytearray:
            if args.isEmpty { return .bytearray([]) }
            if args.count == 1, case .bytes(let raw) = args[0] { return .bytearray(raw) }
            guard args.count == 2, case .text(let scalars) = args[0] else { throw refusal }
            guard let name = args[1].string?.lowercased(), ["latin-1", "latin1", "iso-8859-1"].contains(name) else {
                throw Refusal(message: "bytearray with encoding \(args[1].string ?? args[1].kind) is not the Booster layout")
            }
            guard scalars.allSatisfy({ $0 <= 0xFF }) else {
                throw Malformed(message: "latin-1 text holds a code point above 0xFF", offset: position)
            }
            return .bytearray(scalars.map { UInt8($0) })
        case .booster, .object:
            throw refusal
        }
    }

    private func allowed(_ module: String, _ name: String) throws -> AllowedGlobal {
        guard let global = AllowedGlobal(module: module, name: name) else {
            throw Refusal(message: "it references the global '\(module).\(name)'")
        }
        return global
    }

    // MARK: reading bytes

    private mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw Malformed(message: "the pickle ends without STOP", offset: position) }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else {
            throw Malformed(message: "a length of \(count) runs past the end", offset: position)
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    private mutating func line() throws -> ArraySlice<UInt8> {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else {
            throw Malformed(message: "an argument line has no newline", offset: position)
        }
        defer { position = end + 1 }
        return bytes[position..<end]
    }

    private mutating func decimal(_ offset: Int) throws -> UInt32 {
        let text = String(decoding: try line(), as: UTF8.self)
        guard let value = UInt32(text) else { throw Malformed(message: "bad memo index '\(text)'", offset: offset) }
        return value
    }

    private mutating func littleEndian(_ count: Int) throws -> UInt64 {
        var value: UInt64 = 0
        for (shift, b) in try take(count).enumerated() { value |= UInt64(b) << (8 * UInt64(shift)) }
        return value
    }

    private mutating func bigEndian(_ count: Int) throws -> UInt64 {
        try take(count).reduce(0) { $0 << 8 | UInt64($1) }
    }

    private mutating func length8(_ offset: Int) throws -> Int {
        let value = try littleEndian(8)
        guard value <= UInt64(bytes.count) else { throw Malformed(message: "a length of \(value) runs past the end", offset: offset) }
        return Int(value)
    }

    /// Names of refused opcodes, for messages.
    static func name(_ opcode: UInt8) -> String {
        switch opcode {
        case UInt8(ascii: "i"): return "INST"
        case UInt8(ascii: "o"): return "OBJ"
        case 0x92: return "NEWOBJ_EX"
        case UInt8(ascii: "P"): return "PERSID"
        case UInt8(ascii: "Q"): return "BINPERSID"
        case 0x82, 0x83, 0x84: return "EXT"
        case 0x90, 0x91: return "SET"
        case 0x97: return "NEXT_BUFFER"
        default: return "unknown"
        }
    }
}
