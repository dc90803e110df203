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
   Events of one side alike in all that candidacy and cost look at (day, latitude, longitude,
   admin1 and country ignoring case, type at `taxonomy`) are first collapsed into one node with a
   multiplicity (`collapse`), and candidates are found between nodes: 8,000 events per side on
   one day at one point (GDELT country centroids, ACLED events placed at a capital) are one
   candidate, not 64M. A side without such repeats is its own node table, row for row.
   **Bound.** Many events at nearly (not exactly) the same place and day still make a candidate
   per pair. They are read from DuckDB in batches; once more than `MAX_CANDIDATES` (5M pairs of
   nodes; about 1.2 GB of memory in all at that size) have come, those are dropped and a second
   pass counts all candidates while keeping only each A node's and each B node's `NEAREST_K`
   (10) cheapest (the cost below, ties by row) in a bounded aggregate (one GROUP BY GROUPING
   SETS): at most 10 x (A nodes + B nodes) pairs are held, whatever the density. Pairs an
   exhaustive match would make may then be missing: `options["capped"]` (and `found_nodes`, the
   count) says so and the CLI prints a note on stderr.
2. **Assignment.** One event takes part in at most one pair. Per connected component of the
   candidate graph the assignment maximises the number of pairs, then minimises the total cost
   `days/max(days,1) + km/km_max` (admin1 pairs count as `km_max`), plus `TYPE_PENALTY` for a
   pair whose types differ (half of it when a type is unknown): among equally many pairs,
   same-type pairs win over closer pairs of another type. A single edge or a star (one node on a
   side) is solved exactly by taking the cheapest edges first. A component whose nodes are all
   single events is solved exactly with `scipy.optimize.linear_sum_assignment` when its cost
   matrix has at most `LSA_MAX_CELLS` cells; a component with a repeated node (and, in a capped
   run, one with too many nodes for a dense matrix) is a transportation problem on the sparse
   graph, solved exactly up to `LP_MAX_EDGES` (200,000) node pairs: an integer maximum
   flow (scipy) gives the number of pairs, then a linear programme (HiGHS dual simplex, whose
   basic solutions are integral here) carries that many the cheapest way. Beyond these limits
   (a giant component of distinct events, e.g. 2,500 x 2,500 on nearly the same coordinates
   under the cap, as before) it falls back to greedy-by-cost, which may leave a few
   pairs unmatched that an optimal matching would find. The pairs of a node pair are expanded
   back to events deterministically: a node's rows go to its node pairs lowest row positions
   first, cheapest node pair first. `--same-type` drops candidates whose types are not equal.
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
LP_MAX_EDGES = 200_000  # a component with repeated events: exact up to this many (collapsed) edges
MAX_CANDIDATES = 5_000_000  # candidate pairs (between collapsed events) held at most; beyond ...
NEAREST_K = 10  # ... each event keeps its NEAREST_K cheapest candidates (A's and B's kept)
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


