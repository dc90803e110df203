"""Named SQL queries: the files in sql/, their header comments, parameters, running, transpiling.

Each `sql/NAME.sql` holds one query over the `events` table. Its header comment says what it
is for and which `$parameters` it takes:

    -- weekly_counts: events and fatalities per week (starting Monday), country and admin1.
    -- $dataset (optional): keep only this dataset
    -- $weeks (default 8): trailing weeks the mean is taken over
    -- $a: the first dataset (required: no default)

Parameters are passed as strings (`--param k=v`) and cast in the SQL, so the same file runs in
DuckDB and transpiles (sqlglot) to Spark, BigQuery or Postgres. An optional parameter that is
not given is NULL; the query's `($x IS NULL OR ...)` then keeps every row.

    >>> from coding.queries import get_query, run_query
    >>> q = get_query("counts_by_type")
    >>> q.purpose
    'events and fatalities per dataset, ACLED event type and sub-event type.'
    >>> run_query(q, {"dataset": "acled"}, db="evcode.duckdb")          # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from coding.errors import InputError, QueryError, UsageError
from coding.resources import sql_dir

DIALECTS = ("duckdb", "spark", "bigquery", "postgres", "snowflake", "trino", "sqlite")
_PARAM_LINE = re.compile(r"^--\s*\$(\w+)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$")
_USE = re.compile(r"\$([A-Za-z_]\w*)")


@dataclass
class Param:
    """A `$name` parameter: `required` ones have no default; optional ones default to NULL or `default`."""

    name: str
    help: str = ""
    required: bool = True
    default: str | None = None


@dataclass
class Query:
    name: str
    sql: str
    purpose: str = ""
    params: list[Param] = field(default_factory=list)
    path: Path | None = None
    notes: str = ""
    columns: list[str] = field(default_factory=list)

    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    def signature(self) -> str:
        """'$dataset? $a $weeks=8' : required bare, optional with '?', defaults shown."""
        out = []
        for p in self.params:
            out.append(f"${p.name}" + ("" if p.required else f"={p.default}" if p.default is not None else "?"))
        return " ".join(out)


def _strip_strings_and_comments(sql: str) -> str:
    """SQL with string literals emptied and comments removed (scanned left to right)."""
    out, i, n = [], 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch == "-" and sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j
        elif ch == "/" and sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif ch in "'\"":
            j = i + 1
            while j < n:
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            out.append(ch + ch if ch == "'" else sql[i:j + 1])
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def parse_query(text: str, name: str, path: Path | None = None) -> Query:
    """Read the header comment (purpose, `$parameters`) of one query file."""
    purpose_lines: list[str] = []
    declared: dict[str, Param] = {}
    columns: list[str] = []
    in_header = True
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("--"):
            break
        if not in_header:
            continue
        m = _PARAM_LINE.match(s)
        if m:
            pname, spec, help_ = m.group(1), (m.group(2) or "").strip(), m.group(3).strip()
            p = Param(pname, help_)
            if spec.startswith("optional"):
                p.required = False
            elif spec.startswith("default"):
                p.required = False
                p.default = spec[len("default"):].strip().lstrip("=:").strip()
            declared[pname] = p
            continue
        body = s[2:].strip()
        if body.lower().startswith("columns:"):
            columns = [c.strip() for c in body.split(":", 1)[1].split(",") if c.strip()]
            continue
        if not declared:  # purpose, then notes, come before the parameters
            purpose_lines.append(body)
    purpose = purpose_lines[0] if purpose_lines else ""
    notes = " ".join(purpose_lines[1:])
    if purpose.lower().startswith(name.lower() + ":"):
        purpose = purpose[len(name) + 1:].strip()
    used = list(dict.fromkeys(_USE.findall(_strip_strings_and_comments(text))))
    params = [declared.get(u, Param(u, "(not described in the header)")) for u in used]
    return Query(name=name, sql=text, purpose=purpose, params=params, path=path, notes=notes,
                 columns=columns)


def list_queries(directory: str | Path | None = None) -> list[Query]:
    """Every named query, sorted by name."""
    folder = Path(directory) if directory else sql_dir()
    return [parse_query(p.read_text(encoding="utf-8"), p.stem, p) for p in sorted(folder.glob("*.sql"))]


def get_query(name: str, directory: str | Path | None = None) -> Query:
    """The named query `name` (QueryError with close matches when unknown)."""
    folder = Path(directory) if directory else sql_dir()
    path = folder / f"{name}.sql"
    if not re.fullmatch(r"\w+", name) or not path.is_file():
        names = [p.stem for p in sorted(folder.glob("*.sql"))]
        close = difflib.get_close_matches(name, names, n=3)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise QueryError(f"no named query {name!r}; {hint}see the list with: evcode sql --list",
                         reason="query_unknown")
    return parse_query(path.read_text(encoding="utf-8"), name, path)


def query_from_file(path: str | Path) -> Query:
    """A query from the user's own .sql file (same header format; undeclared $params are required)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{p}: no such file; check the path") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{p}: cannot read the SQL file ({err}); save it as UTF-8 text") from None
    if not _strip_strings_and_comments(text).strip():
        raise QueryError(f"{p}: the file holds no SQL statement", reason="query_empty")
    return parse_query(text, p.stem, p)


