"""`evcode review`: coders accept, reject, correct and add events; export the gold; see what to fix.

`evcode review INPUT --coder NAME` is short for `evcode review open INPUT --coder NAME`: a group
whose first word is not one of its commands runs `open` (so `evcode review export ...` is the
export command, never a file called "export"; write `./export` for that).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from coding.commands.common import CodebookOpt, QuietOpt, reports_errors
from coding.errors import UsageError


class _DefaultOpen(TyperGroup):
    """A group that runs `open` when its first argument is not one of its commands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["open", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultOpen,
    no_args_is_help=True,
    help="Review the machine's events passage by passage: accept, reject, edit, add; every decision kept. "
         "`evcode review INPUT --coder NAME` opens the interface (= `evcode review open ...`).",
)

CoderOpt = Annotated[str, typer.Option("--coder", "-c", help="Your coder name (each coder's decisions are kept apart).")]
ReviewDbOpt = Annotated[
    Path | None,
    typer.Option("--db", envvar="EVCODE_DB", help="DuckDB file holding the review (default ./evcode.duckdb, or $EVCODE_DB)."),
]


@app.command("open")
@reports_errors
def open_(
    input: Annotated[str, typer.Argument(help="Passages: a .txt file, a folder of .txt, or a .csv/.tsv/.jsonl/.parquet table.")],
    coder: CoderOpt,
    db: ReviewDbOpt = None,
    decisions: Annotated[
        Path | None,
        typer.Option("--decisions", help="Apply decisions from a JSON-lines file instead of opening the interface."),
    ] = None,
    id_column: Annotated[str | None, typer.Option("--id-column", help="Id column of a table input (default: id, if there is one).")] = None,
    text_column: Annotated[str, typer.Option("--text-column", help="Text column of a table input.")] = "text",
    date_column: Annotated[str | None, typer.Option("--date-column", help="Date column of a table input (default: date, if there is one).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Passage date YYYY-MM-DD for inputs without one.")] = None,
    codebook: CodebookOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Review passages: the interface, or --decisions FILE.jsonl for scripts (all lines or none).

    Resumes at the first passage this coder has not finished.

    Example:

        evcode review passages.csv --coder ana --db review.duckdb
        evcode review passages.csv --coder ana --db review.duckdb --decisions ana.jsonl
    """
    from coding.review import ReviewSession

    session = ReviewSession.open(input, coder, db, codebooks=codebook, id_column=id_column,
                                 text_column=text_column, date_column=date_column, date=date)
    if decisions is not None:
        rows = session.apply_decisions(decisions)
        done, total = session.progress()
        if not quiet:
            typer.echo(f"{len(rows)} decision(s) applied for coder {coder}; {done}/{total} passage(s) done", err=True)
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the review interface needs a terminal; run it in one, or pass --decisions FILE.jsonl")
    from coding.review_app import ReviewApp

    ReviewApp(session).run()
    done, total = session.progress()
    if not quiet:
        typer.echo(f"coder {coder}: {done}/{total} passage(s) done; every decision is stored in {session.db}", err=True)


def _fmt(output: str, fmt: str | None) -> str:
    if fmt:
        if fmt not in ("csv", "jsonl", "parquet"):
            raise UsageError(f"--format {fmt!r}: choose csv, jsonl or parquet")
        return fmt
    suffix = Path(output).suffix.lower()
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}.get(suffix, "csv")


@app.command("export")
@reports_errors
def export(
    coder: CoderOpt,
    output: Annotated[str, typer.Option("--output", "-o", help="Output file, or '-' for stdout.")] = "-",
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv, jsonl or parquet (default: from -o's extension, else csv).")] = None,
    db: ReviewDbOpt = None,
    passages: Annotated[
        bool,
        typer.Option("--passages", help="One row per finished passage (id, text, date, the main event's labels), "
                                        "for evcode evaluate."),
    ] = False,
    include_open: Annotated[
        bool, typer.Option("--include-open", help="Also passages not finished (their undecided events left out).")
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Export a coder's reviewed events as an event table (the columns of `evcode code`).

    Only passages the coder finished are exported; rejected events are left out.

    Example:

        evcode review export --coder ana --db review.duckdb -o gold_ana.csv
        evcode agree gold_ana.csv gold_ben.csv
    """
    from coding.io import EventWriter
    from coding.record import EVENT_COLUMNS
    from coding.review import export_events, export_passages

    kind = _fmt(output, fmt)
    if passages:
        if include_open:
            raise UsageError("--passages exports finished passages only; drop --include-open")
        rows: list[dict[str, Any]] = export_passages(db, coder)
        columns = list(rows[0]) if rows else ["id", "text", "date", "events"]
    else:
        rows = export_events(db, coder, include_open=include_open)
        columns = list(EVENT_COLUMNS)
    writer = EventWriter(output, kind, columns)
    try:
        for r in rows:
            writer.write(r)
    except BaseException:
        writer.abort()
        raise
    writer.close()
    if not quiet:
        typer.echo(f"{writer.count} {'passage' if passages else 'event'}(s) exported for coder {coder}", err=True)


@app.command("stats")
@reports_errors
def stats(
    db: ReviewDbOpt = None,
    coder: Annotated[str | None, typer.Option("--coder", "-c", help="Only this coder's decisions.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    top: Annotated[int, typer.Option("--top", min=1, help="Rules and added events shown (table format).")] = 20,
) -> None:
    """Progress per coder, and per codebook rule how often coders accepted, corrected or rejected its events.

    Rules come worst first (the ones to fix first), each with an example; then the events coders
    added that no rule produced (what the codebook is missing).

    Example:

        evcode review stats --db review.duckdb
    """
    from coding.review import review_stats

    if fmt not in ("table", "json"):
        raise UsageError(f"--format {fmt!r}: choose table or json")
    s = review_stats(db, coder)
    if fmt == "json":
        typer.echo(json.dumps(s.to_json(), ensure_ascii=False, indent=2))
        return
    typer.echo("== progress")
    typer.echo(f"{'coder':<16} {'done':>5} {'skipped':>7} {'open':>5} {'decisions':>9} {'undos':>5} "
               f"{'accepted':>8} {'edited':>6} {'rejected':>8} {'added':>5}")
    for p in s.progress:
        typer.echo(f"{p['coder'][:16]:<16} {p['done']:>5} {p['skipped']:>7} {p['open']:>5} {p['decisions']:>9} "
                   f"{p['undos']:>5} {p['accepted']:>8} {p['edited']:>6} {p['rejected']:>8} {p['added']:>5}"
                   f"   ({p['done']}/{p['passages']} passages)")
    typer.echo("")
    typer.echo("== rules (to fix first: most corrected or rejected)")
    typer.echo(f"{'rule_id':<32} {'events':>6} {'accepted':>8} {'edited':>6} {'rejected':>8} {'reject%':>7} {'edit%':>6}  fields corrected")
    for r in s.rules[:top]:
        typer.echo(f"{r['rule_id'][:32]:<32} {r['events']:>6} {r['accepted']:>8} {r['edited']:>6} {r['rejected']:>8} "
                   f"{100 * r['reject_rate']:>6.0f}% {100 * r['correct_rate']:>5.0f}%  {r['fields'] or '-'}")
        if r["example"]:
            typer.echo(f"    e.g. {r['example_event']}: {r['example'][:110]}")
    if len(s.rules) > top:
        typer.echo(f"... {len(s.rules) - top} more rule(s); --top N or --format json for all")
    typer.echo("")
    typer.echo("== added by coders (no rule produced these)")
    if not s.added:
        typer.echo("(none)")
    for a in s.added[:top]:
        typer.echo(f"{a['event_id']} by {a['coder']}: {a['cameo_code']} {a['sub_event_type'] or '-'}: {a['sentence'][:100]}")
    if len(s.added) > top:
        typer.echo(f"... {len(s.added) - top} more; --format json for all")


def register(root: typer.Typer) -> None:
    """Add `evcode review ...` to the app."""
    root.add_typer(app, name="review")