def _nearest(con: Any, a: pd.DataFrame, b: pd.DataFrame, geo_sql: str, adm_sql: str, params: dict[str, Any],
             *, same_type: bool) -> tuple[int, list[Any]]:
    """One pass over the candidates: how many there are, and each A row's and each B row's
    NEAREST_K cheapest (ties by row), kept in a bounded aggregate state per row."""
    import pyarrow as pa

    def types(side: pd.DataFrame) -> Any:
        typ = side["type"] if "type" in side.columns else pd.Series(pd.NA, index=side.index, dtype="string")
        return pa.table({"idx": np.arange(len(side), dtype=np.int64),
                         "t": pa.array(typ.astype(object).where(typ.notna(), None), type=pa.string())})

    con.register("ta", types(a))
    con.register("tb", types(b))
    con.execute(f"""
        CREATE TEMP TABLE top AS
        WITH c AS (({geo_sql}) UNION ALL ({adm_sql})),
        r AS (
            SELECT c.ia, c.ib, c.days, c.km, c.days / $dnorm
                   + CASE WHEN c.km IS NULL THEN 1.0 WHEN $kmax > 0 THEN c.km / $kmax ELSE 0.0 END
                   + CASE WHEN ta.t IS NULL OR tb.t IS NULL THEN {TYPE_PENALTY / 2}
                          WHEN ta.t = tb.t THEN 0.0 ELSE {TYPE_PENALTY} END AS cost,
                   ta.t IS NOT NULL AND ta.t = tb.t AS same
            FROM c JOIN ta ON ta.idx = c.ia JOIN tb ON tb.idx = c.ib
            {"WHERE ta.t IS NOT NULL AND ta.t = tb.t" if same_type else ""})
        SELECT ia, ib, count(*) AS n,
               arg_min({{'ia': ia, 'ib': ib, 'days': days, 'km': km}}, (cost, ib, ia), $k) AS top
        FROM r GROUP BY GROUPING SETS ((ia), (ib))""", params)
    # the pairs counted once (grouped by A row), same type only with same_type
    found = int(con.execute("SELECT coalesce(sum(n), 0) FROM top WHERE ia IS NOT NULL").fetchall()[0][0])
    kept = con.sql("""
        SELECT DISTINCT p.ia, p.ib, p.days, p.km
        FROM (SELECT unnest(top) AS p FROM top) ORDER BY p.ia, p.ib""")
    return found, [kept.to_arrow_table()]


def _haversine_sql(a: str, b: str) -> str:
    return (f"2 * {EARTH_KM} * asin(sqrt(pow(sin(radians({b}.lat - {a}.lat) / 2), 2) + "
            f"cos(radians({a}.lat)) * cos(radians({b}.lat)) * pow(sin(radians({b}.lon - {a}.lon) / 2), 2)))")