def parse_params(items: list[str] | None) -> dict[str, str]:
    """['k=v', ...] -> {k: v} (UsageError for an item without '=')."""
    out: dict[str, str] = {}
    for item in items or []:
        k, sep, v = item.partition("=")
        k = k.strip().lstrip("$")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w*", k):
            raise UsageError(f"--param {item!r} must look like name=value (e.g. --param dataset=acled)")
        out[k] = v
    return out


def bind(query: Query, given: Mapping[str, Any]) -> dict[str, Any]:
    """The values to run `query` with; names every missing or unknown parameter before running."""
    unknown = [k for k in given if k not in query.param_names]
    if unknown:
        known = ", ".join(f"${n}" for n in query.param_names) or "none"
        raise QueryError(f"query {query.name} has no parameter {', '.join('$' + u for u in unknown)}; "
                         f"it takes: {known}", reason="query_unknown_param")
    missing = [p.name for p in query.params if p.required and p.name not in given]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise QueryError(f"query {query.name} needs parameter{plural} "
                         + ", ".join(f"${m}" for m in missing) + "; pass "
                         + " ".join(f"--param {m}=VALUE" for m in missing), reason="query_missing_param")
    values: dict[str, Any] = {}
    for p in query.params:
        v = given.get(p.name, p.default)
        values[p.name] = None if v is None or (not p.required and v == "") else str(v)
    return values


def run_query(
    query: Query | str,
    params: Mapping[str, Any] | None = None,
    *,
    db: str | Path | None = None,
    threads: int | None = None,
    parquet: list[str | Path] | None = None,
) -> pd.DataFrame:
    """Run a named query (or a `Query`) on the store and fetch the whole result as a DataFrame.

    With `parquet` (files written by `evcode code -f parquet`, `--partition-by` folders or globs;
    `NAME=PATH` names the dataset), the query runs on those files in place instead of the store.
    """
    import duckdb

    from coding.store import connect, connect_parquet

    q = get_query(query) if isinstance(query, str) else query
    values = bind(q, params or {})
    opened = connect_parquet(parquet) if parquet else connect(db, read_only=True)
    with opened as con:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        try:
            return _fetch_interruptibly(con, q.sql, values)
        except duckdb.OutOfMemoryException as err:
            raise _out_of_memory(q, err) from None
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except duckdb.Error as err:
            first = str(err).strip().splitlines()[0]
            raise QueryError(f"query {q.name} failed: {first}", reason="query_failed") from None
        except RuntimeError as err:
            # Ctrl-C while DuckDB runs reaches Python as this RuntimeError, not KeyboardInterrupt
            # (the CLI called it a bug in evcode); it is the user stopping the query
            if str(err) == "Query interrupted":
                raise KeyboardInterrupt from None
            raise


