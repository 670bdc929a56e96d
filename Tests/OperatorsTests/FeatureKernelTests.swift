import ConveyorCore
import Testing

@testable import Operators

/// Kernel behaviour the format suites do not reach: Spark's rules where the
/// old MLeap and Spark readers disagreed, and edge values. Expected values
/// follow Spark's source (cited per test), not this code.
@Suite struct FeatureKernelTests {
    func doubles(_ frame: Frame, _ name: String) throws -> [Double] {
        try #require(frame.column(name)).scalarDoubles()
    }

    func vectors(_ frame: Frame, _ name: String) throws -> [[Double]] {
        guard case .vector(let block)? = frame.column(name)?.values else { throw ConveyorError(.internal, "no vector \(name)") }
        return (0..<block.rowCount).map { Array(block.row($0)) }
    }

    /// StringIndexerModel casts a numeric input to string before the lookup:
    /// doubles as Java prints them, integers and booleans plainly.
    @Test func stringIndexerLooksUpNumbersAsSparkCastsThem() throws {
        let kernel = StringIndexer(inputs: ["d", "i", "b"], outputs: ["di", "ii", "bi"],
                                   labels: [["2.0", "0.5"], ["7", "3"], ["false", "true"]], handleInvalid: .keep)
        let frame = try Frame(columns: [
            .doubles("d", [0.5, 2, 3]),
            Column(name: "i", type: ColumnType(.long), values: .int([3, 7, 3])),
            Column(name: "b", type: ColumnType(.boolean), values: .bool([true, false, true])),
        ])
        let out = try kernel.transform(frame, stage: "s")
        #expect(try doubles(out, "di") == [1, 0, 2])
        #expect(try doubles(out, "ii") == [1, 0, 1])
        #expect(try doubles(out, "bi") == [1, 0, 1])
    }

