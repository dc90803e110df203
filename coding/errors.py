"""Domain exceptions with stable reason codes.

The CLI turns every `EvcodeError` into one line on stderr and exit code 1 (usage errors: 2).
Messages name the file/row/column and say how to fix the problem.
"""

from __future__ import annotations

from typing import Iterable


class EvcodeError(Exception):
    """Base class: `reason` is a stable machine-readable code, `str(err)` the human sentence."""

    reason = "evcode_error"
    exit_code = 1

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason:
            self.reason = reason


class UsageError(EvcodeError):
    """Bad combination of options or arguments (exit 2)."""

    reason = "usage"
    exit_code = 2


class CodebookError(EvcodeError):
    """A codebook file is missing, unreadable or inconsistent."""

    reason = "codebook_invalid"


class InputError(EvcodeError):
    """An input file or passage cannot be read (encoding, columns, format)."""

    reason = "input_invalid"


class ValidationFailed(EvcodeError):
    """Rows failed a schema; the report has the details."""

    reason = "validation_failed"


class StoreError(EvcodeError):
    """The DuckDB store cannot be opened or written (locked, corrupt, missing dataset)."""

    reason = "store_error"


class QueryError(EvcodeError):
    """A named query is unknown, lacks a parameter, or failed."""

    reason = "query_error"


def check_unique_columns(name: str, columns: Iterable[str]) -> None:
    """InputError naming the first column name a header repeats (a row dict would keep only the
    last of two same-named columns: which one was meant is a guess)."""
    seen: set[str] = set()
    for c in columns:
        if c in seen:
            raise InputError(f"{name}: column {c!r} appears twice in the header; rename or remove one of them")
        seen.add(c)