def candidates(a: pd.DataFrame, b: pd.DataFrame, *, days: int, km: float, max_pairs: int | None = None,
               same_type: bool = False) -> pd.DataFrame:
    """Candidate pairs: ia, ib (row positions), days apart, km apart (NaN for admin1 pairs).

    With `max_pairs`, more candidates than that are never held: the pairs are read in batches and,
    past `max_pairs`, dropped for a second pass in which each row of `a` keeps its
    `NEAREST_K` cheapest candidates, and each row of `b` its own (cost as in `compare`, types
    from a `type` column when the frames have one; `same_type` keeps same-type pairs only).
    `attrs["found"]` is then the number of candidates there were and `attrs["capped"]` is True.
    """
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
    params = {"cell": cell, "days": int(days), "km": float(km) + 1e-9}
    geo_sql = f"""
        WITH ae AS (
            SELECT ax.idx, ax.lat, ax.lon, ax.d, ax.band + o.o AS band, ax.d + CAST(k.k AS INTEGER) AS dk
            FROM ax, range(-1, 2) o(o), range(-$days, $days + 1) k(k) WHERE ax.geo),
        j AS (
            SELECT ae.idx AS ia, bx.idx AS ib, abs(bx.d - ae.d) AS days,
                   {_haversine_sql('ae', 'bx')} AS km
            FROM ae JOIN bx ON ae.band = bx.band AND ae.dk = bx.d
            WHERE bx.geo AND abs(bx.lat - ae.lat) <= $cell * 1.0000001)
        SELECT ia, ib, days, km FROM j WHERE km <= $km"""
    adm_sql = """
        WITH ae AS (
            SELECT ax.idx, ax.geo, ax.adm, ax.cty, ax.d, ax.d + CAST(k.k AS INTEGER) AS dk
            FROM ax, range(-$days, $days + 1) k(k) WHERE ax.adm IS NOT NULL)
        SELECT ae.idx AS ia, bx.idx AS ib, abs(bx.d - ae.d) AS days, CAST(NULL AS DOUBLE) AS km
        FROM ae JOIN bx ON ae.adm = bx.adm AND ae.dk = bx.d
        WHERE (NOT ae.geo OR NOT bx.geo) AND (ae.cty IS NULL OR bx.cty IS NULL OR ae.cty = bx.cty)"""
    from coding.store import _private_spill_dir, _remove_spill_dir

    found: int | None = None
    con = duckdb.connect()
    spill = None
    try:
        spill = _private_spill_dir(con)  # else DuckDB spills into ./.tmp, left there by a killed run
        con.execute("SET enable_progress_bar = false")
        con.register("a_in", arrow(a))
        con.register("b_in", arrow(b))
        for side in ("a", "b"):
            con.execute(f"""
                CREATE TEMP TABLE {side}x AS
                SELECT idx, lat, lon, adm, cty, d, lat IS NOT NULL AND lon IS NOT NULL AS geo,
                       CAST(floor(lat / $cell) AS BIGINT) AS band
                FROM {side}_in WHERE d IS NOT NULL""", {"cell": cell})
        if max_pairs is None:
            geo = con.sql(geo_sql, params=params).to_arrow_table()
            adm = con.sql(adm_sql, params={"days": int(days)}).to_arrow_table()
            parts = [geo, adm]
        else:
            # the same queries, read in batches (the same rows in the same order): past
            # max_pairs the pairs read are dropped for the k-nearest pass
            parts = []
            held = 0
            for sql, p in ((geo_sql, params), (adm_sql, {"days": int(days)})):
                reader = con.sql(sql, params=p).to_arrow_reader(1 << 17)
                batches = []
                for batch in reader:
                    held += batch.num_rows
                    if held > max_pairs:
                        break
                    batches.append(batch)
                reader.close()
                if held > max_pairs:
                    parts = []
                    break
                parts.append(pa.Table.from_batches(batches, schema=reader.schema))
            if held > max_pairs:
                found, parts = _nearest(con, a, b, geo_sql, adm_sql, {**params, "dnorm": float(max(days, 1)),
                                                                        "kmax": float(km), "k": NEAREST_K},
                                        same_type=same_type)
    finally:
        con.close()
        _remove_spill_dir(spill)
    frames = [part.to_pandas() for part in parts if part.num_rows]
    if not frames:
        out = pd.DataFrame({"ia": np.zeros(0, np.int64), "ib": np.zeros(0, np.int64),
                            "days": np.zeros(0, np.int64), "km": np.zeros(0)})
    else:
        out = pd.concat(frames, ignore_index=True)
        out["ia"] = out["ia"].astype(np.int64)
        out["ib"] = out["ib"].astype(np.int64)
        out["days"] = out["days"].astype(np.int64)
        out["km"] = pd.to_numeric(out["km"], errors="coerce").astype(float)
    out.attrs["capped"] = found is not None
    out.attrs["found"] = len(out) if found is None else found
    return out


# ---------------------------------------------------------------------------------------------
# assignment


