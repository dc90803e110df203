"""`evcode compare`: known answers built from real ACLED rows, assignment corner cases, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from coding import compare as cmp
from coding.cli import app
from coding.compare import KM_PER_DEGREE, SUMMARY_KEYS, cohen_kappa, compare

runner = CliRunner()


# ---------------------------------------------------------------------------------------------
# real rows


@pytest.fixture(scope="module")
def acled_rows(shared_data: Path, codebook) -> pd.DataFrame:  # noqa: ANN001
    """60 valid rows of the ACLED dev sample, each > 15 days or > 200 km from every other one.

    Raw ACLED columns (strings), so they can be written back as an ACLED file.
    """
    from coding.validate import validate_file

    res = validate_file(shared_data / "acled" / "acled_2022_sample_dev.csv", "acled", codebook=codebook)
    v = res.valid.reset_index(drop=True)
    lat = v["latitude"].astype(float).to_numpy()
    lon = v["longitude"].astype(float).to_numpy()
    day = pd.to_datetime(v["event_date"]).to_numpy()
    keep: list[int] = []
    for i in range(len(v)):
        ok = True
        for j in keep:
            near_days = abs((day[i] - day[j]) / np.timedelta64(1, "D")) <= 15
            if near_days and _km(lat[i], lon[i], lat[j], lon[j]) <= 200:
                ok = False
                break
        if ok:
            keep.append(i)
        if len(keep) == 60:
            break
    assert len(keep) == 60
    return v.iloc[keep].reset_index(drop=True)


def _km(y1: float, x1: float, y2: float, x2: float) -> float:
    y1, x1, y2, x2 = map(np.radians, (y1, x1, y2, x2))
    h = np.sin((y2 - y1) / 2) ** 2 + np.cos(y1) * np.cos(y2) * np.sin((x2 - x1) / 2) ** 2
    return float(2 * 6371.0088 * np.arcsin(np.sqrt(h)))


def _shift_days(s: pd.Series, n: int) -> pd.Series:
    return (pd.to_datetime(s) + pd.Timedelta(days=n)).dt.strftime("%Y-%m-%d")


def derived(a: pd.DataFrame) -> pd.DataFrame:
    """B from A: the edits whose counts the known-answer tests check.

    rows 0-4 dropped; 5-9 one day later; 10-14 one km north; 15-19 re-typed (another sub-event
    type of the same event type); 20-21 30 km north (too far: unmatched on both sides); 22-23
    without coordinates (match on admin1 + date); 24-26 copied again 7 days later (only in B).
    """
    b = a.copy()
    b.loc[5:9, "event_date"] = _shift_days(b.loc[5:9, "event_date"], 1)
    b.loc[10:14, "latitude"] = (b.loc[10:14, "latitude"].astype(float) + 1 / KM_PER_DEGREE).map("{:.6f}".format)
    b.loc[20:21, "latitude"] = (b.loc[20:21, "latitude"].astype(float) + 30 / KM_PER_DEGREE).map("{:.6f}".format)
    b.loc[22:23, ["latitude", "longitude"]] = ""
    extra = b.loc[24:26].copy()
    extra["event_date"] = _shift_days(extra["event_date"], 7)
    extra["event_id_cnty"] = extra["event_id_cnty"] + "X"
    b = pd.concat([b.drop(index=range(0, 5)), extra], ignore_index=True)
    return b


def retype(a: pd.DataFrame, b: pd.DataFrame, codebook) -> pd.DataFrame:  # noqa: ANN001
    """Give rows 15-19 of A (kept in B) another sub_event_type of the same event type."""
    types = codebook.table("acled/event_types")
    b = b.copy()
    for i in range(15, 20):
        rid = a.loc[i, "event_id_cnty"]
        row = b.index[b["event_id_cnty"] == rid][0]
        same = types[(types["event_type"] == b.loc[row, "event_type"])
                     & (types["sub_event_type"] != b.loc[row, "sub_event_type"])]
        b.loc[row, "sub_event_type"] = same["sub_event_type"].iloc[0]
    return b


def canonical(df: pd.DataFrame, codebook) -> pd.DataFrame:  # noqa: ANN001
    from coding.sources import acled

    out = acled.to_canonical(df, codebook)
    out["id"] = df["event_id_cnty"].to_numpy()
    return out


def test_known_counts_from_real_rows(acled_rows: pd.DataFrame, codebook) -> None:  # noqa: ANN001
    a = acled_rows
    b = retype(a, derived(a), codebook)
    res = compare(canonical(a, codebook), canonical(b, codebook), days=1, km=5, codebook=codebook)
    s = res.summary
    assert tuple(s) == SUMMARY_KEYS
    assert (s["matched"], s["only_a"], s["only_b"]) == (53, 7, 5)
    assert s["matched_on_admin1"] == 2
    assert s["recall_a"] == round(53 / 60, 4) and s["recall_b"] == round(53 / 58, 4)
    assert s["type_agreement"] == round(48 / 53, 4)
    assert s["mean_days"] == round(5 / 53, 3)
    assert s["mean_km"] == pytest.approx(5 / 51, abs=2e-3)  # 5 pairs 1 km apart among 51 with coordinates
    assert s["type_kappa"] == round(cohen_kappa(res.pairs["type_a"], res.pairs["type_b"]), 4)
    assert 0 < s["type_kappa"] < 1
    # the pairs are the rows we kept, each with itself
    assert (res.pairs["id_a"] == res.pairs["id_b"]).all()
    assert set(res.only_a["id"]) == set(a.loc[list(range(0, 5)) + [20, 21], "event_id_cnty"])
    admin = res.pairs[res.pairs["matched_on"] == "admin1"]
    assert set(admin["id_a"]) == set(a.loc[[22, 23], "event_id_cnty"]) and admin["km"].isna().all()


def test_same_type_drops_retyped_pairs(acled_rows: pd.DataFrame, codebook) -> None:  # noqa: ANN001
    a = acled_rows
    b = retype(a, derived(a), codebook)
    s = compare(canonical(a, codebook), canonical(b, codebook), days=1, km=5, same_type=True,
                codebook=codebook).summary
    assert (s["matched"], s["only_a"], s["only_b"]) == (48, 12, 10)
    assert s["type_agreement"] == 1.0
    # at event_type level the re-typed rows agree again
    s = compare(canonical(a, codebook), canonical(b, codebook), taxonomy="acled-type", codebook=codebook).summary
    assert s["matched"] == 53 and s["type_agreement"] == 1.0


def test_tighter_windows_lose_the_shifted_and_moved_rows(acled_rows: pd.DataFrame, codebook) -> None:  # noqa: ANN001
    a = acled_rows
    b = derived(a)
    s = compare(canonical(a, codebook), canonical(b, codebook), days=0, km=0.5, codebook=codebook).summary
    # the 5 shifted and the 5 moved rows no longer match
    assert (s["matched"], s["only_a"], s["only_b"]) == (43, 17, 15)


def test_files_through_cli_and_store(acled_rows: pd.DataFrame, codebook, tmp_path: Path) -> None:  # noqa: ANN001
    a = acled_rows
    b = retype(a, derived(a), codebook)
    b = b[b["latitude"] != ""]  # ACLED files need coordinates: drop the two rows without
    fa, fb = tmp_path / "a.csv", tmp_path / "b.csv"
    a.to_csv(fa, index=False)
    b.to_csv(fb, index=False)
    out = tmp_path / "pairs.csv"
    r = runner.invoke(app, ["compare", str(fa), str(fb), "--json", "-o", str(out)])
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert list(s) == list(SUMMARY_KEYS)
    assert (s["matched"], s["only_a"], s["only_b"]) == (51, 9, 5)
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table["status"].value_counts().to_dict() == {"matched": 51, "only_a": 9, "only_b": 5}
    assert set(table.loc[table["status"] == "only_b", "id_b"]) >= set(a.loc[24:26, "event_id_cnty"] + "X")

    r = runner.invoke(app, ["compare", str(fa), str(fb), "--days", "0"])
    assert r.exit_code == 0, r.output
    assert "matched" in r.stdout and "recall of A by B" in r.stdout and "type agreement" in r.stdout

    from coding.store import load_file

    db = tmp_path / "s.duckdb"
    load_file(fa, schema="acled", dataset="left", db=db, codebook=codebook)
    load_file(fb, schema="acled", dataset="right", db=db, codebook=codebook)
    r = runner.invoke(app, ["compare", "dataset:left", "dataset:right", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == s
    r = runner.invoke(app, ["compare", "dataset:left", str(fb), "--db", str(db), "--json"])
    assert json.loads(r.stdout) == s
    r = runner.invoke(app, ["compare", "dataset:left", "dataset:nope", "--db", str(db)])
    assert r.exit_code == 1 and "no dataset 'nope'" in r.output


# ---------------------------------------------------------------------------------------------
# assignment corner cases (synthetic points on the equator; 1 km = 1/KM_PER_DEGREE degrees)


def frame(rows: list[tuple]) -> pd.DataFrame:
    """(id, date, km east of 0/0 or None, sub_event_type[, admin1])."""
    out = []
    for r in rows:
        rid, day, x, typ = r[:4]
        out.append({"id": rid, "event_date": day, "latitude": None if x is None else 0.0,
                    "longitude": None if x is None else x / KM_PER_DEGREE, "sub_event_type": typ,
                    "admin1": r[4] if len(r) > 4 else "", "country": "Kenya"})
    return pd.DataFrame(out)


def test_optimal_assignment_beats_greedy(monkeypatch: pytest.MonkeyPatch) -> None:
    a = frame([("a1", "2022-01-01", 4.5, "x"), ("a2", "2022-01-01", 0.0, "x")])
    b = frame([("b1", "2022-01-01", 4.0, "x"), ("b2", "2022-01-01", 9.0, "x")])
    res = compare(a, b, km=5)
    assert res.summary["matched"] == 2
    assert set(zip(res.pairs["id_a"], res.pairs["id_b"])) == {("a1", "b2"), ("a2", "b1")}
    monkeypatch.setattr(cmp, "LSA_MAX_CELLS", 1)  # the documented fallback for giant components
    res = compare(a, b, km=5)
    assert res.summary["matched"] == 1 and list(res.pairs["id_b"]) == ["b1"]


def test_pairs_do_not_depend_on_the_candidates_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # DuckDB's parallel join returns candidates in a varying order on big inputs: the pairs table
    # must come out the same, listed in A's row order
    rows_a = [(f"a{i}", "2022-01-0" + str(1 + i % 3), float(i % 7), "x" if i % 2 else "y") for i in range(40)]
    rows_b = [(f"b{i}", "2022-01-0" + str(1 + i % 3), float(i % 7) + 0.3, "x" if i % 3 else "y") for i in range(35)]
    a, b = frame(rows_a), frame(rows_b)
    first = compare(a, b, km=2).pairs
    real = cmp.candidates

    def shuffled(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        out = real(*args, **kwargs)
        return out.sample(frac=1.0, random_state=3).reset_index(drop=True).__finalize__(out)

    monkeypatch.setattr(cmp, "candidates", shuffled)
    again = compare(a, b, km=2).pairs
    pd.testing.assert_frame_equal(first, again)
    assert list(first["id_a"]) == sorted(first["id_a"], key=lambda x: int(x[1:]))


def test_duckdb_spills_into_a_private_folder_removed_afterwards(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    # compare's own DuckDB spilled into ./.tmp (a killed run left it in the user's folder)
    import tempfile

    import coding.store as store

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    made: list[Path] = []
    real = store._private_spill_dir

    def spy(con):  # noqa: ANN001, ANN202
        path = real(con)
        made.append(path)
        assert Path(con.execute("SELECT current_setting('temp_directory')").fetchone()[0]) == path
        return path

    monkeypatch.setattr(store, "_private_spill_dir", spy)
    a = frame([("a1", "2022-01-01", 0.0, "x")])
    assert compare(a, frame([("b1", "2022-01-01", 0.5, "x")]), km=2).summary["matched"] == 1
    assert len(made) == 1 and made[0].parent == tmp_path and not made[0].exists()


def test_same_type_is_preferred_over_closer() -> None:
    a = frame([("a1", "2022-01-01", 0.0, "Armed clash")])
    b = frame([("b1", "2022-01-01", 0.1, "Peaceful protest"), ("b2", "2022-01-02", 3.0, "Armed clash")])
    res = compare(a, b, km=5)
    assert list(res.pairs["id_b"]) == ["b2"] and res.summary["type_agreement"] == 1.0
    # among same-type candidates the closer one wins
    b = frame([("b1", "2022-01-01", 0.1, "Armed clash"), ("b2", "2022-01-01", 3.0, "Armed clash")])
    assert list(compare(a, b, km=5).pairs["id_b"]) == ["b1"]


def test_admin1_fallback_and_undated_rows() -> None:
    a = frame([("a1", "2022-01-01", None, "x", "Nairobi"), ("a2", "2022-01-05", 0.0, "x", "Mombasa"),
               ("a3", None, 0.0, "x", "Nairobi")])
    b = frame([("b1", "2022-01-02", 100.0, "x", "nairobi"), ("b2", "2022-01-05", None, "x", "Kisumu")])
    s = compare(a, b, days=1, km=5).summary
    assert (s["matched"], s["only_a"], s["only_b"], s["matched_on_admin1"]) == (1, 2, 1, 1)
    assert s["mean_km"] is None and s["mean_days"] == 1.0


def test_cameo_against_acled_through_crosswalk(codebook) -> None:  # noqa: ANN001
    a = frame([("a1", "2022-01-01", 0.0, "Peaceful protest"), ("a2", "2022-03-01", 0.0, "Armed clash")])
    b = frame([("g1", "2022-01-01", 0.0, None), ("g2", "2022-03-01", 0.0, None)])
    b["sub_event_type"] = None
    b["cameo_code"] = ["141", "190"]
    res = compare(a, b, codebook=codebook)
    assert res.summary["matched"] == 2
    assert list(res.pairs["type_b"]) == list(cmp.cameo_to_acled(pd.Series(["141", "190"], dtype="string"),
                                                                codebook, "sub_event_type"))
    s = compare(a, b, taxonomy="cameo-root", codebook=codebook).summary
    assert s["matched"] == 2


# dense groups: thousands of events on one day at one point (GDELT centroids, ACLED capitals)


def point_events(n: int, prefix: str, day: str = "2022-06-15", x: float = 0.0, types: tuple = ("Attack",),
                 start: int = 0) -> pd.DataFrame:
    """n events at one point (x km east of 0/0) and day, types cycling through `types`."""
    return frame([(f"{prefix}{start + i}", day, x, types[i % len(types)], "Centre") for i in range(n)])


def test_dense_group_is_one_node_and_matches_everything() -> None:
    import time

    others_a = frame([("oa1", "2022-06-14", 40.0, "Attack"), ("oa2", "2022-06-20", 0.0, "Attack")])
    others_b = frame([("ob1", "2022-06-15", 41.0, "Attack"), ("ob2", "2022-06-21", 2.0, "Attack")])
    a = pd.concat([point_events(3000, "a", types=("Attack", "Armed clash")), others_a], ignore_index=True)
    b = pd.concat([point_events(2900, "b", types=("Attack", "Armed clash")), others_b], ignore_index=True)
    t = time.perf_counter()
    res = compare(a, b, km=5)
    took = time.perf_counter() - t
    s = res.summary
    # every dense event of B has a partner (min(n_a, n_b)), plus the two background pairs
    assert (s["matched"], s["only_a"], s["only_b"]) == (2902, 100, 0)
    assert s["type_agreement"] == 1.0  # types pair with their own kind before any other
    assert res.options["candidates"] == 3000 * 2900 + 2  # events alike stand for all their pairs
    assert res.options["candidate_nodes"] <= 10 and not res.options["capped"]
    assert took < 30, took  # ~1 s; the old code took 14 s and 4 GB for 3,000 x 3,000
    # rows of a node are handed out lowest row positions first: the last 50 of each type stay single
    assert sorted(res.only_a["id"]) == sorted(f"a{i}" for i in range(2900, 3000))
    assert res.pairs["id_a"].is_unique and res.pairs["id_b"].is_unique


def test_dense_group_pairs_with_the_nearer_of_two_points() -> None:
    # 500 A at x=0, B has 300 at x=0.5 km and 400 at x=4 km: all 500 match, 300 of them at 0.5 km
    a = point_events(500, "a")
    b = pd.concat([point_events(300, "b", x=0.5), point_events(400, "b", x=4.0, start=300)], ignore_index=True)
    res = compare(a, b, km=5)
    assert res.summary["matched"] == 500
    assert (res.pairs["km"] < 1).sum() == 300
    ab = compare(b, a, km=5)  # and the other way round
    assert ab.summary["matched"] == 500 and (ab.pairs["km"] < 1).sum() == 300


def test_too_many_candidates_keep_the_nearest_and_say_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # 60 x 60 events at distinct points within 1 km: 3,600 candidates, none of them alike
    rng = np.random.default_rng(3)
    a = frame([(f"a{i}", "2022-01-01", float(x), "x") for i, x in enumerate(rng.uniform(0, 1, 60))])
    b = frame([(f"b{i}", "2022-01-01", float(x), "x") for i, x in enumerate(rng.uniform(0, 1, 60))])
    full = compare(a, b, km=5)
    assert not full.options["capped"] and full.options["candidates"] == 3600
    monkeypatch.setattr(cmp, "MAX_CANDIDATES", 1000)
    res = compare(a, b, km=5)
    assert res.options["capped"] and res.options["found_nodes"] == 3600
    assert 60 * cmp.NEAREST_K <= res.options["candidates"] <= 2 * 60 * cmp.NEAREST_K
    assert res.summary["matched"] == 60  # the nearest 10 of each event still pair everything here
    # the kept candidates are each A event's and each B event's NEAREST_K nearest (distinct points)
    sa, sb = cmp.side_frame(a), cmp.side_frame(b)
    kept = cmp.candidates(sa, sb, days=1, km=5, max_pairs=1000)
    allc = cmp.candidates(sa, sb, days=1, km=5)
    assert kept.attrs["capped"] and kept.attrs["found"] == len(allc) == 3600
    near_a = allc.sort_values(["ia", "km", "ib"]).groupby("ia").head(cmp.NEAREST_K)
    near_b = allc.sort_values(["ib", "km", "ia"]).groupby("ib").head(cmp.NEAREST_K)
    want = set(zip(near_a["ia"], near_a["ib"])) | set(zip(near_b["ia"], near_b["ib"]))
    assert set(zip(kept["ia"], kept["ib"])) == want and len(kept) == len(want)
    # the CLI says so on stderr, even with --quiet
    fa = tmp_path / "a.csv"
    fa.write_text("x\n1\n")
    monkeypatch.setattr(cmp, "compare", lambda *x, **k: res)
    r = runner.invoke(app, ["compare", str(fa), str(fa), "--json", "--quiet"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["matched"] == res.summary["matched"]
    assert "3,600 candidate pairs" in r.stderr and f"kept its {cmp.NEAREST_K} cheapest" in r.stderr


def test_cohen_kappa_known_value() -> None:
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> kappa 0.4
    x = ["y"] * 25 + ["n"] * 25
    y = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(x, y) == pytest.approx(0.4)
    assert cohen_kappa([], []) is None and cohen_kappa(["a"], ["a"]) == 1.0


def test_cli_errors(tmp_path: Path) -> None:
    r = runner.invoke(app, ["compare", str(tmp_path / "missing.csv"), "dataset:x"])
    assert r.exit_code == 2 and "no such file" in r.output
    f = tmp_path / "a.csv"
    f.write_text("x\n1\n")
    r = runner.invoke(app, ["compare", str(f), str(f), "--taxonomy", "plover"])
    assert r.exit_code == 2 and "unknown --taxonomy" in r.output
    r = runner.invoke(app, ["compare", "dataset:a", "dataset:b", "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 1 and "no database here" in r.output


SMALL_ACLED = Path(__file__).resolve().parent / "fixtures" / "store_acled.csv"


# compare and agree read their two sides the same way: each test runs both commands
@pytest.mark.parametrize("command", ["compare", "agree"])
def test_output_onto_an_input_is_refused(command: str, tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    head = "".join(SMALL_ACLED.read_text(encoding="utf-8").splitlines(True)[:3])
    a.write_text(head, encoding="utf-8")
    b.write_text(head, encoding="utf-8")
    r = runner.invoke(app, [command, str(a), str(b), "-o", str(b)])
    assert r.exit_code == 2 and f"-o {b} is input B; write the output elsewhere" in r.stderr
    assert b.read_text(encoding="utf-8") == head


@pytest.mark.parametrize("command", ["compare", "agree"])
def test_rows_left_out_are_reported_per_side(command: str, tmp_path: Path) -> None:
    df = pd.read_csv(SMALL_ACLED, dtype=str, keep_default_na=False).head(3)
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    df.to_csv(good, index=False)
    df.loc[1, "fatalities"] = "-4"
    df.loc[2, "fatalities"] = "many"
    df.to_csv(bad, index=False)
    r = runner.invoke(app, [command, str(good), str(bad)])
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.stderr.splitlines() if "left out" in ln]
    assert len(lines) == 1, r.stderr  # only B lost rows
    assert lines[0].startswith(f"B = {bad}: 2 of 3 rows rejected and left out; first: row 2")
    assert "fatalities = '-4'" in lines[0] and f"evcode validate {bad}" in lines[0]


@pytest.mark.parametrize("command", ["compare", "agree"])
def test_output_into_a_missing_folder_names_it(command: str, tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    a.write_text("".join(SMALL_ACLED.read_text(encoding="utf-8").splitlines(True)[:3]), encoding="utf-8")
    out = tmp_path / "nodir" / "out.csv"
    r = runner.invoke(app, [command, str(a), str(a), "-o", str(out)])
    assert r.exit_code == 1 and f"the folder {tmp_path / 'nodir'} does not exist" in r.stderr
