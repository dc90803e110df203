"""Match the events of two coded datasets (in the spirit of meltt, Donnay et al. 2019).

`compare(a, b)` answers "which events of A does B have, and do they agree on the type?":

1. **Candidates.** A pair (a, b) is a candidate when the dates are at most `days` apart and the
   places at most `km` apart (haversine on a sphere of radius 6371.0088 km). DuckDB finds them
   with an equi-join on (date, latitude band): A's rows are repeated for every date offset in
   -days..days and the band above and below (bands are `km` high), so the join is a hash join
   and 1M x 1M events stay practical. Events without coordinates (or a side without them) are
   candidates when they name the same admin1 (and the same country when both have one) within
   the date window; the summary counts these as `matched_on_admin1`. Events without a date never
   match.
2. **Assignment.** One event takes part in at most one pair. Per connected component of the
   candidate graph the assignment maximises the number of pairs, then minimises the total cost
   `days/max(days,1) + km/km_max` (admin1 pairs count as `km_max`), plus `TYPE_PENALTY` for a
   pair whose types differ (half of it when a type is unknown): among equally many pairs,
   same-type pairs win over closer pairs of another type. Small components (at most
   `LSA_MAX_CELLS` cells in their cost matrix) are solved exactly with
   `scipy.optimize.linear_sum_assignment`; a giant component (many events on the same
   coordinates, e.g. GDELT country centroids) falls back to greedy-by-cost, which may leave a
   few pairs unmatched that an optimal matching would find. `--same-type` drops candidates
   whose types are not equal.
3. **Types.** `taxonomy` picks the level: `acled` sub_event_type (default), `acled-type`
   event_type, `cameo` the full code, `cameo-root`, `quad` (quad class). A row lacking the level
   gets it through the codebook: CAMEO -> ACLED by `crosswalks/cameo_acled` (longest prefix
   wins; a CAMEO code with no ACLED event is typed `(no ACLED event)`), ACLED -> CAMEO by the
   same crosswalk read backwards when that is unambiguous.

    >>> from coding.compare import compare
    >>> res = compare("acled.csv", "dataset:evcode", days=1, km=5)   # doctest: +SKIP
    >>> res.summary["matched"], res.summary["recall_a"]              # doctest: +SKIP
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from coding.errors import StoreError, UsageError

TAXONOMIES = ("acled", "acled-type", "cameo", "cameo-root", "quad")
#: The summary's keys, in order (`--json` prints exactly these).
SUMMARY_KEYS = ("matched", "only_a", "only_b", "recall_a", "recall_b", "type_agreement", "type_kappa",
                "mean_days", "mean_km", "matched_on_admin1")
PAIR_COLUMNS = ("status", "id_a", "id_b", "date_a", "date_b", "days", "km", "type_a", "type_b",
                "same_type", "matched_on")
EARTH_KM = 6371.0088
KM_PER_DEGREE = EARTH_KM * math.pi / 180.0
TYPE_PENALTY = 2.5  # > the largest distance cost (2): a same-type pair beats any closer other-type pair
LSA_MAX_CELLS = 4_000_000  # components up to ~2000 x 2000 are solved exactly
NO_ACLED = "(no ACLED event)"
DEFAULT_DAYS = 1
DEFAULT_KM = 5.0

_SIDE_COLUMNS = ("id", "event_date", "latitude", "longitude", "country", "admin1", "cameo_code",
                 "cameo_root", "quad_class", "event_type", "sub_event_type")


@dataclass
class CompareResult:
    """`summary` (exactly `SUMMARY_KEYS`), the matched `pairs` and the unmatched rows of each side."""

    summary: dict[str, Any]
    pairs: pd.DataFrame
    only_a: pd.DataFrame
    only_b: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """Pairs and unmatched rows in one frame (`status` matched / only_a / only_b): what `-o` writes."""
        a = self.only_a.rename(columns={"id": "id_a", "event_date": "date_a", "type": "type_a"})
        b = self.only_b.rename(columns={"id": "id_b", "event_date": "date_b", "type": "type_b"})
        a = a.assign(status="only_a")
        b = b.assign(status="only_b")
        out = pd.concat([self.pairs.assign(status="matched"), a, b], ignore_index=True)
        for c in PAIR_COLUMNS:
            if c not in out.columns:
                out[c] = None
        out["days"] = out["days"].astype("Int64")
        return out[list(PAIR_COLUMNS)]


# ---------------------------------------------------------------------------------------------
# inputs


def _empty(s: pd.Series) -> pd.Series:
    return s.isna() | (s.astype("string").str.strip() == "")


def _clean_text(s: pd.Series) -> pd.Series:
    t = s.astype("string").str.strip()
    return t.where(~_empty(s), pd.NA)


def side_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A canonical-shaped frame -> the columns matching needs, typed; `id` from source_event_id/event_id."""
    df = frame.reset_index(drop=True)
    out = pd.DataFrame(index=df.index)
    if "id" in df.columns:
        ids = df["id"]
    elif "source_event_id" in df.columns and not _empty(df["source_event_id"]).all():
        ids = df["source_event_id"].where(~_empty(df["source_event_id"]), df.get("event_id"))
    elif "event_id" in df.columns:
        ids = df["event_id"]
    else:
        ids = pd.Series(np.arange(1, len(df) + 1), index=df.index)
    out["id"] = ids.astype("string").fillna("")
    out["event_date"] = pd.to_datetime(df["event_date"], errors="coerce") if "event_date" in df.columns \
        else pd.Series(pd.NaT, index=df.index)
    for c in ("latitude", "longitude"):
        out[c] = pd.to_numeric(df[c], errors="coerce").astype(float) if c in df.columns else np.nan
    for c in ("country", "admin1", "cameo_code", "cameo_root", "quad_class", "event_type", "sub_event_type"):
        if c in df.columns:
            out[c] = _clean_text(df[c].astype("string"))
        else:
            out[c] = pd.Series(pd.NA, index=df.index, dtype="string")
    bad = ~(out["latitude"].between(-90, 90) & out["longitude"].between(-180, 180))
    out.loc[bad, ["latitude", "longitude"]] = np.nan
    return out[list(_SIDE_COLUMNS)]


