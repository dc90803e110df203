"""Checks run once per distinct value (`coding.schemas.per_value`) give exactly the per-row answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coding import schemas
from coding.schemas import get_schema
from coding.sources import module, read_table
from coding.validate import check_frame
from strategies import MUTATIONS, frames

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ("events", "acled", "icews", "gdelt1", "gdelt2")


def both_ways(df: pd.DataFrame, schema: str, monkeypatch: pytest.MonkeyPatch) -> tuple[pd.DataFrame, pd.DataFrame]:
    """check_frame per row (the plain check functions) and per distinct value (always)."""
    pschema = get_schema(schema, None, list(df.columns))
    key = module(schema).KEY
    with monkeypatch.context() as m:
        m.setattr(schemas, "PER_VALUE_MIN_ROWS", 10 ** 12)
        per_row = check_frame(df, pschema, key)
    with monkeypatch.context() as m:
        m.setattr(schemas, "PER_VALUE_MIN_ROWS", 0)
        m.setattr(schemas, "PER_VALUE_MAX_SHARE", 1.0)
        per_value = check_frame(df, pschema, key)
    return per_row, per_value


def scramble(df: pd.DataFrame, seed: int = 0, share: float = 0.05) -> pd.DataFrame:
    """Copy cells between rows and blank/garble some, so checks fail in many ways."""
    rng = np.random.default_rng(seed)
    out = df.copy()
    n = len(out)
    junk = np.array(["", "x", "-1", "1.5", "042", "999", "  7", "nan", "2099-01-01", "３"], dtype=object)
    for c in out.columns:
        rows = np.flatnonzero(rng.random(n) < share)
        donors = rng.integers(0, n, len(rows))
        vals = out[c].to_numpy(dtype=object)[donors]
        garble = rng.random(len(rows)) < 0.3
        vals[garble] = junk[rng.integers(0, len(junk), int(garble.sum()))]
        col = out[c].to_numpy(dtype=object).copy()
        col[rows] = vals
        out[c] = pd.Series(col, index=out.index, dtype=out[c].dtype)
    return out


REAL = [
    ("events", ROOT / "tests" / "fixtures" / "store_events.csv"),
    ("acled", ROOT / "tests" / "fixtures" / "store_acled.csv"),
]


@pytest.mark.parametrize("schema,path", REAL, ids=[s for s, _ in REAL])
def test_fixture_files_same_failures(schema: str, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    df = read_table(path).frame
    for frame in (df, scramble(df, 1), scramble(df, 2, share=0.3)):
        a, b = both_ways(frame, schema, monkeypatch)
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("schema,name", [("acled", "acled/acled_2022_sample_dev.csv"),
                                          ("icews", "icews/icews_events.2018.sample.tab")])
def test_reference_files_same_failures(schema: str, name: str, shared_data: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared_data / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    df = read_table(path).frame.head(3000)
    for frame in (df, scramble(df, 3)):
        a, b = both_ways(frame, schema, monkeypatch)
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("schema", SCHEMAS)
@settings(max_examples=15)
@given(data=st.data())
def test_mutated_frames_same_failures(schema: str, data: st.DataObject, monkeypatch: pytest.MonkeyPatch) -> None:
    df = data.draw(frames(schema, min_size=2))
    plan = data.draw(st.lists(st.none() | st.sampled_from(MUTATIONS[schema]),
                              min_size=len(df), max_size=len(df)), label="mutations")
    for pos, mutation in enumerate(plan):
        if mutation is not None:
            df.loc[pos, mutation.column] = mutation.apply(df.loc[pos].to_dict())
    df = pd.concat([df, df.iloc[::-1]], ignore_index=True)  # repeated values, as in real files
    a, b = both_ways(df, schema, monkeypatch)
    pd.testing.assert_frame_equal(a, b)


def test_parquet_read_as_before(tmp_path: Path) -> None:
    """`read_table` on Parquet gives what `pd.read_parquet` + `as_strings` gives."""
    from coding.sources import as_strings

    n = 5000
    rng = np.random.default_rng(0)
    df = pd.DataFrame({
        "code": rng.choice(["042", "190", "", "1823"], n),
        "with_null": pd.Series(rng.choice(["a", "b", None], n), dtype=object),
        "ids": [f"id{i}" for i in range(n)],
        "ints": rng.integers(0, 5, n),
        "floats": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 9, n).astype(float)),
        "frac": rng.random(n),
        "flag": rng.random(n) < 0.5,
        "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 9, n), unit="D"),
    })
    for index in (False, True):
        path = tmp_path / f"t{index}.parquet"
        df.iloc[::-1].to_parquet(path, index=index, row_group_size=1500)  # several row groups
        table = read_table(path)
        pd.testing.assert_frame_equal(table.frame, as_strings(pd.read_parquet(path)))


@pytest.mark.parametrize("path", [ROOT / "tests" / "fixtures" / "store_acled.csv",
                                  ROOT / "tests" / "fixtures" / "store_events.csv"])
def test_row_split_as_pandas(path: Path) -> None:
    from coding.validate import _rows

    df = read_table(path).frame
    mask = np.random.default_rng(0).random(len(df)) < 0.4
    for m in (mask, ~mask, np.zeros(len(df), bool), np.ones(len(df), bool)):
        pd.testing.assert_frame_equal(_rows(df, m), df[m], check_index_type=True)
