import Foundation

// Car Evaluation benchmark: the full pipeline vs raw libxgboost, and the
// cost of preprocessing. See benchmarks/README.md.

func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

func main() async throws {
    let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
    let loadBefore = Machine.loadAverage()

    log("loading pipeline and data…")
    let workload = try await Workload(options: options)
    let checks = try await Checks(workload: workload, options: options)
    log("checks: \(checks.rowsChecked) rows, \(checks.classMismatches) class mismatches, "
        + "max |p − expected| \(checks.maxProbabilityErrorVsExpected), max |raw − pipeline| \(checks.maxRawVsPipelineDifference), "
        + "engine vs libxgboost: \(checks.engineMatchesRaw ? "bit-identical" : checks.engineCheck), "
        + "explanations: \(checks.explanationsAddUp ? "add up to the margins" : checks.explanationCheck)")
    guard checks.passed else {
        throw BenchmarkError("the correctness checks failed; not timing wrong answers: \(checks.probabilityCheck); \(checks.rawCheck); \(checks.engineCheck); \(checks.explanationCheck)")
    }
    let sparkChecks = try await SparkChecks(spark: workload.spark, lines: workload.lines, distinctRows: workload.distinctRows,
                                            options: options)
    log("Spark checks: \(sparkChecks.pysparkRows) PySpark rows: \(sparkChecks.pysparkCheck); \(sparkChecks.rawCheck); \(sparkChecks.engineCheck)")
    guard sparkChecks.passed else {
        throw BenchmarkError("the Spark pipeline's checks failed; not timing wrong answers: \(sparkChecks.pysparkCheck); "
            + "\(sparkChecks.rawCheck); \(sparkChecks.engineCheck)")
    }

    let batchSizes = options.batchSizes
    for size in batchSizes {
        try await workload.prepare(batchSize: size, singleCalls: options.singleCalls)
    }
    let variants = Variant.allCases.filter { options.only?.contains($0.rawValue) ?? true }
    // Interleaved: every run times every item once, so slow phases of a
    // shared machine hit all variants alike. The starting item rotates
    // from run to run so that no variant always follows the same one.
    let items = batchSizes.flatMap { size in variants.map { (variant: $0, size: size) } }
    var times = [[UInt64]](repeating: [], count: items.count)
    var sink = 0
    for run in 0...options.runs {
        let warmUp = run == 0
        let started = nanoseconds()
        for offset in 0..<items.count {
            let index = (offset + run) % items.count
            let item = items[index]
            let start = nanoseconds()
            sink &+= try await workload.run(item.variant, batchSize: item.size)
            let elapsed = nanoseconds() - start
            if !warmUp { times[index].append(elapsed) }
        }
        log("\(warmUp ? "warm-up" : "run \(run)/\(options.runs)"): \(String(format: "%.2f", Double(nanoseconds() - started) / 1e9)) s")
    }

    let measurements = items.indices.map { index in
        Measurement(variant: items[index].variant, batchSize: items[index].size,
                    calls: workload.calls(batchSize: items[index].size), runs: times[index])
    }
    let report = Report(options: options, workload: workload, checks: checks, sparkChecks: sparkChecks, measurements: measurements,
                        machine: Machine.collect(loadBefore: loadBefore, loadAfter: Machine.loadAverage()),
                        sink: sink)
    print(report.markdown())
    if options.write {
        let directory = options.resolve(options.out)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(report.markdown().utf8).write(to: directory.appendingPathComponent("car-evaluation.md"), options: .atomic)
        try report.json().write(to: directory.appendingPathComponent("car-evaluation.json"), options: .atomic)
        log("wrote \(directory.path)/car-evaluation.{md,json}")
    }
}

do {
    try await main()
} catch {
    log("ConveyorBenchmark: \(error)")
    exit(1)
}
