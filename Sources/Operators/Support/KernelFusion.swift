import ConveyorCore

/// Rewrites a stage's kernel list into a shorter one that computes the same
/// returned columns: StringIndexer → OneHotEncoder → VectorAssembler chains
/// become one `OneHotAssembly`, and a kernel that can (`OutputNarrowableKernel`)
/// leaves out the columns it writes that nothing reads. Format readers hand over their kernels in
/// order with the columns each reads; the stage runs the plan for plain
/// predictions and keeps the original list for tracing and for
/// `transformAll`, which returns every intermediate column.
public enum KernelFusion {
    /// A kernel and the columns it reads and writes (its format reader knows
    /// both). `readsAny`: it may read columns it does not list (a SQL
    /// `SELECT *`), so nothing before it is fused.
    public struct Step: Sendable {
        public let kernel: any Kernel
        public let reads: [String]
        public let writes: [String]
        public let readsAny: Bool

        public init(kernel: any Kernel, reads: [String], writes: [String], readsAny: Bool = false) {
            self.kernel = kernel
            self.reads = reads
            self.writes = writes
            self.readsAny = readsAny
        }
    }

    /// The plan for `steps`; `kept` are the columns the stage returns, which
    /// must still be written.
    public static func plan(_ steps: [Step], keeping kept: Set<String>) -> [any Kernel] {
        var readers: [String: [Int]] = [:]
        var writers: [String: [Int]] = [:]
        for (index, step) in steps.enumerated() {
            for name in step.reads { readers[name, default: []].append(index) }
            for name in step.writes { writers[name, default: []].append(index) }
        }
        /// Written once, by `writer`, read only by `reader`, not returned.
        func isPrivate(_ name: String, writer: Int, reader: Int) -> Bool {
            !kept.contains(name) && writers[name] == [writer] && readers[name] == [reader]
        }
        var replaced: [Int: any Kernel] = [:]
        var removed = Set<Int>()
        let opaque = steps.lastIndex { $0.readsAny } ?? -1
        for (position, step) in steps.enumerated() where position > opaque {
            guard let assembler = step.kernel as? VectorAssembler else { continue }
            var parts: [OneHotAssembly.Part] = []
            var encoders = Set<Int>(), indexers = Set<Int>()
            for (input, width) in zip(assembler.inputs, assembler.widths) {
                guard let encoderAt = writers[input]?.last, encoderAt < position,
                      isPrivate(input, writer: encoderAt, reader: position),
                      let encoder = steps[encoderAt].kernel as? OneHotEncoder,
                      let slot = encoder.outputs.firstIndex(of: input),
                      case let indexColumn = encoder.inputs[slot],
                      let indexerAt = writers[indexColumn]?.last, indexerAt < encoderAt,
                      isPrivate(indexColumn, writer: indexerAt, reader: encoderAt),
                      let indexer = steps[indexerAt].kernel as? StringIndexer,
                      let pair = indexer.outputs.firstIndex(of: indexColumn),
                      // The raw column must hold at the assembler what it held at the indexer.
                      (writers[indexer.inputs[pair]] ?? []).allSatisfy({ $0 < indexerAt || $0 > position }),
                      width == nil || width == encoder.encodings[slot].width else {
                    parts.append(.values(column: input, width: width))
                    continue
                }
                let encoding = encoder.encodings[slot]
                let slots = indexer.labels[pair].indices.map { label in
                    label < encoding.categories ? (label < encoding.width ? label : -1) : -2
                }
                parts.append(.category(.init(column: indexer.inputs[pair], lookup: indexer.lookups[pair], slots: slots,
                                             width: encoding.width)))
                encoders.insert(encoderAt)
                indexers.insert(indexerAt)
            }
            // Every output of a fused encoder or indexer must be fused here.
            let fusedColumns = Set(parts.compactMap { part -> String? in
                if case .category(let category) = part { return category.column }
                return nil
            })
            let whole = encoders.allSatisfy { at in
                (steps[at].kernel as? OneHotEncoder)?.outputs.allSatisfy { assembler.inputs.contains($0) } ?? false
            } && indexers.allSatisfy { at in
                guard let indexer = steps[at].kernel as? StringIndexer else { return false }
                return indexer.inputs.allSatisfy(fusedColumns.contains)
                    && indexer.outputs.allSatisfy { column in encoders.contains { encoderAt in
                        (steps[encoderAt].kernel as? OneHotEncoder)?.inputs.contains(column) ?? false } }
            }
            // Nothing may run between them: the original kernels run at the
            // assembler's place when the fused loop declines, and a skipped
            // row must be gone before any other kernel sees it.
            let members = indexers.union(encoders)
            guard !encoders.isEmpty, whole, members.isDisjoint(with: removed), let first = members.min(),
                  (first..<position).allSatisfy(members.contains) else {
                continue
            }
            let original = (members.sorted() + [position]).map { steps[$0].kernel }
            replaced[position] = OneHotAssembly(parts: parts, output: assembler.output, onNaN: assembler.onNaN,
                                                original: original,
                                                intermediates: members.sorted().flatMap { steps[$0].writes })
            removed.formUnion(members)
        }
        return steps.indices.compactMap { index in
            if removed.contains(index) { return nil }
            if let fused = replaced[index] { return fused }
            // Columns read later, returned, or possibly read by an opaque step after this one.
            let needed = steps[index].writes.filter { name in
                kept.contains(name) || index < opaque || (readers[name] ?? []).contains { $0 > index }
            }
            guard needed.count < steps[index].writes.count,
                  let narrowable = steps[index].kernel as? any OutputNarrowableKernel else { return steps[index].kernel }
            return narrowable.writing(only: Set(needed)) ?? steps[index].kernel
        }
    }
}
