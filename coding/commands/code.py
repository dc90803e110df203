"""`evcode code`: passages in, event records out."""

from __future__ import annotations

from itertools import chain
from pathlib import Path
from typing import Annotated, Optional

import typer

from coding.commands.common import CodebookOpt, QuietOpt, reports_errors
from coding.errors import InputError, UsageError


def register(app: typer.Typer) -> None:
    app.command("code")(code)
    app.command("evaluate")(evaluate)


@reports_errors
def code(
    input: Annotated[str, typer.Argument(help="A .txt file, a folder of .txt, a .csv/.tsv/.jsonl/.parquet table, or '-' for stdin.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output file, or '-' for stdout.")] = "-",
    format: Annotated[str, typer.Option("--format", "-f", help="csv | jsonl | parquet | table | duckdb")] = "csv",
    date: Annotated[Optional[str], typer.Option("--date", help="Passage date YYYY-MM-DD (default for rows without one).")] = None,
    country: Annotated[Optional[str], typer.Option("--country", help="ISO3 country the passages are about (else guessed per passage).")] = None,
    id_column: Annotated[Optional[str], typer.Option("--id-column", help="Id column of a table input (default: id, if there is one).")] = None,
    text_column: Annotated[str, typer.Option("--text-column", help="Text column of a table input.")] = "text",
    date_column: Annotated[Optional[str], typer.Option("--date-column", help="Date column of a table input (default: date, if there is one).")] = None,
    primary: Annotated[bool, typer.Option("--primary", help="At most one event per passage: the main reported event.")] = False,
    codebook: CodebookOpt = None,
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", min=1, help="Processes to code with (default: every core this process may use).")] = None,
    partition_by: Annotated[Optional[str], typer.Option("--partition-by", help="With -f parquet and -o DIR: Hive-partitioned Parquet files by event_date, year, month or country (comma-separated).")] = None,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Code on a Dask cluster: tcp://HOST:8786, or 'local' for a cluster on this machine (needs the dask extra; the workers read the input and write -f parquet -o DIR).")] = None,
    db: Annotated[Optional[Path], typer.Option("--db", envvar="EVCODE_DB", help="DuckDB file for --format duckdb.")] = None,
    dataset: Annotated[Optional[str], typer.Option("--dataset", help="Dataset name for --format duckdb.")] = None,
    any_language: Annotated[bool, typer.Option("--any-language", help="Code passages the language check takes for non-English too (by default they are skipped and counted).")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Code passages into CAMEO/ACLED event records (one row per event).

    Example: evcode code examples/daily_report.txt --date 2016-12-07
    Example: evcode code archive.jsonl -f parquet -o events/ --partition-by event_date
    """
    from coding.coder import code_stream
    from coding.io import FORMATS, EventWriter, PartitionedEventWriter, ReadStats, parse_partition_by, read_passages
    from coding.io import refuse_overwrite

    refuse_overwrite([("-o", output if format != "duckdb" else None), ("--db", db if format == "duckdb" else None)],
                     [("the input file", input)])
    if country and (len(country) != 3 or not country.isalpha()):
        raise UsageError(f"--country {country!r} is not an ISO3 code (e.g. SYR)")
    if country:
        from coding.coder import get_coder  # loaded anyway to code (workers fork after it)

        # an ISO3 the codebook does not know would leave every event's country and place blank
        if country.upper() not in get_coder(list(codebook or []) or None).actors.countries:
            raise UsageError(f"--country {country!r} is not a country of the codebook (actors/countries.csv); "
                             "use an ISO3 code it lists, e.g. SYR")
    keys = parse_partition_by(partition_by) if partition_by is not None else []
    if (keys or scheduler) and format != "parquet":
        flag = "--partition-by" if keys else "--scheduler"
        raise UsageError(f"{flag} writes Parquet: add --format parquet (and -o DIR)")
    if (keys or scheduler) and output == "-":
        flag = "--partition-by" if keys else "--scheduler"
        raise UsageError(f"{flag} writes a directory of Parquet files: pass -o DIR, not stdout")
    if format not in FORMATS and format != "duckdb":
        raise UsageError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}, duckdb")
    if scheduler:
        from coding.distributed import code_to_parquet

        if input == "-":
            raise UsageError("--scheduler reads the input on the cluster: pass a file or folder, not stdin")
        result = code_to_parquet(input, output, scheduler=scheduler, partition_by=keys, date=date,
                                 country=(country or "").upper(), primary=primary, codebooks=codebook,
                                 id_column=id_column, text_column=text_column,
                                 date_column=date_column, workers=workers, any_language=any_language)
        if not quiet:
            skipped = f" ({result.skipped} empty or non-English passage(s) skipped)" if result.skipped else ""
            typer.echo(f"{result.events} event(s) from {result.passages} passage(s){skipped} in {result.partitions} "
                       f"partition(s) written to {output} by {result.scheduler}", err=True)
        return
    if output != "-" and not keys and format != "duckdb":
        if Path(output).is_dir():
            raise InputError(f"{output}: is a folder; pass a file name for -o (or --partition-by for a folder of Parquet files)")
        if not Path(output).resolve().parent.is_dir():
            raise InputError(f"{output}: the folder {Path(output).resolve().parent} does not exist; create it first")
    stats = ReadStats()
    passages = read_passages(input, id_column=id_column, text_column=text_column, date_column=date_column,
                             date=date, stats=stats, any_language=any_language)
    events = code_stream(passages, country=(country or "").upper(), primary=primary,
                         codebooks=codebook, workers=workers)
    if format == "duckdb":
        from coding.store import write_events  # the store module owns the database

        n = write_events(events, db=db, dataset=dataset or Path(input).stem)
    else:
        # the first event (or the end) comes before any output is opened: a codebook or input error
        # found at the start leaves no header-only file or stdout behind its one-line message
        part = PartitionedEventWriter(output, keys) if keys else None  # checks -o DIR before coding
        try:
            first = next(events, None)
        except BaseException:
            if part is not None:
                part.abort()  # the folder it created for nothing
            raise
        if part is not None:
            try:
                for ev in chain([first] if first is not None else [], events):
                    part.write(ev)
                part.close()
            except BaseException:
                part.abort()
                raise
            n = part.count
        else:
            writer = EventWriter(output, format)
            try:
                if first is not None:
                    writer.write(first)
                for ev in events:
                    writer.write(ev)
            except BaseException:
                writer.abort()
                raise
            writer.close()
            n = writer.count
    if not quiet:
        typer.echo(f"{n} event(s); {stats.summary()}", err=True)


@reports_errors
def evaluate(
    input: Annotated[str, typer.Argument(help="A labelled table (.csv/.tsv/.jsonl/.parquet).")],
    label_column: Annotated[str, typer.Option("--label-column", help="Gold label column.")] = "sub_event_type",
    field: Annotated[str, typer.Option("--field", help="Event field compared with the label (sub_event_type, event_type, cameo_root, penta, admin1, fatalities).")] = "sub_event_type",
    id_column: Annotated[Optional[str], typer.Option("--id-column", help="Id column (default: id, if there is one).")] = None,
    text_column: Annotated[str, typer.Option("--text-column")] = "text",
    date_column: Annotated[Optional[str], typer.Option("--date-column", help="Date column (default: date, if there is one).")] = None,
    codebook: CodebookOpt = None,
    confusion: Annotated[bool, typer.Option("--confusion", help="Also print the confusion table.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Score the primary event of each passage against a gold label column.

    Prints per-class precision/recall/F1, weighted F1 and accuracy.
    Example: evcode evaluate labelled.csv --label-column sub_event_type --field sub_event_type
    """
    from coding.evaluate import evaluate_file, format_report

    report = evaluate_file(input, label_column=label_column, field=field, id_column=id_column,
                           text_column=text_column, date_column=date_column, codebooks=codebook)
    typer.echo(format_report(report, confusion=confusion))
    if report.left_out and not quiet:
        typer.echo(report.left_out, err=True)  # n counts scored rows only: say which were not
