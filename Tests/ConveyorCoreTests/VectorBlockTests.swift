import ConveyorCore
import Testing

/// A vector block held as float32 (built so only when each value is exactly
/// a float32) reads as the same doubles everywhere, and gives a tree model
/// the same feature matrix as a block of doubles.
struct VectorBlockTests {
    static let doubles: [Double] = [1, 0, -0.5, .nan, 3, 16_777_216]
    static let floats: [Float] = [1, 0, -0.5, .nan, 3, 16_777_216]

    static func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }
    static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    @Test func aFloat32BlockReadsAsItsDoubles() {
        let block = VectorBlock(width: 3, float32: Self.floats, rows: 2)
        #expect(block.rowCount == 2 && block.width == 3)
        #expect(Self.bits(block.storage) == Self.bits(Self.doubles))
        #expect(Self.bits(Array(block.row(1))) == Self.bits([.nan, 3, 16_777_216]))
        #expect(block[0, 2] == -0.5 && block[1, 1] == 3)
        #expect(block.float32Storage.map(Self.bits) == Self.bits(Self.floats))
        // Equal to the double block with the same values, by value (NaN aside, as arrays compare).
        let finite = VectorBlock(width: 2, float32: [1, 2.5, -4, 0], rows: 2)
        #expect(finite == VectorBlock(width: 2, storage: [1, 2.5, -4, 0]))
        #expect(finite != VectorBlock(width: 2, storage: [1, 2.5, -4, 0.1]))
        #expect(finite != VectorBlock(width: 4, storage: [1, 2.5, -4, 0]))
    }

    @Test func mutatingAFloat32BlockTurnsItIntoDoubles() {
        var block = VectorBlock(width: 2, float32: [1, 2, 3, 4], rows: 2)
        block[1, 0] = 0.1
        #expect(block.float32Storage == nil)
        #expect(block.storage == [1, 2, 0.1, 4])
        block.storage[3] = 1e300
        #expect(block.storage == [1, 2, 0.1, 1e300])
    }

    @Test func filteringKeepsTheRowsInTheirOwnForm() {
        let floats = VectorBlock(width: 2, float32: [1, 2, 3, 4, 5, 6], rows: 3).filtered(keeping: [true, false, true])
        #expect(floats.float32Storage == [1, 2, 5, 6] && floats.rowCount == 2)
        let doubles = VectorBlock(width: 2, storage: [1, 2, 3, 4, 5, 6]).filtered(keeping: [false, false, true])
        #expect(doubles.float32Storage == nil && doubles.storage == [5, 6] && doubles.rowCount == 1)
    }

    /// Both forms give XGBoost's matrix: each value narrowed, the model's
    /// `missing` value and every value of a null row NaN.
    @Test func bothFormsGiveTheSameFeatureMatrix() {
        let asFloats = VectorBlock(width: 3, float32: Self.floats, rows: 2)
        let asDoubles = VectorBlock(width: 3, storage: Self.doubles)
        let nan = Float.nan
        let cases: [(nulls: [Bool]?, missing: Double, expected: [Float])] = [
            (nil, .nan, [1, 0, -0.5, nan, 3, 16_777_216]),
            ([false, true], .nan, [1, 0, -0.5, nan, nan, nan]),
            (nil, 0, [1, nan, -0.5, nan, 3, 16_777_216]),
            ([true, false], 3, [nan, nan, nan, nan, nan, 16_777_216]),
        ]
        for (nulls, missing, expected) in cases {
            #expect(Self.bits(asFloats.float32Matrix(nullRows: nulls, missing: missing)) == Self.bits(expected),
                    "\(String(describing: nulls)) \(missing)")
            #expect(Self.bits(asDoubles.float32Matrix(nullRows: nulls, missing: missing)) == Self.bits(expected),
                    "\(String(describing: nulls)) \(missing)")
        }
    }

    @Test func onlyValuesThatSurviveNarrowingFitFloat32() {
        func fits(_ values: [Double]) -> Bool { values.withUnsafeBufferPointer(VectorBlock.fitsFloat32) }
        #expect(fits([0, 1, -0.0, 0.5, 16_777_216, .nan, .infinity, -.infinity, 3.4028234663852886e38]))
        #expect(!fits([0.1]))
        #expect(!fits([16_777_217]))
        #expect(!fits([1e300]))
        #expect(!fits([1e-320]))
        #expect(fits([]))
    }
}
