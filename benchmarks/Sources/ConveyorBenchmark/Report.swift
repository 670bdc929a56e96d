import Foundation

/// The results: numbers, then text derived from them (no fixed conclusions).
struct Report: Codable {
    struct Config: Codable {
        var pipeline: String
        var data: String
        var distinctRows: Int
        var replicate: Int
        var rows: Int
        var batchSizes: [Int]
        var singleRowCalls: Int
        var warmUpRuns: Int
        var measuredRuns: Int
        var booster: String
        var features: Int
        var order: String
    }

    var benchmark = "car-evaluation"
    var machine: Machine
    var config: Config
    var checks: Checks
    var sparkChecks: SparkChecks
    var ratios: [Ratio]
    /// The same for the default Spark pipeline against libxgboost on its own booster.
    var sparkRatios: [Ratio]
    var sparkEngineSpeedups: [EngineSpeedup]
    /// libxgboost time over the native engine's, per batch size (a speed-up).
    var engineSpeedups: [EngineSpeedup]
    var preprocessing: [Preprocessing]
    var measurements: [Measurement]
    var interpretation: String
    /// Derived from every output (keeps the optimizer honest); not a result.
    var sink: Int

    static let ratioGoal = 1.10
    static let preprocessingGoal = 1.0

    init(options: Options, workload: Workload, checks: Checks, sparkChecks: SparkChecks, measurements: [Measurement],
         machine: Machine, sink: Int) {
        let batchSizes = Array(Set(measurements.map(\.batchSize))).sorted()
        self.machine = machine
        self.checks = checks
        self.sparkChecks = sparkChecks
        self.measurements = measurements
        self.sink = sink
        config = Config(
            pipeline: "pipelines/car-evaluation-sklearn.json",
            data: options.data,
            distinctRows: workload.distinctRows,
            replicate: options.replicate,
            rows: workload.lines.count,
            batchSizes: batchSizes,
            singleRowCalls: options.singleCalls,
            warmUpRuns: 1,
            measuredRuns: options.runs,
            booster: workload.boosterSource,
            features: workload.width,
            order: "interleaved: each run times every (variant, batch size) once, starting one item later each run")

        func find(_ variant: Variant, _ size: Int) -> Measurement? {
            measurements.first { $0.variant == variant && $0.batchSize == size }
        }
        func ratios(_ pipelineVariant: Variant, _ rawVariant: Variant) -> [Ratio] {
            batchSizes.compactMap { size in
                guard let pipeline = find(pipelineVariant, size), let raw = find(rawVariant, size) else { return nil }
                let perRun = zip(pipeline.runNanoseconds, raw.runNanoseconds).map { Double($0) / Double($1) }
                let summary = Summary(perRun)
                return Ratio(batchSize: size, pipelineMicrosecondsPerCall: pipeline.microsecondsPerCall.median,
                             rawMicrosecondsPerCall: raw.microsecondsPerCall.median, pipelineOverRaw: summary,
                             fastestOverFastest: pipeline.microsecondsPerCall.min / raw.microsecondsPerCall.min,
                             goal: Self.ratioGoal, met: summary.median <= Self.ratioGoal)
            }
        }
        func speedups(_ engineVariant: Variant, _ rawVariant: Variant) -> [EngineSpeedup] {
            batchSizes.compactMap { size in
                guard let engine = find(engineVariant, size), let raw = find(rawVariant, size) else { return nil }
                let perRun = zip(raw.runNanoseconds, engine.runNanoseconds).map { Double($0) / Double($1) }
                return EngineSpeedup(batchSize: size, engineMicrosecondsPerCall: engine.microsecondsPerCall.median,
                                     engineMicrosecondsPerRow: engine.microsecondsPerRow.median,
                                     rawMicrosecondsPerCall: raw.microsecondsPerCall.median, rawOverEngine: Summary(perRun))
            }
        }
        self.ratios = ratios(.pipeline, .raw)
        engineSpeedups = speedups(.engine, .raw)
        sparkRatios = ratios(.sparkPipeline, .sparkRaw)
        sparkEngineSpeedups = speedups(.sparkEngine, .sparkRaw)
        preprocessing = batchSizes.compactMap { size in
            guard let pre = find(.preprocess, size) else { return nil }
            return Preprocessing(batchSize: size, microsecondsPerRow: pre.microsecondsPerRow,
                                 decodeMicrosecondsPerRow: find(.decode, size)?.microsecondsPerRow.median,
                                 featuresMicrosecondsPerRow: find(.features, size)?.microsecondsPerRow.median,
                                 encodeMicrosecondsPerRow: find(.encode, size)?.microsecondsPerRow.median,
                                 goal: Self.preprocessingGoal, met: pre.microsecondsPerRow.median <= Self.preprocessingGoal)
        }
        interpretation = ""
        interpretation = interpret()
    }

