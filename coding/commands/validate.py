"""`evcode validate`: check an event data file against a pandera schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coding.commands.common import CodebookOpt, FormatOpt, QuietOpt, reports_errors
from coding.errors import UsageError, ValidationFailed

SchemaOpt = Annotated[
    str,
    typer.Option("--schema", "-s", help="events, acled, icews, gdelt1, gdelt2, or auto (detect from the header)."),
]


@reports_errors
def validate(
    file: Annotated[str, typer.Argument(help="CSV, TSV, JSONL or Parquet file; '-' reads stdin.")],
    schema: SchemaOpt = "auto",
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write the rows that pass here ('-' = stdout).")
    ] = None,
    rejects: Annotated[
        str | None, typer.Option("--rejects", help="Write the failing rows here, unchanged, plus a reason column.")
    ] = None,
    report: Annotated[
        str | None, typer.Option("--report", help="Write every failure to this file: .csv (one row each) or .json.")
    ] = None,
    fmt: FormatOpt = None,
    limit: Annotated[int, typer.Option("--limit", help="Failures listed on stderr.", min=0)] = 20,
    quiet: QuietOpt = False,
    codebook: CodebookOpt = None,
) -> None:
    """Validate event data (evcode, ACLED, ICEWS, GDELT) and report every failing row.

    Exit status: 0 when every row passes, 1 when any row fails, 2 on usage errors.

    Example:

        evcode validate acled_export.csv --rejects bad.csv --report failures.csv
    """
    from coding.codebook import load_codebook
    from coding.io import refuse_overwrite
    from coding.validate import format_report, output_format, validate_file, write_frame, write_report

    if file != "-" and not Path(file).exists():
        raise UsageError(f"{file}: no such file; check the path")
    if sum(p == "-" for p in (output, rejects, report)) > 1:
        raise UsageError("only one of -o, --rejects and --report can write to stdout ('-')")
    refuse_overwrite([("-o", output), ("--rejects", rejects), ("--report", report)], [("the input file", file)])
    cb = load_codebook(codebook)
    result = validate_file(file, schema, codebook=cb)
    headerless = result.table is not None and not result.table.has_header
    if output:
        ofmt = output_format(output, fmt, default=result.table.kind if result.table else "csv")
        write_frame(result.valid, output, ofmt, header=not (headerless and ofmt == "tsv"))
    if rejects:
        rfmt = output_format(rejects, fmt, default=result.table.kind if result.table else "csv")
        write_frame(result.rejects, rejects, rfmt, header=not (headerless and rfmt == "tsv"))
    if report:
        write_report(result, report)
    if not quiet:
        typer.echo(format_report(result, limit=limit), err=True)
    if not result.ok:
        raise ValidationFailed(
            f"{len(result.rejects)} of {result.n_rows} rows failed the {result.schema} schema "
            f"({len(result.failures)} failures)"
        )


def register(app: typer.Typer) -> None:
    """Add `evcode validate` to the app."""
    app.command("validate")(validate)
