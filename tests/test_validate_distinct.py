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


CSV_CASES = [
    b"a,b\n1,2\n3,4\n",
    b"a,b\r\n1,2\r\n3,4",
    "\ufeffevent_id,notes\n1,caf\u00e9\n2,\"x, y\"\n".encode(),
    b'a,b\n1,"x""y"\n2," q"\n3, "s"\n4,t"u\n5,"ab"cd\n',
    b'a,b\n1,"multi\nline"\n2,\n\n3,""\n',
    b"a,b\n 1 ,NA\nNULL,nan\n#x,-\n",
    b"a,a\n1,2\n",          # repeated names: pandas renames, so pandas reads it
    b"a,,c\n1,2,3\n",       # empty name
    b"a,b\n1,2\n3\n",        # short row
    b"a,b\n1,2,3\n",         # long row
    b"a,b\n",                # header only
    b'a,b\n1,"open\n',       # unclosed quote
    b'a,b\n1,"open\n2,x\n',
    b'a,b\n1,"a""b\r\n',
    b'a,b\n1,"ok\n"\n',    # a last field that really ends with a newline
    b"a,b\n1,2",             # no newline at the end
    b"a,b\n1,\xff\n",        # not UTF-8
    b"a\tb\n1\t\"x\"\n2\t'y'\n",  # TSV: quotes are data
    b"1\t2\t3\n4\t5\t6\n",   # headerless
]


@pytest.mark.parametrize("i", range(len(CSV_CASES)))
def test_csv_fast_reader_as_pandas(i: int, tmp_path: Path) -> None:
    """pyarrow's CSV reader is used only where it reads exactly what `pd.read_csv` reads."""
    from coding.errors import InputError
    from coding.sources import _read_csv_arrow

    data = CSV_CASES[i]
    sep = "\t" if b"\t" in data.split(b"\n")[0] else ","
    path = tmp_path / ("f.tsv" if sep == "\t" else "f.csv")
    path.write_bytes(data)
    header = not data.split(b"\n")[0].split(sep.encode())[0].strip().lstrip(b"\xef\xbb\xbf").isdigit()
    first = data.decode("utf-8", errors="replace").split("\n")[0].rstrip("\r")
    fast = _read_csv_arrow(path, None, sep, header, first)
    try:
        slow = pd.read_csv(path, sep=sep, dtype=str, header=0 if header else None, keep_default_na=False,
                           na_filter=False, encoding="utf-8-sig", quoting=3 if sep == "\t" else 0, low_memory=False)
        if not header:
            slow.columns = [str(c) for c in range(slow.shape[1])]
    except Exception:  # noqa: BLE001
        slow = None
    if fast is not None:
        assert slow is not None
        pd.testing.assert_frame_equal(fast, slow)
    try:  # and read_table, whichever reader it used, gives what it gave before
        table = read_table(path)
    except InputError:
        assert fast is None
    else:
        if slow is not None:
            pd.testing.assert_frame_equal(table.frame, slow)
