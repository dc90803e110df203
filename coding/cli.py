"""The `evcode` command line: a thin layer over the library in `coding/`."""

from __future__ import annotations

from typing import Annotated

import typer

from coding import __version__

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Code news passages into CAMEO/ACLED events, validate event data, and query it in DuckDB.",
)


def _version(value: bool) -> None:
    if value:
        from coding.codebook import load_codebook

        cb = load_codebook()
        typer.echo(f"evcode {__version__} (codebook {cb.version})")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show versions and exit."),
    ] = False,
) -> None:
    """evcode: event coding, validation and event-data SQL."""


def _register() -> None:
    # Each command group lives in its own module (pandera's CLI layout); import order = help order.
    import importlib

    for name in ("code", "codebook", "validate", "store", "compare", "review"):
        try:
            module = importlib.import_module(f"coding.commands.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"coding.commands.{name}":
                raise
            continue
        module.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app()