def read_side(spec: Any, *, schema: str = "auto", db: str | Path | None = None, codebook: Any = None,
              left_out: dict[str, Any] | None = None) -> pd.DataFrame:
    """One side of a comparison: a DataFrame, a file (validated, valid rows mapped) or `dataset:NAME`.

    `left_out` (when given) is filled with what validation rejected (`validate.left_out_note`)."""
    if isinstance(spec, pd.DataFrame):
        return side_frame(spec)
    text = str(spec)
    if text.startswith("dataset:"):
        return _read_dataset(text[len("dataset:"):], db)
    from coding.validate import read_canonical

    return side_frame(read_canonical(text, schema, codebook=codebook, left_out=left_out))


def _read_dataset(name: str, db: str | Path | None) -> pd.DataFrame:
    from coding.store import connect, db_path

    if not name:
        raise UsageError("dataset: needs a name, e.g. dataset:acled (see evcode datasets)")
    with connect(db, read_only=True) as con:
        n = con.execute("SELECT count(*) FROM events WHERE dataset = ?", [name]).fetchone()[0]
        if not n:
            have = [r[0] for r in con.execute("SELECT DISTINCT dataset FROM events ORDER BY 1").fetchall()]
            raise StoreError(f"no dataset {name!r} in {db_path(db)} (have: {', '.join(have) or 'none'}); "
                             "see evcode datasets", reason="store_no_dataset")
        df = con.execute("""
            SELECT coalesce(source_event_id, event_id) AS id, event_date, latitude, longitude, country, admin1,
                   cameo_code, cameo_root, CAST(quad_class AS VARCHAR) AS quad_class, event_type, sub_event_type
            FROM events WHERE dataset = ?""", [name]).fetchdf()
    return side_frame(df)


# ---------------------------------------------------------------------------------------------
# types


def _crosswalk(cb: Any) -> pd.DataFrame:
    return cb.table("crosswalks/cameo_acled")


