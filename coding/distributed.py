"""Coding on a Dask cluster: partitions of passages in, events (or Parquet files) out.

Coding is a pure function of (passage, codebook), so each Dask partition of passages is coded on
its own by whichever worker holds it, with the coder that worker process loaded once (from the
compiled cache on disk; `get_coder`). Needs the `dask` extra: `pip install 'evcode[dask]'`.

    >>> import dask.dataframe as dd
    >>> from coding.distributed import code_dask, code_to_parquet
    >>> passages = dd.read_parquet("/shared/articles/")                   # doctest: +SKIP
    >>> events = code_dask(passages, text_column="body", date_column="published")  # doctest: +SKIP
    >>> events.groupby("event_type").size().compute()                     # doctest: +SKIP
    >>> code_to_parquet("articles/*.jsonl", "events/", scheduler="tcp://10.0.0.5:8786",
    ...                 partition_by=["event_date"])                      # doctest: +SKIP

On a cluster, every worker needs evcode (the same version) installed, the input and output paths
must mean the same place on every machine (a shared file system or object storage), and
`--codebook` folders must be readable there too.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coding.errors import EvcodeError, InputError, UsageError
from coding.record import EVENT_COLUMNS, Passage

if TYPE_CHECKING:
    import pandas as pd

INSTALL_HINT = "pip install 'evcode[dask]'"
#: Bytes of JSONL/Parquet input per Dask partition (CSV: one partition per file, since quoted
#: newlines in news text make splitting a CSV file at arbitrary lines unsafe).
BLOCKSIZE = "64MB"

_coders: dict[tuple[str, ...], Any] = {}


class DaskMissing(EvcodeError):
    """The optional Dask dependencies are not installed."""

    reason = "dask_missing"


def _require_dask() -> None:
    try:
        import dask.dataframe  # noqa: F401
    except ImportError:
        raise DaskMissing(f"Dask is not installed; install it with: {INSTALL_HINT}") from None


def _require_distributed() -> None:
    _require_dask()
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise DaskMissing(f"dask.distributed is not installed; install it with: {INSTALL_HINT}") from None


def _coder(extra: tuple[str, ...]) -> Any:
    # get_coder hashes the codebook files on every call; once per worker process is enough
    if extra not in _coders:
        from coding.coder import get_coder

        _coders[extra] = get_coder(list(extra) or None)
    return _coders[extra]


def events_meta() -> pd.DataFrame:
    """The empty frame describing an events partition (column names and dtypes)."""
    from coding.io import _arrow_schema

    return _arrow_schema(list(EVENT_COLUMNS)).empty_table().to_pandas(types_mapper=_types_mapper)


def _types_mapper(t: Any) -> Any:
    import pandas as pd
    import pyarrow as pa

    if pa.types.is_int64(t):
        return pd.Int64Dtype()  # nullable: inter2, fatalities, ... may be missing
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return pd.StringDtype()
    return None


def _events_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pyarrow as pa

    from coding.io import _arrow_schema

    table = pa.Table.from_pylist(rows, schema=_arrow_schema(list(EVENT_COLUMNS)))
    return table.to_pandas(types_mapper=_types_mapper)


def _missing(v: Any) -> bool:
    import pandas as pd

    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _passages(df: pd.DataFrame, id_column: str, text_column: str, date_column: str, date: str | None,
              part: int, stats: Any, any_language: bool = False) -> Iterator[Passage]:
    """The passages of one partition, read as `coding.io.read_passages` reads a table's rows."""
    from coding.dates import parse_date
    from coding.io import _passage

    if text_column not in df.columns:
        cols = ", ".join(map(str, list(df.columns)[:12]))
        raise InputError(f"no text column {text_column!r} (columns: {cols}); pass --text-column NAME")
    default = parse_date(date) if date else None
    ids = df[id_column].tolist() if id_column in df.columns else [None] * len(df)
    dates = df[date_column].tolist() if date_column in df.columns else [None] * len(df)
    for i, (pid, text, d) in enumerate(zip(ids, df[text_column].tolist(), dates, strict=True)):
        if _missing(pid) or pid == "":
            pid = f"{part}.{i + 1}"  # partition.row: unique, stable for the same input and partitions
        if _missing(d) or d == "":
            d = default
        p = _passage(str(pid), "" if _missing(text) else text, d, f"partition {part} row {i + 1} (id {pid})", stats,
                     any_language=any_language)
        if p is not None:
            yield p


