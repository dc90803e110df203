"""Regenerate the golden query results: every named query on the fixture datasets, as CSV.

    python tests/golden/regen.py        # then review the diff by eye before committing

tests/test_sql.py runs the same queries (through `render` below) and compares with these files.
The fixture database holds tests/fixtures/store_events.csv as dataset `evcode` and
tests/fixtures/store_acled.csv as dataset `acled` (two of its rows are rejected on load).
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: Parameters each query runs with in the golden test (queries not listed run with none).
GOLDEN_PARAMS: dict[str, dict[str, str]] = {
    "type_distribution_vs": {"a": "evcode", "b": "acled"},
    "top_dyads": {"limit": "10"},
}


def build_db(path: Path) -> Path:
    """Load the two fixture files into a new store at `path`."""
    from coding.store import load_file

    load_file(FIXTURES / "store_events.csv", schema="events", dataset="evcode", db=path)
    load_file(FIXTURES / "store_acled.csv", schema="acled", dataset="acled", db=path)
    return path


def render(name: str, db: Path) -> str:
    """The query's result as the CSV `evcode sql NAME -f csv` prints."""
    from coding.commands.store import _dates_as_dates
    from coding.queries import run_query

    df = run_query(name, GOLDEN_PARAMS.get(name, {}), db=db)
    buf = io.StringIO()
    _dates_as_dates(df, as_text=True).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def main() -> None:
    from coding.queries import list_queries

    with tempfile.TemporaryDirectory() as tmp:
        db = build_db(Path(tmp) / "golden.duckdb")
        for q in list_queries():
            text = render(q.name, db)
            (HERE / f"{q.name}.csv").write_text(text, encoding="utf-8")
            print(f"{q.name}: {text.count(chr(10)) - 1} rows")


if __name__ == "__main__":
    main()
