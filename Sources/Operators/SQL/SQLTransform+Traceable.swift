import ConveyorCore

extension SQLTransform: Traceable {
    public func apply(to frame: inout Frame, stage: String) throws {
        frame = try transform(frame, stage: stage)
    }

    /// Each computed column comes from the columns its expression reads, as
    /// one group when there are several (`a + b` is attributed to `a+b`); a
    /// column selected as it is (also under an alias) keeps its slots. The
    /// columns `*` passes through keep their lineage.
    public func trace(_ lineage: inout Lineage, output frame: Frame) throws {
        let before = lineage
        let names = frame.columnNames
        func resolved(_ name: String) -> String {
            names.first { $0 == name } ?? names.first { $0.lowercased() == name.lowercased() } ?? name
        }
        for item in syntax.items {
            guard case .expression(let expression, let alias, _) = item else { continue }
            if case .column(let source, _) = expression {
                let output = resolved(alias ?? source)
                let width = Lineage.width(of: try frame.require(output))
                lineage.derive(output, slots: before.origins(of: resolved(source), width: width))
                continue
            }
            guard let alias else { continue }
            var sources: Set<String> = []
            var pending = [expression]
            while let node = pending.popLast() {
                if case .column(let name, _) = node { sources.formUnion(before.origins(of: resolved(name))) }
                pending += node.children
            }
            lineage.derive(resolved(alias), from: sources)
        }
    }
}