def _code_rows(passages: Iterable[Passage], extra: tuple[str, ...], country: str, primary: bool) -> list[dict[str, Any]]:
    coder = _coder(extra)
    out: list[dict[str, Any]] = []
    for p in passages:
        out.extend({k: ev.get(k) for k in EVENT_COLUMNS} for ev in coder.code_passage(p, country=country, primary=primary))
    return out


def _code_frame(df: pd.DataFrame, id_column: str, text_column: str, date_column: str, date: str | None,
                extra: tuple[str, ...], country: str, primary: bool, any_language: bool = False,
                partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    from coding.io import ReadStats

    part = (partition_info or {}).get("number", 0)
    passages = _passages(df, id_column, text_column, date_column, date, part, ReadStats(), any_language)
    return _events_frame(_code_rows(passages, extra, country, primary))


def _txt_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A partition of .txt paths -> id (file stem) / text rows, read on the worker."""
    import pandas as pd

    from coding.io import _read_text_file

    paths = [Path(p) for p in df["path"].tolist()]
    return pd.DataFrame({"id": [p.stem for p in paths], "text": [_read_text_file(p) for p in paths],
                         "date": [None] * len(paths)})


def read_passages_dask(source: str | Path, *, blocksize: str | int = BLOCKSIZE, npartitions: int | None = None) -> Any:
    """A Dask DataFrame of the passage table(s) at `source`, lazily read by the workers.

    `source`: a .csv/.tsv/.jsonl/.parquet file or a glob of them, a folder of .parquet files, or a
    folder of .txt passages (id = file stem). Values are read as the file holds them; `code_dask`
    turns them into passages as `evcode code` does.
    """
    _require_dask()
    import dask.dataframe as dd
    import pandas as pd

    s = str(source)
    p = Path(s)
    glob = any(ch in s for ch in "*?[")
    if not glob and not p.exists() and "://" not in s:
        raise InputError(f"{s}: no such file or directory; check the path")
    if p.is_dir():
        txt = sorted(str(f) for f in p.iterdir() if f.suffix.lower() == ".txt")
        if txt:
            paths = pd.DataFrame({"path": txt})
            n = npartitions or max(1, min(len(txt), math.ceil(len(txt) / 200)))
            frames = dd.from_pandas(paths, npartitions=n, sort=False)
            return frames.map_partitions(_txt_frame, meta={"id": "object", "text": "object", "date": "object"})
        if any(p.glob("**/*.parquet")):
            return dd.read_parquet(s)
        raise InputError(f"{s}: folder has no .txt or .parquet files; pass a table file, a glob or a folder of passages")
    suffix = Path(s.split("?")[0]).suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            return dd.read_csv(s, dtype=str, keep_default_na=False, na_values=[], blocksize=None,
                               sep="\t" if suffix == ".tsv" else ",", encoding="utf-8-sig")
        if suffix in (".jsonl", ".ndjson"):
            return dd.read_json(s, lines=True, blocksize=blocksize, dtype=False,
                                encoding="utf-8")
        if suffix == ".parquet":
            return dd.read_parquet(s)
    except (OSError, ValueError) as err:
        raise InputError(f"{s}: cannot read it with Dask ({str(err).splitlines()[0]})") from None
    raise UsageError(f"{s}: the Dask engine reads .csv, .tsv, .jsonl, .parquet (files, globs or folders) "
                     "and folders of .txt; convert the input or code it without --scheduler")


def code_dask(
    passages: Any,
    *,
    id_column: str = "id",
    text_column: str = "text",
    date_column: str = "date",
    date: str | None = None,
    country: str = "",
    primary: bool = False,
    codebooks: Iterable[Path | str] | None = None,
    any_language: bool = False,
) -> Any:
    """Code a Dask (or pandas) DataFrame of passages, or a path `read_passages_dask` reads.

    Passages the language check takes for non-English are skipped unless `any_language`.

    Returns a lazy Dask DataFrame of event records (`coding.record.EVENT_COLUMNS`), one output
    partition per input partition, rows in input order within each. Nothing runs until you
    compute it or write it (`.to_parquet(...)`, or `code_to_parquet` for evcode's layout).
    """
    _require_dask()
    import dask.dataframe as dd
    import pandas as pd

    if date:
        from coding.io import parse_date_option

        parse_date_option(date)
    if isinstance(passages, (str, Path)):
        passages = read_passages_dask(passages)
    elif isinstance(passages, pd.DataFrame):
        passages = dd.from_pandas(passages, npartitions=max(1, math.ceil(len(passages) / 1000)), sort=False)
    if text_column not in passages.columns:
        cols = ", ".join(map(str, list(passages.columns)[:12]))
        raise InputError(f"no text column {text_column!r} (columns: {cols}); pass --text-column NAME")
    extra = tuple(str(Path(p).resolve()) for p in (codebooks or []))
    return passages.map_partitions(_code_frame, id_column, text_column, date_column, date, extra, country,
                                   primary, any_language, meta=events_meta(), align_dataframes=False)


# -- writing Parquet on the workers ---------------------------------------------------------------


@dataclass
class DaskResult:
    """What `code_to_parquet` did."""

    passages: int
    skipped: int
    events: int
    files: int
    partitions: int
    scheduler: str


def _write_frame(df: pd.DataFrame, out: str, keys: list[str], id_column: str, text_column: str,
                 date_column: str, date: str | None, extra: tuple[str, ...], country: str, primary: bool,
                 any_language: bool = False, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    """Code one partition and write its events under `out` (one file per Hive partition touched)."""
    import pandas as pd

    from coding.io import PartitionedEventWriter, ReadStats

    part = (partition_info or {}).get("number", 0)
    stats = ReadStats()
    rows = _code_rows(_passages(df, id_column, text_column, date_column, date, part, stats, any_language), extra,
                      country, primary)
    # one flush for the whole partition: one file per Hive folder, named after the input partition
    writer = PartitionedEventWriter(out, keys, batch=max(1, len(rows)), name=f"part-{part:05d}.parquet",
                                    exist_ok=True)
    for r in rows:
        writer.write(r)
    writer.close()
    return pd.DataFrame({"passages": [stats.read], "skipped": [sum(stats.skipped.values())],
                         "events": [writer.count], "files": [writer.files]})


@contextlib.contextmanager
def dask_client(scheduler: str, workers: int | None = None) -> Iterator[tuple[Any, str]]:
    """A `distributed.Client` on `scheduler` (tcp://host:8786), or on a new LocalCluster for 'local'."""
    _require_distributed()
    from distributed import Client, LocalCluster

    from coding.parallel import default_workers

    if scheduler == "local":
        n = workers or default_workers()
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, \
                Client(cluster) as client:
            yield client, f"a local Dask cluster of {n} worker(s)"
        return
    if "://" not in scheduler and ":" not in scheduler:
        raise UsageError(f"--scheduler {scheduler!r}: give the scheduler's address, e.g. tcp://10.0.0.5:8786, "
                         "or 'local'")
    try:
        client = Client(scheduler, timeout="15s")
    except (OSError, TimeoutError) as err:
        raise EvcodeError(f"cannot reach the Dask scheduler at {scheduler} ({type(err).__name__}); is "
                          "`dask scheduler` running there and the port open?", reason="dask_unreachable") from None
    with client:
        yield client, f"the Dask scheduler at {scheduler}"


def code_to_parquet(
    source: Any,
    out: str | Path,
    *,
    scheduler: str | None = None,
    partition_by: Iterable[str] = (),
    id_column: str | None = None,
    text_column: str = "text",
    date_column: str | None = None,
    date: str | None = None,
    country: str = "",
    primary: bool = False,
    codebooks: Iterable[Path | str] | None = None,
    workers: int | None = None,
    any_language: bool = False,
) -> DaskResult:
    """Code `source` on Dask and write the events under folder `out` as Parquet, by the workers.

    `source` is what `code_dask` takes; `scheduler` a scheduler address, 'local' (a LocalCluster
    of `workers` processes) or None (the current Dask client or scheduler). Files are
    `out/part-00000.parquet`, ... (one per input partition, in input order), or with
    `partition_by` Hive folders as `evcode code --partition-by` writes them
    (`out/event_date=2016-12-07/part-00000.parquet`). `out` must be new or empty and, on a
    cluster, reachable by every worker. `id_column`/`date_column` None: `id`/`date` if there are
    such columns; a name given must be a column (InputError otherwise), as `read_passages` reads.
    """
    _require_dask()
    from coding.io import PartitionedEventWriter

    keys = list(partition_by)
    created = not Path(out).exists()
    PartitionedEventWriter(out, keys)  # checks the folder (new or empty) and the keys, then creates it
    try:
        return _code_to_parquet(source, out, scheduler=scheduler, keys=keys, id_column=id_column,
                                text_column=text_column, date_column=date_column, date=date, country=country,
                                primary=primary, codebooks=codebooks, workers=workers, any_language=any_language)
    except BaseException:
        if created and Path(out).is_dir() and not any(Path(out).iterdir()):
            Path(out).rmdir()  # nothing written: leave no empty folder behind
        raise


def _code_to_parquet(source: Any, out: str | Path, *, scheduler: str | None, keys: list[str], id_column: str | None,
                     text_column: str, date_column: str | None, date: str | None, country: str, primary: bool,
                     codebooks: Iterable[Path | str] | None, workers: int | None,
                     any_language: bool = False) -> DaskResult:
    if date:
        from coding.io import parse_date_option

        parse_date_option(date)
    passages = read_passages_dask(source) if isinstance(source, (str, Path)) else source
    if text_column not in passages.columns:
        cols = ", ".join(map(str, list(passages.columns)[:12]))
        raise InputError(f"{source}: no text column {text_column!r} (columns: {cols}); pass --text-column NAME")
    # a column the user named must exist; the default names are optional (as read_passages has it)
    for opt, col in (("--id-column", id_column), ("--date-column", date_column)):
        if col is not None and col not in passages.columns:
            cols = ", ".join(map(str, list(passages.columns)[:12]))
            raise InputError(f"{source}: no column {col!r} for {opt} (columns: {cols}); pass {opt} NAME")
    id_column = "id" if id_column is None else id_column
    date_column = "date" if date_column is None else date_column
    extra = tuple(str(Path(p).resolve()) for p in (codebooks or []))
    from coding.coder import get_coder, wait_for_cache

    get_coder(list(extra) or None)  # compile once here, so local workers find it in the disk cache
    wait_for_cache()
    import pandas as pd

    meta = pd.DataFrame({"passages": pd.Series(dtype="int64"), "skipped": pd.Series(dtype="int64"),
                         "events": pd.Series(dtype="int64"), "files": pd.Series(dtype="int64")})
    task = passages.map_partitions(_write_frame, str(Path(out).resolve()) if "://" not in str(out) else str(out),
                                   keys, id_column, text_column, date_column, date, extra, country, primary,
                                   any_language, meta=meta, align_dataframes=False)
    with (dask_client(scheduler, workers) if scheduler else contextlib.nullcontext((None, "Dask"))) as (_, where):
        try:
            stats = task.compute()
        except EvcodeError:
            raise
        except Exception as err:  # noqa: BLE001 -- a worker failure arrives here: one line, not a remote traceback
            msg = (str(err).strip().splitlines() or [""])[0]
            raise EvcodeError(f"coding on Dask failed: {type(err).__name__}: {msg}", reason="dask_failed") from None
    return DaskResult(passages=int(stats["passages"].sum()), skipped=int(stats["skipped"].sum()),
                      events=int(stats["events"].sum()), files=int(stats["files"].sum()),
                      partitions=int(passages.npartitions), scheduler=where)


__all__ = ["DaskResult", "code_dask", "code_to_parquet", "dask_client", "events_meta", "read_passages_dask"]
