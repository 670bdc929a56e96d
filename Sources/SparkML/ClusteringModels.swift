import ConveyorCore
import Operators
import Parquet

/// A Spark clustering model read into a kernel: KMeansModel (the cluster
/// index, an int column, as Spark's), and the others added below it.
struct ClusteringModel: SparkTransformer {
    let metadata: SparkMetadata
    let features: String
    let numFeatures: Int
    let specs: [ColumnSpec]
    let kernel: any Kernel
    let facts: [Fact]

    var inputs: [ColumnSpec] { [ColumnSpec(features, .vector(numFeatures))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { specs }

    var dataFacts: [Fact] { facts }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }
}

extension ClusteringModel {
    /// `KMeansModel`: rows of (clusterIdx, clusterCenter), `distanceMeasure`.
    static func kMeans(_ dir: SparkStageDirectory) throws -> ClusteringModel {
        let metadata = dir.metadata
        let rows = try dir.parquetRows()
        var centers: [(index: Int64, center: [Double])] = []
        for row in rows {
            guard let index = row["clusterIdx"]?.int else {
                throw metadata.failure("data lacks clusterIdx (Spark 1.x layout is not supported)")
            }
            centers.append((index, try SparkVector(row["clusterCenter"], what: dir.what("clusterCenter")).dense))
        }
        centers.sort { $0.index < $1.index }
        guard centers.map(\.index) == (0..<Int64(centers.count)).map({ $0 }) else {
            throw metadata.failure("cluster indices are not 0..<\(centers.count)")
        }
        let measure = metadata.string("distanceMeasure") ?? "euclidean"
        guard let distance = KMeans.Distance(rawValue: measure) else {
            throw metadata.unsupported("distanceMeasure", "'\(measure)' is not euclidean or cosine")
        }
        let features = try metadata.require(metadata.string("featuresCol"), "featuresCol")
        let prediction = try metadata.require(metadata.string("predictionCol"), "predictionCol")
        guard let kernel = KMeans(features: features, prediction: prediction, distance: distance,
                                  centers: centers.map(\.center)) else {
            throw metadata.failure("no cluster centers, or centers of different sizes")
        }
        return ClusteringModel(metadata: metadata, features: features, numFeatures: kernel.numFeatures,
                               specs: [ColumnSpec(prediction, ColumnType(.int))], kernel: kernel,
                               facts: [Fact("clusters", "\(kernel.k)"), Fact("distance", measure)])
    }
}

extension ClusteringModel {
    /// `GaussianMixtureModel`: `weights`, `mus`, `sigmas`; `probabilityCol`.
    static func gaussianMixture(_ dir: SparkStageDirectory) throws -> ClusteringModel {
        let metadata = dir.metadata
        let row = try dir.singleRow()
        let weights = try (row["weights"]?.list ?? []).map { try metadata.require($0.double, "weights") }
        let means = try (row["mus"]?.list ?? []).map { try SparkVector($0, what: dir.what("mus")).dense }
        let covariances = try (row["sigmas"]?.list ?? []).map { value -> [Double] in
            let matrix = try SparkMatrix(value, what: dir.what("sigmas"))
            guard matrix.rows == matrix.columns, matrix.rows <= GaussianMixture.maxFeatures else {
                throw metadata.unsupported("sigmas", "a \(matrix.rows)x\(matrix.columns) covariance; at most "
                    + "\(GaussianMixture.maxFeatures) features are supported")
            }
            return matrix.values
        }
        // A NaN or infinite parameter would not fail later: the eigenvalue cut-off (`value > tol`) skips NaN.
        for (part, values) in [("weights", weights), ("mus", means.flatMap { $0 }), ("sigmas", covariances.flatMap { $0 })]
            where !values.allSatisfy(\.isFinite) {
            throw metadata.failure("\(part) holds NaN or an infinity")
        }
        let features = try metadata.require(metadata.string("featuresCol"), "featuresCol")
        let prediction = RegressionModel.optionalColumn(metadata, "predictionCol")
        let probability = RegressionModel.optionalColumn(metadata, "probabilityCol")
        guard let kernel = GaussianMixture(features: features, prediction: prediction, probability: probability,
                                           weights: weights, means: means, covariances: covariances) else {
            throw metadata.failure("\(weights.count) weights, \(means.count) means and \(covariances.count) covariances do not fit")
        }
        var specs: [ColumnSpec] = []
        if let prediction { specs.append(ColumnSpec(prediction, ColumnType(.int))) }
        if let probability { specs.append(ColumnSpec(probability, .vector(weights.count))) }
        return ClusteringModel(metadata: metadata, features: features, numFeatures: kernel.numFeatures, specs: specs,
                               kernel: kernel, facts: [Fact("components", "\(weights.count)")])
    }
}

extension ClusteringModel {
    /// `BisectingKMeansModel`: the mllib tree under `data/` — its metadata
    /// (`rootId`, `distanceMeasure`) and rows (index, center, children), leaves
    /// indexed 0..<k, inner nodes negative.
    static func bisectingKMeans(_ dir: SparkStageDirectory) throws -> ClusteringModel {
        let metadata = dir.metadata
        // mllib's own metadata (no uid): class, version, rootId, distanceMeasure.
        let prefix = dir.directory.isEmpty ? "data/metadata/" : "\(dir.directory)/data/metadata/"
        guard let path = dir.tree.paths.first(where: {
            $0.hasPrefix(prefix) && $0.dropFirst(prefix.count).hasPrefix("part-00000") && !$0.hasSuffix(".crc")
        }) else { throw metadata.failure("'\(dir.tree.source)' has no \(prefix)part-00000") }
        let bytes = [UInt8](try dir.tree.require(path))
        let line = bytes.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: true).first.map(Array.init) ?? []
        let tree = try SparkJSON.parse(line, file: "\(dir.tree.source)!/\(path)")
        guard let rootId = tree["rootId"]?.double.flatMap({ Int64(exactly: $0) }) else {
            throw metadata.failure("data/metadata lacks rootId (a Spark 2 layout is not supported)")
        }
        let rows = try dir.parquetRows("data/data")
        var positions: [Int64: Int] = [:]
        for (position, row) in rows.enumerated() {
            guard let index = row["index"]?.int, positions.updateValue(position, forKey: index) == nil else {
                throw metadata.failure("a cluster node without an index, or a repeated one")
            }
        }
        let nodes = try rows.map { row -> BisectingKMeans.Node in
            let children = try (row["children"]?.list ?? []).map { value in
                guard let id = value.int, let position = positions[id] else {
                    throw metadata.failure("a child that is not a node of the tree")
                }
                return position
            }
            let index = row["index"]?.int ?? -1
            guard !children.isEmpty || (index >= 0 && index < Int64(rows.count)) else {
                throw metadata.failure("leaf index \(index) is not a cluster")
            }
            return BisectingKMeans.Node(center: try SparkVector(row["center"], what: dir.what("data/center")).dense,
                                        children: children, cluster: Int(index))
        }
        let measure = metadata.string("distanceMeasure") ?? "euclidean"
        guard let distance = KMeans.Distance(rawValue: measure) else {
            throw metadata.unsupported("distanceMeasure", "'\(measure)' is not euclidean or cosine")
        }
        let features = try metadata.require(metadata.string("featuresCol"), "featuresCol")
        let prediction = try metadata.require(metadata.string("predictionCol"), "predictionCol")
        guard let root = positions[rootId], let kernel = BisectingKMeans(
            features: features, prediction: prediction, distance: distance, nodes: nodes, root: root) else {
            throw metadata.failure("the cluster nodes do not form a tree from root \(rootId), or their centers differ in size")
        }
        return ClusteringModel(metadata: metadata, features: features, numFeatures: kernel.numFeatures,
                               specs: [ColumnSpec(prediction, ColumnType(.int))], kernel: kernel,
                               facts: [Fact("clusters", "\(nodes.filter { $0.children.isEmpty }.count)"),
                                       Fact("distance", measure)])
    }
}
