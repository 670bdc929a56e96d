import Foundation

extension JobRequest {
    /// Why each field of a request that means nothing to a local job is
    /// ignored, one line each, for `conveyor transform --job` to print; the
    /// job still runs, so existing definitions work unchanged. The answer of
    /// DescribeTransformJob (`aws sagemaker describe-transform-job`) is
    /// accepted too: its status fields are ignored.
    public static func notices(in bytes: [UInt8]) -> [String] {
        guard let request = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else { return [] }
        var notices: [String] = []
        for key in request.keys.sorted() {
            switch key {
            case "TransformJobName", "MaxConcurrentTransforms", "MaxPayloadInMB", "BatchStrategy", "TransformInput",
                 "TransformOutput", "DataProcessing":
                continue
            case "ModelName":
                notices.append("ModelName '\(request[key] ?? "")' is not used: the pipeline comes from --pipeline")
            case "TransformResources":
                notices.append("TransformResources ignored: the job runs on this machine; scale out with --shard-index and --shard-count")
            case "ModelClientConfig":
                notices.append("ModelClientConfig ignored: the pipeline runs in process, so there are no invocations to time out or retry (S3 requests are retried; AWS_MAX_ATTEMPTS)")
            case "Environment":
                notices.append("Environment ignored: it configures SageMaker model containers; set variables for conveyor itself instead")
            case "DataCaptureConfig":
                notices.append("DataCaptureConfig ignored: inputs and outputs are not captured")
            case "TransformJobArn", "TransformJobStatus", "FailureReason", "CreationTime", "TransformStartTime",
                 "TransformEndTime", "LabelingJobArn", "AutoMLJobArn", "ResponseMetadata":
                notices.append("\(key) ignored: it belongs to a DescribeTransformJob answer, not to the job's definition")
            case "Tags", "ExperimentConfig":
                notices.append("\(key) ignored: no SageMaker resources are created")
            default:
                notices.append("unknown field \(key) ignored")
            }
        }
        if let output = request["TransformOutput"] as? [String: Any], let kms = output["KmsKeyId"] as? String, !kms.isEmpty {
            notices.append("TransformOutput.KmsKeyId ignored: outputs get the bucket's default encryption")
        }
        return notices
    }
}
