import Foundation

/// Command-line options. Every option has a default so that
/// `benchmarks/run.sh` needs none.
struct Options {
    /// The repository root (pipelines/ and models/ live here).
    var repo = FileManager.default.currentDirectoryPath
    /// car.csv; relative paths resolve against `repo`.
    var data = "../shared/datasets/car-evaluation/car.csv"
    /// Where car-evaluation.{md,json} are written; relative to `repo`.
    var out = "benchmarks/results"
    /// Measured runs after the warm-up run.
    var runs = 21
    /// Copies of the 1,728 rows.
    var replicate = 10
    /// Single-row calls per run for batch size 1.
    var singleCalls = 2_000
    /// Rows per call; 1 means `singleCalls` single-row calls, larger sizes
    /// cut the replicated rows into consecutive chunks.
    var batchSizes = [1, 1_728]
    /// Only these variants (for profiling); nil: all.
    var only: Set<String>?
    /// Skip writing results (for profiling).
    var write = true

    static let usage = """
        usage: ConveyorBenchmark [--repo DIR] [--data FILE] [--out DIR] [--runs N] [--replicate N]
                                 [--single-calls N] [--batch-sizes N[,N…]] [--only VARIANT[,VARIANT…]] [--no-write]
        variants: \(Variant.allCases.map(\.rawValue).joined(separator: ", "))
        """

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let value = iterator.next() else { throw BenchmarkError("\(flag) needs a value\n\(usage)") }
            return value
        }
        func number(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else { throw BenchmarkError("\(flag): '\(text)' is not a positive integer") }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--repo": options.repo = try value(argument)
            case "--data": options.data = try value(argument)
            case "--out": options.out = try value(argument)
            case "--runs": options.runs = try number(argument)
            case "--replicate": options.replicate = try number(argument)
            case "--single-calls": options.singleCalls = try number(argument)
            case "--batch-sizes":
                let text = try value(argument)
                let sizes = text.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
                guard !sizes.isEmpty, sizes.count == text.split(separator: ",").count else {
                    throw BenchmarkError("--batch-sizes: '\(text)' is not a list of positive integers")
                }
                options.batchSizes = Array(Set(sizes)).sorted()
            case "--only":
                let names = try value(argument).split(separator: ",").map(String.init)
                for name in names where Variant(rawValue: name) == nil {
                    throw BenchmarkError("unknown variant '\(name)'\n\(usage)")
                }
                options.only = Set(names)
            case "--no-write": options.write = false
            case "-h", "--help":
                print(usage)
                exit(0)
            default: throw BenchmarkError("unknown argument '\(argument)'\n\(usage)")
            }
        }
        return options
    }

    func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path).standardizedFileURL
            : URL(fileURLWithPath: repo).appendingPathComponent(path).standardizedFileURL
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
