"""Validate event data files against the pandera schemas in `coding.schemas`.

`validate_file(path)` reads a file as strings, picks the schema (or detects it from the header
or column count), runs every check of that pandera schema vectorised over the whole frame, and
returns a `ValidationResult`: the rows that pass, the rows that fail (unchanged, plus a `reason`
column), and one failure per (row, check) with a sentence a person understands. Nothing is
lost: `len(valid) + len(rejects) == len(frame)` always.

The checks are pandera `Check` objects; we call their functions ourselves instead of
`schema.validate(lazy=True)` because pandera melts every failing row of a wide check into one
failure case per column, which takes minutes on a million-row ACLED file with a misspelled
column. The result is the same table pandera would give, de-duplicated per (row, check).

    >>> from coding.validate import validate_file
    >>> result = validate_file("acled.csv")                    # doctest: +SKIP
    >>> result.schema, len(result.valid), len(result.rejects)  # doctest: +SKIP
    ('acled', 2688, 3312)
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
import pandera.pandas as pa

from coding.codebook import Codebook, load_codebook
from coding.errors import InputError, UsageError
from coding.schemas import CHECK_COLUMNS, SCHEMA_NAMES, factor_scope, get_schema
from coding.sources import Table, detect, module, read_table

FAILURE_COLUMNS = ("row", "key", "column", "check", "value", "message")
SUMMARY_COLUMNS = ("check", "column", "failures", "message")
OUTPUT_FORMATS = ("csv", "tsv", "jsonl", "parquet")
REASON = "reason"


@dataclass
class ValidationResult:
    """What `validate_file` found.

    `failures` has one row per (row, check): `row` is the 1-based data row (the header is not
    counted), `key` the row's id (event_id_cnty, Event ID, GLOBALEVENTID, event_id).
    """

    path: str
    schema: str
    detected: bool
    frame: pd.DataFrame
    valid: pd.DataFrame
    rejects: pd.DataFrame
    failures: pd.DataFrame
    summary: pd.DataFrame
    table: Table | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.failures.empty

    @property
    def n_rows(self) -> int:
        return len(self.frame)


def _checks(schema: pa.DataFrameSchema, df: pd.DataFrame) -> Iterable[tuple[pa.Check, str, pd.Series]]:
    """(check, blamed column, boolean pass mask) for every check of the schema on `df`."""
    for name, col in schema.columns.items():
        if name not in df.columns:
            continue
        for chk in col.checks:
            yield chk, name, chk._check_fn(df[name], **chk._check_kwargs)
    for chk in schema.checks:
        column = CHECK_COLUMNS.get(chk.name or "", "")
        if column and column not in df.columns:
            continue
        yield chk, column, chk._check_fn(df, **chk._check_kwargs)


def _require_columns(schema: pa.DataFrameSchema, df: pd.DataFrame, path: str, name: str) -> None:
    missing = [c for c, col in schema.columns.items() if col.required and c not in df.columns]
    if not missing:
        return
    guess = detect(df.columns)
    hint = f"; the header looks like {guess}: try --schema {guess}" if guess and guess != name else \
        "; check the file and the --schema option"
    if df.shape[1] == 1:
        hint = "; only one column was read: check the delimiter (comma for CSV, tab for TSV)"
    shown = ", ".join(missing[:6]) + (f" (+{len(missing) - 6} more)" if len(missing) > 6 else "")
    raise InputError(f"{path}: missing column(s) {shown} required by the {name} schema{hint}")


def _passed(mask: object, index: pd.Index) -> np.ndarray:
    """A check's result as a numpy bool array (missing -> failed)."""
    if isinstance(mask, pd.Series) and mask.dtype == bool and mask.index.equals(index):
        return mask.to_numpy()  # the common case: no NA to fill, no realignment
    return np.asarray(pd.Series(mask, index=index).fillna(False), dtype=bool)


