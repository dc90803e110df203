"""Properties of the codebook and its loader (hypothesis)."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from coding.codebook import TABLES, _load, _read_csv, _validate, load_codebook, split_list, to_csv_text
from coding.errors import CodebookError
from coding.lint import _alias_key, actor_aliases

CB = load_codebook()
CODES = sorted(CB.cameo)
ROOT_QUAD = dict(zip(CB.table("cameo/root_classes")["root"], CB.table("cameo/root_classes")["quad_class"]))
OWNERS: dict[str, set[tuple[str, str]]] = defaultdict(set)
ALIASES: list[tuple[str, str, str]] = []
for _alias, _table, _key, _ in actor_aliases(CB):
    OWNERS[_alias_key(_alias)].add((_table, _key))
    ALIASES.append((_alias, _table, _key))
SMALL_TABLES = sorted(n for n, df in CB.tables.items() if len(df) <= 1000)

cell = st.text(
    alphabet=st.characters(codec="utf-8", blacklist_categories=["Cs", "Cc"], blacklist_characters="\r"),
    max_size=12,
) | st.sampled_from(["a,b", 'say "no"', "x|y|z", " lead", "trail ", "042", "", "NA", "null", "1.50"])


@given(st.sampled_from(CODES))
def test_parent_exists_and_is_prefix(code: str) -> None:
    parent = CB.cameo[code]["parent"]
    if len(code) == 2:
        assert parent == ""
    else:
        assert parent in CB.cameo and code.startswith(parent) and len(parent) == len(code) - 1


@given(st.sampled_from(CODES))
def test_quad_class_follows_root(code: str) -> None:
    assert CB.cameo[code]["quad_class"] == ROOT_QUAD[code[:2]]


@given(st.sampled_from(ALIASES))
def test_alias_resolves_to_exactly_one_actor(item: tuple[str, str, str]) -> None:
    alias, table, key = item
    assert OWNERS[_alias_key(alias)] == {(table, key)}


@given(st.lists(st.tuples(cell, cell, cell), min_size=1, max_size=8))
def test_csv_text_round_trips(rows: list[tuple[str, str, str]]) -> None:
    df = pd.DataFrame(rows, columns=["code", "name", "aliases"])
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "t.csv"
        p.write_text(to_csv_text(df), encoding="utf-8")
        back = _read_csv(p).to_pandas()
    pd.testing.assert_frame_equal(back, df)


@given(st.lists(cell, max_size=6))
def test_split_list_inverts_join(items: list[str]) -> None:
    clean = [i.strip() for i in items if i.strip() and "|" not in i]
    assert split_list("|".join(clean)) == clean


@pytest.mark.parametrize("name", SMALL_TABLES)
@settings(max_examples=15)
@given(data=st.data())
def test_table_subset_round_trips_and_validates(name: str, data: st.DataObject) -> None:
    df = CB.table(name)
    idx = data.draw(st.lists(st.integers(0, len(df) - 1), min_size=1, max_size=20, unique=True))
    sub = df.iloc[sorted(idx)].reset_index(drop=True)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "t.csv"
        p.write_text(to_csv_text(sub), encoding="utf-8")
        back = _read_csv(p).to_pandas()
        _validate(name, back, p)
    pd.testing.assert_frame_equal(back, sub)


@settings(max_examples=20)
@given(row=st.integers(0, len(CODES) - 1), bad=st.sampled_from(["0", "5", "x", "", "1.0"]))
def test_bad_quad_class_names_file_row_and_column(row: int, bad: str) -> None:
    df = CB.table("cameo/event_codes").copy()
    df.loc[row, "quad_class"] = bad
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "event_codes.csv"
        p.write_text(to_csv_text(df), encoding="utf-8")
        with pytest.raises(CodebookError) as err:
            _validate("cameo/event_codes", _read_csv(p), p)
    msg = str(err.value)
    assert str(p) in msg and f"row {row + 2}" in msg and "quad_class" in msg


ORG_COLS = ["org_id", "name", "acled_name", "cameo", "inter", "country", "kind", "aliases", "note"]
org_ids = st.sampled_from([f"org{i}" for i in range(12)])


def _orgs(ids: list[str], tag: str) -> pd.DataFrame:
    return pd.DataFrame([[i, f"{tag} {i}", "", "SYRREB", "2", "SYR", "armed_group", "", tag] for i in ids], columns=ORG_COLS)


@settings(max_examples=30)
@given(st.lists(org_ids, min_size=1, max_size=8, unique=True), st.lists(org_ids, min_size=1, max_size=8, unique=True))
def test_layered_rows_append_and_replace_by_key(base_ids: list[str], user_ids: list[str]) -> None:
    with tempfile.TemporaryDirectory() as d:
        base, user = Path(d) / "base", Path(d) / "user"
        for root, ids, tag in ((base, base_ids, "base"), (user, user_ids, "user")):
            (root / "actors").mkdir(parents=True)
            (root / "actors" / "organisations.csv").write_text(to_csv_text(_orgs(ids, tag)), encoding="utf-8")
        cb = _load([base, user])
    got = cb.table("actors/organisations")
    assert got["org_id"].is_unique
    assert set(got["org_id"]) == set(base_ids) | set(user_ids)
    notes = dict(zip(got["org_id"], got["note"]))
    assert all(notes[i] == "user" for i in user_ids)
    assert all(notes[i] == "base" for i in set(base_ids) - set(user_ids))
    assert set(TABLES["actors/organisations"][1]) <= set(got.columns)
    # the rows and their order are pandas' drop_duplicates(keep="last") of the two layers
    both = pd.concat([_orgs(base_ids, "base"), _orgs(user_ids, "user")], ignore_index=True)
    expected = both.drop_duplicates("org_id", keep="last").reset_index(drop=True)
    pd.testing.assert_frame_equal(got[ORG_COLS], expected)
    assert cb.rows("actors/organisations") == expected.to_dict("records")
