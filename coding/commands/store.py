"""`evcode load`, `evcode datasets`, `evcode sql` and `evcode plot`: the DuckDB store from the shell."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

from typing import TYPE_CHECKING

import typer

from coding.commands.common import QuietOpt, reports_errors
from coding.errors import UsageError

if TYPE_CHECKING:  # pandas loads only when a store command runs: `evcode --help` stays fast
    import pandas as pd

RESULT_FORMATS = ("table", "csv", "jsonl", "parquet")

DbOption = Annotated[
    Optional[Path],
    typer.Option("--db", envvar="EVCODE_DB", show_envvar=False,
                 help="DuckDB database file (default ./evcode.duckdb, or $EVCODE_DB)."),
]
ParamOpt = Annotated[
    Optional[list[str]],
    typer.Option("--param", "-p", help="Query parameter name=value (repeatable), e.g. --param dataset=acled."),
]
ResultFormatOpt = Annotated[
    Optional[str],
    typer.Option("--format", "-f", help="table, csv, jsonl or parquet (default: from -o's extension, else table)."),
]
OutOpt = Annotated[str, typer.Option("--output", "-o", help="Output file, or '-' for stdout.")]


def register(app: typer.Typer) -> None:
    app.command("load")(load)
    app.command("datasets")(datasets)
    app.command("sql")(sql)
    app.command("plot")(plot)


# ---------------------------------------------------------------------------------------------
# writing results


def result_format(output: str, fmt: str | None) -> str:
    if fmt:
        if fmt not in RESULT_FORMATS:
            raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(RESULT_FORMATS)}")
        return fmt
    if output == "-":
        return "table"
    return {"csv": "csv", "jsonl": "jsonl", "json": "jsonl", "ndjson": "jsonl", "parquet": "parquet",
            "txt": "table"}.get(Path(output).suffix.lower().lstrip("."), "csv")


def _dates_as_dates(df: pd.DataFrame, *, as_text: bool) -> pd.DataFrame:
    import pandas as pd

    """Datetime columns with no time of day -> dates ('2024-03-04' as text, or date objects)."""
    df = df.copy()
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            ok = s.dropna()
            if len(ok) == 0 or (ok == ok.dt.normalize()).all():
                df[c] = s.dt.strftime("%Y-%m-%d") if as_text else s.dt.date
            elif as_text:
                df[c] = s.dt.strftime("%Y-%m-%dT%H:%M:%S")
            if as_text:
                df[c] = df[c].where(s.notna(), None)
    return df


def write_result(df: pd.DataFrame, output: str, fmt: str) -> None:
    """Write a query result: table (aligned text for people), csv, jsonl or parquet."""
    from coding.validate import check_output_folder, write_frame

    check_output_folder(output)
    if fmt == "table":
        text = _dates_as_dates(df, as_text=True)
        text = text.astype(object).where(text.notna(), "")
        body = text.to_string(index=False, na_rep="") if len(text.columns) else ""
        if len(text) == 0:
            body = "  ".join(text.columns) + "\n(no rows)"
        if output == "-":
            typer.echo(body)
        else:
            Path(output).write_text(body + "\n", encoding="utf-8")
        return
    out = _dates_as_dates(df, as_text=fmt != "parquet")
    if output == "-" and fmt == "csv":
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
    elif output == "-" and fmt == "jsonl":
        text = out.to_json(orient="records", lines=True, force_ascii=False)
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    else:
        write_frame(out, output, fmt)


# ---------------------------------------------------------------------------------------------
# commands


@reports_errors
def load(
    file: Annotated[str, typer.Argument(help="Events file: CSV/TSV/JSONL/Parquet of evcode, ACLED, ICEWS or GDELT.")],
    schema: Annotated[str, typer.Option("--schema", "-s", help="events, acled, icews, gdelt1, gdelt2 or auto.")] = "auto",
    dataset: Annotated[Optional[str], typer.Option("--dataset", "-d", help="Name to store it under (default: the file name without extension).")] = None,
    db: DbOption = None,
    rejects: Annotated[Optional[str], typer.Option("--rejects", help="Write the rejected rows (with a reason column) to this CSV.")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Validate a file and load its valid rows into the DuckDB store as one dataset.

    Loading a dataset name again replaces it (in one transaction). Rejected rows are reported,
    not loaded. Example: evcode load acled_2023.csv --schema acled --dataset acled
    """
    import time

    from coding.store import load_file

    from coding.io import refuse_overwrite

    refuse_overwrite([("--rejects", rejects)], [("the input file", file), ("the --db database", db)])
    t0 = time.perf_counter()
    res = load_file(file, schema=schema, dataset=dataset, db=db)
    if rejects and res.validation is not None:
        from coding.validate import write_frame

        write_frame(res.validation.rejects, rejects, "csv")
    if not quiet:
        secs = time.perf_counter() - t0
        typer.echo(f"Loaded {res.rows:,} rows of {file} (schema {res.schema}) as dataset {res.dataset!r} "
                   f"into {res.db} in {secs:.1f} s.", err=True)
        if res.rejected:
            where = f"written to {rejects}" if rejects else f"see why with: evcode validate {file}"
            typer.echo(f"{res.rejected:,} rows rejected (not loaded); {where}", err=True)


@reports_errors
def datasets(
    db: DbOption = None,
    format: ResultFormatOpt = None,
    output: OutOpt = "-",
) -> None:
    """List the datasets in the store: rows, date range, countries, loaded at, schema, source file."""
    from coding.store import datasets as list_datasets

    df = list_datasets(db)
    if df.empty and result_format(output, format) == "table":
        typer.echo("No datasets loaded yet; load one with: evcode load FILE --dataset NAME", err=True)
        return
    write_result(df, output, result_format(output, format))


