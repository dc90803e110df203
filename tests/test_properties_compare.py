"""Properties of `compare`: self-comparison, symmetry, one-to-one pairs, DuckDB blocking = brute force,
events alike collapsed = the exact solver on every event."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from coding.compare import (EARTH_KM, KM_PER_DEGREE, NEAREST_K, assign, assign_units, candidates, collapse, compare,
                            expand, pair_cost, side_frame, type_match)

TYPES = ["Armed clash", "Peaceful protest", "Attack", None]
ADMIN1 = ["Nairobi", "Mombasa", "Kisumu"]


@st.composite
def event(draw: st.DrawFn, coords_only: bool = False) -> dict:
    geo = coords_only or draw(st.booleans()) or draw(st.booleans())  # mostly with coordinates
    day = dt.date(2022, 1, 1) + dt.timedelta(days=draw(st.integers(0, 6)))
    return {
        "event_date": day.isoformat(),
        # a small box (~0.2 degrees) so that windows of a few km catch several events
        "latitude": round(draw(st.floats(-1.1, -0.9)), 4) if geo else None,
        "longitude": round(draw(st.floats(36.8, 37.0)), 4) if geo else None,
        "admin1": draw(st.sampled_from(ADMIN1)),
        "country": "Kenya",
        "sub_event_type": draw(st.sampled_from(TYPES)),
    }


def frame(rows: list[dict], prefix: str) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["event_date", "latitude", "longitude", "admin1", "country", "sub_event_type"])
    df.insert(0, "id", [f"{prefix}{i}" for i in range(len(df))])
    return df


events = st.lists(event(), min_size=0, max_size=25)
windows = st.tuples(st.integers(0, 2), st.sampled_from([0.0, 0.5, 2.0, 5.0, 15.0]))


@given(events, windows)
def test_self_comparison_matches_everything(rows: list[dict], win: tuple[int, float]) -> None:
    a = frame(rows, "a")
    s = compare(a, a.copy(), days=win[0], km=win[1]).summary
    assert s["matched"] == len(a) and s["only_a"] == 0 and s["only_b"] == 0
    if s["type_agreement"] is not None:
        assert s["type_agreement"] == 1.0 and s["type_kappa"] == 1.0
    if len(a):
        assert s["recall_a"] == 1.0 and s["recall_b"] == 1.0


@given(events, events, windows)
def test_swapping_sides_swaps_only_a_and_only_b(ra: list[dict], rb: list[dict], win: tuple[int, float]) -> None:
    a, b = frame(ra, "a"), frame(rb, "b")
    ab = compare(a, b, days=win[0], km=win[1]).summary
    ba = compare(b, a, days=win[0], km=win[1]).summary
    assert ab["matched"] == ba["matched"]
    assert (ab["only_a"], ab["only_b"]) == (ba["only_b"], ba["only_a"])
    assert (ab["recall_a"], ab["recall_b"]) == (ba["recall_b"], ba["recall_a"])
    assert ab["matched_on_admin1"] + (ab["matched"] - ab["matched_on_admin1"]) == ab["matched"]


@given(events, events, windows, st.booleans())
def test_pairs_are_one_to_one_and_maximal(ra: list[dict], rb: list[dict], win: tuple[int, float],
                                           same: bool) -> None:
    a, b = frame(ra, "a"), frame(rb, "b")
    res = compare(a, b, days=win[0], km=win[1], same_type=same)
    p = res.pairs
    assert p["id_a"].is_unique and p["id_b"].is_unique
    assert len(p) + len(res.only_a) == len(a) and len(p) + len(res.only_b) == len(b)
    assert not set(p["id_a"]) & set(res.only_a["id"]) and not set(p["id_b"]) & set(res.only_b["id"])
    assert (p["days"] <= win[0]).all() and (p["km"].dropna() <= win[1] + 1e-6).all()
    if same:
        assert p["same_type"].fillna(False).all()
    # as many pairs as a maximum bipartite matching of the candidate graph
    c = candidates(side_frame(a), side_frame(b), days=win[0], km=win[1])
    if same:
        ta, tb = a["sub_event_type"].to_numpy(), b["sub_event_type"].to_numpy()
        keep = [x is not None and x == y for x, y in zip(ta[c["ia"]], tb[c["ib"]])]
        c = c[keep]
    if len(c):
        g = csr_matrix((np.ones(len(c)), (c["ia"], c["ib"])), shape=(len(a), len(b)))
        best = int((maximum_bipartite_matching(g, perm_type="column") >= 0).sum())
    else:
        best = 0
    assert len(p) == best


def _km(y1: float, x1: float, y2: float, x2: float) -> float:
    y1, x1, y2, x2 = map(math.radians, (y1, x1, y2, x2))
    h = math.sin((y2 - y1) / 2) ** 2 + math.cos(y1) * math.cos(y2) * math.sin((x2 - x1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


@given(st.lists(event(coords_only=True), max_size=20), st.lists(event(coords_only=True), max_size=20), windows)
def test_blocking_finds_exactly_the_brute_force_candidates(ra: list[dict], rb: list[dict],
                                                           win: tuple[int, float]) -> None:
    days, km = win
    a, b = side_frame(frame(ra, "a")), side_frame(frame(rb, "b"))
    cand = candidates(a, b, days=days, km=km)
    got = set(zip(cand["ia"].astype(int).tolist(), cand["ib"].astype(int).tolist()))
    want = set()
    for i, x in a.iterrows():
        for j, y in b.iterrows():
            if abs((x["event_date"] - y["event_date"]).days) <= days and \
                    _km(x["latitude"], x["longitude"], y["latitude"], y["longitude"]) <= km + 1e-9:
                want.add((i, j))
    assert got == want
    # over a cap (here 0) the exact count is reported and each row keeps its NEAREST_K cheapest
    kept = candidates(a, b, days=days, km=km, max_pairs=0)
    assert kept.attrs["capped"] == bool(want) and kept.attrs["found"] == len(want)
    got = set(zip(kept["ia"].tolist(), kept["ib"].tolist()))
    assert got <= want and len(got) == len(kept) <= NEAREST_K * (len(a) + len(b))
    # a row with at most NEAREST_K candidates keeps them all; every other row keeps NEAREST_K at least
    for side in (0, 1):
        per_row: dict[int, set] = {}
        for pair in want:
            per_row.setdefault(pair[side], set()).add(pair)
        for pairs in per_row.values():
            assert len(pairs & got) >= min(len(pairs), NEAREST_K)


# many events alike: few places (km east of 0/0, some within a window of each other), days and types
POINTS = [0.0, 0.8, 2.5, 6.0, None]


@st.composite
def repeated_event(draw: st.DrawFn) -> dict:
    x = draw(st.sampled_from(POINTS))
    return {
        "event_date": (dt.date(2022, 1, 1) + dt.timedelta(days=draw(st.integers(0, 2)))).isoformat(),
        "latitude": None if x is None else 0.0,
        "longitude": None if x is None else x / KM_PER_DEGREE,
        "admin1": draw(st.sampled_from(ADMIN1[:2])),
        "country": "Kenya",
        "sub_event_type": draw(st.sampled_from(["Attack", "Armed clash", None])),
    }


@given(st.lists(repeated_event(), max_size=40), st.lists(repeated_event(), max_size=40), windows)
def test_collapsed_assignment_equals_the_exact_one(ra: list[dict], rb: list[dict], win: tuple[int, float]) -> None:
    days, km = win
    sa, sb = side_frame(frame(ra, "a")), side_frame(frame(rb, "b"))
    sa["type"], sb["type"] = sa["sub_event_type"], sb["sub_event_type"]
    # every event its own node: linear_sum_assignment (these components are far below LSA_MAX_CELLS)
    c = candidates(sa, sb, days=days, km=km)
    cost = pair_cost(c, *type_match(c, sa["type"], sb["type"]), days=days, km=km)
    exact = assign(c["ia"].to_numpy(), c["ib"].to_numpy(), cost, len(sa), len(sb))
    # events alike as one node with a multiplicity
    ca, cb = collapse(sa), collapse(sb)
    assert ca.mult.sum() == len(sa) and cb.mult.sum() == len(sb)
    cn = candidates(ca.nodes, cb.nodes, days=days, km=km)
    ia, ib = cn["ia"].to_numpy(), cn["ib"].to_numpy()
    cost_n = pair_cost(cn, *type_match(cn, ca.nodes["type"], cb.nodes["type"]), days=days, km=km)
    sel, flow = assign_units(ia, ib, cost_n, ca.mult, cb.mult)
    assert flow.sum() == len(exact)
    assert math.isclose(float((cost_n[sel] * flow).sum()), float(cost[exact].sum()), rel_tol=1e-9, abs_tol=1e-6)
    # back to events: one-to-one pairs of candidates, each costing what its node pair costs
    edge, row_a, row_b = expand(sel, flow, ia, ib, cost_n, ca, cb)
    assert len(set(row_a.tolist())) == len(row_a) and len(set(row_b.tolist())) == len(row_b)
    row_cost = dict(zip(zip(c["ia"].tolist(), c["ib"].tolist()), cost.tolist()))
    for x, y, e in zip(row_a.tolist(), row_b.tolist(), edge.tolist()):
        assert math.isclose(row_cost[(x, y)], cost_n[e])
