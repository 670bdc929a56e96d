"""Score a Spark DataFrame with `conveyor pipe` on the executors.

    import conveyor.spark
    scored = conveyor.spark.transform(df, "pipelines/car-evaluation.json", keep=["id"])

`mapInArrow` (the default) hands each partition's Arrow batches to one `conveyor pipe` process
(the pipeline loaded once per task) and reads typed Arrow batches back: no text, no pandas, no
JVM model runtime. `method="pipe"` is the fallback for Spark without mapInArrow (before 3.3):
`RDD.pipe` over the TRANSFORM TSV format. The binary and the pipeline's files must be at the
same paths on every executor (a container image, or `--files`/`SparkFiles`); docs/scale-out.md.
"""
import collections
import shlex

from . import _process

_SPARK_TYPES = {"string": "string", "double": "double", "float": "float", "int": "int", "long": "bigint",
                "short": "smallint", "byte": "tinyint", "boolean": "boolean"}


def spark_type(conveyor_type):
    """Spark DDL for a conveyor column type (`vector<double>[4]` is `array<double>`)."""
    if conveyor_type.startswith("vector<"):
        return f"array<{_SPARK_TYPES[conveyor_type[7:conveyor_type.index('>')]]}>"
    if conveyor_type in _SPARK_TYPES:
        return _SPARK_TYPES[conveyor_type]
    raise _process.ConveyorError(f"conveyor type {conveyor_type} has no Spark column type here")


def transform(df, pipeline, keep=(), conveyor=None, record_errors="fail", method="arrow"):
    """The pipeline's outputs for every row of `df` (its input columns found by name), after the
    `keep` columns of `df` passed through. Rows keep their order within each partition."""
    inputs, outputs = _process.output_schema(pipeline, conveyor)
    keep = list(keep)
    clash = set(keep) & {name for name, _ in outputs}
    if clash:
        raise ValueError(f"kept columns {sorted(clash)} clash with the pipeline's outputs")
    if keep and record_errors != "fail":
        raise ValueError("keep needs record_errors='fail': isolated records would misalign the kept columns")
    fields = {f.name: f for f in df.schema.fields}
    ddl = ", ".join([f"`{name}` {fields[name].dataType.simpleString()}" for name in keep]
                    + [f"`{name}` {spark_type(kind)}" for name, kind in outputs])
    input_names = [name for name, _ in inputs]
    if method == "pipe":
        if keep:
            raise ValueError("keep is not available with method='pipe'")
        return _transform_rdd_pipe(df.select(*input_names), pipeline, conveyor, record_errors, outputs, ddl)
    command = (pipeline, _process.binary(conveyor), record_errors, keep)
    return df.select(*dict.fromkeys(keep + input_names)).mapInArrow(_MapPartition(*command), ddl)


class _MapPartition:
    """The function mapInArrow ships to executors (a class, so it pickles without closures)."""

    def __init__(self, pipeline, conveyor, record_errors, keep):
        self.pipeline, self.conveyor, self.record_errors, self.keep = pipeline, conveyor, record_errors, keep

    def __call__(self, batches):
        import pyarrow as pa

        kept = collections.deque()

        def remember(batch):
            if self.keep:
                kept.append(batch.select(self.keep))

        pending = None
        for answer in _process.score_batches(batches, self.pipeline, self.conveyor, self.record_errors,
                                             on_input=remember):
            if not self.keep:
                yield answer
                continue
            # The answer's rows follow the input's: take as many kept rows, in order.
            parts, needed = [], answer.num_rows
            while needed > 0:
                if pending is None or pending.num_rows == 0:
                    pending = kept.popleft()
                take = min(needed, pending.num_rows)
                parts.append(pending.slice(0, take))
                pending = pending.slice(take)
                needed -= take
            left = pa.Table.from_batches(parts).combine_chunks()
            arrays = [column.chunk(0) for column in left.columns] + list(answer.columns)
            yield pa.RecordBatch.from_arrays(arrays, names=self.keep + answer.schema.names)


def _transform_rdd_pipe(df, pipeline, conveyor, record_errors, outputs, ddl):
    """RDD.pipe: rows as TRANSFORM's TSV (\\N for null), the answer's lines parsed back."""
    command = " ".join(shlex.quote(part) for part in _process.pipe_command(
        pipeline, conveyor, content_type=_process.TSV, accept=_process.TSV, record_errors=record_errors))
    parsers = [_tsv_parser(kind) for _, kind in outputs]

    def to_line(row):
        return "\t".join("\\N" if value is None else str(value) for value in row)

    def parse(line):
        fields, values = line.split("\t"), []
        for width, convert in parsers:
            part, fields = fields[:width], fields[width:]
            values.append(convert(part))
        return tuple(values)

    lines = df.rdd.map(to_line).pipe(command)
    return df.sparkSession.createDataFrame(lines.map(parse), ddl)


def _tsv_parser(kind):
    def scalar(text, cast):
        return None if text == "\\N" else cast(text)

    casts = {"string": str, "double": float, "float": float, "int": int, "long": int, "short": int, "byte": int,
             "boolean": lambda text: text == "true"}
    if kind.startswith("vector<"):
        if "[" not in kind:
            raise _process.ConveyorError(f"method='pipe' needs vector widths; the pipeline's output is {kind}")
        width = int(kind[kind.index("[") + 1:-1])
        return width, lambda part: None if all(p == "\\N" for p in part) else [float(p) for p in part]
    cast = casts[kind]
    return 1, lambda part: scalar(part[0], cast)
