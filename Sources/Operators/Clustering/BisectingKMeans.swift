import ConveyorCore

/// Spark's BisectingKMeansModel: from the root of the cluster tree, step to
/// the child whose center is closest (the first on ties) until a leaf; the
/// leaf's index is the cluster (an int column). Distances as KMeans's; a
/// vector holding NaN, a zero vector under cosine and a null vector are
/// refused as KMeans refuses them.
public struct BisectingKMeans: Kernel {
    public struct Node: Sendable {
        public let center: [Double]
        /// Positions of the children in `nodes`; empty for a leaf.
        public let children: [Int]
        /// The cluster index of a leaf.
        public let cluster: Int

        public init(center: [Double], children: [Int], cluster: Int) {
            self.center = center
            self.children = children
            self.cluster = cluster
        }
    }

    public let features: String
    public let prediction: String
    public let distance: KMeans.Distance
    public let nodes: [Node]
    public let root: Int
    public let numFeatures: Int
    let norms: [Double]

    /// Nil unless the nodes form a tree from `root` (every child in range,
    /// no node reached twice) whose centers share one width.
    public init?(features: String, prediction: String, distance: KMeans.Distance, nodes: [Node], root: Int) {
        guard nodes.indices.contains(root), let width = nodes.first?.center.count, width > 0,
              nodes.allSatisfy({ $0.center.count == width }) else { return nil }
        var seen = Set<Int>()
        var stack = [root]
        while let node = stack.popLast() {
            guard seen.insert(node).inserted else { return nil }
            for child in nodes[node].children {
                guard nodes.indices.contains(child) else { return nil }
                stack.append(child)
            }
        }
        self.features = features
        self.prediction = prediction
        self.distance = distance
        self.nodes = nodes
        self.root = root
        numFeatures = width
        norms = nodes.map { $0.center.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    }

    func distance(_ x: ArraySlice<Double>, norm: Double, to node: Int) -> Double {
        let center = nodes[node].center
        let base = x.startIndex
        switch distance {
        case .euclidean:
            var sum = 0.0
            for i in 0..<numFeatures {
                let d = x[base + i] - center[i]
                sum += d * d
            }
            return sum.squareRoot()
        case .cosine:
            var dot = 0.0
            for i in 0..<numFeatures { dot += x[base + i] * center[i] }
            return 1 - dot / norm / norms[node]
        }
    }

    public func cluster(_ x: ArraySlice<Double>) -> Int {
        var norm = 0.0
        for value in x { norm += value * value }
        norm = norm.squareRoot()
        var node = root
        // The tree was checked acyclic, so this walks at most nodes.count steps.
        while let first = nodes[node].children.first {
            var best = first
            var bestDistance = distance(x, norm: norm, to: first)
            for child in nodes[node].children.dropFirst() {
                let d = distance(x, norm: norm, to: child)
                if d < bestDistance {
                    best = child
                    bestDistance = d
                }
            }
            node = best
        }
        return nodes[node].cluster
    }
}
