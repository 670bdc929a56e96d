import Foundation
import Testing
import Yams
@testable import ConveyorCLI

/// The container image and the Kubernetes and KServe manifests agree with
/// the binary they run: every `args` list parses as `conveyor serve`
/// options, the probes name routes the server answers, the user is the
/// image's, and the grace period covers the preStop sleep plus the drain.
@Suite struct DeploymentManifestTests {
    static func documents(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: projectRoot.appendingPathComponent(path), encoding: .utf8)
        return try Yams.load_all(yaml: text).map { try #require($0 as? [String: Any]) }
    }

    static func value(_ object: Any?, _ path: String...) -> Any? {
        var current = object
        for key in path {
            if let index = Int(key), let array = current as? [Any] { current = array.indices.contains(index) ? array[index] : nil }
            else { current = (current as? [String: Any])?[key] }
        }
        return current
    }

    static var dockerfile: String {
        get throws { try String(contentsOf: projectRoot.appendingPathComponent("Dockerfile"), encoding: .utf8) }
    }

    @Test func theImageRunsServeAsANonRootUserOnAllInterfaces() throws {
        let text = try Self.dockerfile
        #expect(text.contains(#"ENTRYPOINT ["conveyor"]"#) && text.contains(#"CMD ["serve"]"#))
        #expect(text.contains("USER 10001:10001") && text.contains("--uid 10001"))
        #expect(text.contains("CONVEYOR_HOST=0.0.0.0") && text.contains("EXPOSE 8080"))
        // The repository's one release build, which links the Swift runtime statically.
        #expect(text.contains("RUN bash .ci/build-release.sh --product conveyor"))
        let build = try String(contentsOf: projectRoot.appendingPathComponent(".ci/build-release.sh"), encoding: .utf8)
        #expect(build.contains("swift build -c release --static-swift-stdlib"))
        // The runtime packages are those .ci/container-rootfs-check.sh reads back.
        #expect(text.contains(#"ARG RUNTIME_PACKAGES="libxgboost0 zlib1g libsnappy1v5 libzstd1 ca-certificates""#))
    }

    /// .ci/container-rootfs-check.sh builds what the Dockerfile describes:
    /// the same packages (it reads them from the Dockerfile), build command,
    /// strip, layout, user and environment.
    @Test func theRootfsCheckFollowsTheDockerfile() throws {
        let dockerfile = try Self.dockerfile
        let script = try String(contentsOf: projectRoot.appendingPathComponent(".ci/container-rootfs-check.sh"),
                                encoding: .utf8)
        #expect(script.contains(#"sed -n 's/^ARG RUNTIME_PACKAGES="\(.*\)"$/\1/p' Dockerfile"#))
        for shared in ["bash .ci/build-release.sh --product conveyor", "strip --strip-debug",
                       "useradd --uid 10001 --user-group --no-create-home", "--home-dir /nonexistent --shell /usr/sbin/nologin",
                       "CONVEYOR_HOST=0.0.0.0", "PATH=/opt/conveyor/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] {
            #expect(dockerfile.contains(shared) && script.contains(shared), "\(shared)")
        }
        // The build stage's layout (/out → /opt/conveyor: bin/conveyor, pipelines, models), as the script copies it.
        #expect(dockerfile.contains("install -D \"$(bash .ci/build-release.sh --show-bin-path)/conveyor\" /out/bin/conveyor"))
        #expect(dockerfile.contains("cp -R pipelines models /out/") && dockerfile.contains("COPY --from=build /out/ /opt/conveyor/"))
        #expect(script.contains("install -D \"$bin\" \"$ROOT/opt/conveyor/bin/conveyor\""))
        #expect(script.contains("cp -R pipelines models \"$ROOT/opt/conveyor/\""))
        // Both run as the image's user, and the image serves what SageMaker extracts.
        #expect(dockerfile.contains("USER 10001:10001") && script.contains("--userspec=10001:10001"))
        #expect(script.contains("/opt/ml/model"))
    }

    @Test func theKubernetesDeploymentDrainsWithinItsGracePeriod() throws {
        let documents = try Self.documents("docs/deploy/kubernetes.yaml")
        #expect(documents.compactMap { $0["kind"] as? String } == ["Deployment", "Service", "HorizontalPodAutoscaler"])
        let pod = Self.value(documents[0], "spec", "template", "spec")
        let container = Self.value(pod, "containers", "0")
        let args = try #require(Self.value(container, "args") as? [String])
        #expect(args.first == "serve")
        let serve = try ServeCommand.parse(Array(args.dropFirst()))
        let drain = try serve.limits.limits().drainTimeout
        let preStop = try #require(Self.value(container, "lifecycle", "preStop", "exec", "command") as? [String])
        #expect(preStop.first == "sleep")
        let sleep = try #require(preStop.last.flatMap(Double.init))
        let grace = try #require(Self.value(pod, "terminationGracePeriodSeconds") as? Int)
        #expect(Double(grace) >= sleep + Double(drain.components.seconds) + 1, "grace \(grace) s < preStop \(sleep) s + drain \(drain)")
        for probe in ["startupProbe", "readinessProbe", "livenessProbe"] {
            #expect(Self.value(container, probe, "httpGet", "path") as? String == "/ping", "\(probe)")
        }
        #expect(Self.value(pod, "securityContext", "runAsUser") as? Int == 10001)
        #expect(Self.value(container, "volumeMounts", "0", "mountPath") as? String == DefaultPipeline.sageMakerModelDir)
    }

    @Test func theKServeRuntimeSpeaksTheOpenInferenceProtocol() throws {
        let documents = try Self.documents("docs/deploy/kserve.yaml")
        #expect(documents.compactMap { $0["kind"] as? String } == ["ClusterServingRuntime", "InferenceService"])
        #expect(Self.value(documents[0], "spec", "protocolVersions") as? [String] == ["v2", "grpc-v2"])
        let container = Self.value(documents[0], "spec", "containers", "0")
        let args = try #require(Self.value(container, "args") as? [String])
        #expect(args.first == "serve")
        let serve = try ServeCommand.parse(Array(args.dropFirst()))
        #expect(serve.pipelines == ["/mnt/models"])
        #expect(try serve.configuration(environment: [:]).host == "0.0.0.0")
        #expect(try serve.configuration(environment: [:]).grpcPort == 8081)
        // The probes are the server's OIP health routes (docs/openapi.yaml lists every route).
        let openAPI = try String(contentsOf: projectRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        for probe in ["readinessProbe", "livenessProbe"] {
            let path = try #require(Self.value(container, probe, "httpGet", "path") as? String)
            #expect(openAPI.contains("\n  \(path):"), "\(probe) \(path) is not a route")
        }
    }
}
