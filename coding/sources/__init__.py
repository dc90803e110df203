"""Readers for event data files: evcode output, ACLED, ICEWS and GDELT exports.

One module per format (`events`, `acled`, `icews`, `gdelt`); each has `read`, `schema` and
`to_canonical` (the mapping into evcode's canonical event table, used by the DuckDB store).
This package holds what they share: reading CSV/TSV/JSONL/Parquet as strings (codes keep their
leading zeros), one-line errors for files that cannot be parsed, and format detection.

    >>> from coding import sources
    >>> table = sources.read_table("acled_2022.csv")          # doctest: +SKIP
    >>> sources.detect(table.columns, table.has_header)       # doctest: +SKIP
    'acled'
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import lzma
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from coding.errors import InputError, UsageError, check_unique_columns

FORMATS = ("events", "acled", "icews", "gdelt1", "gdelt2")
FILE_KINDS = ("csv", "tsv", "jsonl", "parquet")


def module(name: str) -> Any:
    """The module (or GDELT version object) that reads and checks format `name`.

    Each has NAME, KEY, COLUMNS, REQUIRED, `read(path) -> Table`, `schema(cb, columns)` and
    `to_canonical(frame, cb)`.
    """
    from coding.sources import acled, events, gdelt, icews

    mods = {"events": events, "acled": acled, "icews": icews, "gdelt1": gdelt.GDELT1,
            "gdelt2": gdelt.GDELT2}
    if name not in mods:
        raise UsageError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return mods[name]


@dataclass
class Table:
    """A file read as strings: `frame` has one str column per field, '' for empty cells."""

    frame: pd.DataFrame
    path: str
    kind: str  # csv | tsv | jsonl | parquet
    has_header: bool = True

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]


_COMPRESSED = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def _name(path: str | Path) -> str:
    return "stdin" if str(path) == "-" else str(path)


def _read_bytes_head(path: str | Path, n: int = 65536) -> bytes:
    if str(path) == "-":
        return b""
    try:
        with open(path, "rb") as fh:
            return fh.read(n)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; pass a file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; check the file's permissions") from None


def kind_of(path: str | Path, head: bytes = b"") -> str:
    """csv | tsv | jsonl | parquet, from the extension, else from the first bytes."""
    suffixes = [s.lower() for s in Path(str(path)).suffixes]
    suffix = suffixes[-1] if suffixes else ""
    if suffix in (".gz", ".zip", ".bz2", ".xz", ".zst") and len(suffixes) > 1:
        suffix = suffixes[-2]
    if suffix == ".parquet" or head.startswith(b"PAR1"):
        return "parquet"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".tsv", ".tab"):
        return "tsv"
    if suffix == ".csv":
        return "csv"
    first = head.split(b"\n", 1)[0]
    if first.lstrip().startswith(b"{"):
        return "jsonl"
    return "tsv" if first.count(b"\t") > first.count(b",") else "csv"


def as_strings(df: pd.DataFrame) -> pd.DataFrame:
    """Typed columns (Parquet, JSON) -> strings as a CSV would hold them; missing -> ''."""
    out = {}
    for c in df.columns:
        s = df[c]
        if s.dtype != object and pd.api.types.is_string_dtype(s.dtype):
            out[str(c)] = s.fillna("")  # already strings: the common case, keep it cheap
            continue
        if pd.api.types.is_float_dtype(s) and s.dropna().mod(1).eq(0).all():
            s = s.astype("Int64")  # 3.0 -> "3": JSON/Parquet floats that are whole numbers
        if pd.api.types.is_bool_dtype(s):
            s = s.map({True: "true", False: "false"})
        if s.dtype == object:
            out[str(c)] = s.where(s.notna(), "").astype(str)
        else:
            out[str(c)] = s.astype("string").fillna("").astype(str)
    return pd.DataFrame(out, index=df.index)


_ARROW_CSV_SKIP = (".gz", ".bz2", ".xz", ".zip", ".zst", ".tar")


def _read_csv_arrow(path: str | Path, data: bytes | None, sep: str, header: bool,
                    first_line: str) -> pd.DataFrame | None:
    """The file as `pd.read_csv(dtype=str, keep_default_na=False)` reads it, with pyarrow's CSV
    reader (several times faster, multi-threaded); None where pandas must decide instead.

    Only plain (uncompressed) files that end with a newline and whose every row has the
    header's number of fields: any parse error (short/long rows, bad UTF-8) or a quote left open
    returns None, so pandas reads the file and gives its usual message. Empty or repeated header names (which pandas renames)
    and header-only files also go to pandas. Quoting is the same: CSV fields may be quoted
    (doubled quotes inside, newlines allowed), TSV fields never are; a BOM is dropped.
    """
    if data is None and Path(str(path)).suffix.lower() in _ARROW_CSV_SKIP:
        return None
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        n = first_line.count(sep) + 1  # an upper bound on the number of fields
        table = pacsv.read_csv(
            io.BytesIO(data) if data is not None else str(path),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char=False if sep == "\t" else '"',
                                             double_quote=True, escape_char=False,
                                             newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(n)},
                                                 strings_can_be_null=False, null_values=[]),
        )
    except Exception:  # noqa: BLE001 - pandas reads it and reports what is wrong
        return None
    if any(not pa.types.is_string(t) for t in table.schema.types) or not table.num_rows:
        return None
    # pandas refuses a quote left open at the end of the file; pyarrow takes the rest of the file
    # as the last field, newline included. So a last field ending in a newline, or a file that
    # does not end with one, goes to pandas.
    last = table.column(table.num_columns - 1)[-1].as_py() or ""
    end = data[-1:] if data is not None else _tail(path, None, 1)
    if last.endswith(("\n", "\r")) or end not in (b"\n", b"\r"):
        return None
    if header:
        if table.num_rows < 2:
            return None
        names = [str(v) for v in table.slice(0, 1).to_pylist()[0].values()]
        if any(not name for name in names) or len(set(names)) != len(names):
            return None
        table = table.slice(1).rename_columns(names)
    else:
        if table.num_rows < 1:
            return None
        table = table.rename_columns([str(i) for i in range(table.num_columns)])
    frame = table.to_pandas()
    if not all(isinstance(t, pd.StringDtype) for t in frame.dtypes):
        return None
    return frame


def _delimiter(first_line: str, kind: str, path: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        return "\t" if kind == "tsv" else ","
    if best in (";", "|") and counts[best] > max(counts[","], counts["\t"]):
        name = "semicolon" if best == ";" else "pipe"
        raise InputError(
            f"{path}: fields are separated by '{best}' ({name}), not commas or tabs; "
            "save the file as CSV (comma) or TSV (tab) and run again"
        )
    return "\t" if counts["\t"] > counts[","] else ","


def read_table(path: str | Path, *, header: bool | None = None) -> Table:
    """Read `path` (`-` = stdin) as strings; raise a one-line `InputError` if it cannot be parsed.

    `header=None` decides from the first line: a first field that is a plain number (GDELT's
    GLOBALEVENTID) means the file has no header row.
    """
    name = _name(path)
    if str(path) == "-":
        data: bytes | None = sys.stdin.buffer.read()
        head = data[:65536]
        source: object = io.BytesIO(data)
    else:
        data = None
        head = _read_bytes_head(path)
        source = path
        opener = _COMPRESSED.get(Path(str(path)).suffix.lower())
        if opener is not None and head:
            try:  # look at the decompressed start; pandas decompresses the whole file itself
                with opener(path, "rb") as fh:
                    head = fh.read(65536)
            except (OSError, EOFError, ValueError) as err:
                raise InputError(f"{name}: cannot decompress ({err}); re-download the file") from None
    kind = kind_of(path, head)
    if not head and str(path) != "-":
        raise InputError(f"{name}: the file is empty; expected a header row and data rows")
    if kind == "parquet":
        try:
            frame = pd.read_parquet(source)  # type: ignore[arg-type]
        except Exception as err:  # pyarrow raises several types for damaged files
            raise InputError(f"{name}: not a readable Parquet file ({str(err).splitlines()[0]}); "
                             "re-export it or pass a CSV") from None
        check_unique_columns(name, [str(c) for c in frame.columns])
        return Table(as_strings(frame), name, kind)
    if b"\x00" in head:
        raise InputError(f"{name}: binary data, not text; pass a UTF-8 CSV, TSV, JSONL or Parquet file")
    try:
        text_head = head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 4:  # a multi-byte char cut by the 64k window is fine
            raise InputError(f"{name}: not UTF-8 (byte {err.start}); save the file as UTF-8") from None
        text_head = head[: err.start].decode("utf-8")
    if kind == "jsonl":
        try:
            frame = pd.read_json(source, lines=True, dtype=False)  # type: ignore[arg-type]
        except ValueError as err:
            raise InputError(f"{name}: not JSON Lines ({str(err).splitlines()[0]}); "
                             "write one JSON object per line") from None
        return Table(as_strings(frame), name, kind)
    first = text_head.split("\n", 1)[0].rstrip("\r")
    sep = _delimiter(first, kind, name)
    kind = "tsv" if sep == "\t" else "csv"
    if header is None:
        header = not first.split(sep, 1)[0].strip().lstrip("\ufeff").isdigit()
    if header:
        # the readers rename a repeated name ("fatalities.1"): which one the schema checks would be a guess
        names = next(csv.reader([first.lstrip("\ufeff")], delimiter=sep,
                                quoting=csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL), [])
        check_unique_columns(name, names)
    frame = _read_csv_arrow(path, data, sep, bool(header), first)
    try:
        if frame is None:  # pandas: anything the fast reader declined or could not parse
            frame = pd.read_csv(
                source,  # type: ignore[arg-type]
                sep=sep,
                dtype=str,
                header=0 if header else None,
                keep_default_na=False,
                na_filter=False,
                encoding="utf-8-sig",  # a BOM (Excel's "CSV UTF-8") must not stick to the first column
                quoting=3 if sep == "\t" else 0,  # TSV exports do not quote: a stray " is data
                low_memory=False,
            )
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: not UTF-8 ({err.reason} at byte {err.start}); save the file as UTF-8") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{name}: the file is empty; expected a header row and data rows") from None
    except pd.errors.ParserError as err:
        msg = str(err).splitlines()[0]
        if "EOF" in msg:
            raise InputError(f"{name}: the file ends inside a quoted field (truncated?); "
                             "re-download it or close the quote on the last line") from None
        raise InputError(f"{name}: cannot parse as {'TSV' if sep == chr(9) else 'CSV'} ({msg}); "
                         "check the delimiter and quoting") from None
    if not header:
        frame.columns = [str(i) for i in range(frame.shape[1])]
    _check_last_line(name, _tail(path, data if str(path) == "-" else None), sep, frame, header)
    return Table(frame, name, kind, has_header=bool(header))


def _tail(path: str | Path, data: bytes | None, n: int = 65536) -> bytes:
    if data is not None:
        return data[-n:]
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - n))
        return fh.read()


def _check_last_line(name: str, tail: bytes, sep: str, frame: pd.DataFrame, header: bool) -> None:
    """A file cut short ends without a newline in a line with fewer fields than the header."""
    if not tail or Path(name).suffix.lower() in _COMPRESSED or tail.endswith((b"\n", b"\r")) or not len(frame):
        return
    last = tail.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")
    fields = len(next(csv.reader([last], delimiter=sep, quoting=csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL)))
    if fields < frame.shape[1]:
        line = len(frame) + (1 if header else 0)
        raise InputError(f"{name}: the file is truncated: line {line} has {fields} of {frame.shape[1]} "
                         "fields; re-download it or delete the partial last line")


def detect(columns: Iterable[str], has_header: bool = True) -> str | None:
    """The format name for a header (or a headerless column count), or None if unknown."""
    cols = set(columns)
    if not has_header:
        n = len(cols)
        return {61: "gdelt2", 58: "gdelt1", 57: "gdelt1"}.get(n)
    if "event_id_cnty" in cols:
        return "acled"
    if {"Event ID", "CAMEO Code"} <= cols:
        return "icews"
    if "GLOBALEVENTID" in cols:
        return "gdelt2" if "ActionGeo_ADM2Code" in cols else "gdelt1"
    if {"event_id", "cameo_code"} <= cols:
        return "events"
    return None