def cameo_to_acled(codes: pd.Series, cb: Any, level: str) -> pd.Series:
    """CAMEO codes -> ACLED `level` (sub_event_type or event_type) by longest prefix; NA if unknown."""
    xw = _crosswalk(cb)
    table = {r["cameo"]: (r[level] if r["mode"] else NO_ACLED) for r in xw.to_dict("records")}
    longest = max((len(k) for k in table), default=0)

    def one(code: Any) -> Any:
        if code is None or code is pd.NA or not str(code):
            return pd.NA
        c = str(code)
        for n in range(min(len(c), longest), 0, -1):
            if c[:n] in table:
                v = table[c[:n]]
                return v if v else NO_ACLED
        return pd.NA

    uniq = {u: one(u) for u in codes.dropna().unique()}
    return codes.map(uniq).astype("string")


def acled_to_cameo(types: pd.Series, cb: Any, taxonomy: str, level: str) -> pd.Series:
    """ACLED types -> a CAMEO level (code, root or quad) through the crosswalk, when unambiguous."""
    xw = _crosswalk(cb)
    cameo = cb.cameo
    values: dict[str, set[str]] = {}
    for r in xw.to_dict("records"):
        if not r["mode"] or not r[level]:
            continue
        code = r["cameo"]
        if taxonomy == "cameo":
            v = code
        elif taxonomy == "cameo-root":
            v = code[:2]
        else:
            v = str(cameo.get(code, {}).get("quad_class", "") or "")
        values.setdefault(r[level], set()).add(v)
    table = {k: next(iter(v)) for k, v in values.items() if len(v) == 1 and next(iter(v))}
    return types.map(lambda t: table.get(t, pd.NA) if isinstance(t, str) else pd.NA).astype("string")


def types_at(side: pd.DataFrame, taxonomy: str, cb: Any) -> pd.Series:
    """Each event's type at `taxonomy`, filled through the codebook crosswalk where missing."""
    if taxonomy not in TAXONOMIES:
        raise UsageError(f"unknown taxonomy {taxonomy!r}; choose one of {', '.join(TAXONOMIES)}")
    if taxonomy in ("acled", "acled-type"):
        level = "sub_event_type" if taxonomy == "acled" else "event_type"
        own = side[level].astype("string")
        miss = own.isna() & side["cameo_code"].notna()
        if miss.any():
            own = own.copy()
            own[miss] = cameo_to_acled(side.loc[miss, "cameo_code"], cb, level)
        return own
    code = side["cameo_code"].astype("string")
    if taxonomy == "cameo":
        own = code
    elif taxonomy == "cameo-root":
        own = side["cameo_root"].astype("string").fillna(code.str[:2])
        own = own.where(own.isna(), own.str.zfill(2))
    else:
        quad_of = {k: str(v.get("quad_class", "")) or None for k, v in cb.cameo.items()}
        own = side["quad_class"].astype("string").fillna(code.map(quad_of).astype("string"))
    miss = own.isna() & (side["sub_event_type"].notna() | side["event_type"].notna())
    if miss.any():
        own = own.copy()
        sub = acled_to_cameo(side.loc[miss, "sub_event_type"], cb, taxonomy, "sub_event_type")
        typ = acled_to_cameo(side.loc[miss, "event_type"], cb, taxonomy, "event_type")
        own[miss] = sub.fillna(typ)
    return own


# ---------------------------------------------------------------------------------------------
# candidates (DuckDB)


def _haversine_sql(a: str, b: str) -> str:
    return (f"2 * {EARTH_KM} * asin(sqrt(pow(sin(radians({b}.lat - {a}.lat) / 2), 2) + "
            f"cos(radians({a}.lat)) * cos(radians({b}.lat)) * pow(sin(radians({b}.lon - {a}.lon) / 2), 2)))")


