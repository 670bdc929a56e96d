import ConveyorCore
import Foundation
import Testing

@testable import SageMakerArtifacts

/// Hostile pickles (issue 10), built opcode by opcode here: each is
/// refused with a message, quickly and without large allocations.
@Suite struct HostilePickleTests {
    private static let proto2: [UInt8] = [0x80, 0x02]
    private static let stop = UInt8(ascii: ".")

    private func refusal(_ bytes: [UInt8]) -> ConveyorError? {
        do {
            _ = try BoosterPickle.modelBytes(bytes, source: "hostile.pkl")
            Issue.record("the pickle was accepted")
            return nil
        } catch let error as ConveyorError {
            #expect(error.message.contains("hostile.pkl"), "\(error.message)")
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func deeplyNestedTuplesAreRefusedBeforeTheyOverflowTheStack() {
        // One TUPLE1 per byte: a million levels would crash when compared or freed.
        let bytes = Self.proto2 + [UInt8(ascii: "N")] + [UInt8](repeating: 0x85, count: 1_000_000) + [Self.stop]
        let error = refusal(bytes)
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("nest deeper than \(PickleMachine.maxDepth)") == true, "\(String(describing: error))")
    }

    @Test func nestingWithinTheLimitStillReads() throws {
        var machine = PickleMachine(Self.proto2 + [UInt8(ascii: "N")] + [UInt8](repeating: 0x85, count: 60) + [Self.stop])
        var value = try machine.run()
        var levels = 0
        while case .tuple(let items) = value, items.count == 1 { value = items[0]; levels += 1 }
        #expect(levels == 60)
        #expect(value == PickleValue.none)
    }

    @Test func quadraticAppendsAreRefused() {
        // EMPTY_LIST, BINPUT 0, then a million (NONE, APPEND): each append copied the list.
        var bytes = Self.proto2 + [UInt8(ascii: "]"), UInt8(ascii: "q"), 0]
        for _ in 0..<1_000_000 { bytes += [UInt8(ascii: "N"), UInt8(ascii: "a")] }
        bytes.append(Self.stop)
        let started = Date()
        let error = refusal(bytes)
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("copied elements") == true, "\(String(describing: error))")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test(arguments: [
        ([0x8D] + [UInt8](repeating: 0xFF, count: 7) + [0x3F], "BINUNICODE8 of 2^62 bytes"),
        ([UInt8(ascii: "B"), 0xFF, 0xFF, 0xFF, 0xFF], "BINBYTES of 4 GiB"),
        ([UInt8(ascii: "X"), 0xFF, 0xFF, 0xFF, 0x7F], "BINUNICODE of 2 GiB"),
        ([0x96] + [UInt8](repeating: 0xFF, count: 8), "BYTEARRAY8 of 2^64-1"),
    ] as [([UInt8], String)])
    func absurdLengthsAreRefusedBeforeAllocation(_ opcode: [UInt8], _ what: String) {
        let error = refusal(Self.proto2 + opcode + [0x41, 0x41, Self.stop])
        #expect(error?.code == .modelCorrupt, "\(what)")
        #expect(error?.message.contains("runs past the end") == true, "\(what): \(String(describing: error))")
    }

    @Test(arguments: [
        (0x92 as UInt8, "NEWOBJ_EX"), (UInt8(ascii: "i"), "INST"), (UInt8(ascii: "o"), "OBJ"),
        (UInt8(ascii: "P"), "PERSID"), (UInt8(ascii: "Q"), "BINPERSID"), (0x82, "EXT"), (0x90, "SET"),
        (0x97, "NEXT_BUFFER"), (0xFF, "unknown"),
    ] as [(UInt8, String)])
    func foreignOpcodesAreRefusedByName(_ opcode: UInt8, _ name: String) {
        let error = refusal(Self.proto2 + [UInt8(ascii: "N"), opcode, Self.stop])
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("('\(name)')") == true, "\(String(describing: error))")
        #expect(error?.message.contains("nothing in a pickle is ever executed") == true)
    }

    @Test func stackAndMemoAreBounded() {
        let stack = Self.proto2 + [UInt8](repeating: UInt8(ascii: "N"), count: PickleMachine.maxStack + 1) + [Self.stop]
        #expect(refusal(stack)?.message.contains("stack grows past") == true)
        var memo = Self.proto2 + [UInt8(ascii: "N")]
        for index in 0...PickleMachine.maxMemo {
            memo += [UInt8(ascii: "r")] + withUnsafeBytes(of: UInt32(index).littleEndian, Array.init)
        }
        memo.append(Self.stop)
        #expect(refusal(memo)?.message.contains("too many memo entries") == true)
    }
}