    func find(_ variant: Variant, _ size: Int) -> Measurement? {
        measurements.first { $0.variant == variant && $0.batchSize == size }
    }

    // MARK: Text from numbers

    func interpret() -> String {
        var sentences: [String] = []
        for ratio in ratios {
            let size = ratio.batchSize
            let what = size == 1 ? "batch size 1 (one row per call, as in real-time serving)" : "batch size \(size)"
            let extra = ratio.pipelineMicrosecondsPerCall - ratio.rawMicrosecondsPerCall
            var sentence = "At \(what) the full pipeline took \(us(ratio.pipelineMicrosecondsPerCall)) per call "
                + "against \(us(ratio.rawMicrosecondsPerCall)) for raw libxgboost on the same rows, a ratio of "
                + "\(x(ratio.pipelineOverRaw.median)) (per-run \(x(ratio.pipelineOverRaw.min))–\(x(ratio.pipelineOverRaw.max)), "
                + "fastest run against fastest run \(x(ratio.fastestOverFastest))); "
            if ratio.met {
                sentence += "the goal of at most \(x(ratio.goal)) is met."
            } else {
                sentence += "the goal of at most \(x(ratio.goal)) is missed: the pipeline adds \(us(extra)) per call "
                    + "(\(pct(extra / ratio.rawMicrosecondsPerCall)) on top of libxgboost)."
            }
            sentences.append(sentence)
            if let parts = breakdown(size), let pipeline = find(.pipeline, size)?.microsecondsPerCall.median {
                let ranked = parts.filter { $0.name != "libxgboost" && $0.name != "tree engine" }.sorted { $0.micros > $1.micros }
                let total = parts.reduce(0) { $0 + $1.micros }
                let listed = ranked.prefix(3).map { "\($0.name) \(us($0.micros)) (\(pct($0.micros / pipeline)))" }
                sentences.append("Outside the predictor, the largest parts at batch size \(size), measured alone, are "
                    + listed.joined(separator: ", ") + " of the pipeline's time; all parts, the predictor included, add up to "
                    + "\(us(total)) against \(us(pipeline)) measured end to end.")
            }
        }
        let pre = preprocessing.map { "\(us($0.microsecondsPerRow.median)) per row at batch size \($0.batchSize)" }
        if !pre.isEmpty {
            let met = preprocessing.filter(\.met).map { String($0.batchSize) }
            let missed = preprocessing.filter { !$0.met }.map { String($0.batchSize) }
            var sentence = "Preprocessing (CSV decode + the MLeap features stage) cost " + pre.joined(separator: " and ")
            if missed.isEmpty {
                sentence += "; the goal of at most \(us(Self.preprocessingGoal)) per row is met at every batch size."
            } else if met.isEmpty {
                sentence += "; the goal of at most \(us(Self.preprocessingGoal)) per row is missed at every batch size."
            } else {
                sentence += "; the goal of at most \(us(Self.preprocessingGoal)) per row is met at batch size "
                    + met.joined(separator: ", ") + " and missed at " + missed.joined(separator: ", ") + "."
            }
            sentences.append(sentence)
        }
        if let widest = measurements.max(by: { $0.microsecondsPerCall.interquartileSpread < $1.microsecondsPerCall.interquartileSpread }),
           let wildest = measurements.max(by: { $0.microsecondsPerCall.spread < $1.microsecondsPerCall.spread }) {
            let iqr = widest.microsecondsPerCall.interquartileSpread
            var sentence = "Noise: the interquartile range of the runs was at most \(pct(iqr)) of the median "
                + "(\(widest.variant.rawValue) at batch size \(widest.batchSize)), while single runs strayed up to "
                + "\(pct(wildest.microsecondsPerCall.spread)) (\(wildest.variant.rawValue) at batch size \(wildest.batchSize)); "
                + "the load average was \(machine.loadAverageBefore) before and \(machine.loadAverageAfter) after, on \(machine.nproc) CPUs"
            let load = max(Machine.oneMinute(machine.loadAverageBefore) ?? 0, Machine.oneMinute(machine.loadAverageAfter) ?? 0)
            if load >= Double(machine.nproc) {
                sentence += ", so other work competed for the CPUs"
            }
            // The box-plot notch (McGill et al.): a rough 95 % interval for a median.
            let notch = 1.57 * iqr / Double(max(widest.runNanoseconds.count, 1)).squareRoot()
            sentence += ". The medians are steadier than single runs: by the box-plot notch (±1.57 × IQR / √runs) "
                + "the noisiest median is known to about ±\(pct(notch)); treat differences between medians smaller than that as noise."
            sentences.append(sentence)
        }
        return sentences.joined(separator: " ")
    }

