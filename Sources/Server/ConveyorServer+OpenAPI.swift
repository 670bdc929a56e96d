import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /openapi.yaml`: docs/openapi.yaml, the server's HTTP API, compiled
/// in so the binary serves it wherever it runs. A test checks that this copy
/// equals the file and that its paths are exactly the router's.
extension ConveyorServer {
    static func openAPIResponse() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: openAPIDocument)))
    }

    /// `GET /openapi.json`: the same document as JSON, with the columns of
    /// the pipelines served now (`OpenAPIDocument`).
    func openAPIJSONResponse(requestID: String) -> Response {
        do {
            var document = try OpenAPIDocument(yaml: Self.openAPIDocument)
            document.describe(served.names.compactMap { name in
                served.pipeline(named: name).map {
                    OpenAPIDocument.Described(name: name, inputs: $0.pipeline.inputs, outputs: $0.pipeline.outputs)
                }
            })
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document.bytes)))
        } catch {
            return ErrorResponse.make(error, route: .container, requestID: requestID)
        }
    }

    /// docs/openapi.yaml, verbatim (between the raw string's delimiters).
    static let openAPIDocument = #"""
openapi: 3.1.0
info:
  title: Conveyor
  version: 0.1.0
  summary: Inference pipelines served over HTTP
  description: |
    `conveyor serve`: the SageMaker container contract and Runtime API, the Open Inference
    Protocol (KServe V2) REST dialect, and Conveyor's own extras. Served at `GET /openapi.yaml`;
    docs/serving.md and docs/open-inference-protocol.md explain every route. A test checks that
    the routes below are exactly the server's.
  license:
    name: Apache-2.0
    identifier: Apache-2.0
servers:
  - url: http://127.0.0.1:8080
tags:
  - name: sagemaker
    description: SageMaker's container contract and Runtime API
  - name: open-inference-protocol
    description: KServe V2 / Open Inference Protocol over REST
  - name: multi-model
    description: SageMaker's multi-model container contract (/models)
  - name: conveyor
    description: Conveyor's own routes
paths:
  /ping:
    get:
      tags: [sagemaker]
      summary: 200 when every pipeline is loaded
      operationId: ping
      responses:
        "200":
          description: Every pipeline is loaded.
  /execution-parameters:
    get:
      tags: [sagemaker]
      summary: Batch transform's parameters
      operationId: executionParameters
      responses:
        "200":
          description: What batch transform should send.
          content:
            application/json:
              schema:
                type: object
                required: [BatchStrategy, MaxConcurrentTransforms, MaxPayloadInMB]
                properties:
                  BatchStrategy: {type: string, enum: [MULTI_RECORD]}
                  MaxConcurrentTransforms: {type: integer, minimum: 1}
                  MaxPayloadInMB: {type: integer, minimum: 1}
  /invocations:
    post:
      tags: [sagemaker]
      summary: Score rows with the first pipeline (the container contract)
      operationId: invocations
      parameters:
        - $ref: "#/components/parameters/Accept"
        - $ref: "#/components/parameters/TargetModel"
        - $ref: "#/components/parameters/TargetContainer"
        - $ref: "#/components/parameters/Trace"
        - $ref: "#/components/parameters/Explain"
      requestBody:
        $ref: "#/components/requestBodies/Rows"
      responses:
        "200":
          $ref: "#/components/responses/Predictions"
        "400": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}
        "406": {$ref: "#/components/responses/Error"}
        "408": {$ref: "#/components/responses/Error"}
        "413": {$ref: "#/components/responses/Error"}
        "415": {$ref: "#/components/responses/Error"}
        "424": {$ref: "#/components/responses/Error"}
        "500": {$ref: "#/components/responses/Error"}
        "503": {$ref: "#/components/responses/Error"}
        "403": {$ref: "#/components/responses/Error"}
        "507": {$ref: "#/components/responses/Error"}
  /endpoints/{endpoint}/invocations:
    post:
      tags: [sagemaker]
      summary: Score rows with the named pipeline (the Runtime API's InvokeEndpoint)
      operationId: invokeEndpoint
      parameters:
        - {name: endpoint, in: path, required: true, schema: {type: string}, description: a pipeline's name (not checked when X-Amzn-SageMaker-Target-Model is given)}
        - $ref: "#/components/parameters/Accept"
        - $ref: "#/components/parameters/TargetModel"
        - $ref: "#/components/parameters/TargetContainer"
        - $ref: "#/components/parameters/Trace"
        - $ref: "#/components/parameters/Explain"
        - name: X-Amzn-SageMaker-Enable-Explanations
          in: header
          schema: {type: string}
          description: "`true` (with the backticks, a constant JMESPath condition) for SageMaker Clarify's response layout with each row's attributions; `false` for none; anything else is refused as a ModelError"
      requestBody:
        $ref: "#/components/requestBodies/Rows"
      responses:
        "200":
          $ref: "#/components/responses/Predictions"
        "400": {$ref: "#/components/responses/RuntimeError"}
        "404": {$ref: "#/components/responses/RuntimeError"}
        "408": {$ref: "#/components/responses/RuntimeError"}
        "413": {$ref: "#/components/responses/RuntimeError"}
        "424": {$ref: "#/components/responses/RuntimeError"}
        "503": {$ref: "#/components/responses/RuntimeError"}
        "403": {$ref: "#/components/responses/RuntimeError"}
        "507": {$ref: "#/components/responses/RuntimeError"}
  /models:
    get:
      tags: [multi-model]
      summary: The loaded models (SageMaker's multi-model List Model API) and the pipelines given at start
      operationId: listModels
      parameters:
        - name: next_page_token
          in: query
          schema: {type: string}
          description: the nextPageToken of the previous page; pages hold 100 models
      responses:
        "200":
          description: One page of models.
          content:
            application/json:
              schema:
                type: object
                required: [models]
                properties:
                  models: {type: array, items: {$ref: "#/components/schemas/Model"}}
                  nextPageToken: {type: string}
        "400": {$ref: "#/components/responses/Error"}
    post:
      tags: [multi-model]
      summary: Load a model (SageMaker's multi-model Load Model API)
      description: |
        Needs `serve --model-root` (or SAGEMAKER_MULTI_MODEL=true). The url is a folder under the
        model root holding a pipeline.json, a Spark ML or MLflow model folder, a folder holding one
        artifact (MLeap bundle, XGBoost model) or a pipeline file; or an s3:// prefix under an s3://
        root. Never unloads other models: 507 when the estimated footprint does not fit.
      operationId: loadModel
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [model_name, url]
              properties:
                model_name: {type: string, minLength: 1, maxLength: 256}
                url: {type: string, minLength: 1}
      responses:
        "200":
          description: Loaded.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Model"}
        "400": {$ref: "#/components/responses/Error"}
        "403": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}
        "409": {$ref: "#/components/responses/Error"}
        "413": {$ref: "#/components/responses/Error"}
        "507": {$ref: "#/components/responses/Error"}
  /models/{name}:
    get:
      tags: [multi-model]
      summary: One loaded model or pipeline (SageMaker's multi-model Get Model API)
      operationId: getModel
      parameters:
        - $ref: "#/components/parameters/ModelName"
      responses:
        "200":
          description: The model.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Model"}
        "404": {$ref: "#/components/responses/Error"}
    delete:
      tags: [multi-model]
      summary: Unload a model (SageMaker's multi-model Unload Model API); requests in flight finish on it
      operationId: unloadModel
      parameters:
        - $ref: "#/components/parameters/ModelName"
      responses:
        "200":
          description: Unloaded.
          content:
            application/json:
              schema:
                type: object
                properties:
                  modelName: {type: string}
                  modelUrl: {type: string}
                  unloaded: {type: boolean}
        "404": {$ref: "#/components/responses/Error"}
        "409": {$ref: "#/components/responses/Error"}
  /models/{name}/invoke:
    post:
      tags: [multi-model]
      summary: Score rows with a loaded model (SageMaker's multi-model Invoke Model API)
      operationId: invokeModel
      parameters:
        - $ref: "#/components/parameters/ModelName"
        - $ref: "#/components/parameters/Accept"
        - $ref: "#/components/parameters/TargetModel"
        - $ref: "#/components/parameters/TargetContainer"
        - $ref: "#/components/parameters/Trace"
        - $ref: "#/components/parameters/Explain"
      requestBody:
        $ref: "#/components/requestBodies/Rows"
      responses:
        "200":
          $ref: "#/components/responses/Predictions"
        "400": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}
        "406": {$ref: "#/components/responses/Error"}
        "408": {$ref: "#/components/responses/Error"}
        "413": {$ref: "#/components/responses/Error"}
        "415": {$ref: "#/components/responses/Error"}
        "424": {$ref: "#/components/responses/Error"}
        "500": {$ref: "#/components/responses/Error"}
        "503": {$ref: "#/components/responses/Error"}
  /metrics:
    get:
      tags: [conveyor]
      summary: Prometheus metrics
      operationId: metrics
      responses:
        "200":
          description: Prometheus text format.
          content:
            text/plain:
              schema: {type: string}
  /openapi.yaml:
    get:
      tags: [conveyor]
      summary: This document
      operationId: openapi
      responses:
        "200":
          description: OpenAPI 3.1 in YAML.
          content:
            application/yaml:
              schema: {type: string}
  /openapi.json:
    get:
      tags: [conveyor]
      summary: This document as JSON, with the served pipelines' columns
      description: |
        The same document, with each pipeline given at start made concrete: its input and output
        columns as schemas (`<name>.Row`, `<name>.Values`, `<name>.Prediction`,
        `<name>.InferenceRequest`), and its own copies of `/endpoints/<name>/invocations`,
        `/models/<name>/invoke` and `/v2/models/<name>/infer` whose JSON bodies use them;
        `/invocations` uses the first pipeline's. Built on each request, so a reloaded pipeline is
        described as it is now.
      operationId: openapiJSON
      responses:
        "200":
          description: OpenAPI 3.1 in JSON.
          content:
            application/json:
              schema: {type: object}
  /v2:
    get:
      tags: [open-inference-protocol]
      summary: Server metadata
      operationId: serverMetadata
      responses:
        "200":
          description: The server's name, version and protocol extensions.
          content:
            application/json:
              schema:
                type: object
                required: [name, version, extensions]
                properties:
                  name: {type: string}
                  version: {type: string}
                  extensions: {type: array, items: {type: string}}
  /v2/health/live:
    get:
      tags: [open-inference-protocol]
      summary: 200 while the server runs
      operationId: serverLive
      responses:
        "200":
          description: Live. The status says it; the body repeats it for clients that read one (KServe's).
          content:
            application/json:
              schema: {type: object, required: [live], properties: {live: {type: boolean, const: true}}}
  /v2/health/ready:
    get:
      tags: [open-inference-protocol]
      summary: 200 when every model is ready
      operationId: serverReady
      responses:
        "200":
          description: Ready. The status says it; the body repeats it for clients that read one (KServe's).
          content:
            application/json:
              schema: {type: object, required: [ready], properties: {ready: {type: boolean, const: true}}}
  /v2/models/{model}:
    get:
      tags: [open-inference-protocol]
      summary: A model's metadata
      operationId: modelMetadata
      parameters:
        - $ref: "#/components/parameters/Model"
      responses:
        "200": {$ref: "#/components/responses/ModelMetadata"}
        "404": {$ref: "#/components/responses/InferenceError"}
  /v2/models/{model}/ready:
    get:
      tags: [open-inference-protocol]
      summary: 200 when the model is ready
      operationId: modelReady
      parameters:
        - $ref: "#/components/parameters/Model"
      responses:
        "200": {description: Ready.}
        "404": {$ref: "#/components/responses/InferenceError"}
  /v2/models/{model}/infer:
    post:
      tags: [open-inference-protocol]
      summary: Score tensors with a model
      operationId: modelInfer
      parameters:
        - $ref: "#/components/parameters/Model"
      requestBody: {$ref: "#/components/requestBodies/InferenceRequest"}
      responses:
        "200": {$ref: "#/components/responses/InferenceResponse"}
        "400": {$ref: "#/components/responses/InferenceError"}
        "404": {$ref: "#/components/responses/InferenceError"}
        "406": {$ref: "#/components/responses/InferenceError"}
        "408": {$ref: "#/components/responses/InferenceError"}
        "413": {$ref: "#/components/responses/InferenceError"}
        "415": {$ref: "#/components/responses/InferenceError"}
        "424": {$ref: "#/components/responses/InferenceError"}
        "500": {$ref: "#/components/responses/InferenceError"}
        "503": {$ref: "#/components/responses/InferenceError"}
  /v2/models/{model}/versions/{version}:
    get:
      tags: [open-inference-protocol]
      summary: A model version's metadata
      operationId: modelVersionMetadata
      parameters:
        - $ref: "#/components/parameters/Model"
        - $ref: "#/components/parameters/Version"
      responses:
        "200": {$ref: "#/components/responses/ModelMetadata"}
        "404": {$ref: "#/components/responses/InferenceError"}
  /v2/models/{model}/versions/{version}/ready:
    get:
      tags: [open-inference-protocol]
      summary: 200 when the model version is ready
      operationId: modelVersionReady
      parameters:
        - $ref: "#/components/parameters/Model"
        - $ref: "#/components/parameters/Version"
      responses:
        "200": {description: Ready.}
        "404": {$ref: "#/components/responses/InferenceError"}
  /v2/models/{model}/versions/{version}/infer:
    post:
      tags: [open-inference-protocol]
      summary: Score tensors with a model version
      operationId: modelVersionInfer
      parameters:
        - $ref: "#/components/parameters/Model"
        - $ref: "#/components/parameters/Version"
      requestBody: {$ref: "#/components/requestBodies/InferenceRequest"}
      responses:
        "200": {$ref: "#/components/responses/InferenceResponse"}
        "400": {$ref: "#/components/responses/InferenceError"}
        "404": {$ref: "#/components/responses/InferenceError"}
        "406": {$ref: "#/components/responses/InferenceError"}
        "408": {$ref: "#/components/responses/InferenceError"}
        "413": {$ref: "#/components/responses/InferenceError"}
        "415": {$ref: "#/components/responses/InferenceError"}
        "424": {$ref: "#/components/responses/InferenceError"}
        "500": {$ref: "#/components/responses/InferenceError"}
        "503": {$ref: "#/components/responses/InferenceError"}
components:
  parameters:
    Accept:
      name: Accept
      in: header
      schema: {type: string}
      description: text/csv, application/json, application/jsonlines, text/tab-separated-values or application/vnd.apache.arrow.stream; missing or */* is the pipeline's default
    TargetContainer:
      name: X-Amzn-SageMaker-Target-Container-Hostname
      in: header
      schema: {type: string}
      description: run only the stage of this name (SageMaker's direct invocation)
    Trace:
      name: X-Conveyor-Trace
      in: header
      schema: {type: string}
      description: 1 for per-stage timings in Server-Timing, debug for every stage's output (the server must run with --trace on or debug; other values are ignored)
    Explain:
      name: X-Conveyor-Explain
      in: header
      schema: {type: string}
      description: 1 (or true, on) to have each JSON row carry its TreeSHAP attributions; 0, false, off or none for none; anything else is a 400
    TargetModel:
      name: X-Amzn-SageMaker-Target-Model
      in: header
      schema: {type: string}
      description: "boto3's TargetModel: NAME/N (version N of a pipeline given at start), a pipeline's name, or a path under --model-root, loaded if it is not (unloading idle models, least recently used first; 507 when it cannot fit)"
    ModelName:
      name: name
      in: path
      required: true
      schema: {type: string}
      description: a loaded model's model_name, or a pipeline's name
    Model:
      name: model
      in: path
      required: true
      schema: {type: string}
      description: a served pipeline's name
    Version:
      name: version
      in: path
      required: true
      schema: {type: string}
      description: the model's version; "1" at start, and one more for each hot reload (serve --watch, SIGHUP)
  requestBodies:
    Rows:
      required: true
      description: Rows in the pipeline's input columns (docs/content-types.md).
      content:
        text/csv:
          schema: {type: string}
        application/json:
          schema: {}
        application/jsonlines:
          schema: {type: string}
        text/tab-separated-values:
          schema: {type: string}
        application/vnd.apache.arrow.stream:
          schema: {type: string, format: binary}
    InferenceRequest:
      required: true
      content:
        application/json:
          schema: {$ref: "#/components/schemas/InferenceRequest"}
  responses:
    Predictions:
      description: One answer per row, in the type `Accept` chose.
      content:
        text/csv:
          schema: {type: string}
        application/json:
          schema:
            type: object
            properties:
              predictions: {type: array, items: {type: object}}
        application/jsonlines:
          schema: {type: string}
        text/tab-separated-values:
          schema: {type: string}
        application/vnd.apache.arrow.stream:
          schema: {type: string, format: binary}
    Error:
      description: Refused, naming the stage, row and column where they apply.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    RuntimeError:
      description: |
        As the SageMaker Runtime API answers: model-side errors as 424 ModelError with the
        container's status and body in OriginalStatusCode and OriginalMessage; 403, 404, 408, 409, 413,
        507 as ValidationError; 503 as ServiceUnavailable.
      content:
        application/json:
          schema:
            type: object
            required: [__type]
            properties:
              __type: {type: string, enum: [ModelError, ValidationError, ServiceUnavailable]}
              Message: {type: string}
              OriginalStatusCode: {type: integer}
              OriginalMessage: {type: string}
              error: {$ref: "#/components/schemas/ErrorDetail"}
    ModelMetadata:
      description: The model's input and output tensors.
      content:
        application/json:
          schema:
            type: object
            required: [name, versions, platform, inputs, outputs]
            properties:
              name: {type: string}
              versions: {type: array, items: {type: string}}
              platform: {type: string}
              inputs: {type: array, items: {$ref: "#/components/schemas/TensorMetadata"}}
              outputs: {type: array, items: {$ref: "#/components/schemas/TensorMetadata"}}
    InferenceResponse:
      description: One output tensor per output column asked for.
      content:
        application/json:
          schema:
            type: object
            required: [model_name, outputs]
            properties:
              model_name: {type: string}
              model_version: {type: string}
              id: {type: string}
              parameters: {type: object}
              outputs:
                type: array
                items:
                  type: object
                  required: [name, datatype, shape, data]
                  properties:
                    name: {type: string}
                    datatype: {$ref: "#/components/schemas/Datatype"}
                    shape: {type: array, items: {type: integer, minimum: 0}}
                    data: {type: array}
    InferenceError:
      description: The Open Inference Protocol's error body; the message names the tensor, row and column.
      content:
        application/json:
          schema:
            type: object
            required: [error]
            properties:
              error: {type: string}
  schemas:
    Model:
      type: object
      required: [modelName, modelUrl]
      properties:
        modelName: {type: string}
        modelUrl: {type: string}
        pinned: {type: boolean, description: "true for a pipeline given at start (versions, no unloading)"}
        version: {type: integer, description: the default version (pipelines given at start)}
        versions: {type: array, items: {type: string}, description: "NAME/N for each version still addressable"}
        estimatedBytes: {type: integer, description: the footprint counted against the budget (loaded models)}
        artifactBytes: {type: integer}
        inFlight: {type: integer}
        loadSeconds: {type: number}
    Datatype:
      type: string
      enum: [BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES]
    TensorMetadata:
      type: object
      required: [name, datatype, shape]
      properties:
        name: {type: string}
        datatype: {$ref: "#/components/schemas/Datatype"}
        shape:
          type: array
          items: {type: integer, minimum: -1}
          description: -1 is any size; the first dimension is the rows
    InferenceRequest:
      type: object
      required: [inputs]
      properties:
        id: {type: string}
        parameters: {type: object}
        inputs:
          type: array
          minItems: 1
          items:
            type: object
            required: [name, shape, datatype, data]
            properties:
              name: {type: string}
              shape: {type: array, items: {type: integer, minimum: 0}}
              datatype: {$ref: "#/components/schemas/Datatype"}
              parameters: {type: object}
              data: {type: array}
        outputs:
          type: array
          items:
            type: object
            required: [name]
            properties:
              name: {type: string}
              parameters: {type: object}
    ErrorDetail:
      type: object
      required: [status, code, message, request_id]
      properties:
        status: {type: integer}
        code: {type: string}
        message: {type: string}
        stage: {type: string}
        row: {type: integer}
        column: {type: string}
        cause: {type: string}
        request_id: {type: string}
    Error:
      type: object
      required: [error]
      properties:
        error: {$ref: "#/components/schemas/ErrorDetail"}

"""#
}