def check_frame(df: pd.DataFrame, schema: pa.DataFrameSchema, key: str | None = None) -> pd.DataFrame:
    """Run every check of `schema` on `df`; one failure row per (row, check), in row order."""
    parts = []
    with factor_scope():  # each column is factorised once, for all the checks that read it
        for order, (chk, column, mask) in enumerate(_checks(schema, df)):
            passed = _passed(mask, df.index)
            bad = np.flatnonzero(~passed)
            if not len(bad):
                continue
            values = df[column].iloc[bad].to_numpy(dtype=object) if column else np.full(len(bad), "")
            parts.append(pd.DataFrame({
                "_pos": bad,
                "_order": order,
                "column": column,
                "check": chk.name,
                "value": values,
                "message": chk.error or chk.name,
            }))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ("_pos", "_order") + FAILURE_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out = out.drop_duplicates(["_pos", "check"]).sort_values(["_pos", "_order"], kind="stable")
    out["row"] = out["_pos"] + 1
    out["key"] = df[key].iloc[out["_pos"].to_numpy()].to_numpy(dtype=object) if key and key in df.columns else ""
    return out[["_pos", "_order", *FAILURE_COLUMNS]].reset_index(drop=True)


def _rows(df: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """`df[mask]` (a new frame) for a frame with a RangeIndex; when every column is an Arrow-backed
    string column (what `read_table` gives), one Arrow filter over the table, several times faster
    than pandas taking column by column."""
    if (isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1
            and len(df.columns) and not df.columns.has_duplicates
            and all(isinstance(c, str) for c in df.columns)
            and all(isinstance(t, pd.StringDtype) and t.storage == "pyarrow" for t in df.dtypes)):
        try:
            import pyarrow as pa

            table = pa.Table.from_pandas(df, preserve_index=False).filter(pa.array(mask, type=pa.bool_()))
            out = table.to_pandas()
        except Exception:  # noqa: BLE001 - any surprise: take the plain pandas path
            out = None
        if out is not None and list(out.columns) == list(df.columns) and out.dtypes.equals(df.dtypes):
            out.index = df.index[mask]
            return out
    return df[mask].copy()


def _reasons(failures: pd.DataFrame) -> pd.Series:
    """Per failing position: "check (column='value'); ..." in check order (failures sorted by row)."""
    pos = failures["_pos"].to_numpy(dtype=np.int64)
    text = (failures["check"].astype(str) + " (" + failures["column"].astype(str) + "='"
            + failures["value"].astype(str) + "')").to_numpy(dtype=object)
    first = np.r_[True, pos[1:] != pos[:-1]] if len(pos) else np.array([], dtype=bool)
    group = np.cumsum(first) - 1
    out = text[first].copy()
    # most rejected rows fail one check: only rows with several failures need a Python join
    for i in np.flatnonzero(~first):
        out[group[i]] = out[group[i]] + "; " + text[i]
    return pd.Series(out, index=pos[first])


def validate_frame(
    df: pd.DataFrame,
    schema: str,
    *,
    codebook: Codebook | None = None,
    path: str = "<frame>",
    detected: bool = False,
    table: Table | None = None,
) -> ValidationResult:
    """Validate an all-string frame against the schema called `schema`."""
    if schema not in SCHEMA_NAMES:
        raise UsageError(f"unknown schema {schema!r}; choose one of {', '.join(SCHEMA_NAMES)} or auto")
    cb = codebook or load_codebook()
    pschema = get_schema(schema, cb, list(df.columns))
    _require_columns(pschema, df, path, schema)
    df = df.reset_index(drop=True)
    key = module(schema).KEY
    failures = check_frame(df, pschema, key)
    bad_pos = np.unique(failures["_pos"].to_numpy(dtype=np.int64)) if len(failures) else np.array([], dtype=np.int64)
    is_bad = np.zeros(len(df), dtype=bool)
    is_bad[bad_pos] = True
    if len(bad_pos):
        valid = _rows(df, ~is_bad)
        rejects = _rows(df, is_bad)
    else:  # every row passes (the usual case for a load): no copy of the whole frame
        valid = df.copy(deep=False)
        rejects = df.iloc[:0].copy()
    if len(rejects):
        rejects[REASON] = _reasons(failures).reindex(bad_pos).to_numpy()
    else:
        rejects[REASON] = pd.Series(dtype=str)
    summary = (  # in the schema's check order
        failures.groupby(["_order", "check", "column", "message"], sort=True).size().rename("failures")
        .reset_index()[list(SUMMARY_COLUMNS)]
        if len(failures) else pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    )
    return ValidationResult(
        path=path, schema=schema, detected=detected, frame=df, valid=valid, rejects=rejects,
        failures=failures.drop(columns=["_pos", "_order"]), summary=summary, table=table,
    )


def resolve_schema(table: Table, schema: str = "auto") -> tuple[str, Table, bool]:
    """Pick the schema for `table` (detecting it when `schema` is 'auto'); name headerless columns."""
    detected = schema == "auto"
    if detected:
        found = detect(table.columns, table.has_header)
        if found is None:
            what = (f"{table.frame.shape[1]} columns and no header row" if not table.has_header
                    else "header " + ", ".join(table.columns[:5]) + ("..." if len(table.columns) > 5 else ""))
            raise InputError(f"{table.path}: cannot tell the format ({what}); "
                             f"pass --schema with one of {', '.join(SCHEMA_NAMES)}")
        schema = found
    elif schema not in SCHEMA_NAMES:
        raise UsageError(f"unknown schema {schema!r}; choose one of {', '.join(SCHEMA_NAMES)} or auto")
    fmt = module(schema)
    if not table.has_header:
        if not hasattr(fmt, "name_columns"):
            raise InputError(f"{table.path}: the first row looks like data, not a header; "
                             f"{schema} files need a header row")
        table = fmt.name_columns(table)
    return schema, table, detected


def validate_file(
    path: str | Path,
    schema: str = "auto",
    *,
    codebook: Codebook | None = None,
) -> ValidationResult:
    """Read `path` (CSV/TSV/JSONL/Parquet, `-` = stdin) and validate it.

    Parameters:
        path: the file; codes are read as strings so leading zeros survive.
        schema: one of `coding.schemas.SCHEMA_NAMES`, or "auto" to detect it from the header
            (or, for headerless GDELT files, the number of columns).
        codebook: the codebook whose codes/types the checks use (default: built-in).

    Raises `InputError` (one line) when the file cannot be parsed or lacks required columns.
    """
    table = read_table(path)
    name, table, detected = resolve_schema(table, schema)
    return validate_frame(table.frame, name, codebook=codebook, path=table.path,
                          detected=detected, table=table)


# ---------------------------------------------------------------------------------------------
# writing results


def output_format(path: str, fmt: str | None, default: str = "csv") -> str:
    """The format for `path`: `fmt` if given, else from the extension, else `default`."""
    if fmt:
        if fmt not in OUTPUT_FORMATS:
            raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"csv": "csv", "tsv": "tsv", "tab": "tsv", "txt": "tsv", "jsonl": "jsonl",
            "ndjson": "jsonl", "json": "jsonl", "parquet": "parquet"}.get(suffix, default)


