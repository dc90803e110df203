"""The DuckDB store: one embedded file holding every loaded dataset in one canonical table.

Table `events` has the event record of DESIGN.md (`coding.record.EVENT_COLUMNS`, typed) plus
`dataset` (which load it came from), `source_event_id` (the origin's own id: ACLED
event_id_cnty, ICEWS Event ID, GDELT GLOBALEVENTID, evcode event_id) and `extra` (JSON: the
origin's columns that have no canonical home, e.g. ACLED notes and source). Missing values are
NULL, never ''. Table `datasets` has one row per load (schema, source file, rows, rejected,
loaded at).

Loading a dataset replaces it inside one transaction: running a load twice gives the same
table, and a load that fails half-way leaves the previous state as it was. DuckDB allows one
writing process per file; a second process gets one `StoreError` line naming the holder.

    >>> from coding.store import load_file, datasets
    >>> load_file("acled.csv", schema="acled", dataset="acled", db="evcode.duckdb")  # doctest: +SKIP
    LoadResult(dataset='acled', schema='acled', rows=2688, rejected=3312, ...)
    >>> datasets("evcode.duckdb")                                                     # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import pandas as pd

from coding import __version__
from coding.errors import StoreError, UsageError
from coding.record import EVENT_COLUMNS

DEFAULT_DB = "evcode.duckdb"
BATCH = 100_000

_INT = {"sentence_index", "span_start", "span_end", "time_precision", "quad_class", "inter1", "inter2",
        "interaction", "geo_precision", "fatalities"}
_FLOAT = {"goldstein", "latitude", "longitude"}
_DATE = {"event_date"}

#: Column name -> DuckDB type of the `events` table, in table order.
EVENTS_TABLE: dict[str, str] = {
    "dataset": "VARCHAR NOT NULL",
    **{c: "INTEGER" if c in _INT else "DOUBLE" if c in _FLOAT else "DATE" if c in _DATE else "VARCHAR"
       for c in EVENT_COLUMNS},
    "source_event_id": "VARCHAR",
    "extra": "JSON",
}
DATASETS_TABLE: dict[str, str] = {
    "dataset": "VARCHAR NOT NULL",
    "schema": "VARCHAR",
    "source": "VARCHAR",
    "rows": "BIGINT",
    "rejected": "BIGINT",
    "loaded_at": "TIMESTAMP",
    "evcode_version": "VARCHAR",
}
DATASET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def db_path(db: str | Path | None = None) -> Path:
    """The database file: `db`, else $EVCODE_DB, else ./evcode.duckdb."""
    if db is not None and str(db) != "":
        return Path(db)
    return Path(os.environ.get("EVCODE_DB") or DEFAULT_DB)


def _store_error(err: Exception, path: Path) -> StoreError:
    msg = str(err).splitlines()[0] if str(err) else type(err).__name__
    if "lock" in msg.lower():
        holder = re.search(r"held in (.+?) \(PID (\d+)\)", msg)
        who = f" (process {holder.group(2)}: {holder.group(1)})" if holder else ""
        return StoreError(f"{path}: the database is in use by another process{who}; wait for it to "
                          "finish, or pass another file with --db", reason="store_locked")
    if "not a valid duckdb" in msg.lower() or "database file" in msg.lower() and "invalid" in msg.lower():
        return StoreError(f"{path}: not a DuckDB database file; pass another --db path (evcode creates "
                          "a new file when it does not exist)", reason="store_invalid")
    return StoreError(f"{path}: cannot open the database ({msg})", reason="store_open")


@contextlib.contextmanager
def connect(db: str | Path | None = None, *, read_only: bool = False) -> Iterator[Any]:
    """Open the store (creating tables when writable); always closed on exit.

    Read-only opens need an existing file and let several readers share it; a writer holds it
    alone. A file held by another process raises `StoreError` (reason `store_locked`).
    """
    import duckdb

    path = db_path(db)
    if read_only and not path.exists():
        raise StoreError(f"{path}: no database here; load data first (evcode load FILE --dataset NAME) "
                         "or pass --db / set EVCODE_DB", reason="store_missing")
    if not read_only and path.parent != Path("") and not path.parent.exists():
        raise StoreError(f"{path}: the folder {path.parent} does not exist; create it or pass another --db",
                         reason="store_open")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except (duckdb.Error, OSError) as err:
        raise _store_error(err, path) from None
    spill = None
    try:
        try:
            spill = _private_spill_dir(con)
            con.execute("SET enable_progress_bar = false")  # DuckDB draws one on long queries: never on stdout
            if not read_only:
                _ensure_tables(con)
            elif not _has_table(con, "events"):
                raise StoreError(f"{path}: no events table; load data first (evcode load FILE --dataset NAME)",
                                 reason="store_empty")
        except duckdb.InterruptException:  # Ctrl-C while DuckDB set the connection up
            raise KeyboardInterrupt from None
        yield con
    finally:
        con.close()
        _remove_spill_dir(spill)


def _private_spill_dir(con: Any) -> Path | None:
    """Point DuckDB's spill files at a new folder of the system's temporary directory ($TMPDIR).

    DuckDB spills a query too big for memory into `<database>.tmp` beside the database (`.tmp`
    in the working directory for an in-memory one); a run that is killed there leaves gigabytes
    beside the user's data. A per-connection folder is removed on close whatever happened, and one
    left by a killed process is in the temporary directory, which the system cleans.
    """
    import duckdb

    try:
        path = Path(tempfile.mkdtemp(prefix="evcode-duckdb-"))
    except OSError:  # no usable temporary directory: DuckDB's own default is better than failing
        return None
    try:
        con.execute("SET temp_directory = '" + str(path).replace("'", "''") + "'")
    except duckdb.InterruptException:  # Ctrl-C while DuckDB ran it: an interruption, not a spilled database
        shutil.rmtree(path, ignore_errors=True)
        raise KeyboardInterrupt from None
    except duckdb.Error:  # the database is open twice in this process and already spilled: keep its folder
        shutil.rmtree(path, ignore_errors=True)
        return None
    except BaseException:  # Ctrl-C right here: the caller never learns the folder's name
        shutil.rmtree(path, ignore_errors=True)
        raise
    return path


def _remove_spill_dir(path: Path | None) -> None:
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)


def _has_table(con: Any, name: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'",
        [name]).fetchone()[0])


def _ensure_tables(con: Any) -> None:
    for table, cols in (("events", EVENTS_TABLE), ("datasets", DATASETS_TABLE)):
        if not _has_table(con, table):
            body = ", ".join(f"{_q(c)} {t}" for c, t in cols.items())
            con.execute(f"CREATE TABLE {table} ({body})")
            continue
        have = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main'",
            [table]).fetchall()}
        for c, t in cols.items():  # a newer evcode added columns: add them, NULL for old rows
            if c not in have:
                con.execute(f"ALTER TABLE {table} ADD COLUMN {_q(c)} {t.replace(' NOT NULL', '')}")


def check_dataset_name(name: str) -> str:
    if not DATASET_NAME.match(name or ""):
        raise UsageError(f"dataset name {name!r} is not allowed; use letters, digits, '_', '-' or '.' "
                         "(at most 64, starting with a letter or digit)")
    return name


# ---------------------------------------------------------------------------------------------
# writing


def _select_list(frame_cols: Iterable[str], extra_cols: list[str], typed: Iterable[str] = ()) -> str:
    """SELECT expressions turning a registered frame into `events` rows ('' -> NULL).

    Text columns are cast (TRY_CAST: validation already vetted them); `typed` columns (numbers,
    dates from a `to_canonical` mapping) are cast directly.
    """
    have = set(frame_cols)
    typed = set(typed)
    out = []
    for c, t in EVENTS_TABLE.items():
        if c == "extra":
            if extra_cols:
                pairs = ", ".join(f"'{k.replace(chr(39), chr(39) * 2)}', NULLIF(CAST({_q('x__' + k)} AS VARCHAR), '')"
                                  for k in extra_cols)
                out.append(f"json_object({pairs})")
            else:
                out.append("NULL")
        elif c == "dataset":
            out.append("$dataset")
        elif c not in have:
            out.append(f"CAST(NULL AS {t})")
        elif c in typed:
            out.append(f"CAST({_q(c)} AS {t})")
        elif t == "VARCHAR":
            out.append(f"NULLIF(CAST({_q(c)} AS VARCHAR), '')")
        elif t == "DATE":
            out.append(f"TRY_CAST(NULLIF(CAST({_q(c)} AS VARCHAR), '') AS DATE)")
        else:
            out.append(f"TRY_CAST(NULLIF(CAST({_q(c)} AS VARCHAR), '') AS {t})")  # casts ignore blanks
    return ", ".join(out)


def _insert_frame(con: Any, frame: Any, dataset: str, extra_cols: list[str]) -> None:
    """Insert an arrow table / pandas frame with canonical column names (and x__ extras)."""
    if isinstance(frame, pd.DataFrame):  # arrow scans much faster than pandas' object strings
        import pyarrow as pa

        frame = pa.Table.from_pandas(frame, preserve_index=False)
    import pyarrow as pa

    names = frame.column_names
    typed = [f.name for f in frame.schema if not (pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
                                                  or pa.types.is_null(f.type))]
    con.register("_evcode_batch", frame)
    try:
        con.execute(f"INSERT INTO events SELECT {_select_list(names, extra_cols, typed)} FROM _evcode_batch",
                    {"dataset": dataset})
    finally:
        con.unregister("_evcode_batch")


def _replace(con: Any, dataset: str, batches: Iterable[tuple[Any, list[str]]], meta: dict[str, Any]) -> int:
    """Delete `dataset` and insert `batches` in one transaction; roll back on any failure."""
    import duckdb

    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM events WHERE dataset = ?", [dataset])
        con.execute("DELETE FROM datasets WHERE dataset = ?", [dataset])
        for frame, extra_cols in batches:
            _insert_frame(con, frame, dataset, extra_cols)
        n = con.execute("SELECT count(*) FROM events WHERE dataset = ?", [dataset]).fetchone()[0]
        con.execute("INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?)", [
            dataset, meta.get("schema"), meta.get("source"), n, meta.get("rejected", 0),
            _dt.datetime.now().replace(microsecond=0), __version__])
        con.execute("COMMIT")
        return int(n)
    except BaseException as err:
        con.execute("ROLLBACK")
        if isinstance(err, duckdb.Error):
            raise StoreError(f"loading {dataset!r} failed, nothing changed ({str(err).splitlines()[0]})",
                             reason="store_write") from None
        raise


def write_events(events: Iterable[dict[str, Any]], *, db: Path | None, dataset: str) -> int:
    """Write coded event records (dicts with `EVENT_COLUMNS` keys) as dataset `dataset`.

    Replaces a dataset of that name in one transaction (idempotent); returns the number of rows.
    Used by `evcode code ... --format duckdb`.
    """
    import pyarrow as pa

    check_dataset_name(dataset)
    columns = list(EVENT_COLUMNS)
    schema = pa.schema([(c, pa.string()) for c in columns])

    def batches() -> Iterator[tuple[Any, list[str]]]:
        rows: list[dict[str, Any]] = []
        for ev in events:
            rows.append({c: None if ev.get(c) is None else str(ev.get(c)) for c in columns})
            if len(rows) >= BATCH:
                yield _with_source_id(pa.Table.from_pylist(rows, schema=schema)), []
                rows = []
        if rows:
            yield _with_source_id(pa.Table.from_pylist(rows, schema=schema)), []

    with connect(db) as con:
        return _replace(con, dataset, batches(), {"schema": "events", "source": "evcode code"})


def _with_source_id(table: Any) -> Any:
    return table.append_column("source_event_id", table.column("event_id"))


@dataclass
class LoadResult:
    """What `load_file` did: rows loaded, rows rejected (not loaded) and the validation result."""

    dataset: str
    schema: str
    db: Path
    rows: int
    rejected: int
    validation: Any = None


def load_file(
    path: str | Path,
    schema: str = "auto",
    dataset: str | None = None,
    db: str | Path | None = None,
    *,
    codebook: Any = None,
) -> LoadResult:
    """Validate `path`, map its valid rows to the canonical table and store them as `dataset`.

    Rejected rows are not loaded (`LoadResult.validation.rejects` has them with a reason).
    The dataset defaults to the file's stem. Raises `StoreError` when no row is valid (the old
    dataset is kept), `InputError` for unreadable files.
    """
    from coding.codebook import load_codebook
    from coding.sources import module
    from coding.validate import validate_file

    if not dataset and str(path) == "-":
        raise UsageError("reading stdin: name the dataset with --dataset NAME")
    name = check_dataset_name(dataset or Path(str(path)).stem.split(".")[0])
    cb = codebook or load_codebook()
    result = validate_file(path, schema, codebook=cb)
    if len(result.valid) == 0:
        raise StoreError(f"{result.path}: no valid rows ({len(result.rejects)} rejected); nothing loaded, "
                         f"dataset {name!r} unchanged. See why with: evcode validate {result.path}",
                         reason="store_nothing_valid")
    fmt = module(result.schema)
    batch = _canonical(result.valid, fmt, cb)
    with connect(db) as con:
        n = _replace(con, name, [batch], {"schema": result.schema, "source": str(result.path),
                                         "rejected": len(result.rejects)})
    return LoadResult(dataset=name, schema=result.schema, db=db_path(db), rows=n,
                      rejected=len(result.rejects), validation=result)


def _canonical(valid: pd.DataFrame, fmt: Any, cb: Any) -> tuple[Any, list[str]]:
    """(arrow table: canonical columns + source_event_id + x__extras, names of the extra columns).

    evcode's own format is already canonical: its strings go in as they are and the INSERT
    casts them (the same typing `to_canonical` does in pandas, several times faster). Every
    other format goes through its `to_canonical` mapping.
    """
    canon = None if getattr(fmt, "NAME", "") == "events" else fmt.to_canonical(valid, cb).reset_index(drop=True)
    import pyarrow as pa

    src = pa.Table.from_pandas(valid.reset_index(drop=True), preserve_index=False)
    can = src if canon is None else pa.Table.from_pandas(canon, preserve_index=False)
    out = {c: can.column(c) for c in can.column_names if c in EVENTS_TABLE and c not in ("dataset", "extra")}
    for c in EVENT_COLUMNS:  # columns the mapping does not carry (mode, trigger, ...) but the file has
        if c not in out and c in src.column_names:
            out[c] = src.column(c)
    key = getattr(fmt, "KEY", None)
    out["source_event_id"] = src.column(key) if key in src.column_names else can.column("event_id")
    known = set(EVENTS_TABLE) | {key}
    extra = [c for c in src.column_names if c not in known]
    for c in extra:
        out["x__" + c] = src.column(c)
    return pa.table(out), extra


# ---------------------------------------------------------------------------------------------
# reading

DATASET_COLUMNS = ("dataset", "rows", "first_date", "last_date", "countries", "loaded_at", "schema",
                   "source", "rejected")


def datasets(db: str | Path | None = None) -> pd.DataFrame:
    """One row per loaded dataset: rows, date range, number of countries, loaded at, source, schema."""
    with connect(db, read_only=True) as con:
        if not _has_table(con, "datasets"):
            return pd.DataFrame(columns=list(DATASET_COLUMNS))
        return con.execute("""
            WITH s AS (
                SELECT dataset, count(*) AS n, min(event_date) AS first_date, max(event_date) AS last_date,
                       count(DISTINCT country) AS countries
                FROM events GROUP BY dataset)
            SELECT d.dataset, coalesce(s.n, 0) AS rows, s.first_date, s.last_date,
                   coalesce(s.countries, 0) AS countries, d.loaded_at, d.schema, d.source, d.rejected
            FROM datasets d LEFT JOIN s USING (dataset)
            ORDER BY d.dataset""").fetchdf()


def drop_dataset(dataset: str, db: str | Path | None = None) -> int:
    """Remove a dataset; returns the number of rows deleted (StoreError if it is not there)."""
    with connect(db) as con:
        n = con.execute("SELECT count(*) FROM datasets WHERE dataset = ?", [dataset]).fetchone()[0]
        if not n:
            raise StoreError(f"no dataset {dataset!r} in {db_path(db)}; see evcode datasets",
                             reason="store_no_dataset")
        con.execute("BEGIN TRANSACTION")
        rows = con.execute("SELECT count(*) FROM events WHERE dataset = ?", [dataset]).fetchone()[0]
        con.execute("DELETE FROM events WHERE dataset = ?", [dataset])
        con.execute("DELETE FROM datasets WHERE dataset = ?", [dataset])
        con.execute("COMMIT")
        return int(rows)


# ---------------------------------------------------------------------------------------------
# Parquet in place


def _parquet_source(path: str) -> tuple[str, str]:
    """(dataset name, read_parquet(...) expression) for `NAME=PATH` or `PATH` (file, folder or glob)."""
    name, sep, rest = path.partition("=")
    if sep and DATASET_NAME.match(name) and not Path(path).exists():
        path = rest
    else:
        name = ""
    p = Path(path)
    glob = any(ch in path for ch in "*?[")
    if not glob and not p.exists():
        raise StoreError(f"{p}: no such Parquet file or folder; check the path (a --partition-by folder "
                         "or a glob like 'events/*.parquet' are fine)", reason="parquet_missing")
    if p.is_dir():
        pattern, hive = str(p / "**" / "*.parquet"), "true"
    else:
        pattern, hive = path, "true" if glob else "false"
    if not name:
        base = p.name if p.is_dir() else p.name.split(".")[0] if not glob else p.parent.name
        name = re.sub(r"[^A-Za-z0-9_.\-]", "_", base).lstrip("._-") or "parquet"
    check_dataset_name(name)
    lit = "'" + pattern.replace("'", "''") + "'"
    return name, f"read_parquet({lit}, hive_partitioning = {hive}, union_by_name = true)"


@contextlib.contextmanager
def connect_parquet(paths: Iterable[str | Path], *, threads: int | None = None) -> Iterator[Any]:
    """An in-memory DuckDB whose view `events` reads Parquet files in place, typed as the store's table.

    Each path is a file written by `evcode code -f parquet`, a `--partition-by` folder (Hive
    partitions), or a glob; `NAME=PATH` names its `dataset` (default: the file or folder name).
    Nothing is copied: the named queries run on the files directly.
    """
    import duckdb

    sources = [_parquet_source(str(p)) for p in paths]
    names = [n for n, _ in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise UsageError(f"two --parquet paths are both dataset {dupes[0]!r}; name them: --parquet NAME=PATH")
    con = duckdb.connect(":memory:")
    spill = None
    try:
        spill = _private_spill_dir(con)  # else DuckDB spills into ./.tmp
        con.execute("SET enable_progress_bar = false")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        selects = []
        for name, expr in sources:
            try:
                described = con.execute(f"DESCRIBE SELECT * FROM {expr}").fetchall()
            except duckdb.Error as err:
                raise StoreError(f"{expr}: cannot read it as Parquet ({str(err).splitlines()[0]})",
                                 reason="parquet_invalid") from None
            cols = {r[0]: r[1] for r in described}
            if "event_id" not in cols:
                raise StoreError(f"{expr}: no event_id column: not evcode event records (load other "
                                 "formats with evcode load)", reason="parquet_invalid")
            typed = [c for c, t in cols.items() if t != "VARCHAR"]
            # the store keeps the origin's id in source_event_id: for evcode output that is event_id
            cols["source_event_id"] = cols["event_id"]
            body = _select_list(cols, [], typed).replace("$dataset", "'" + name.replace("'", "''") + "'")
            selects.append(f"SELECT {body} FROM (SELECT *, event_id AS source_event_id FROM {expr})")
        columns = ", ".join(_q(c) for c in EVENTS_TABLE)
        con.execute(f"CREATE VIEW events ({columns}) AS " + " UNION ALL ".join(selects))
        yield con
    finally:
        con.close()
        _remove_spill_dir(spill)


__all__ = ["DEFAULT_DB", "EVENTS_TABLE", "LoadResult", "connect", "connect_parquet", "datasets", "db_path", "drop_dataset",
           "load_file", "write_events"]