def _fetch_interruptibly(con: Any, sql: str, values: dict[str, Any]) -> pd.DataFrame:
    """`con.execute(sql, values).fetchdf()` in a worker thread, so that Ctrl-C stops the query.

    While DuckDB's C++ runs in the main thread, Python's SIGINT handler only runs between
    statements, and DuckDB's own check caught Ctrl-C about one time in four (measured): a long
    query went on until killed. Here the main thread waits in Python, gets KeyboardInterrupt and
    asks DuckDB to stop (`interrupt()`, meant to be called from another thread).
    """
    import threading

    out: dict[str, Any] = {}
    done = threading.Event()  # not Thread.join: a join cut short by Ctrl-C may return early after

    def work() -> None:
        try:
            out["frame"] = con.execute(sql, values).fetchdf()
        except BaseException as err:  # handed to the caller's thread
            out["error"] = err
        finally:
            done.set()

    try:
        threading.Thread(target=work, name="evcode-query", daemon=True).start()
        while not done.wait(0.1):
            pass
    except KeyboardInterrupt:
        # the connection is closed next, which DuckDB refuses while the query runs: wait for it
        # (asking again, in case the query had not started), whatever further Ctrl-C come meanwhile
        while True:
            try:
                con.interrupt()
                if done.wait(0.1):
                    break
            except KeyboardInterrupt:
                continue
        raise KeyboardInterrupt from None
    if "error" in out:
        raise out["error"]
    return out["frame"]


#: Parameters that narrow the rows a query reads, with an example value, in the order suggested.
_NARROWING = {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD", "dataset": "NAME", "country": "NAME",
              "max_per_event": "1"}


def _out_of_memory(q: Query, err: Exception) -> QueryError:
    """One line for a query DuckDB could not hold in memory nor spill to disk: which query, how to narrow it."""
    first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    narrow = [f"--param {p}={v}" for p, v in _NARROWING.items() if p in q.param_names]
    fix = ("narrow it with " + ", ".join(narrow)) if narrow else "select fewer rows (a WHERE on date or dataset)"
    return QueryError(f"query {q.name} ran out of memory ({first}); {fix}, or set "
                      "TMPDIR to a disk with more room for DuckDB's spill files", reason="query_memory")


def transpile(sql: str, dialect: str, *, pretty: bool = True) -> str:
    """`sql` (DuckDB) rewritten for `dialect` by sqlglot; `$name` become that dialect's parameters."""
    import sqlglot
    import sqlglot.errors
    from sqlglot.errors import ParseError

    if dialect not in DIALECTS:
        raise UsageError(f"unknown dialect {dialect!r}; choose one of {', '.join(DIALECTS)}")
    if dialect == "duckdb":
        return sql
    header = _header_block(sql).strip()
    import logging

    log = logging.getLogger("sqlglot")
    level = log.level
    log.setLevel(logging.ERROR)  # "NULLS LAST not supported" warnings: the note below covers them
    try:
        out = sqlglot.transpile(sql, read="duckdb", write=dialect, pretty=pretty, comments=False)
    except (ParseError, sqlglot.errors.SqlglotError, AttributeError, ValueError) as err:
        raise QueryError(f"cannot transpile to {dialect}: {(str(err) or type(err).__name__).splitlines()[0]}",
                         reason="query_transpile") from None
    finally:
        log.setLevel(level)
    body = ";\n".join(out) + ";\n"
    note = f"-- transpiled from DuckDB to {dialect} by sqlglot; check functions before relying on it\n"
    return (header + "\n" if header else "") + note + body


def _header_block(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        if line.strip() and not line.strip().startswith("--"):
            break
        lines.append(line)
    return "\n".join(lines)
