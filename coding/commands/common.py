"""Shared CLI plumbing: the error decorator and option aliases every command reuses."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, TypeVar

import typer

from coding.errors import EvcodeError

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn a domain exception into one line on stderr and its exit code (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EvcodeError as err:
            typer.echo(f"Error: {err}", err=True)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # `evcode ... | head` closes stdout early: not an error for the user.
            sys.stderr.close()
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as err:  # a bug in evcode, not the user's input: one line, and how to see more
            if isinstance(err, RuntimeError) and str(err) == "Query interrupted":
                # DuckDB's Python client turns Ctrl-C during any statement into this, not KeyboardInterrupt
                typer.echo("Interrupted.", err=True)
                raise typer.Exit(130) from None
            if os.environ.get("EVCODE_DEBUG"):
                raise
            where = ""
            tb = err.__traceback__
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            if tb is not None:
                where = f" at {os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}"
            typer.echo(f"Internal error: {type(err).__name__}: {err}{where}; this is a bug in evcode - "
                       "please report it (EVCODE_DEBUG=1 shows the traceback)", err=True)
            raise typer.Exit(70) from None

    return wrapper  # type: ignore[return-value]


CodebookOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--codebook",
        help="Extra codebook directory layered over the built-in one (repeatable).",
        exists=True,
        file_okay=False,
        dir_okay=True,
    ),
]
OutputOpt = Annotated[
    str, typer.Option("--output", "-o", help="Output file, or '-' for stdout.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")]
DbOpt = Annotated[
    Path,
    typer.Option(
        "--db",
        envvar="EVCODE_DB",
        help="DuckDB database file (default ./evcode.duckdb, or $EVCODE_DB).",
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="Format of data written: csv, tsv, jsonl or parquet (default: from the file extension, else csv).",
    ),
]