def _refuse_tsv_breaks(df: pd.DataFrame, path: str, header: bool) -> None:
    """Raise `InputError` naming the first cell with a tab or line break: unquoted TSV cannot hold
    one (it would split the cell), so such rows go to CSV, JSONL or Parquet instead."""
    first: tuple[int, str] | None = None
    for col in df.columns:
        s = df[col]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            continue
        hit = s.astype(str).str.contains(r"[\t\n\r]", regex=True, na=False).to_numpy(dtype=bool)
        if hit.any():
            pos = int(np.argmax(hit))
            if first is None or pos < first[0]:
                first = (pos, str(col))
    if first is not None:
        pos, col = first
        row = pos + 1 + (1 if header else 0)
        raise InputError(f"{path}: data row {pos + 1} (line {row}) column {col} holds a tab or line break, which "
                         "TSV cannot keep; write CSV, JSONL or Parquet instead (e.g. --format csv)")


def check_output_folder(path: str | Path) -> None:
    """Raise `InputError` naming the folder when `path`'s folder is missing (pandas and pyarrow
    report that as an OSError without a reason: 'cannot write (None)')."""
    if str(path) == "-":
        return
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{path}: is a folder; give a file name for the output")
    folder = target.resolve().parent
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist; create it first or write elsewhere")


def write_frame(df: pd.DataFrame, path: str, fmt: str, *, header: bool = True) -> None:
    """Write `df` to `path` ('-' = stdout) as csv, tsv, jsonl or parquet."""
    check_output_folder(path)
    try:
        if fmt == "parquet":
            if path == "-":
                raise UsageError("Parquet cannot go to stdout; give a file name or --format csv")
            df.to_parquet(path, index=False)
            return
        target = sys.stdout if path == "-" else path
        if fmt == "jsonl":
            df.to_json(target, orient="records", lines=True, force_ascii=False)
            if path == "-" and len(df):
                sys.stdout.write("\n")
        elif fmt == "tsv":
            # TSV is read unquoted (`sources.read_table`, like ACLED and GDELT exports): quotes and
            # backslashes are data, so they are written as they are and read back unchanged
            _refuse_tsv_breaks(df, path, header)
            df.to_csv(target, index=False, header=header, sep="\t", quoting=csv.QUOTE_NONE)
        else:
            df.to_csv(target, index=False, header=header, sep=",", quoting=csv.QUOTE_MINIMAL)
    except OSError as err:
        raise InputError(f"{path}: cannot write ({err.strerror or err}); check the folder exists and is writable") from None


