"""`evcode codebook`: list, show, search, lint and count the codebook (built-in + --codebook layers),
and fill its inflection table."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from coding.commands.common import CodebookOpt, reports_errors
from coding.errors import EvcodeError, UsageError

app = typer.Typer(
    no_args_is_help=True,
    help="Browse and check the codebook: list, show, search, lint, stats, inflect.",
)


class LintFailed(EvcodeError):
    """`evcode codebook lint` found problems (exit 1)."""

    reason = "codebook_lint"


def _table(df, fmt: str) -> None:  # type: ignore[no-untyped-def]
    if fmt == "csv":
        sys.stdout.write(df.to_csv(index=False))
    elif fmt == "jsonl":
        for rec in df.to_dict("records"):
            typer.echo(json.dumps(rec, ensure_ascii=False))
    elif fmt == "table":
        from rich.console import Console
        from rich.table import Table

        t = Table(show_lines=False)
        for c in df.columns:
            t.add_column(str(c), overflow="fold")
        for row in df.itertuples(index=False):
            t.add_row(*[str(v) for v in row])
        Console(width=max(160, 20 * len(df.columns)) if not sys.stdout.isatty() else None).print(t)
    else:
        raise UsageError(f"--format {fmt!r}: choose table, csv or jsonl")


@app.command("list")
@reports_errors
def list_(
    taxonomy: Annotated[
        str,
        typer.Argument(help="cameo, roots, actor-types, acled, inter, modes, resolution, countries, agents, "
                            "organisations, places or rules."),
    ] = "cameo",
    filter: Annotated[str, typer.Option("--filter", help="Keep rows where any column contains this text (any case).")] = "",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or jsonl.")] = "table",
    codebook: CodebookOpt = None,
) -> None:
    """List a taxonomy of the codebook, optionally filtered.

    Example:

        evcode codebook list modes --filter strike --format csv
    """
    from coding.codebook import load_codebook
    from coding.taxonomy import list_taxonomy

    if fmt not in ("table", "csv", "jsonl"):
        raise UsageError(f"--format {fmt!r}: choose table, csv or jsonl")
    df = list_taxonomy(load_codebook(codebook), taxonomy, filter)
    _table(df, fmt)
    typer.echo(f"{len(df)} row(s)", err=True)


@app.command("show")
@reports_errors
def show(
    code_or_name: Annotated[str, typer.Argument(help="A CAMEO code (\"190\"), an actor, a place or a rule id.")],
    codebook: CodebookOpt = None,
) -> None:
    """Show everything known about a CAMEO code, an actor, a place or a rule.

    Example:

        evcode codebook show 190
        evcode codebook show Hezbollah
    """
    from coding.codebook import load_codebook
    from coding.taxonomy import show as show_

    sections = show_(load_codebook(codebook), code_or_name)
    if not sections:
        raise EvcodeError(
            f"nothing in the codebook is called {code_or_name!r}; try `evcode codebook search {code_or_name!r}`",
            reason="not_found",
        )
    for i, s in enumerate(sections):
        if i:
            typer.echo("")
        typer.echo(f"== {s.title}")
        width = max((len(k) for k in s.fields), default=0)
        for k, v in s.fields.items():
            if "\n" in v:
                typer.echo(f"{k}:")
                typer.echo(v)
            else:
                typer.echo(f"{k.ljust(width)}  {v}")
        if s.rows is not None:
            typer.echo(s.rows.to_csv(index=False).rstrip("\n"))


@app.command("search")
@reports_errors
def search(
    text: Annotated[str, typer.Argument(help="A phrase or sentence.")],
    codebook: CodebookOpt = None,
) -> None:
    """Show which actors, places and rules a phrase would hit.

    Example:

        evcode codebook search "Syrian troops shelled rebel positions in Douma"
    """
    from coding.coder import get_coder
    from coding.taxonomy import search as search_

    hits = search_(text, get_coder(codebook))
    if not hits:
        typer.echo("no actor, place or rule matches this phrase", err=True)
        return
    for h in hits:
        typer.echo(f"{h.kind:<6} {h.text!r} -> {h.what}  {h.detail}")


@app.command("lint")
@reports_errors
def lint(
    codebook: CodebookOpt = None,
    check: Annotated[
        list[str] | None, typer.Option("--check", help="Run only this check (repeatable), e.g. duplicate_alias.")
    ] = None,
) -> None:
    """Check the codebook across tables and rules; exit 1 with one line per problem.

    Lines read `file:row: check: message`; `row` is the line in a CSV file or the rule id.

    Example:

        evcode codebook lint --codebook my_codebook/
    """
    from coding.codebook import load_codebook
    from coding.lint import CHECKS, lint_codebook, summary

    unknown = sorted(set(check or []) - set(CHECKS))
    if unknown:  # a usage error (exit 2), before the codebook is read
        raise UsageError(f"--check {', '.join(unknown)}: no such check; choose from {', '.join(CHECKS)}")
    cb = load_codebook(codebook)
    problems = lint_codebook(cb, check)
    if problems:
        for p in problems:
            typer.echo(str(p))
        raise LintFailed(f"{len(problems)} codebook problem(s); fix them and run `evcode codebook lint` again")
    typer.echo(summary(cb))


@app.command("stats")
@reports_errors
def stats(
    codebook: CodebookOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Count what the codebook holds: codes, rules, patterns, examples, actors, aliases, places.

    Example:

        evcode codebook stats --format json
    """
    from coding.codebook import load_codebook
    from coding.taxonomy import stats as stats_

    s = stats_(load_codebook(codebook))
    if fmt == "json":
        typer.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    if fmt != "table":
        raise UsageError(f"--format {fmt!r}: choose table or json")
    for k, v in s.items():
        if isinstance(v, dict):
            typer.echo(f"{k}:")
            for kk, vv in v.items():
                typer.echo(f"  {kk:<18} {vv}")
        else:
            typer.echo(f"{k:<20} {v}")


@app.command("inflect")
@reports_errors
def inflect(
    codebook: CodebookOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Table to write (default: lexicon/inflections.csv of the last layer)."),
    ] = None,
) -> None:
    """Add lexicon/inflections.csv rows for the words the codebook needs and the table lacks.

    The forms come from lemminflect; rows already in the table stay as they are, so a row you corrected by hand is kept.

    Without the rows the codebook still codes the same, but every cold load starts lemminflect for those words (`evcode codebook lint` names them).

    Example:

        evcode codebook inflect --codebook my_codebook/
    """
    from coding.inflections import needed, write_table
    from coding.resources import codebook_dir

    target = output or ((codebook[-1] if codebook else codebook_dir()) / "lexicon" / "inflections.csv")
    added = write_table(target, needed(codebook))
    # (with nothing missing, nothing is written: the table the codebook has covers every word)
    typer.echo(f"{added} word(s) added to {target}" if added
               else f"nothing to add: the codebook's inflection table has every word; {target} not written")


def register(root: typer.Typer) -> None:
    """Add `evcode codebook ...` to the app."""
    root.add_typer(app, name="codebook")