def candidates(a: pd.DataFrame, b: pd.DataFrame, *, days: int, km: float) -> pd.DataFrame:
    """Candidate pairs: ia, ib (row positions), days apart, km apart (NaN for admin1 pairs)."""
    import duckdb
    import pyarrow as pa

    def arrow(side: pd.DataFrame) -> Any:
        adm = side["admin1"].str.lower()
        cty = side["country"].str.lower()
        return pa.table({
            "idx": np.arange(len(side), dtype=np.int64),
            "d": pa.array(side["event_date"].dt.date.where(side["event_date"].notna(), None), type=pa.date32()),
            "lat": pa.array(side["latitude"].to_numpy(), from_pandas=True),
            "lon": pa.array(side["longitude"].to_numpy(), from_pandas=True),
            "adm": pa.array(adm.astype(object).where(adm.notna(), None), type=pa.string()),
            "cty": pa.array(cty.astype(object).where(cty.notna(), None), type=pa.string()),
        })

    cell = max(km, 1e-3) / KM_PER_DEGREE
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("a_in", arrow(a))
        con.register("b_in", arrow(b))
        params = {"cell": cell, "days": int(days), "km": float(km) + 1e-9}
        con.execute("""
            CREATE TEMP TABLE ax AS
            SELECT idx, lat, lon, adm, cty, d, lat IS NOT NULL AND lon IS NOT NULL AS geo,
                   CAST(floor(lat / $cell) AS BIGINT) AS band
            FROM a_in WHERE d IS NOT NULL""", {"cell": cell})
        con.execute("""
            CREATE TEMP TABLE bx AS
            SELECT idx, lat, lon, adm, cty, d, lat IS NOT NULL AND lon IS NOT NULL AS geo,
                   CAST(floor(lat / $cell) AS BIGINT) AS band
            FROM b_in WHERE d IS NOT NULL""", {"cell": cell})
        geo = con.sql(f"""
            WITH ae AS (
                SELECT ax.idx, ax.lat, ax.lon, ax.d, ax.band + o.o AS band, ax.d + CAST(k.k AS INTEGER) AS dk
                FROM ax, range(-1, 2) o(o), range(-$days, $days + 1) k(k) WHERE ax.geo),
            j AS (
                SELECT ae.idx AS ia, bx.idx AS ib, abs(bx.d - ae.d) AS days,
                       {_haversine_sql('ae', 'bx')} AS km
                FROM ae JOIN bx ON ae.band = bx.band AND ae.dk = bx.d
                WHERE bx.geo AND abs(bx.lat - ae.lat) <= $cell * 1.0000001)
            SELECT ia, ib, days, km FROM j WHERE km <= $km""", params=params).to_arrow_table()
        adm = con.sql("""
            WITH ae AS (
                SELECT ax.idx, ax.geo, ax.adm, ax.cty, ax.d, ax.d + CAST(k.k AS INTEGER) AS dk
                FROM ax, range(-$days, $days + 1) k(k) WHERE ax.adm IS NOT NULL)
            SELECT ae.idx AS ia, bx.idx AS ib, abs(bx.d - ae.d) AS days, CAST(NULL AS DOUBLE) AS km
            FROM ae JOIN bx ON ae.adm = bx.adm AND ae.dk = bx.d
            WHERE (NOT ae.geo OR NOT bx.geo) AND (ae.cty IS NULL OR bx.cty IS NULL OR ae.cty = bx.cty)""",
                      params={"days": int(days)}).to_arrow_table()
    finally:
        con.close()
    frames = [part.to_pandas() for part in (geo, adm) if part.num_rows]
    if not frames:
        return pd.DataFrame({"ia": np.zeros(0, np.int64), "ib": np.zeros(0, np.int64),
                             "days": np.zeros(0, np.int64), "km": np.zeros(0)})
    out = pd.concat(frames, ignore_index=True)
    out["ia"] = out["ia"].astype(np.int64)
    out["ib"] = out["ib"].astype(np.int64)
    out["days"] = out["days"].astype(np.int64)
    out["km"] = pd.to_numeric(out["km"], errors="coerce").astype(float)
    return out


# ---------------------------------------------------------------------------------------------
# assignment