def type_match(cand: pd.DataFrame, type_a: pd.Series, type_b: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate: both types known, and equal."""
    # integer codes (-1: unknown), so that comparing them costs no Python object per pair
    codes, _ = pd.factorize(pd.concat([type_a, type_b], ignore_index=True), use_na_sentinel=True)
    ka, kb = codes[cand["ia"].to_numpy()], codes[len(type_a) + cand["ib"].to_numpy()]
    known = (ka >= 0) & (kb >= 0)
    return known, known & (ka == kb)


def pair_cost(cand: pd.DataFrame, known: np.ndarray, same: np.ndarray, *, days: int, km: float) -> np.ndarray:
    """`days/max(days,1) + km/km_max` (admin1 pairs: 1) + the type penalty, per candidate."""
    kmv = cand["km"].to_numpy()
    dist = np.where(np.isnan(kmv), 1.0, kmv / km if km > 0 else 0.0)
    return cand["days"].to_numpy() / max(days, 1) + dist + np.where(same, 0.0, np.where(known, TYPE_PENALTY,
                                                                                       TYPE_PENALTY / 2))


def assign(ia: np.ndarray, ib: np.ndarray, cost: np.ndarray, n_a: int, n_b: int) -> np.ndarray:
    """Indices of the chosen edges: one-to-one, max pairs then min cost, per connected component.

    Exact (`linear_sum_assignment`) for components up to `LSA_MAX_CELLS` cells; greedy by
    (cost, ia, ib) beyond that.
    """
    edges, _ = assign_units(ia, ib, cost, np.ones(n_a, dtype=np.int64), np.ones(n_b, dtype=np.int64))
    return edges


def assign_units(ia: np.ndarray, ib: np.ndarray, cost: np.ndarray, mult_a: np.ndarray,
                 mult_b: np.ndarray, *, sparse_exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """`assign` for nodes standing for `mult_a[i]` / `mult_b[j]` events alike: the chosen edges
    (sorted) and how many pairs each carries (at most `mult` per node over its edges).

    Per connected component: max pairs, then min cost. A single edge, a star (one node on a side)
    and, with every multiplicity 1, a component of up to `LSA_MAX_CELLS` cells are exact as in
    `assign`; a component with a repeated node (and, with `sparse_exact`, one with too many nodes
    for a dense matrix: the k-nearest graph of a capped run) is a transportation problem solved
    exactly by `_transport` up to `LP_MAX_EDGES` edges; beyond the limits, greedy by
    (cost, ia, ib), as `assign` does.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    m = len(ia)
    if m == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    n_a = len(mult_a)
    n = n_a + len(mult_b)
    g = coo_matrix((np.ones(m, dtype=np.int8), (ia, ib + n_a)), shape=(n, n))
    _, labels = connected_components(g, directed=False)
    comp = labels[ia]
    order = np.lexsort((ib, ia, cost, comp))  # by component, then cost (ties: ids) -> deterministic
    comp_sorted = comp[order]
    starts = np.flatnonzero(np.r_[True, comp_sorted[1:] != comp_sorted[:-1]])
    ends = np.r_[starts[1:], m]
    sizes = ends - starts
    single = order[starts[sizes == 1]]
    chosen: list[np.ndarray] = [single]
    flows: list[np.ndarray] = [np.minimum(mult_a[ia[single]], mult_b[ib[single]])]
    repeated = (mult_a[ia] > 1) | (mult_b[ib] > 1)
    for s, e in zip(starts[sizes > 1], ends[sizes > 1]):
        edges = order[s:e]
        ua, ra = np.unique(ia[edges], return_inverse=True)
        ub, rb = np.unique(ib[edges], return_inverse=True)
        unit = not repeated[edges].any()
        if unit and (len(ua) == 1 or len(ub) == 1):
            pick, flow = edges[:1], np.ones(1, dtype=np.int64)  # a star: the cheapest edge
        elif len(ua) == 1 or len(ub) == 1:
            # a star of events alike: the cheapest edges first (edges are sorted by cost) is optimal
            pick, flow = _greedy(edges, ia, ib, mult_a, mult_b)
        elif unit and len(ua) * len(ub) <= LSA_MAX_CELLS:
            pick = _lsa(edges, ra, rb, cost)
            flow = np.ones(len(pick), dtype=np.int64)
        elif (sparse_exact or not unit) and len(edges) <= LP_MAX_EDGES:
            # events alike, or the k-nearest candidates of a capped run (too many distinct events
            # for a dense matrix, few edges): exact on the sparse graph
            pick, flow = _transport(edges, ra, rb, cost, mult_a[ua], mult_b[ub])
            if pick is None:  # not expected: the max flow is feasible
                pick, flow = _greedy(edges, ia, ib, mult_a, mult_b)
        elif unit:
            pick = _greedy_unit(edges, ia, ib)
            flow = np.ones(len(pick), dtype=np.int64)
        else:
            pick, flow = _greedy(edges, ia, ib, mult_a, mult_b)
        chosen.append(pick)
        flows.append(flow)
    out, flow = np.concatenate(chosen).astype(np.int64), np.concatenate(flows).astype(np.int64)
    keep = flow > 0
    out, flow = out[keep], flow[keep]
    o = np.argsort(out, kind="stable")
    return out[o], flow[o]


def _lsa(edges: np.ndarray, ra: np.ndarray, rb: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """`edges` (ra, rb: their A and B nodes numbered 0.. within the component) by linear_sum_assignment."""
    from scipy.optimize import linear_sum_assignment

    na, nb = int(ra.max()) + 1, int(rb.max()) + 1
    big = (TYPE_PENALTY + 3.0) * min(na, nb) + 1.0
    mat = np.full((na, nb), big)
    mat[ra, rb] = cost[edges]  # (ia, ib) pairs are unique among candidates
    pos = np.full((na, nb), -1, dtype=np.int64)
    pos[ra, rb] = np.arange(len(edges))
    rows, cols = linear_sum_assignment(mat)
    keep = pos[rows, cols] >= 0
    return edges[pos[rows[keep], cols[keep]]]


def _transport(edges: np.ndarray, ra: np.ndarray, rb: np.ndarray, cost: np.ndarray, ca: np.ndarray,
               cb: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Max pairs, then min cost, for one component: `ra`/`rb` number the edges' nodes 0.. within it,
    `ca`/`cb` are those nodes' multiplicities. An integer max flow gives the number of pairs, then
    a linear programme (HiGHS dual simplex) carries that many the cheapest way: its constraint
    matrix is a network matrix, so the basic solution simplex returns is integral. (None, ...)
    when no solver answered."""
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp
    from scipy.sparse import csr_matrix, vstack
    from scipy.sparse.csgraph import maximum_flow

    na, nb, k = len(ca), len(cb), len(edges)
    # source 0 -> A nodes 1..na -> B nodes na+1..na+nb -> sink na+nb+1
    sink = na + nb + 1
    src = np.r_[np.zeros(na, np.int64), 1 + ra, 1 + na + np.arange(nb)]
    dst = np.r_[1 + np.arange(na), 1 + na + rb, np.full(nb, sink)]
    top = np.minimum(ca[ra], cb[rb])
    net = csr_matrix((np.r_[ca, top, cb].astype(np.int32), (src, dst)), shape=(sink + 1, sink + 1))
    pairs = int(maximum_flow(net, 0, sink).flow_value)
    cols = np.arange(k)
    inc = csr_matrix((np.ones(2 * k), (np.r_[ra, na + rb], np.r_[cols, cols])), shape=(na + nb, k))
    every = csr_matrix(np.ones((1, k)))
    res = linprog(cost[edges], A_ub=inc, b_ub=np.r_[ca, cb], A_eq=every, b_eq=[pairs],
                  bounds=np.c_[np.zeros(k), top], method="highs-ds")
    x = res.x
    if x is None or np.abs(x - np.rint(x)).max(initial=0.0) > 1e-6:  # not expected; integrality then
        x = milp(cost[edges], integrality=np.ones(k), bounds=Bounds(0, top),
                 constraints=LinearConstraint(vstack([inc, every]), np.r_[np.zeros(na + nb), pairs],
                                              np.r_[ca, cb, pairs]), options={"mip_rel_gap": 0.0}).x
    if x is None:
        return None, np.zeros(0, dtype=np.int64)
    flow = np.rint(x).astype(np.int64)
    keep = flow > 0
    return edges[keep], flow[keep]


def _greedy_unit(edges: np.ndarray, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """`_greedy` with every multiplicity 1 (sets are faster on a giant component)."""
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


def _greedy(edges: np.ndarray, ia: np.ndarray, ib: np.ndarray, mult_a: np.ndarray,
            mult_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges in the given order, each taking as many pairs as both its nodes have left."""
    left_a: dict[int, int] = {}
    left_b: dict[int, int] = {}
    out: list[int] = []
    flow: list[int] = []
    for k, x, y in zip(edges.tolist(), ia[edges].tolist(), ib[edges].tolist()):
        ra = left_a.get(x)
        if ra is None:
            ra = int(mult_a[x])
        rb = left_b.get(y)
        if rb is None:
            rb = int(mult_b[y])
        f = min(ra, rb)
        left_a[x], left_b[y] = ra - f, rb - f
        if f:
            out.append(k)
            flow.append(f)
    return np.asarray(out, dtype=np.int64), np.asarray(flow, dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# events alike


@dataclass
class Collapsed:
    """Rows alike in all that candidacy and cost look at, as one node: `nodes` has one row per node
    (its first row), `mult` the number of rows, `rows` the row positions grouped by node in order."""

    nodes: pd.DataFrame
    mult: np.ndarray
    rows: np.ndarray
    start: np.ndarray


def collapse(side: pd.DataFrame) -> Collapsed:
    """Group the rows of a side (with a `type` column) by day, latitude, longitude, admin1 and
    country (ignoring case) and type; nodes are numbered by their first row, so a side without
    such repeats is its own node table, row for row."""
    lat = side["latitude"]
    if lat.notna().all() and lat.is_unique:  # no two rows alike: each row its own node (cheap check)
        node = np.arange(len(side), dtype=np.int64)
        one = np.ones(len(side), dtype=np.int64)
        return Collapsed(nodes=side.reset_index(drop=True), mult=one, rows=node, start=node.copy())
    cols = (side["event_date"].dt.normalize(), lat, side["longitude"], side["admin1"].str.lower(),
            side["country"].str.lower(), side["type"])
    node = np.zeros(len(side), dtype=np.int64)
    for col in cols:
        # codes by first appearance, NA a value of its own; two codes -> one, column by column
        code = pd.factorize(col, use_na_sentinel=False)[0].astype(np.int64)
        node = pd.factorize(node * (int(code.max(initial=0)) + 1) + code)[0].astype(np.int64)
    mult = np.bincount(node, minlength=int(node.max()) + 1 if len(node) else 0).astype(np.int64)
    rows = np.argsort(node, kind="stable")
    start = np.r_[0, np.cumsum(mult)[:-1]].astype(np.int64) if len(mult) else np.zeros(0, np.int64)
    first = rows[start]
    return Collapsed(nodes=side.iloc[first].reset_index(drop=True), mult=mult, rows=rows, start=start)


def _group_offsets(node: np.ndarray, flow: np.ndarray) -> np.ndarray:
    """For edges in allocation order: how many rows of the same node earlier edges took."""
    g = np.argsort(node, kind="stable")
    f = flow[g]
    before = np.cumsum(f) - f
    first = np.r_[True, node[g][1:] != node[g][:-1]]
    before -= np.maximum.accumulate(np.where(first, before, 0))
    out = np.empty_like(before)
    out[g] = before
    return out


def expand(sel: np.ndarray, flow: np.ndarray, ia: np.ndarray, ib: np.ndarray, cost: np.ndarray,
           ca: Collapsed, cb: Collapsed) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Chosen node edges -> event pairs: (edge of each pair, row in A, row in B), pairs in the order
    of `sel`. A node's rows go to its edges lowest row positions first, cheapest edge first."""
    u, v = ia[sel], ib[sel]
    alloc = np.lexsort((v, u, cost[sel]))
    off_a = np.empty(len(sel), dtype=np.int64)
    off_b = np.empty(len(sel), dtype=np.int64)
    off_a[alloc] = _group_offsets(u[alloc], flow[alloc])
    off_b[alloc] = _group_offsets(v[alloc], flow[alloc])
    rep = np.repeat(np.arange(len(sel)), flow)
    pos = np.arange(len(rep)) - np.repeat(np.cumsum(flow) - flow, flow)
    row_a = ca.rows[ca.start[u[rep]] + off_a[rep] + pos]
    row_b = cb.rows[cb.start[v[rep]] + off_b[rep] + pos]
    return sel[rep], row_a, row_b


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

    # events alike in all that matching looks at are one node with a multiplicity: thousands of
    # events on one day at one point (GDELT centroids, ACLED capitals) are one node, not n_a x n_b pairs
    ca, cb_ = collapse(sa), collapse(sb)
    cand = candidates(ca.nodes, cb_.nodes, days=days, km=km, max_pairs=MAX_CANDIDATES, same_type=same_type)
    capped, found = bool(cand.attrs.get("capped")), int(cand.attrs.get("found", len(cand)))
    known, same = type_match(cand, ca.nodes["type"], cb_.nodes["type"])
    if same_type:
        cand, known, same = cand[same].reset_index(drop=True), known[same], same[same]
    ia_n, ib_n = cand["ia"].to_numpy(), cand["ib"].to_numpy()
    cost = pair_cost(cand, known, same, days=days, km=km)
    # a capped run's k-nearest graph is sparse: exact there, where greedy loses most
    sel, flow = assign_units(ia_n, ib_n, cost, ca.mult, cb_.mult, sparse_exact=capped)
    pe, ia, ib = expand(sel, flow, ia_n, ib_n, cost, ca, cb_)
    # DuckDB's parallel join returns the candidates in an order that varies between runs: the pairs
    # are listed in A's row order (then B's), so the same inputs give the same rows in the same order
    o = np.lexsort((ib, ia))
    pe, ia, ib = pe[o], ia[o], ib[o]
    chosen = cand.iloc[pe].reset_index(drop=True)
    ta = sa["type"].to_numpy(dtype=object, na_value=None)[ia]
    tb = sb["type"].to_numpy(dtype=object, na_value=None)[ib]
    pairs = pd.DataFrame({
        "id_a": sa["id"].to_numpy()[ia], "id_b": sb["id"].to_numpy()[ib],
        "date_a": sa["event_date"].to_numpy()[ia], "date_b": sb["event_date"].to_numpy()[ib],
        "days": chosen["days"].to_numpy(), "km": chosen["km"].round(3).to_numpy(),
        "type_a": ta, "type_b": tb, "same_type": same[pe],
        "matched_on": np.where(np.isnan(chosen["km"].to_numpy()), "admin1", "coordinates"),
    })
    pairs["date_a"] = pd.to_datetime(pairs["date_a"]).dt.date
    pairs["date_b"] = pd.to_datetime(pairs["date_b"]).dt.date
    pairs["same_type"] = pairs["same_type"].where(known[pe], None)
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
    both = known[pe]
    summary = {
        "matched": int(n),
        "only_a": int(len(only_a)),
        "only_b": int(len(only_b)),
        "recall_a": _r(n / len(sa)) if len(sa) else None,
        "recall_b": _r(n / len(sb)) if len(sb) else None,
        "type_agreement": _r(same[pe][both].mean()) if both.any() else None,
        "type_kappa": _r(cohen_kappa(ta[both], tb[both])) if both.any() else None,
        "mean_days": _r(pairs["days"].mean(), 3) if n else None,
        "mean_km": _r(pairs["km"].mean(), 3) if pairs["km"].notna().any() else None,
        "matched_on_admin1": int((pairs["matched_on"] == "admin1").sum()),
    }
    assert tuple(summary) == SUMMARY_KEYS
    return CompareResult(summary=summary, pairs=pairs, only_a=only_a, only_b=only_b,
                         options={"days": days, "km": km, "taxonomy": taxonomy, "same_type": same_type,
                                  "n_a": len(sa), "n_b": len(sb),
                                  # candidate pairs of events (collapsed nodes stand for mult_a x mult_b)
                                  "candidates": int((ca.mult[ia_n] * cb_.mult[ib_n]).sum()),
                                  "candidate_nodes": len(cand), "nodes_a": len(ca.nodes), "nodes_b": len(cb_.nodes),
                                  # more candidates than MAX_CANDIDATES: NEAREST_K per node were kept
                                  "capped": capped, "found_nodes": found,
                                  "left_out_a": left_a, "left_out_b": left_b})


__all__ = ["CompareResult", "SUMMARY_KEYS", "TAXONOMIES", "assign", "assign_units", "candidates", "cohen_kappa",
           "collapse", "compare", "expand", "pair_cost", "read_side", "side_frame", "type_match", "types_at"]
