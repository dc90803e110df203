"""Work handed to a forked child during a cold load: same answer as in line, errors kept."""

from __future__ import annotations

import os

import pytest

from coding.errors import CodebookError
from coding.forked import Pending, forking


def _square_table() -> dict[str, int]:
    return {f"row{i}": i * i for i in range(20_000)}  # larger than a pipe's buffer once pickled


@pytest.mark.parametrize("fork", [True, False])
def test_the_child_gives_the_answer_the_parent_would(monkeypatch, fork: bool) -> None:
    if not fork:
        monkeypatch.setenv("EVCODE_NO_FORK", "1")
    assert forking() == (fork and os.uname().sysname == "Linux")
    assert Pending(_square_table).result() == _square_table()


def test_an_error_in_the_child_is_raised_in_the_parent() -> None:
    def bad() -> None:
        raise CodebookError("codebooks/x.csv row 3: column y fails z; fix the table")

    with pytest.raises(CodebookError, match="row 3: column y"):
        Pending(bad).result()


def test_a_child_that_dies_without_answering_means_working_in_line() -> None:
    parent = os.getpid()

    def dies_in_child() -> int:
        if os.getpid() != parent:
            os._exit(9)
        return 42

    assert Pending(dies_in_child).result() == 42
