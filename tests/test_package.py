"""The installed package finds its codebook and SQL (CI installs it non-editable from a wheel)."""

from __future__ import annotations

import coding
from coding.resources import codebook_dir, sql_dir


def test_codebook_and_sql_are_found():
    cb = codebook_dir()
    assert (cb / "codebook.yaml").is_file()
    assert (cb / "cameo" / "event_codes.csv").is_file()
    assert any(p.suffix == ".yaml" for p in (cb / "rules").iterdir())
    assert len(list(sql_dir().glob("*.sql"))) >= 9


def test_version_is_set():
    assert coding.__version__.count(".") == 2


def test_py_typed_ships():
    from importlib import resources

    assert (resources.files("coding") / "py.typed").is_file()
