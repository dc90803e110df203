"""Reading passages and writing event records.

Inputs: a .txt file (one passage, id = file stem), a directory of .txt files, a table
(.csv/.tsv/.jsonl/.parquet) with id/text/date columns, or '-' for stdin text. Reading streams:
tables are read in chunks so memory stays flat in input size.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from coding.dates import parse_date
from coding.errors import InputError, UsageError, check_unique_columns
from coding.language import looks_english
from coding.record import EVENT_COLUMNS, Passage

TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".parquet"}
CHUNK = 5_000


@dataclass
class ReadStats:
    """What reading saw: passages read and passages skipped, with reasons (reported at the end)."""

    read: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)

    def skip(self, reason: str, where: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1
        self.examples.setdefault(reason, where)

    def summary(self) -> str:
        parts = [f"{self.read} passage(s) read"]
        for reason, n in sorted(self.skipped.items()):
            parts.append(f"{n} skipped: {reason} (first: {self.examples[reason]})")
        return "; ".join(parts)


def _read_text_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror}); check the path and permissions") from None
    return _decode(data, str(path))


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name}: not UTF-8 text (byte {err.start}); convert it, e.g. `iconv -f latin1 -t utf-8`"
        ) from None


def _passage(pid: str, text: Any, date: Any, where: str, stats: ReadStats, meta: dict[str, Any] | None = None,
             any_language: bool = False) -> Passage | None:
    if text is None or (isinstance(text, float)) or not str(text).strip():
        stats.skip("empty passage", where)
        return None
    if not any_language and not looks_english(str(text)):
        # the rules read English only: say so instead of returning no events for it
        stats.skip("not English text (code it anyway with --any-language)", where)
        return None
    try:
        d = parse_date(date) if date not in (None, "") else None
    except (ValueError, TypeError):
        raise InputError(f"{where}: malformed date {date!r}; use YYYY-MM-DD") from None
    stats.read += 1
    return Passage(str(pid), str(text), d, meta or {})


def read_passages(
    source: str | Path,
    *,
    id_column: str | None = None,
    text_column: str = "text",
    date_column: str | None = None,
    date: str | None = None,
    stats: ReadStats | None = None,
    stdin: IO[str] | None = None,
    any_language: bool = False,
) -> Iterator[Passage]:
    """Yield passages from `source`; `date` is the default passage date (YYYY-MM-DD).

    Empty passages and, unless `any_language`, passages that are clearly not English are skipped
    and counted in `stats`. `id_column`/`date_column` None: the columns `id`/`date` if the table
    has them; a name given must be a column of the table (InputError otherwise).
    """
    stats = stats if stats is not None else ReadStats()
    # a column the user named must exist; the default names are optional (ids, dates then absent)
    named = [(opt, col) for opt, col in (("--id-column", id_column), ("--date-column", date_column)) if col is not None]
    id_column = "id" if id_column is None else id_column
    date_column = "date" if date_column is None else date_column
    default_date = parse_date_option(date) if date else None
    if str(source) == "-":
        buffer = getattr(sys.stdin, "buffer", None) if stdin is None else None
        # the bytes, decoded as a file's are: the text layer may take any byte (a C locale's
        # surrogateescape, a latin-1 locale) and so code mis-decoded text without a word
        text = _decode(buffer.read(), "stdin") if buffer is not None else (stdin or sys.stdin).read()
        p = _passage("stdin", text, default_date, "stdin", stats, any_language=any_language)
        if p:
            yield p
        return
    path = Path(source)
    if not path.exists():
        raise InputError(f"{path}: no such file or directory; check the path")
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".txt")
        if not files:
            raise InputError(f"{path}: directory has no .txt files; pass a file or a folder of .txt passages")
        for f in files:
            p = _passage(f.stem, _read_text_file(f), default_date, str(f), stats, any_language=any_language)
            if p:
                yield p
        return
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        p = _passage(path.stem, _read_text_file(path), default_date, str(path), stats, any_language=any_language)
        if p:
            yield p
        return
    first = True
    # event ids are built from passage ids: two rows with one id would give the same event ids
    seen: dict[str, int] = {}
    for i, row in _table_rows(path, suffix):
        where = f"{path} row {i}"
        if first:
            first = False
            for opt, col in named:
                if col not in row:
                    cols = ", ".join(list(row)[:12])
                    raise InputError(f"{path}: no column {col!r} for {opt} (columns: {cols}); pass {opt} NAME")
        if text_column not in row:
            cols = ", ".join(list(row)[:12])
            raise InputError(
                f"{path}: no text column {text_column!r} (columns: {cols}); pass --text-column NAME"
            )
        pid = row.get(id_column)
        if pid in (None, ""):
            pid = f"row{i}"  # not a bare number: it must not collide with a real id such as 3
        pid = str(pid)
        if pid in seen:
            raise InputError(f"{path}: passage id {pid!r} appears twice (rows {seen[pid]} and {i}); "
                             "give every passage its own id")
        if len(seen) < DUPLICATE_CHECK:
            seen[pid] = i
        d = row.get(date_column) if date_column in row else None
        if d in (None, "") and default_date:
            d = default_date
        value = row.get(text_column)
        if isinstance(value, (dict, list)):
            # str() would code the Python repr of the object ("{'en': ...}") as if it were the text
            kind = "object" if isinstance(value, dict) else "array"
            raise InputError(f"{where}: the {text_column!r} value is a JSON {kind}, not text; "
                             "give the passage text as a string")
        meta = {k: v for k, v in row.items() if k not in (text_column, id_column, date_column)}
        p = _passage(pid, row.get(text_column), d, where, stats, meta, any_language=any_language)
        if p:
            yield p


# passage ids remembered to catch one given twice: the first million (~150 MB at most); past them
# the check stops, so that memory stays flat however long the input (a GDELT-scale stream)
DUPLICATE_CHECK = 1_000_000

# the csv module refuses a field over 128 KB by default; a passage may be a whole report (as a
# .txt or .jsonl one may), so the limit is the largest the C reader takes on every platform
CSV_FIELD_LIMIT = 2**31 - 1


def _table_rows(path: Path, suffix: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of a table as dicts of strings, streamed; row numbers count data rows from 1."""
    try:
        if suffix in (".csv", ".tsv"):
            if csv.field_size_limit() < CSV_FIELD_LIMIT:
                csv.field_size_limit(CSV_FIELD_LIMIT)
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh, delimiter="\t" if suffix == ".tsv" else ",")
                if reader.fieldnames is None:
                    raise InputError(f"{path}: empty file; expected a header row with id/text/date columns")
                check_unique_columns(str(path), reader.fieldnames)
                for i, row in enumerate(reader, 1):
                    if None in row:
                        raise InputError(f"{path} row {i}: more fields than header columns; check the delimiter and quoting")
                    yield i, row
        elif suffix in (".jsonl", ".ndjson"):
            with path.open(encoding="utf-8-sig") as fh:
                for i, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError as err:
                        raise InputError(f"{path} line {i}: invalid JSON ({err.msg}); one JSON object per line") from None
                    if not isinstance(obj, dict):
                        raise InputError(f"{path} line {i}: expected a JSON object with id/text/date fields")
                    yield i, obj
        else:  # parquet, in record batches
            import pyarrow.parquet as pq

            try:
                pf = pq.ParquetFile(path)
            except Exception as err:  # pyarrow raises several types for a bad file
                raise InputError(f"{path}: not a readable Parquet file ({type(err).__name__}); re-export it") from None
            check_unique_columns(str(path), pf.schema_arrow.names)
            i = 0
            for batch in pf.iter_batches(batch_size=CHUNK):
                for row in batch.to_pylist():
                    i += 1
                    yield i, {k: ("" if v is None else v) for k, v in row.items()}
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 (byte {err.start}); convert it to UTF-8") from None
    except csv.Error as err:
        raise InputError(f"{path}: cannot parse CSV ({err}); check quoting") from None


