import Foundation
import LightGBM

// Times LightGBMModel.predictions (the tree engine) on one thread:
//   LightGBMBenchmark <model.txt> <inputs.f64> <rows> <expected.f64> <seconds per batch size>
// inputs.f64 / expected.f64: little-endian float64, row-major (written by benchmarks/lightgbm/run.py).
// Checks every prediction against LightGBM's first, then prints one JSON line per batch size.

func doubles(_ path: String) throws -> [Double] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
}

let arguments = CommandLine.arguments
guard arguments.count == 6, let rows = Int(arguments[3]), let seconds = Double(arguments[5]) else {
    FileHandle.standardError.write(Data("usage: LightGBMBenchmark model.txt inputs.f64 rows expected.f64 seconds\n".utf8))
    exit(2)
}
let model = try LightGBMModel(contentsOf: URL(fileURLWithPath: arguments[1]))
let inputs = try doubles(arguments[2])
let expected = try doubles(arguments[4])
let width = model.numFeature
let all = try model.predictions(inputs, rows: rows)
let mismatches = zip(all, expected).filter { $0.bitPattern != $1.bitPattern && !($0.isNaN && $1.isNaN) }.count
guard all.count == expected.count, mismatches == 0 else {
    print("{\"error\": \"\(mismatches) of \(expected.count) predictions differ from LightGBM's\"}")
    exit(1)
}

for batch in [1, 1_000] {
    var out = [Double](repeating: 0, count: batch * model.outputs)
    var calls = 0
    var checksum = 0.0
    let start = DispatchTime.now().uptimeNanoseconds
    var elapsed = 0.0
    inputs.withUnsafeBufferPointer { input in
        out.withUnsafeMutableBufferPointer { output in
            while elapsed < seconds {
                for _ in 0..<max(1, 1_000 / batch) {
                    let first = (calls * batch) % (rows - batch + 1)
                    let slice = UnsafeBufferPointer(rebasing: input[(first * width)..<((first + batch) * width)])
                    try? model.predictions(slice, rows: batch, into: output)
                    checksum += output[0]
                    calls += 1
                }
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }
        }
    }
    let perRow = elapsed / Double(calls * batch) * 1e6
    print("{\"engine\": \"conveyor\", \"batch\": \(batch), \"calls\": \(calls), \"us_per_call\": \(elapsed / Double(calls) * 1e6), "
        + "\"us_per_row\": \(perRow), \"checksum\": \(checksum)}")
}
