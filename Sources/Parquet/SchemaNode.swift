import ConveyorCore

/// The footer's flattened schema rebuilt as a tree, with the definition and
/// repetition levels each leaf column needs for record assembly.
public final class SchemaNode: Sendable {
    public let name: String
    let element: SchemaElement
    public let children: [SchemaNode]

    static let maxDepth = 32

    init(element: SchemaElement, children: [SchemaNode]) {
        self.name = element.name
        self.element = element
        self.children = children
    }

    var repetition: Repetition { element.repetition }
    var isLeaf: Bool { children.isEmpty && element.type != nil }

    /// Builds the tree from the depth-first list; counts and depth are checked.
    static func tree(_ elements: [SchemaElement], cursor: ByteCursor) throws -> SchemaNode {
        var index = 0
        let root = try build(elements, &index, depth: 0, cursor: cursor)
        guard index == elements.count else {
            throw cursor.failure("the schema lists \(elements.count) elements but its tree holds \(index)")
        }
        return root
    }

    private static func build(_ elements: [SchemaElement], _ index: inout Int, depth: Int,
                              cursor: ByteCursor) throws -> SchemaNode {
        guard depth <= maxDepth else { throw cursor.failure("the schema is nested deeper than \(maxDepth)") }
        guard index < elements.count else { throw cursor.failure("the schema ends inside a group") }
        let element = elements[index]
        index += 1
        guard element.numChildren <= elements.count - index else {
            throw cursor.failure("schema group '\(element.name)' claims \(element.numChildren) children")
        }
        var children: [SchemaNode] = []
        for _ in 0..<element.numChildren {
            children.append(try build(elements, &index, depth: depth + 1, cursor: cursor))
        }
        guard !children.isEmpty || element.type != nil || depth == 0 else {
            throw cursor.failure("schema field '\(element.name)' has neither a type nor children")
        }
        return SchemaNode(element: element, children: children)
    }

    /// Root-to-leaf node lists, one per leaf, in column order.
    func leafPaths() -> [[SchemaNode]] {
        var out: [[SchemaNode]] = []
        func walk(_ node: SchemaNode, _ path: [SchemaNode]) {
            if node.children.isEmpty {
                out.append(path + [node])
            } else {
                for child in node.children { walk(child, path + [node]) }
            }
        }
        for child in children { walk(child, []) }
        return out
    }

    /// A Spark-like type description, for messages and `inspect`.
    public var typeDescription: String {
        if element.isList, children.count == 1 {
            let repeated = children[0]
            let item = repeated.children.count == 1 ? repeated.children[0] : repeated
            return "array<\(item.typeDescription)>"
        }
        if !children.isEmpty {
            return "struct<" + children.map { "\($0.name): \($0.typeDescription)" }.joined(separator: ", ") + ">"
        }
        switch element.type {
        case .boolean: return "boolean"
        case .int32: return "int"
        case .int64: return "bigint"
        case .int96: return "int96"
        case .float: return "float"
        case .double: return "double"
        case .byteArray: return element.isString ? "string" : "binary"
        case .fixedLenByteArray: return "fixed_len_byte_array(\(element.typeLength ?? 0))"
        case nil: return "group"
        }
    }
}

/// A leaf column with its levels: `definition[k]` is the definition level
/// at which path node k is present, `repetition[k]` the repetition level of
/// node k's repeated ancestor chain.
struct LeafColumn {
    let path: [SchemaNode]
    let definition: [Int]
    let repetition: [Int]

    init(path: [SchemaNode]) {
        self.path = path
        var d = 0, r = 0
        var defs: [Int] = [], reps: [Int] = []
        for node in path {
            if node.repetition != .required { d += 1 }
            if node.repetition == .repeated { r += 1 }
            defs.append(d)
            reps.append(r)
        }
        definition = defs
        repetition = reps
    }

    var maxDefinition: Int { definition.last ?? 0 }
    var maxRepetition: Int { repetition.last ?? 0 }
    var dottedPath: String { path.map(\.name).joined(separator: ".") }
    var leaf: SchemaNode { path[path.count - 1] }
}