def assign(ia: np.ndarray, ib: np.ndarray, cost: np.ndarray, n_a: int, n_b: int) -> np.ndarray:
    """Indices of the chosen edges: one-to-one, max pairs then min cost, per connected component.

    Exact (`linear_sum_assignment`) for components up to `LSA_MAX_CELLS` cells; greedy by
    (cost, ia, ib) beyond that.
    """
    from scipy.optimize import linear_sum_assignment
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    m = len(ia)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    n = n_a + n_b
    g = coo_matrix((np.ones(m, dtype=np.int8), (ia, ib + n_a)), shape=(n, n))
    _, labels = connected_components(g, directed=False)
    comp = labels[ia]
    order = np.lexsort((ib, ia, cost, comp))  # by component, then cost (ties: ids) -> deterministic
    comp_sorted = comp[order]
    starts = np.flatnonzero(np.r_[True, comp_sorted[1:] != comp_sorted[:-1]])
    ends = np.r_[starts[1:], m]
    chosen: list[np.ndarray] = []
    sizes = ends - starts
    single = starts[sizes == 1]
    chosen.append(order[single])
    for s, e in zip(starts[sizes > 1], ends[sizes > 1]):
        edges = order[s:e]
        ea, eb = ia[edges], ib[edges]
        ua, ra = np.unique(ea, return_inverse=True)
        ub, rb = np.unique(eb, return_inverse=True)
        if len(ua) == 1 or len(ub) == 1:
            chosen.append(edges[:1])  # a star: the cheapest edge (edges are sorted by cost)
            continue
        if len(ua) * len(ub) <= LSA_MAX_CELLS:
            big = (TYPE_PENALTY + 3.0) * min(len(ua), len(ub)) + 1.0
            mat = np.full((len(ua), len(ub)), big)
            mat[ra, rb] = cost[edges]  # (ia, ib) pairs are unique among candidates
            pos = np.full((len(ua), len(ub)), -1, dtype=np.int64)
            pos[ra, rb] = np.arange(len(edges))
            rows, cols = linear_sum_assignment(mat)
            keep = pos[rows, cols] >= 0
            chosen.append(edges[pos[rows[keep], cols[keep]]])
        else:
            chosen.append(_greedy(edges, ia, ib))
    return np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)


