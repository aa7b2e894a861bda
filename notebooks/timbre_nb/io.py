"""Reading Timbre's outputs from a notebook: on EMR Studio (a PySpark kernel, where `spark` exists) through Spark, from
S3 or HDFS; on a laptop or in CI from local folders (what `./timbre demo` writes), with pyarrow when installed and
Timbre's own small Parquet reader otherwise. Records come back as lists of dicts either way, so the notebooks' code
is the same everywhere.
"""
import json
import os

from . import parquet


def find_demo_root():
    """TIMBRE_OUTPUTS, else the demo's default output folder next to the notebooks."""
    env = os.environ.get("TIMBRE_OUTPUTS")
    if env:
        return env
    here = os.path.abspath(os.getcwd())
    for candidate in (os.path.join(here, "demo-out"), os.path.join(os.path.dirname(here), "demo-out")):
        if os.path.isdir(candidate):
            return candidate
    raise FileNotFoundError("No Timbre outputs found: run `./timbre demo` (writes demo-out/) or set TIMBRE_OUTPUTS")


class Outputs:
    """One Timbre root: {tables, runs, metrics, aliases, predictions}/ under a local folder or an s3:// prefix."""

    def __init__(self, root, spark=None):
        self.root = root.rstrip("/")
        self.spark = spark
        remote = "://" in self.root and not self.root.startswith("file:")
        if remote and spark is None:
            raise ValueError("%s is remote: pass the notebook's Spark session (EMR Studio: spark)" % self.root)

    def path(self, *parts):
        return "/".join([self.root] + [p.strip("/") for p in parts])

    # -- listing ------------------------------------------------------------------------------------------------
    def ls(self, *parts):
        """Names of the entries of a folder (hidden and _-prefixed ones left out), sorted."""
        p = self.path(*parts)
        if self.spark is not None and "://" in p:
            jvm = self.spark._jvm
            hp = jvm.org.apache.hadoop.fs.Path(p)
            fs = hp.getFileSystem(self.spark._jsc.hadoopConfiguration())
            if not fs.exists(hp):
                return []
            names = [s.getPath().getName() for s in fs.listStatus(hp)]
        else:
            names = os.listdir(p) if os.path.isdir(p) else []
        return sorted(n for n in names if not n.startswith((".", "_")))

    def exists(self, *parts):
        p = self.path(*parts)
        if self.spark is not None and "://" in p:
            hp = self.spark._jvm.org.apache.hadoop.fs.Path(p)
            return hp.getFileSystem(self.spark._jsc.hadoopConfiguration()).exists(hp)
        return os.path.exists(p)

    # -- reading ------------------------------------------------------------------------------------------------
    def json(self, *parts):
        p = self.path(*parts)
        if self.spark is not None and "://" in p:
            return json.loads(self.spark.sparkContext.wholeTextFiles(p).collect()[0][1])
        with open(p, encoding="utf-8") as f:
            return json.load(f)

    def table(self, *parts, columns=None, where=None, limit=None):
        """Records of a Parquet table (Spark's folder layout; Hive partition folders become columns)."""
        p = self.path(*parts)
        if self.spark is not None:
            df = self.spark.read.parquet(p)
            for k, v in (where or {}).items():
                df = df.where(df[k] == v)
            if columns:
                df = df.select(*columns)
            if limit:
                df = df.limit(limit)
            return [r.asDict(recursive=True) for r in df.collect()]
        try:
            import pyarrow.parquet as pq  # noqa: F401  (used when a pip/conda environment has it)
            import pyarrow.dataset as ds
            table = ds.dataset(p, format="parquet", partitioning="hive").to_table(columns=columns)
            rows = table.to_pylist()
            rows = [r for r in rows if all(str(r.get(k)) == str(v) for k, v in (where or {}).items())]
        except ImportError:
            rows = parquet.read_table(p, columns=columns, where=where)
        return rows[:limit] if limit else rows

    # -- Timbre's layout ----------------------------------------------------------------------------------------
    def tables(self, dataset):
        """Published feature tables of a dataset (a _current.json pointer, or a pre-versions _provenance.json)."""
        return [s for s in self.ls("tables", dataset) if self.exists("tables", dataset, s, "_current.json")
                or self.exists("tables", dataset, s, "_provenance.json")]

    def _published(self, dataset, spec_id):
        """The published version of a table: {part: [folders]} and its provenance file, relative to the table."""
        if self.exists("tables", dataset, spec_id, "_current.json"):
            pointer = self.json("tables", dataset, spec_id, "_current.json")
            return pointer["parts"], pointer["provenance"]
        return {p: [p] for p in ("segments", "clips", "quarantine")}, "_provenance.json"

    def table_provenance(self, dataset, spec_id):
        """The _provenance.json of a table's published version."""
        return self.json("tables", dataset, spec_id, self._published(dataset, spec_id)[1])

    def feature_table(self, dataset, spec_id, part, columns=None, where=None, limit=None):
        """Records of one part (segments, clips, quarantine) of a table's published version, across its folders."""
        rows = []
        for folder in self._published(dataset, spec_id)[0][part]:
            rows += self.table("tables", dataset, spec_id, folder, columns=columns, where=where)
            if limit and len(rows) >= limit:
                break
        return rows[:limit] if limit else rows

    def runs(self, task):
        """Finished runs of a task (with model.json), oldest first by run id (run ids start with a UTC time)."""
        return [r for r in self.ls("runs", task) if self.exists("runs", task, r, "model.json")]
