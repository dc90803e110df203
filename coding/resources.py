"""Where the built-in codebook and SQL files live, installed or in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _data_dir(name: str) -> Path:
    # In a wheel hatchling force-includes the top-level folders under coding/_data/;
    # in a source checkout (editable install, tests) they sit next to the package.
    packaged = Path(str(resources.files("coding"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"evcode's built-in {name}/ folder is missing: reinstall evcode")


def codebook_dir() -> Path:
    """The built-in codebook directory."""
    return _data_dir("codebooks")


def sql_dir() -> Path:
    """The folder of named SQL queries."""
    return _data_dir("sql")