def _greedy(edges: np.ndarray, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for k, x, y in zip(edges.tolist(), ia[edges].tolist(), ib[edges].tolist()):
        if x in used_a or y in used_b:
            continue
        used_a.add(x)
        used_b.add(y)
        out.append(k)
    return np.asarray(out, dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# statistics


def cohen_kappa(x: Any, y: Any) -> float | None:
    """Cohen's kappa of two equal-length label sequences; 1.0 when they agree on every item.

    None when there are no items, or when chance agreement is 1 but observed agreement is not.
    """
    xs = pd.Series(list(x), dtype=object)
    ys = pd.Series(list(y), dtype=object)
    n = len(xs)
    if n == 0:
        return None
    po = float((xs.values == ys.values).mean())
    if po == 1.0:
        return 1.0
    px = xs.value_counts(normalize=True)
    py = ys.value_counts(normalize=True)
    pe = float(sum(px.get(k, 0.0) * py.get(k, 0.0) for k in set(px.index) | set(py.index)))
    if pe >= 1.0:
        return None
    return (po - pe) / (1.0 - pe)


def _r(v: Any, nd: int = 4) -> Any:
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else round(v, nd)


# ---------------------------------------------------------------------------------------------
# the comparison


def compare(
    a: Any,
    b: Any,
    *,
    days: int = DEFAULT_DAYS,
    km: float = DEFAULT_KM,
    taxonomy: str = "acled",
    same_type: bool = False,
    db: str | Path | None = None,
    schema_a: str = "auto",
    schema_b: str = "auto",
    codebook: Any = None,
) -> CompareResult:
    """Match the events of A and B one-to-one within `days` and `km` (see the module docstring).

    `a`, `b`: a file (any format `evcode validate` reads; valid rows only), `dataset:NAME` (read
    from the store `db`), or a canonical-shaped DataFrame.
    """
    from coding.codebook import load_codebook

    if days < 0 or km < 0 or not math.isfinite(km):
        raise UsageError("--days and --km must be zero or more")
    if taxonomy not in TAXONOMIES:
        raise UsageError(f"unknown taxonomy {taxonomy!r}; choose one of {', '.join(TAXONOMIES)}")
    cb = codebook or load_codebook()
    left_a: dict[str, Any] = {}
    left_b: dict[str, Any] = {}
    sa = read_side(a, schema=schema_a, db=db, codebook=cb, left_out=left_a)
    sb = read_side(b, schema=schema_b, db=db, codebook=cb, left_out=left_b)
    sa["type"] = types_at(sa, taxonomy, cb)
    sb["type"] = types_at(sb, taxonomy, cb)

    cand = candidates(sa, sb, days=days, km=km)
    ta = sa["type"].to_numpy(dtype=object, na_value=None)[cand["ia"].to_numpy()]
    tb = sb["type"].to_numpy(dtype=object, na_value=None)[cand["ib"].to_numpy()]
    known = np.array([x is not None and y is not None for x, y in zip(ta, tb)], dtype=bool)
    same = known & np.array([x == y for x, y in zip(ta, tb)], dtype=bool)
    if same_type:
        keep = same
        cand, ta, tb, known, same = cand[keep].reset_index(drop=True), ta[keep], tb[keep], known[keep], same[keep]
    kmv = cand["km"].to_numpy()
    dist = np.where(np.isnan(kmv), 1.0, kmv / km if km > 0 else 0.0)
    cost = cand["days"].to_numpy() / max(days, 1) + dist + np.where(same, 0.0, np.where(known, TYPE_PENALTY,
                                                                                         TYPE_PENALTY / 2))
    sel = assign(cand["ia"].to_numpy(), cand["ib"].to_numpy(), cost, len(sa), len(sb))
    chosen = cand.iloc[sel].reset_index(drop=True)
    ia, ib = chosen["ia"].to_numpy(), chosen["ib"].to_numpy()
    pairs = pd.DataFrame({
        "id_a": sa["id"].to_numpy()[ia], "id_b": sb["id"].to_numpy()[ib],
        "date_a": sa["event_date"].to_numpy()[ia], "date_b": sb["event_date"].to_numpy()[ib],
        "days": chosen["days"].to_numpy(), "km": chosen["km"].round(3).to_numpy(),
        "type_a": ta[sel], "type_b": tb[sel], "same_type": same[sel],
        "matched_on": np.where(np.isnan(chosen["km"].to_numpy()), "admin1", "coordinates"),
    })
    pairs["date_a"] = pd.to_datetime(pairs["date_a"]).dt.date
    pairs["date_b"] = pd.to_datetime(pairs["date_b"]).dt.date
    pairs["same_type"] = pairs["same_type"].where(known[sel], None)
    ma = np.zeros(len(sa), dtype=bool)
    ma[ia] = True
    mb = np.zeros(len(sb), dtype=bool)
    mb[ib] = True
    cols = ["id", "event_date", "type", "country", "admin1", "latitude", "longitude"]
    only_a = sa.loc[~ma, cols].reset_index(drop=True)
    only_b = sb.loc[~mb, cols].reset_index(drop=True)
    for o in (only_a, only_b):
        o["event_date"] = o["event_date"].dt.date

    n = len(pairs)
    both = known[sel]
    summary = {
        "matched": int(n),
        "only_a": int(len(only_a)),
        "only_b": int(len(only_b)),
        "recall_a": _r(n / len(sa)) if len(sa) else None,
        "recall_b": _r(n / len(sb)) if len(sb) else None,
        "type_agreement": _r(same[sel][both].mean()) if both.any() else None,
        "type_kappa": _r(cohen_kappa(ta[sel][both], tb[sel][both])) if both.any() else None,
        "mean_days": _r(pairs["days"].mean(), 3) if n else None,
        "mean_km": _r(pairs["km"].mean(), 3) if pairs["km"].notna().any() else None,
        "matched_on_admin1": int((pairs["matched_on"] == "admin1").sum()),
    }
    assert tuple(summary) == SUMMARY_KEYS
    return CompareResult(summary=summary, pairs=pairs, only_a=only_a, only_b=only_b,
                         options={"days": days, "km": km, "taxonomy": taxonomy, "same_type": same_type,
                                  "n_a": len(sa), "n_b": len(sb), "candidates": len(cand),
                                  "left_out_a": left_a, "left_out_b": left_b})


__all__ = ["CompareResult", "SUMMARY_KEYS", "TAXONOMIES", "assign", "candidates", "cohen_kappa", "compare",
           "read_side", "side_frame", "types_at"]