def parse_date_option(date: str) -> dt.date:
    """The `--date` option: a real date, not after today (events dated after it fail validation,
    and a report cannot be published in the future)."""
    try:
        day = parse_date(date)
    except ValueError:
        raise UsageError(f"--date {date!r} is not a date; use YYYY-MM-DD") from None
    if day > dt.date.today():
        raise UsageError(f"--date {date} is after today; give the date the passages were published")
    return day


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when `a` and `b` name one file (links and relative paths resolved); '-' is never a file."""
    if str(a) == "-" or str(b) == "-":
        return False
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    return Path(a).resolve() == Path(b).resolve()


def refuse_overwrite(outputs: Iterable[tuple[str, str | Path | None]],
                     inputs: Iterable[tuple[str, str | Path | None]]) -> None:
    """Raise `UsageError` before anything is read when an output would replace an input or another
    output: writing starts by truncating the file, so the rows still to be read (or written by the
    other option) would be lost.

    `outputs` are (option, path) pairs such as ("-o", "out.csv"); `inputs` are (what, path) pairs
    such as ("the input file", "in.csv"). None and '-' are skipped.
    """
    outs = [(flag, p) for flag, p in outputs if p is not None and str(p) != "-"]
    ins = [(what, p) for what, p in inputs if p is not None and str(p) != "-"]
    for flag, out in outs:
        for what, src in ins:
            if same_file(out, src):
                raise UsageError(f"{flag} {out} is {what}; write the output elsewhere")
    for i, (flag, out) in enumerate(outs):
        for flag2, out2 in outs[i + 1:]:
            if same_file(out, out2):
                raise UsageError(f"{flag} {out} and {flag2} {out2} are the same file; give each its own name")


# -- writing ---------------------------------------------------------------------------------------
FORMATS = ("csv", "jsonl", "parquet", "table")
# what a person reading events in a terminal wants to see first (--format table)
TABLE_COLUMNS = ("event_id", "event_date", "cameo_code", "sub_event_type", "actor1_text", "actor2_text",
                 "admin1", "location", "fatalities", "rule_id")


def _clean(v: Any) -> Any:
    return "" if v is None else v


class EventWriter:
    """Streams event records to csv/jsonl (row by row) or parquet (in batches)."""

    def __init__(self, target: str | Path, fmt: str, columns: Iterable[str] = EVENT_COLUMNS) -> None:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.fmt = fmt
        self.columns = list(columns)
        self.count = 0
        self._batch: list[dict[str, Any]] = []
        self._pq = None
        to_stdout = str(target) == "-"
        if fmt == "parquet" and to_stdout:
            self._fh: Any = sys.stdout.buffer
        elif to_stdout:
            self._fh = sys.stdout
        else:
            # written under a temporary name and renamed by close(): a run that fails half-way leaves
            # no file that looks complete (abort() removes it)
            self._target = Path(target)
            if self._target.is_dir():
                raise InputError(f"{target}: is a folder; pass a file name for -o")
            self._partial = self._target.with_name(f".{self._target.name}.partial")
            try:
                self._fh = open(self._partial, "wb" if fmt == "parquet" else "w",
                                **({} if fmt == "parquet" else {"newline": "", "encoding": "utf-8"}))
            except OSError as err:
                raise InputError(f"{target}: cannot write ({err.strerror}); check the folder exists") from None
        self._own = not to_stdout
        if fmt == "csv":
            # a plain writer fed the values in column order: a DictWriter builds a dict and then a
            # list per row, which made writing a tenth of the parent's work with several workers
            self._csv = csv.writer(self._fh, lineterminator="\n")
            self._csv.writerow(self.columns)

    def write(self, row: dict[str, Any]) -> None:
        self.count += 1
        if self.fmt == "table":
            self._batch.append({k: _clean(row.get(k)) for k in TABLE_COLUMNS})
        elif self.fmt == "csv":
            self._csv.writerow(map(row.get, self.columns))  # the csv module writes None as ""
        elif self.fmt == "jsonl":
            self._fh.write(json.dumps({k: row.get(k) for k in self.columns}, ensure_ascii=False) + "\n")
        else:
            self._batch.append({k: row.get(k) for k in self.columns})
            if len(self._batch) >= CHUNK:
                self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._batch and self._pq is not None:
            return
        table = pa.Table.from_pylist(self._batch, schema=_arrow_schema(self.columns))
        if self._pq is None:
            self._pq = pq.ParquetWriter(self._fh, table.schema)
        self._pq.write_table(table)
        self._batch = []

    def _table(self) -> None:
        """An aligned text table of the main columns (for people; not streamed)."""
        rows = [[str(r[c]) for c in TABLE_COLUMNS] for r in self._batch]
        widths = [min(40, max([len(c)] + [len(r[i]) for r in rows])) for i, c in enumerate(TABLE_COLUMNS)]
        for line in [list(TABLE_COLUMNS)] + rows:
            self._fh.write("  ".join(v[:w].ljust(w) for v, w in zip(line, widths)).rstrip() + "\n")

    def close(self) -> None:
        if self.fmt == "table":
            self._table()
        if self.fmt == "parquet":
            self._flush()
            if self._pq is not None:
                self._pq.close()
        if self._own:
            self._fh.close()
            try:
                self._partial.replace(self._target)
            except OSError as err:
                self._partial.unlink(missing_ok=True)
                raise InputError(f"{self._target}: cannot write ({err.strerror}); check the folder") from None
        else:
            self._fh.flush()

    def abort(self) -> None:
        """After an error: close without leaving a partial output file behind."""
        if self._own:
            self._fh.close()
            self._partial.unlink(missing_ok=True)


_INT_COLS = {"sentence_index", "span_start", "span_end", "time_precision", "quad_class", "inter1", "inter2",
             "interaction", "geo_precision", "fatalities"}
_FLOAT_COLS = {"goldstein", "latitude", "longitude"}


def _arrow_schema(columns: list[str]) -> Any:
    import pyarrow as pa

    return pa.schema([
        (c, pa.int64() if c in _INT_COLS else pa.float64() if c in _FLOAT_COLS else pa.string()) for c in columns
    ])


# -- partitioned Parquet -------------------------------------------------------------------------
#: What `--partition-by` accepts: the event date (one folder per day), its year or month
#: (YYYY, YYYY-MM: folders named year=/month=, the event_date column stays in the files), or the country.
PARTITION_KEYS = ("event_date", "year", "month", "country")
#: Hive's name for the partition of rows whose key is missing (Spark, DuckDB and pyarrow read it as NULL).
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
PARTITION_BATCH = 100_000


def parse_partition_by(spec: str) -> list[str]:
    """'event_date' or 'country,year' -> the partition keys, in folder order (UsageError if unknown)."""
    keys = [k.strip() for k in spec.split(",") if k.strip()]
    bad = [k for k in keys if k not in PARTITION_KEYS]
    if not keys or bad:
        raise UsageError(f"--partition-by {spec!r}: choose from {', '.join(PARTITION_KEYS)} "
                         "(comma-separated, e.g. country,year)")
    if len(set(keys)) != len(keys):
        raise UsageError(f"--partition-by {spec!r} names a key twice")
    if "event_date" in keys and ({"year", "month"} & set(keys)):
        raise UsageError("--partition-by: event_date already fixes the year and month; use one of them")
    return keys


def _partition_value(value: Any) -> str:
    if value is None or value == "":
        return NULL_PARTITION
    # Hive escapes what cannot stand in a folder name as %XX (pyarrow and DuckDB decode it)
    return "".join(c if c.isalnum() or c in " -_.,'()" else "%" + "%".join(f"{b:02X}" for b in c.encode())
                   for c in str(value))


class PartitionedEventWriter:
    """Streams event records into a directory of Parquet files, Hive-partitioned by `keys`.

    `OUT/event_date=2016-12-07/part-00000.parquet`: rows are buffered as Arrow (at most `batch` rows,
    so memory stays flat), then each partition's rows of the batch are written as one more file,
    in input order. A key that is an event column (event_date, country) lives in the folder names
    only, as Hive does; year/month folders are derived from event_date, which stays in the files.
    Read it back with DuckDB `read_parquet('OUT/**/*.parquet', hive_partitioning = true)`, or
    `coding.io.read_events(OUT)`.
    """

    def __init__(self, directory: str | Path, keys: Iterable[str], columns: Iterable[str] = EVENT_COLUMNS,
                 batch: int = PARTITION_BATCH, name: str = "part-{n:05d}.parquet", exist_ok: bool = False) -> None:
        self.keys = list(keys)
        for k in self.keys:
            if k not in PARTITION_KEYS:
                raise UsageError(f"unknown partition key {k!r}; choose from {', '.join(PARTITION_KEYS)}")
        self.dir = Path(directory)
        if str(directory) == "-":
            raise UsageError("--partition-by writes a directory of Parquet files, not stdout: pass -o DIR")
        if self.dir.exists() and not self.dir.is_dir():
            raise UsageError(f"{self.dir}: is a file; --partition-by needs a directory for -o")
        if not exist_ok and self.dir.is_dir() and any(self.dir.iterdir()):
            raise InputError(f"{self.dir}: directory is not empty; remove it or choose a new -o directory "
                             "(partitions are never mixed with an earlier run)")
        if not exist_ok and not self.dir.parent.is_dir():
            raise InputError(f"{self.dir}: the folder {self.dir.parent} does not exist; create it first")
        self._created = not self.dir.exists()
        self.dir.mkdir(parents=exist_ok, exist_ok=True)
        self._written: list[Path] = []
        self.name = name
        self.columns = list(columns)
        self.file_columns = [c for c in self.columns if c not in self.keys]
        self.batch = batch
        self.count = 0
        self.files = 0
        self._rows: list[dict[str, Any]] = []
        self._tables: list[Any] = []
        self._buffered = 0
        self._parts: dict[str, int] = {}

    def write(self, row: dict[str, Any]) -> None:
        self.count += 1
        self._rows.append({k: row.get(k) for k in self.columns})
        if len(self._rows) >= min(CHUNK, self.batch):
            self._to_arrow()
            if self._buffered >= self.batch:
                self._flush()

    def _to_arrow(self) -> None:
        import pyarrow as pa

        if self._rows:
            self._tables.append(pa.Table.from_pylist(self._rows, schema=_arrow_schema(self.columns)))
            self._buffered += len(self._rows)
            self._rows = []

    def _key_values(self, table: Any) -> list[list[Any]]:
        out = []
        for k in self.keys:
            col = "event_date" if k in ("year", "month") else k
            values = table.column(col).to_pylist()
            if k == "year":
                values = [v[:4] if v else None for v in values]
            elif k == "month":
                values = [v[:7] if v else None for v in values]
            out.append(values)
        return out

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._to_arrow()
        if not self._tables:
            return
        table = pa.concat_tables(self._tables)
        self._tables, self._buffered = [], 0
        groups: dict[tuple[Any, ...], list[int]] = {}
        if not self.keys:  # no partitions: the batch is one more file in the folder
            groups[()] = list(range(table.num_rows))
        for i, combo in enumerate(zip(*self._key_values(table))):
            groups.setdefault(combo, []).append(i)
        body = table.select(self.file_columns)
        for combo, rows in groups.items():
            rel = "/".join(f"{k}={_partition_value(v)}" for k, v in zip(self.keys, combo))
            n = self._parts.get(rel, 0)
            self._parts[rel] = n + 1
            folder = self.dir / rel
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / self.name.format(n=n)
            pq.write_table(body.take(pa.array(rows, pa.int64())), target)
            self._written.append(target)
            self.files += 1

    def close(self) -> None:
        self._flush()

    def abort(self) -> None:
        """After an error: remove what this writer wrote (its folder was new or empty), so no
        partial set of partitions is taken for a complete one."""
        for f in self._written:
            f.unlink(missing_ok=True)
        for folder in sorted({f.parent for f in self._written}, key=lambda p: len(p.parts), reverse=True):
            while folder != self.dir and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        if self._created and self.dir.is_dir() and not any(self.dir.iterdir()):
            self.dir.rmdir()


def read_events(path: str | Path) -> Any:
    """Events written by `evcode code -f parquet` (a file, or a `--partition-by` directory) as a DataFrame.

    Partition folders come back as text columns (event_date and country '' when missing, as in an
    unpartitioned file; year/month last); rows in file order (partition by partition).
    """
    import pyarrow as pa
    import pyarrow.dataset as ds

    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file or directory; check the path")
    part = None
    if p.is_dir():
        # The keys, read off the first file's folders, as text: pyarrow's own inference gives
        # dictionaries pandas cannot take with a NULL (__HIVE_DEFAULT_PARTITION__) key, and fails
        # outright when every value of a key is NULL.
        first = next(iter(sorted(p.rglob("*.parquet"))), None)
        keys = [seg.split("=", 1)[0] for seg in first.relative_to(p).parts[:-1] if "=" in seg] if first else []
        part = ds.HivePartitioning(pa.schema([(k, pa.string()) for k in keys]), null_fallback=NULL_PARTITION)
    dataset = ds.dataset(str(p), format="parquet", partitioning=part)
    df = dataset.to_table().to_pandas()
    keys = dataset.partitioning.schema.names if dataset.partitioning is not None else []
    for k in ("event_date", "country"):  # a key's missing value is a NULL folder; in files it is ''
        if k in keys:
            df[k] = df[k].astype(object).where(df[k].notna(), "").astype(str)
    first = [c for c in EVENT_COLUMNS if c in df.columns]
    return df[first + [c for c in df.columns if c not in first]]
