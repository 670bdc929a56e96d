"""Drive the `conveyor` binary as a streaming filter (`conveyor pipe`) over Arrow IPC streams.

    from conveyor import ArrowPipe, score_table
    table = score_table(pa.table({...}), pipeline="pipelines/car-evaluation.json")

`conveyor.spark.transform(df, pipeline)` scores a Spark DataFrame through `mapInArrow` (or
`RDD.pipe`), `conveyor.ray.map_batches(ds, pipeline)` a Ray Dataset. The binary is found through
`$CONVEYOR_BIN`, else `conveyor` on the PATH.
"""
from ._process import ARROW, TSV, ArrowPipe, ConveyorError, binary, output_schema, score_batches, score_table

__all__ = ["ARROW", "TSV", "ArrowPipe", "ConveyorError", "binary", "output_schema", "score_batches", "score_table"]
