"""`evcode compare` (match events across two datasets) and `evcode agree` (coder agreement)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from coding.commands.common import CodebookOpt, FormatOpt, QuietOpt, reports_errors
from coding.errors import UsageError

SideArg = "Events file (evcode, ACLED, ICEWS, GDELT; valid rows are used) or dataset:NAME from the store."
DbOption = Annotated[
    Optional[Path],
    typer.Option("--db", envvar="EVCODE_DB", show_envvar=False,
                 help="DuckDB database for dataset:NAME inputs (default ./evcode.duckdb, or $EVCODE_DB)."),
]
SchemaA = Annotated[str, typer.Option("--schema-a", help="Format of A: events, acled, icews, gdelt1, gdelt2 or auto.")]
SchemaB = Annotated[str, typer.Option("--schema-b", help="Format of B: events, acled, icews, gdelt1, gdelt2 or auto.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of the table.")]


def register(app: typer.Typer) -> None:
    app.command("compare")(compare)
    app.command("agree")(agree)


def _refuse_overwrite(output: str | None, a: str, b: str, db: Path | None) -> None:
    from coding.io import refuse_overwrite

    files = [(f"input {name}", spec) for name, spec in (("A", a), ("B", b)) if not spec.startswith("dataset:")]
    refuse_overwrite([("-o", output)], [*files, ("the --db database", db)])
    if output:
        from coding.validate import check_output_folder

        check_output_folder(output)  # before the comparison runs, not after


def _report_left_out(options: dict[str, Any]) -> None:
    """Rows of a side that failed validation are not compared: say how many and why, on stderr."""
    from coding.validate import format_left_out

    for side in ("A", "B"):
        note = options.get(f"left_out_{side.lower()}")
        if note:
            typer.echo(format_left_out(side, note), err=True)


def _check_input(spec: str) -> None:
    if not spec.startswith("dataset:") and spec != "-" and not Path(spec).exists():
        raise UsageError(f"{spec}: no such file; give a file or dataset:NAME (see evcode datasets)")


def _fmt(v: Any, pct: bool = False) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "-"
    if isinstance(v, float):
        return f"{v:.1%}" if pct else f"{v:.3f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


@reports_errors
def compare(
    a: Annotated[str, typer.Argument(help=SideArg)],
    b: Annotated[str, typer.Argument(help=SideArg)],
    schema_a: SchemaA = "auto",
    schema_b: SchemaB = "auto",
    days: Annotated[int, typer.Option("--days", min=0, help="Largest date difference of a pair, in days.")] = 1,
    km: Annotated[float, typer.Option("--km", min=0.0, help="Largest distance of a pair, in km (haversine).")] = 5.0,
    taxonomy: Annotated[str, typer.Option(
        "--taxonomy", "-t",
        help="Level types are compared at: acled (sub_event_type), acled-type, cameo, cameo-root, quad.")] = "acled",
    same_type: Annotated[bool, typer.Option("--same-type", help="Only pair events of the same type.")] = False,
    as_json: JsonOpt = False,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", help="Write the pairs and the unmatched rows (status, id_a, id_b, ...) here.")] = None,
    fmt: FormatOpt = None,
    db: DbOption = None,
    quiet: QuietOpt = False,
    codebook: CodebookOpt = None,
) -> None:
    """Match the events of A and B one-to-one (within --days and --km) and summarise.

    Reports how many events matched, which are only in A or only in B, the recall of each side,
    and how often matched pairs agree on the type. Events without coordinates match on admin1
    and date. Examples:

      evcode compare acled.csv gdelt.csv --days 1 --km 10 --taxonomy acled-type
      evcode compare dataset:acled dataset:coded --json
      evcode compare acled.csv coded.csv -o pairs.csv
    """
    import time

    from coding.codebook import load_codebook
    from coding.compare import MAX_CANDIDATES, NEAREST_K, SUMMARY_KEYS, TAXONOMIES
    from coding.compare import compare as run
    from coding.validate import output_format, write_frame

    if taxonomy not in TAXONOMIES:
        raise UsageError(f"unknown --taxonomy {taxonomy!r}; choose one of {', '.join(TAXONOMIES)}")
    _refuse_overwrite(output, a, b, db)
    for spec in (a, b):
        _check_input(spec)
    if as_json and output == "-":
        raise UsageError("--json prints the summary on stdout; write the pairs to a file with -o FILE")
    t0 = time.perf_counter()
    res = run(a, b, days=days, km=km, taxonomy=taxonomy, same_type=same_type, db=db,
              schema_a=schema_a, schema_b=schema_b, codebook=load_codebook(codebook))
    s = res.summary
    if not quiet:
        _report_left_out(res.options)
    if res.options.get("capped"):  # even with --quiet: the pairs may be fewer than an exhaustive match finds
        typer.echo(f"note: {res.options['found_nodes']:,} candidate pairs (events alike counted once) are more "
                   f"than {MAX_CANDIDATES:,}; each event kept its {NEAREST_K} cheapest candidates, so "
                   "some pairs a full match would make may be missing; narrow --days/--km or split the data.",
                   err=True)
    if output:
        write_frame(res.table(), output, output_format(output, fmt))
    if as_json:
        typer.echo(json.dumps({k: s[k] for k in SUMMARY_KEYS}))
    elif output != "-":
        n_a, n_b = res.options["n_a"], res.options["n_b"]
        lines = [
            f"Compared A = {a} ({n_a:,} events) with B = {b} ({n_b:,} events): within {days} day(s) and "
            f"{km:g} km, types at {taxonomy}{', same type only' if same_type else ''}.",
            f"  matched            {_fmt(s['matched'])}"
            + (f"  ({s['matched_on_admin1']:,} on admin1 + date, without coordinates)" if s["matched_on_admin1"] else ""),
            f"  only in A          {_fmt(s['only_a'])}",
            f"  only in B          {_fmt(s['only_b'])}",
            f"  recall of A by B   {_fmt(s['recall_a'], True)}   (share of A's events that B has)",
            f"  recall of B by A   {_fmt(s['recall_b'], True)}",
            f"  type agreement     {_fmt(s['type_agreement'], True)}   Cohen's kappa {_fmt(s['type_kappa'])}",
            f"  mean offset        {_fmt(s['mean_days'])} days, {_fmt(s['mean_km'])} km",
        ]
        typer.echo("\n".join(lines))
    if not quiet:
        where = f"; pairs and unmatched rows written to {output}" if output and output != "-" else ""
        typer.echo(f"{res.options['candidates']:,} candidate pairs, {time.perf_counter() - t0:.1f} s{where}.",
                   err=True)


@reports_errors
def agree(
    a: Annotated[str, typer.Argument(help="Coding A: events file or dataset:NAME.")],
    b: Annotated[str, typer.Argument(help="Coding B of the same passages: events file or dataset:NAME.")],
    key: Annotated[Optional[str], typer.Option(
        "--key", help="Column naming the unit coded (default passage_id when both have it, else the event id).")] = None,
    confusion: Annotated[str, typer.Option(
        "--confusion", help="Field of the confusion table: event_type, sub_event_type, cameo_root, cameo_code, quad_class.")]
    = "event_type",
    schema_a: SchemaA = "auto",
    schema_b: SchemaB = "auto",
    as_json: JsonOpt = False,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", help="Write one row per unit with both codings' values (for adjudication).")] = None,
    fmt: FormatOpt = None,
    db: DbOption = None,
    codebook: CodebookOpt = None,
) -> None:
    """Agreement between two codings of the same passages: per field agreement, kappa, alpha.

    Fields: event present, cameo_root, event_type, sub_event_type, actor1_code, actor2_code,
    admin1, fatalities; plus a confusion table of types (rows A, columns B). Example:

      evcode agree coder1.csv coder2.csv --confusion sub_event_type -o disagreements.csv
    """
    from coding.agree import agree as run
    from coding.codebook import load_codebook
    from coding.validate import output_format, write_frame

    _refuse_overwrite(output, a, b, db)
    for spec in (a, b):
        _check_input(spec)
    res = run(a, b, key=key, confusion=confusion, db=db, schema_a=schema_a, schema_b=schema_b,
              codebook=load_codebook(codebook))
    _report_left_out(res.options)
    if output:
        write_frame(res.units, output, output_format(output, fmt))
    if as_json:
        typer.echo(json.dumps(res.to_json()))
        return
    if output == "-":
        return
    typer.echo(f"Agreement of A = {a} and B = {b} over {len(res.units):,} units (by {res.key}):")
    typer.echo(f"  {'field':<16}{'units':>8}{'agreement':>11}{'kappa':>8}{'alpha':>8}")
    for r in res.fields.to_dict("records"):
        typer.echo(f"  {r['field']:<16}{_fmt(int(r['n'])):>8}{_fmt(r['agreement'], True):>11}"
                   f"{_fmt(r['kappa']):>8}{_fmt(r['alpha']):>8}")
    if len(res.confusion):
        typer.echo(f"\nConfusion of {res.confusion_field} (rows: A, columns: B):")
        typer.echo(res.confusion.to_string())