    /// IndexToString: `index.toInt`, valid when 0 <= idx < labels; a null stays null.
    @Test func indexToStringTruncatesLikeSpark() throws {
        let kernel = IndexToString(input: "i", output: "s", labels: ["a", "b"])
        let out = try kernel.transform(
            try Frame(columns: [.doubles("i", [1.7, -0.5, 0, .nan], nulls: [false, false, false, true])]), stage: "s")
        let column = try #require(out.column("s"))
        #expect(column.optionalStrings() == ["b", "a", "a", nil])
        let error = #expect(throws: ConveyorError.self) {
            _ = try kernel.transform(try Frame(columns: [.doubles("i", [0, 2])]), stage: "st")
        }
        #expect(error?.row == 2 && error?.column == "i" && error?.stage == "st")
    }

    /// OneHotEncoderModel: valid when 0 <= label < size, slot `label.toInt`.
    @Test func oneHotTruncatesAndRefusesNegatives() throws {
        let kernel = OneHotEncoder(inputs: ["i"], outputs: ["v"],
                                   encodings: [.init(categorySize: 3, dropLast: false, keepInvalid: false)], handleInvalid: .error)
        let out = try kernel.transform(try Frame(columns: [.doubles("i", [1.9, 0.2])]), stage: "s")
        #expect(try vectors(out, "v") == [[0, 1, 0], [1, 0, 0]])
        let error = #expect(throws: ConveyorError.self) {
            _ = try kernel.transform(try Frame(columns: [.doubles("i", [1, -0.5])]), stage: "s")
        }
        #expect(error?.row == 2)
    }

    /// MinMaxScalerModel (Spark 3+): (x − min) · ((max' − min') / (max − min)) + min',
    /// a constant feature at the middle, NaN kept; a null vector stays null.
    @Test func minMaxScalerUsesSparksPrecomputedScale() throws {
        let kernel = try #require(VectorScaler(
            input: "v", output: "s", scaling: .minMax(originalMin: [0, 5], originalMax: [3, 5], low: -1, high: 1)))
        let block = VectorBlock(width: 2, storage: [0.1, 7, .nan, 5, 1, 1])
        let frame = try Frame(columns: [Column(name: "v", type: .vector(2), values: .vector(block), nulls: [false, false, true])])
        let out = try kernel.transform(frame, stage: "s")
        let rows = try vectors(out, "s")
        #expect(rows[0] == [(0.1 - 0) * (2.0 / 3.0) + -1, 0])
        #expect(rows[1][0].isNaN && rows[1][1] == 0)
        #expect(out.column("s")?.nulls == [false, false, true])
    }

    /// Bucketizer.binarySearchForBuckets uses java.util.Arrays.binarySearch,
    /// which orders −0.0 below +0.0; the last split compares with ==.
    @Test func bucketizerOrdersSignedZerosAsJava() throws {
        #expect(Bucketizer.bucket(-0.0, [-1, 0, 1]) == 0)
        #expect(Bucketizer.bucket(0.0, [-1, 0, 1]) == 1)
        #expect(Bucketizer.bucket(0.0, [-1, -0.0, 1]) == 1)
        #expect(Bucketizer.bucket(-0.0, [0, 1, 2]) == nil)
        #expect(Bucketizer.bucket(-0.0, [-1, 0]) == 0)
        #expect(Bucketizer.bucket(.infinity, [0, 1, .infinity]) == 1)
        #expect(Bucketizer.bucket(2, [0, 1, 2]) == 1)
        #expect(Bucketizer.bucket(2.5, [0, 1, 2]) == nil)
    }

    /// Under skip Spark drops rows with null or NaN in any input column
    /// before bucketing, so a bad value in a dropped row is not an error.
    @Test func bucketizerSkipDropsFirst() throws {
        let kernel = Bucketizer(inputs: ["a", "b"], outputs: ["x", "y"], splits: [[0, 1, 2], [0, 10, 20]], handleInvalid: .skip)
        let frame = try Frame(columns: [.doubles("a", [0.5, 99, 1.5]), .doubles("b", [5, .nan, 0], nulls: [false, false, true])])
        let out = try kernel.transform(frame, stage: "s")
        #expect(out.rowNumbers == [0])
        #expect(try doubles(out, "x") == [0])
        #expect(try doubles(out, "y") == [0])
    }

    /// Binarizer on vectors with a negative threshold starts from 1.0 and
    /// zeroes values <= threshold, so NaN stays 1.0; elsewhere NaN is 0.
    @Test func binarizerNaNFollowsSparksTwoVectorPaths() throws {
        let block = VectorBlock(width: 2, storage: [.nan, -2])
        let frame = try Frame(columns: [.vectors("v", block), .doubles("s", [.nan])])
        let negative = try Binarizer(inputs: ["v", "s"], outputs: ["vo", "so"], thresholds: [-1, -1]).transform(frame, stage: "s")
        #expect(try vectors(negative, "vo") == [[1, 0]])
        #expect(try doubles(negative, "so") == [0])
        let positive = try Binarizer(inputs: ["v"], outputs: ["vo"], thresholds: [0]).transform(frame, stage: "s")
        #expect(try vectors(positive, "vo") == [[0, 0]])
    }

    /// Spark's ImputerModel: null or `=== missingValue` (NaN === NaN in SQL);
    /// MLeap's runtime also replaces NaN whatever missing_value is.
    @Test func imputerMissingRules() throws {
        let frame = try Frame(columns: [.doubles("x", [23.4, .nan, 1, 0], nulls: [false, false, false, true])])
        let spark = Imputer(inputs: ["x"], outputs: ["y"], surrogates: [5], missingValue: 23.4, nanIsMissing: false)
        let sparkOut = try doubles(try spark.transform(frame, stage: "s"), "y")
        #expect(sparkOut[0] == 5 && sparkOut[1].isNaN && sparkOut[2] == 1 && sparkOut[3] == 5)
        let mleap = Imputer(inputs: ["x"], outputs: ["y"], surrogates: [5], missingValue: 23.4, nanIsMissing: true)
        #expect(try doubles(try mleap.transform(frame, stage: "s"), "y") == [5, 5, 1, 5])
    }

    /// VectorAssembler names the first bad row, then the first bad column in it.
    @Test func vectorAssemblerNamesFirstBadRow() throws {
        let frame = try Frame(columns: [.doubles("a", [1, 2, .nan]), .doubles("b", [1, .nan, 3], nulls: [false, false, false])])
        let kernel = VectorAssembler(inputs: ["a", "b"], output: "v", onNull: .error, onNaN: .error)
        let error = #expect(throws: ConveyorError.self) { _ = try kernel.transform(frame, stage: "s") }
        #expect(error?.row == 2 && error?.column == "b")
        let kept = try VectorAssembler(inputs: ["a", "b"], output: "v", onNull: .error, onNaN: .keep).transform(frame, stage: "s")
        #expect(try vectors(kept, "v")[0] == [1, 1])
        let skipped = try VectorAssembler(inputs: ["a", "b"], output: "v", onNull: .skip, onNaN: .skip).transform(frame, stage: "s")
        #expect(skipped.rowNumbers == [0])
    }
}

/// Java's Double.toString, as Spark's cast to string prints doubles (JDK docs:
/// decimal for 1e-3 <= |d| < 1e7, else computerized scientific notation).
@Suite struct SparkStringsTests {
    @Test(arguments: [
        (1.0, "1.0"), (-2.0, "-2.0"), (0.5, "0.5"), (123.456, "123.456"), (0.001, "0.001"), (1234567.0, "1234567.0"),
        (1e7, "1.0E7"), (1e10, "1.0E10"), (1.5e-5, "1.5E-5"), (1.2345e-4, "1.2345E-4"), (-0.0, "-0.0"), (0.0, "0.0"),
        (9999999.5, "9999999.5"), (1.0e21, "1.0E21"), (0.1, "0.1"), (-3.25e8, "-3.25E8"),
    ])
    func javaDoubleToString(_ value: Double, _ expected: String) {
        #expect(SparkStrings.double(value) == expected)
    }
}