    /// The pipeline's parts measured alone (medians, µs per call).
    func breakdown(_ size: Int) -> [(name: String, micros: Double)]? {
        guard let decode = find(.decode, size), let features = find(.features, size),
              let stage = find(.xgboostStage, size), let raw = find(.raw, size),
              let labels = find(.labels, size), let encode = find(.encode, size)
        else { return nil }
        // The stage predicts with the engine when it was measured.
        let engine = find(.engine, size)
        let predictor = engine.map { ("tree engine", $0.microsecondsPerCall.median) }
            ?? ("libxgboost", raw.microsecondsPerCall.median)
        return [
            ("CSV decode", decode.microsecondsPerCall.median),
            ("features stage", features.microsecondsPerCall.median),
            predictor,
            ("XGBoost stage minus \(predictor.0)", stage.microsecondsPerCall.median - predictor.1),
            ("labels stage", labels.microsecondsPerCall.median),
            ("CSV encode", encode.microsecondsPerCall.median),
        ]
    }

    // MARK: Markdown

    func markdown() -> String {
        var lines: [String] = []
        lines.append("# Benchmark: car-evaluation")
        lines.append("")
        lines.append("Written by `benchmarks/run.sh` (`ConveyorBenchmark`) on \(machine.date); do not edit by hand. "
            + "See `benchmarks/README.md` for what is measured and how to read it. Times are wall-clock medians over "
            + "\(config.measuredRuns) interleaved runs after \(config.warmUpRuns) warm-up run; min–max in brackets.")
        lines.append("")
        lines.append("## Headline")
        lines.append("")
        lines.append("| batch size | pipeline µs/call | raw libxgboost µs/call | pipeline / raw: median of per-run ratios (min–max) | fastest / fastest | goal ≤ \(x(Self.ratioGoal)) |")
        lines.append("| ---: | ---: | ---: | ---: | ---: | :---: |")
        for ratio in ratios {
            lines.append("| \(ratio.batchSize) | \(n(ratio.pipelineMicrosecondsPerCall)) | \(n(ratio.rawMicrosecondsPerCall)) | "
                + "**\(x(ratio.pipelineOverRaw.median))** (\(x(ratio.pipelineOverRaw.min))–\(x(ratio.pipelineOverRaw.max))) | "
                + "\(x(ratio.fastestOverFastest)) | \(ratio.met ? "met" : "missed") |")
        }
        lines.append("")
        lines.append("| batch size | native engine µs/call | engine µs/row | raw libxgboost µs/call | libxgboost / engine: median of per-run ratios (min–max) |")
        lines.append("| ---: | ---: | ---: | ---: | ---: |")
        for speedup in engineSpeedups {
            lines.append("| \(speedup.batchSize) | \(n(speedup.engineMicrosecondsPerCall)) | \(n(speedup.engineMicrosecondsPerRow)) | "
                + "\(n(speedup.rawMicrosecondsPerCall)) | **\(x(speedup.rawOverEngine.median))** "
                + "(\(x(speedup.rawOverEngine.min))–\(x(speedup.rawOverEngine.max))) |")
        }
        lines.append("")
        lines.append("| batch size | preprocessing µs/row (decode + features) | decode alone µs/row | features alone µs/row | encode alone µs/row | goal ≤ \(n(Self.preprocessingGoal)) µs/row |")
        lines.append("| ---: | ---: | ---: | ---: | ---: | :---: |")
        for pre in preprocessing {
            lines.append("| \(pre.batchSize) | **\(n(pre.microsecondsPerRow.median))** (\(n(pre.microsecondsPerRow.min))–\(n(pre.microsecondsPerRow.max))) | "
                + "\(pre.decodeMicrosecondsPerRow.map(n) ?? "–") | \(pre.featuresMicrosecondsPerRow.map(n) ?? "–") | "
                + "\(pre.encodeMicrosecondsPerRow.map(n) ?? "–") | \(pre.met ? "met" : "missed") |")
        }
        if !sparkRatios.isEmpty || !sparkEngineSpeedups.isEmpty {
            lines.append("")
            lines.append("### The default Spark pipeline")
            lines.append("")
            lines.append("`pipelines/car-evaluation.json`, the Spark PipelineModel as one `sparkml` stage, on the same request bodies; "
                + "raw is libxgboost on the Spark model's own booster and assembled features (checks: "
                + "\(sparkChecks.pysparkRows) rows against PySpark's transform, \(sparkChecks.pysparkCheck); \(sparkChecks.rawCheck); "
                + "\(sparkChecks.engineCheck)).")
            lines.append("")
            lines.append("| batch size | Spark pipeline µs/call | raw libxgboost µs/call | pipeline / raw: median of per-run ratios (min–max) | engine µs/call | libxgboost / engine (min–max) |")
            lines.append("| ---: | ---: | ---: | ---: | ---: | ---: |")
            for size in config.batchSizes {
                let ratio = sparkRatios.first { $0.batchSize == size }
                let speedup = sparkEngineSpeedups.first { $0.batchSize == size }
                let ratioText = ratio.map { "**\(x($0.pipelineOverRaw.median))** (\(x($0.pipelineOverRaw.min))–\(x($0.pipelineOverRaw.max)))" }
                let speedupText = speedup.map { "**\(x($0.rawOverEngine.median))** (\(x($0.rawOverEngine.min))–\(x($0.rawOverEngine.max)))" }
                lines.append("| \(size) | \(ratio.map { n($0.pipelineMicrosecondsPerCall) } ?? "–") | "
                    + "\((ratio?.rawMicrosecondsPerCall ?? speedup?.rawMicrosecondsPerCall).map(n) ?? "–") | \(ratioText ?? "–") | "
                    + "\(speedup.map { n($0.engineMicrosecondsPerCall) } ?? "–") | \(speedupText ?? "–") |")
            }
        }
        lines.append("")
        lines.append("## Interpretation")
        lines.append("")
        lines.append(interpretation)
        lines.append("")
        lines.append("## All measurements")
        lines.append("")
        lines.append("| variant | batch size | calls × rows per run | µs/call median (min–max) | µs/row median (min–max) | IQR / median | (max − min) / median |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for m in measurements.sorted(by: { ($0.batchSize, order($0.variant)) < ($1.batchSize, order($1.variant)) }) {
            let call = m.microsecondsPerCall, row = m.microsecondsPerRow
            lines.append("| \(m.variant.rawValue) | \(m.batchSize) | \(m.callsPerRun) × \(m.batchSize) | "
                + "\(n(call.median)) (\(n(call.min))–\(n(call.max))) | \(n(row.median)) (\(n(row.min))–\(n(row.max))) | \(pct(call.interquartileSpread)) | \(pct(call.spread)) |")
        }
        lines.append("")
        lines.append("Variants:")
        lines.append("")
        for variant in Variant.allCases where measurements.contains(where: { $0.variant == variant }) {
            lines.append("- `\(variant.rawValue)`: \(variant.summary)")
        }
        let sizes = config.batchSizes.filter { breakdown($0) != nil }
        if !sizes.isEmpty {
            lines.append("")
            lines.append("## Where the pipeline's time goes")
            lines.append("")
            lines.append("Each part timed alone (median µs per call; share of the end-to-end `pipeline` median). "
                + "Parts timed alone run with warmer caches than inside the pipeline, so the sum can differ from the end-to-end time; \"XGBoost stage minus libxgboost\" is the difference of two medians and can come out slightly negative within noise.")
            lines.append("")
            lines.append("| part | " + sizes.map { "batch \($0)" }.joined(separator: " | ") + " |")
            lines.append("| --- |" + sizes.map { _ in " ---: |" }.joined())
            let tables = sizes.map { breakdown($0)! }
            let totals = sizes.map { find(.pipeline, $0)!.microsecondsPerCall.median }
            for (index, part) in tables[0].enumerated() {
                lines.append("| \(part.name) | " + sizes.indices.map { column in
                    let micros = tables[column][index].micros
                    return "\(n(micros)) (\(pct(micros / totals[column])))"
                }.joined(separator: " | ") + " |")
            }
            lines.append("| **sum of parts** | " + sizes.indices.map { column in
                n(tables[column].reduce(0) { $0 + $1.micros })
            }.joined(separator: " | ") + " |")
            lines.append("| **pipeline end to end** | " + totals.map(n).joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append("## Setup")
        lines.append("")
        lines.append("| | |")
        lines.append("| --- | --- |")
        lines.append("| date (UTC) | \(machine.date) |")
        lines.append("| CPU | \(machine.cpuModel) |")
        lines.append("| nproc | \(machine.nproc) |")
        lines.append("| load average before / after | \(machine.loadAverageBefore) / \(machine.loadAverageAfter) |")
        lines.append("| kernel | \(machine.kernel) |")
        lines.append("| git commit | \(machine.gitCommit) (\(machine.gitState)) |")
        lines.append("| Swift | \(machine.swiftVersion) |")
        lines.append("| libxgboost | \(machine.libxgboostVersion) |")
        lines.append("| build | \(machine.build) |")
        lines.append("| pipeline | `\(config.pipeline)` |")
        lines.append("| data | `\(config.data)` (header and `class` column dropped): \(config.distinctRows) rows × \(config.replicate) = \(config.rows) rows |")
        let large = config.batchSizes.filter { $0 > 1 }.map(String.init).joined(separator: ", ")
        var batches: [String] = []
        if config.batchSizes.contains(1) { batches.append("size 1: \(config.singleRowCalls) single-row calls per run") }
        if !large.isEmpty { batches.append("size \(large): consecutive chunks of the \(config.rows) rows") }
        lines.append("| batches | \(batches.joined(separator: "; ")) |")
        lines.append("| booster | \(config.booster); \(config.features) features |")
        lines.append("| runs | \(config.warmUpRuns) warm-up + \(config.measuredRuns) measured; \(config.order) |")
        lines.append("| checks | \(checks.rowsChecked) rows: \(checks.classMismatches) class mismatches vs `expected.csv`, "
            + "max probability error \(checks.maxProbabilityErrorVsExpected), raw vs pipeline max difference \(checks.maxRawVsPipelineDifference) |")
        lines.append("")
        return lines.joined(separator: "\n")
    }

    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    private func order(_ variant: Variant) -> Int { Variant.allCases.firstIndex(of: variant)! }
}

// MARK: Number formatting

/// Three significant digits or so, no exponent.
func n(_ value: Double) -> String {
    let magnitude = abs(value)
    let format = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f"
    return String(format: format, value)
}

func us(_ value: Double) -> String { "\(n(value)) µs" }

func x(_ value: Double) -> String { String(format: "%.2f×", value) }

func pct(_ value: Double) -> String { String(format: "%.0f %%", value * 100) }