def write_report(result: ValidationResult, path: str) -> None:
    """The failure report as CSV (one row per failure) or JSON (summary + failures)."""
    if Path(path).suffix.lower() == ".json":
        doc = {
            "file": result.path, "schema": result.schema, "rows": result.n_rows,
            "valid": len(result.valid), "rejected": len(result.rejects),
            "summary": result.summary.to_dict("records"),
            "failures": result.failures.to_dict("records"),
        }
        text = json.dumps(doc, indent=1, default=str)
        if path == "-":
            sys.stdout.write(text + "\n")
        else:
            Path(path).write_text(text + "\n", encoding="utf-8")
    else:
        write_frame(result.failures, path, "csv")


def format_report(result: ValidationResult, limit: int = 20) -> str:
    """The human report: what was checked, a count per check, and the first `limit` failures."""
    how = "detected from the " + ("header" if result.table is None or result.table.has_header
                                   else "column count") if result.detected else "as asked"
    lines = [f"{result.path}: schema {result.schema} ({how}); {result.n_rows} rows, "
             f"{len(result.valid)} valid, {len(result.rejects)} rejected."]
    if result.ok:
        lines.append("All rows pass.")
        return "\n".join(lines)
    lines.append("Failures per check:")
    width = max(len(str(c)) for c in result.summary["check"])
    for r in result.summary.itertuples(index=False):
        lines.append(f"  {r.check:<{width}}  {r.failures:>8}  {r.column}: {r.message}")
    lines.append("First failures (row = data row, header not counted):")
    for r in result.failures.head(limit).itertuples(index=False):
        key = f" ({r.key})" if r.key != "" else ""
        lines.append(f"  row {r.row}{key} {r.column} = {str(r.value)!r}: {r.check}: {r.message}")
    more = len(result.failures) - limit
    if more > 0:
        lines.append(f"  ... and {more} more; write them all with --report FILE.csv")
    return "\n".join(lines)


def read_canonical(path: str | Path, schema: str = "auto", *, codebook: Codebook | None = None,
                   left_out: dict[str, Any] | None = None) -> pd.DataFrame:
    """The valid rows of a file mapped to the canonical event shape, with `id` = the format's key.

    When rows are rejected and `left_out` is given, it is filled with `left_out_note` so the caller
    can say what was left out (a comparison must not drop rows silently).
    Raises InputError when no row is valid (the user is pointed to `evcode validate`).
    """
    result = validate_file(path, schema, codebook=codebook)
    if len(result.valid) == 0:
        raise InputError(f"{result.path}: no valid rows ({len(result.rejects)} rejected); see why with: "
                         f"evcode validate {result.path}")
    if left_out is not None and len(result.rejects):
        left_out.update(left_out_note(result))
    fmt = module(result.schema)
    canon = fmt.to_canonical(result.valid, codebook).reset_index(drop=True)
    key = getattr(fmt, "KEY", None)
    valid = result.valid.reset_index(drop=True)
    if key in valid.columns:
        canon["id"] = valid[key].astype("string")
    return canon


def left_out_note(result: ValidationResult) -> dict[str, Any]:
    """What a command using only the valid rows leaves out: counts and the first failure."""
    first = ""
    if len(result.failures):
        r = result.failures.iloc[0]
        key = f" ({r['key']})" if r["key"] != "" else ""
        first = f"row {r['row']}{key} {r['column']} = {str(r['value'])!r}: {r['message']}"
    return {"file": result.path, "rows": result.n_rows, "rejected": len(result.rejects), "first": first}


def format_left_out(side: str, note: dict[str, Any]) -> str:
    """One stderr line: '<side> = FILE: 2 of 3 rows rejected and left out; first: ...'."""
    return (f"{side} = {note['file']}: {note['rejected']:,} of {note['rows']:,} rows rejected and left out; "
            f"first: {note['first']}; see why with: evcode validate {note['file']}")