@reports_errors
def sql(
    name: Annotated[Optional[str], typer.Argument(help="Named query (see --list).")] = None,
    list_: Annotated[bool, typer.Option("--list", "-l", help="List the named queries: name, purpose, parameters.")] = False,
    show: Annotated[bool, typer.Option("--show", help="Print the query's SQL (for copying) instead of running it.")] = False,
    file: Annotated[Optional[Path], typer.Option("--file", help="Run your own .sql file ($name parameters allowed).")] = None,
    param: ParamOpt = None,
    dialect: Annotated[str, typer.Option("--dialect", help="With --show: rewrite for spark, bigquery, postgres, ... (sqlglot).")] = "duckdb",
    format: ResultFormatOpt = None,
    output: OutOpt = "-",
    db: DbOption = None,
    parquet: Annotated[Optional[list[str]], typer.Option("--parquet", help="Query evcode Parquet output in place instead of the store: a file, a --partition-by folder or a glob; NAME=PATH names the dataset (repeatable).")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Run a named SQL query (sql/NAME.sql) or your own file on the store, or on Parquet files in place.

    Examples:
      evcode sql --list
      evcode sql weekly_counts --param dataset=acled --param start=2023-01-01 -o weekly.csv
      evcode sql counts_by_type --parquet events/
      evcode sql --show spikes --dialect bigquery
      evcode sql --file my_query.sql --format jsonl
    """
    from coding.io import refuse_overwrite
    from coding.queries import get_query, list_queries, parse_params, query_from_file, run_query, transpile

    # NAME=PATH names a --parquet input; globs and folders are not one file and cannot be hit by -o
    inputs = [("the --file query", file), ("the --db database", db)]
    inputs += [("a --parquet input", p.split("=", 1)[1] if "=" in p and not Path(p).exists() else p)
               for p in parquet or []]
    refuse_overwrite([("-o", output)], inputs)
    from coding.validate import check_output_folder

    check_output_folder(output)  # before the query runs, not after

    if list_:
        if name or file or show:
            raise UsageError("--list takes no query name, --file or --show")
        rows = [{"name": q.name, "purpose": q.purpose, "parameters": q.signature()} for q in list_queries()]
        fmt = result_format(output, format)
        if fmt == "table":
            for r in rows:
                typer.echo(f"{r['name']}\n    {r['purpose']}\n    parameters: {r['parameters'] or '(none)'}")
            typer.echo("(parameters: $name? optional, $name=value has a default, bare $name is required)",
                       err=True)
        else:
            import pandas as pd

            write_result(pd.DataFrame(rows), output, fmt)
        return
    if file and name:
        raise UsageError("give a query NAME or --file, not both")
    if not file and not name:
        raise UsageError("name a query (evcode sql --list shows them) or pass --file my.sql")
    query = query_from_file(file) if file else get_query(name)  # type: ignore[arg-type]
    if dialect != "duckdb" and not show:
        raise UsageError("--dialect only applies with --show (queries run in DuckDB)")
    if show:
        text = transpile(query.sql, dialect)
        if output == "-":
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        else:
            from coding.validate import check_output_folder

            check_output_folder(output)
            Path(output).write_text(text, encoding="utf-8")
        return
    fmt = result_format(output, format)
    if parquet and db is not None:
        raise UsageError("--parquet queries files in place: leave out --db (or unset EVCODE_DB)")
    df = run_query(query, parse_params(param), db=db, parquet=parquet)
    write_result(df, output, fmt)
    if not quiet and output != "-":
        typer.echo(f"{len(df):,} rows written to {output}", err=True)


@reports_errors
def plot(
    name: Annotated[str, typer.Argument(help="A time-series query (default weekly_counts_by_type).")] = "weekly_counts_by_type",
    output: Annotated[str, typer.Option("--output", "-o", help="Image file: .png, .svg or .pdf.")] = "chart.png",
    param: ParamOpt = None,
    x: Annotated[Optional[str], typer.Option("--x", help="Date column for the x axis (default: the first date column).")] = None,
    y: Annotated[Optional[str], typer.Option("--y", help="Value column (default: events).")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Comma-separated columns naming the series (default: the text columns).")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Lines drawn; smaller series are summed into 'other'.")] = 8,
    title: Annotated[Optional[str], typer.Option("--title", help="Chart title.")] = None,
    db: DbOption = None,
    parquet: Annotated[Optional[list[str]], typer.Option("--parquet", help="Chart evcode Parquet output in place instead of the store (as for evcode sql).")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Chart a time-series query, one line per series (weekly counts by event type by default).

    Example: evcode plot weekly_counts_by_type --param dataset=acled -o acled_weekly.png
    """
    from coding.plot import plot_query
    from coding.queries import parse_params

    if output == "-":
        raise UsageError("a chart cannot go to stdout; give an image file with -o chart.png")
    kwargs = {"x": x, "y": y, "by": [b.strip() for b in by.split(",") if b.strip()] if by else None, "top": top}
    if title:
        kwargs["title"] = title
    if parquet and db is not None:
        raise UsageError("--parquet charts files in place: leave out --db (or unset EVCODE_DB)")
    info = plot_query(name, parse_params(param), out=output, db=db, parquet=parquet, **kwargs)
    if not quiet:
        typer.echo(f"Chart of {name} ({len(info['series'])} series, {info['points']} points) written to {output}",
                   err=True)
