"""Score a Ray Dataset with `conveyor pipe`: one long-lived process per actor.

    import conveyor.ray
    scored = conveyor.ray.map_batches(ds, "pipelines/car-evaluation.json", concurrency=2)

`ConveyorBatches` is the callable class `Dataset.map_batches` runs in each actor; it keeps one
`conveyor pipe` process (the pipeline loaded once per actor) and sends each pyarrow batch
through it as Arrow, typed, in order. It can be called directly on pyarrow Tables.
"""
from . import _process


class ConveyorBatches:
    """`map_batches` callable: a pyarrow Table (or RecordBatch) in, the pipeline's outputs out,
    after the `keep` columns of the input."""

    def __init__(self, pipeline, conveyor=None, keep=()):
        self.pipe = _process.ArrowPipe(pipeline, conveyor)
        self.keep = list(keep)

    def __call__(self, batch):
        import pyarrow as pa

        if isinstance(batch, pa.RecordBatch):
            batch = pa.Table.from_batches([batch])
        answer = self.pipe(batch)
        for index, name in enumerate(self.keep):
            answer = answer.add_column(index, name, batch.column(name))
        return answer


def map_batches(dataset, pipeline, conveyor=None, keep=(), concurrency=1, batch_size=4096, **options):
    """`dataset.map_batches` through `ConveyorBatches` on a pool of `concurrency` actors."""
    from ray.data import ActorPoolStrategy

    options.setdefault("compute", ActorPoolStrategy(size=concurrency))
    return dataset.map_batches(ConveyorBatches, fn_constructor_kwargs={"pipeline": pipeline, "conveyor": conveyor,
                                                                        "keep": list(keep)},
                               batch_format="pyarrow", batch_size=batch_size, **options)
