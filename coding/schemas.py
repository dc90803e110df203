"""pandera schemas for event data: evcode's own records and the ACLED, ICEWS and GDELT exports.

Every schema is a `pandera.pandas.DataFrameSchema` over *string* columns (files are read with
`dtype=str`, so CAMEO codes keep their leading zeros and nothing is silently coerced). The
checks are vectorised and built from the codebook (valid codes, Goldstein values, ACLED type
pairs, country bounding boxes), which is why the schemas are made by functions rather than
declared as fixed `DataFrameModel` classes.

Each check has a stable `name` (what the report and the rejects' `reason` column show), a
sentence a person understands (`error`), and the column it blames (`CHECK_COLUMNS`), so wide
(multi-column) checks still point at one column. `coding.validate` runs these very checks fast
on millions of rows; `schema.validate(df, lazy=True)` works too for small frames.

    >>> from coding.schemas import get_schema
    >>> schema = get_schema("acled")
    >>> [c.name for c in schema.checks][:2]   # wide checks; one-column checks sit on their column
    ['event_id_unique', 'year_matches_date']
    >>> [c.name for c in schema.columns["disorder_type"].checks]
    ['disorder_type_valid']
"""

from __future__ import annotations

import datetime as _dt
import threading
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable

import numpy as np
import pandas as pd
import pandera.pandas as pa

from coding.codebook import Codebook, load_codebook
from coding.errors import UsageError

SCHEMA_NAMES = ("events", "acled", "icews", "gdelt1", "gdelt2")

# The canonical event record (DESIGN.md): evcode output, and what `to_canonical` makes of any source.
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id", "passage_id", "sentence_index", "span_start", "span_end", "event_date",
    "time_precision", "cameo_code", "cameo_root", "quad_class", "goldstein", "disorder_type",
    "event_type", "sub_event_type", "actor1", "actor1_code", "actor1_text", "inter1", "actor2",
    "actor2_code", "actor2_text", "inter2", "interaction", "civilian_targeting", "country",
    "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "fatalities",
    "rule_id", "codebook_version",
)
# Column types of the canonical table (`to_canonical` output; the DuckDB `events` table).
CANONICAL_DTYPES: dict[str, str] = {
    **{c: "string" for c in EVENT_COLUMNS},
    **{c: "Int64" for c in ("sentence_index", "span_start", "span_end", "time_precision",
                             "quad_class", "inter1", "inter2", "interaction", "geo_precision",
                             "fatalities")},
    **{c: "Float64" for c in ("goldstein", "latitude", "longitude")},
    "event_date": "datetime64[s]",
    "dataset": "string",
}
CANONICAL_COLUMNS: tuple[str, ...] = ("dataset",) + EVENT_COLUMNS

# Check name -> the column a failure is reported against (wide checks read several columns).
CHECK_COLUMNS: dict[str, str] = {}

Frame = pd.DataFrame
Mask = pd.Series


# ---------------------------------------------------------------------------------------------
# vectorised helpers (strings in, boolean "passes" Series out)


def num(s: pd.Series) -> pd.Series:
    """Strings -> float (NaN for empty or non-numeric)."""
    return pd.to_numeric(s, errors="coerce")


def is_int(s: pd.Series, *, allow_empty: bool = False) -> pd.Series:
    """True where the cell is an integer written in decimal (optionally empty)."""
    ok = s.str.fullmatch(r"-?\d+", na=False)
    if allow_empty:
        ok |= s.fillna("") == ""
    return ok


# The store keeps these columns as DuckDB INTEGER: a larger number would fail the load (or become
# NULL), so validation rejects it like any other bad value.
INT32_MIN, INT32_MAX = -2**31, 2**31 - 1


def store_int(s: pd.Series, *, lo: int = 0) -> pd.Series:
    """True where the cell is a decimal integer from `lo` to INT32_MAX (what an INTEGER column holds)."""
    v = num(s)
    return (is_int(s) & (v >= lo) & (v <= INT32_MAX)).fillna(False).astype(bool)


def empty(s: pd.Series) -> pd.Series:
    return s.isna() | (s == "")


def in_range(s: pd.Series, lo: float, hi: float, *, allow_empty: bool = False) -> pd.Series:
    v = num(s)
    ok = v.between(lo, hi)
    if allow_empty:
        ok |= empty(s)
    return ok.fillna(False).astype(bool)


def isin(s: pd.Series, values: Iterable[str], *, allow_empty: bool = False) -> pd.Series:
    ok = s.isin(list(values))
    if allow_empty:
        ok |= empty(s)
    return ok


def parse_dates(s: pd.Series, formats: tuple[str, ...] = ("%Y-%m-%d",)) -> pd.Series:
    """Parse with each format in turn (exact formats only: vectorised and unambiguous)."""
    out = pd.to_datetime(s, format=formats[0], errors="coerce")
    for fmt in formats[1:]:
        missing = out.isna()
        if not missing.any():
            break
        out = out.where(~missing, pd.to_datetime(s.where(missing), format=fmt, errors="coerce"))
    return out


def date_ok(s: pd.Series, formats: tuple[str, ...] = ("%Y-%m-%d",), *,
            allow_empty: bool = False) -> pd.Series:
    """A real calendar date, not in the future (tomorrow allowed for time zones)."""
    d = parse_dates(s, formats)
    limit = pd.Timestamp(_dt.date.today() + _dt.timedelta(days=1))
    ok = d.notna() & (d <= limit)
    if allow_empty:
        ok |= empty(s)
    return ok


def unique(df: pd.DataFrame, cols: list[str]) -> pd.Series:
    """False for every row whose key appears more than once, and for empty keys."""
    ok = ~df.duplicated(cols, keep=False)
    for c in cols:
        ok &= ~empty(df[c])
    return ok


def interaction_expected(inter1: pd.Series, inter2: pd.Series) -> pd.Series:
    """ACLED's rule on numeric inter codes: inter1*10 without a second actor, else min*10+max."""
    a = num(inter1)
    b = num(inter2).fillna(0)
    lo = np.minimum(a, b)
    hi = np.maximum(a, b)
    return pd.Series(np.where(b == 0, a * 10, lo * 10 + hi), index=inter1.index)


# ---------------------------------------------------------------------------------------------
# building checks


def check(name: str, column: str, error: str, fn: Callable[[pd.DataFrame], pd.Series],
          cols: Iterable[str] | None = None, optional: Iterable[str] = ()) -> pa.Check:
    """A wide (multi-column) check: `fn(df)` -> boolean Series, True where the row passes.

    `cols` declares a row-wise check: its result for a row depends only on that row's values
    in `cols` (and in the `optional` columns, when the frame has them). It then runs once per
    distinct combination of those values (see `per_row_values`), not once per row.
    """
    CHECK_COLUMNS[name] = column
    if cols is not None:
        fn = per_row_values(fn, tuple(cols), tuple(optional))
    return pa.Check(fn, name=name, error=error)


def col_check(name: str, column: str, error: str, fn: Callable[[pd.Series], pd.Series],
              distinct: bool = True) -> pa.Check:
    """A one-column check: `fn(series)` -> boolean Series (attached to `column` by `make_schema`).

    `fn` must be element-wise (each cell's result depends on that cell only): it runs once per
    distinct value of the column (see `per_value`); `distinct=False` for checks cheaper than
    finding the distinct values (`~empty(s)` on a column of ids).
    """
    CHECK_COLUMNS[name] = column
    _COLUMN_CHECKS.add(name)
    return pa.Check(per_value(fn) if distinct else fn, name=name, error=error)


# ---------------------------------------------------------------------------------------------
# running row-wise checks once per distinct value
#
# Event files repeat their values: a million rows hold a few hundred CAMEO codes, span ends,
# Goldstein values, inter-code triples and a few thousand coordinates. A check whose answer for
# a row depends only on that row's cells gives the same answer for every row with the same
# cells, so it is run on the distinct values (or combinations) and the answers are spread back
# to the rows with one `take`. The check function itself is unchanged and sees a frame/Series of
# the same dtype, so what passes and fails is exactly what it was. Within `factor_scope` (what
# `coding.validate.check_frame` opens) each column is factorised once and shared by all checks.

PER_VALUE_MIN_ROWS = 2000  # below this, call the check directly (nothing to gain)
PER_VALUE_MAX_SHARE = 0.5  # more distinct values than this share of the rows: call it directly
_SCOPE = threading.local()  # .factors: id(array) -> (array, codes, rows), inside a factor_scope


class factor_scope:
    """Share column factorisations between the checks run inside this block (then drop them)."""

    def __enter__(self) -> "factor_scope":
        self._outer = getattr(_SCOPE, "factors", None)
        _SCOPE.factors = {}
        return self

    def __exit__(self, *exc: object) -> None:
        _SCOPE.factors = self._outer


def _factorize(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, one row position per distinct value); missing values count as a value."""
    arr = s.array
    factors = getattr(_SCOPE, "factors", None)
    if factors is not None:
        hit = factors.get(id(arr))
        if hit is not None and hit[0] is arr:
            return hit[1], hit[2]
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    rows = _representatives(codes, len(uniques))
    if factors is not None:  # the array is kept alive here, so its id is not reused meanwhile
        factors[id(arr)] = (arr, codes, rows)
    return codes, rows


def _representatives(codes: np.ndarray, k: int) -> np.ndarray:
    rows = np.full(k, -1, dtype=np.intp)
    rows[codes] = np.arange(len(codes), dtype=np.intp)  # any row of each group will do
    return rows


def _spread(result: object, codes: np.ndarray, index: pd.Index) -> object:
    """The answers for the distinct values -> one answer per row (dtype kept)."""
    if np.ndim(result) == 0:  # type: ignore[arg-type]
        return result
    r = result if isinstance(result, pd.Series) else pd.Series(result)
    return r.reset_index(drop=True).take(codes).set_axis(index)


def per_value(fn: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    """Run the element-wise `fn` on the distinct values of its Series only."""
    def run(s: pd.Series) -> pd.Series:
        if not isinstance(s, pd.Series) or len(s) < PER_VALUE_MIN_ROWS:
            return fn(s)
        codes, rows = _factorize(s)
        if len(rows) > PER_VALUE_MAX_SHARE * len(s):  # mostly distinct values: no gain
            return fn(s)
        return _spread(fn(s.iloc[rows].reset_index(drop=True)), codes, s.index)  # type: ignore[return-value]

    run.__wrapped__ = fn  # type: ignore[attr-defined]
    return run


def per_row_values(fn: Callable[[pd.DataFrame], pd.Series], cols: tuple[str, ...],
                   optional: tuple[str, ...] = ()) -> Callable[[pd.DataFrame], pd.Series]:
    """Run the row-wise `fn` on one row per distinct combination of `cols` (+ `optional`)."""
    def run(df: pd.DataFrame) -> pd.Series:
        use = [c for c in cols + optional if c in df.columns]
        if not isinstance(df, pd.DataFrame) or len(df) < PER_VALUE_MIN_ROWS or len(use) < len(cols):
            return fn(df)
        key = np.zeros(len(df), dtype=np.int64)
        k = 1
        for c in use:
            codes, rows = _factorize(df[c])
            if k * len(rows) >= 2 ** 62:  # keep the combined key in int64
                key, uniq = pd.factorize(key)
                k = len(uniq)
            key = key * len(rows) + codes
            k *= len(rows)
        key, uniq = pd.factorize(key)
        if len(uniq) > PER_VALUE_MAX_SHARE * len(df):  # mostly distinct rows: no gain
            return fn(df)
        rows = _representatives(key, len(uniq))
        return _spread(fn(df[use].iloc[rows].reset_index(drop=True)), key, df.index)  # type: ignore[return-value]

    run.__wrapped__ = fn  # type: ignore[attr-defined]
    return run


_COLUMN_CHECKS: set[str] = set()


def make_schema(
    name: str,
    columns: Iterable[str],
    required: Iterable[str],
    checks: list[pa.Check],
    description: str = "",
) -> pa.DataFrameSchema:
    """A schema of string columns; one-column checks go on their column, the rest on the frame."""
    cols = str_columns(columns, required)
    wide = []
    for chk in checks:
        target = CHECK_COLUMNS.get(chk.name or "")
        if chk.name in _COLUMN_CHECKS and target:
            col = cols.setdefault(target, pa.Column(str, nullable=True, required=False))
            col.checks = [*col.checks, chk]
        else:
            wide.append(chk)
    return pa.DataFrameSchema(cols, checks=wide, strict=False, name=name, description=description)


def str_columns(names: Iterable[str], required: Iterable[str] = ()) -> dict[str, pa.Column]:
    req = set(required)
    return {n: pa.Column(str, nullable=True, required=n in req, coerce=False) for n in names}


@dataclass
class Lookups:
    """Codebook facts the checks need, as plain Python containers (built once per codebook)."""

    cameo_codes: frozenset[str]
    cameo_quad: dict[str, str]
    cameo_goldstein: dict[str, float]
    cameo_goldstein_icews: dict[str, float]
    event_types: frozenset[str]
    pairs: frozenset[str]  # "event_type|sub_event_type"
    pair_disorder: dict[str, str]
    disorder_types: frozenset[str]
    inter_labels: dict[str, str]  # 2024 text label -> numeric code ("State forces" -> "1")
    inter_label_of: dict[str, str]  # numeric code -> 2024 text label
    country_iso3: dict[str, str]  # name / acled_name / iso3 -> iso3
    bbox: dict[str, tuple[float, float, float, float]]  # iso3 -> min_lat, max_lat, min_lon, max_lon

    @cached_property
    def bbox_frame(self) -> pd.DataFrame:
        return pd.DataFrame.from_dict(self.bbox, orient="index", columns=["a", "b", "c", "d"], dtype=float)


def _build_lookups(cb: Codebook) -> Lookups:
    codes = cb.table("cameo/event_codes")
    types = cb.table("acled/event_types")
    try:
        disorder = frozenset(cb.table("acled/disorder_types")["disorder_type"])
    except Exception:
        disorder = frozenset(types["disorder_type"])
    inter = cb.table("acled/inter_codes")
    labels = {r["label_2024"]: r["inter"] for r in inter.to_dict("records") if r["label_2024"]}
    country_iso3: dict[str, str] = {}
    bbox: dict[str, tuple[float, float, float, float]] = {}
    if "actors/countries" in cb.tables:
        countries = cb.table("actors/countries")
        for r in countries.to_dict("records"):
            for key in (r.get("iso3", ""), r.get("name", ""), r.get("acled_name", "")):
                if key:
                    country_iso3.setdefault(key, r["iso3"])
            try:
                bbox[r["iso3"]] = tuple(float(r[k]) for k in ("min_lat", "max_lat", "min_lon", "max_lon"))  # type: ignore[assignment]
            except (KeyError, ValueError):
                pass
    pair = types["event_type"] + "|" + types["sub_event_type"]
    return Lookups(
        cameo_codes=frozenset(codes["code"]),
        cameo_quad=dict(zip(codes["code"], codes["quad_class"])),
        cameo_goldstein=dict(zip(codes["code"], pd.to_numeric(codes["goldstein"]))),
        cameo_goldstein_icews=dict(zip(codes["code"], pd.to_numeric(codes["goldstein_icews"]))),
        event_types=frozenset(types["event_type"]),
        pairs=frozenset(pair),
        pair_disorder=dict(zip(pair, types["disorder_type"])),
        disorder_types=disorder,
        inter_labels=labels,
        inter_label_of={v: k for k, v in labels.items()},
        country_iso3=country_iso3,
        bbox=bbox,
    )


_LOOKUPS: dict[str, Lookups] = {}


def lookups(cb: Codebook | None = None) -> Lookups:
    """The codebook facts used by the schemas (cached per codebook content hash)."""
    cb = cb or load_codebook()
    if cb.digest not in _LOOKUPS:
        _LOOKUPS[cb.digest] = _build_lookups(cb)
    return _LOOKUPS[cb.digest]


# ---------------------------------------------------------------------------------------------
# checks shared by several formats


def cameo_code_check(name: str, column: str, lk: Lookups, *, allow_empty: bool = False) -> pa.Check:
    return col_check(
        name, column,
        f"{column} must be a CAMEO event code in the codebook, as a string with its leading zero ('042')",
        lambda s: isin(s, lk.cameo_codes, allow_empty=allow_empty),
    )


def mapped_equals(codes: pd.Series, table: dict[str, float], value: pd.Series, tol: float = 1e-6) -> pd.Series:
    """True where `value` equals `table[code]` (rows with unknown codes pass: another check fails them)."""
    expected = codes.map(table)
    got = num(value)
    return (expected.isna() | ((got - expected).abs() <= tol)).fillna(False).astype(bool)


def coords_checks(prefix: str, lat: str, lon: str, *, allow_empty: bool) -> list[pa.Check]:
    return [
        col_check(f"{prefix}latitude_range", lat, f"{lat} must be a number between -90 and 90",
                  lambda s: in_range(s, -90, 90, allow_empty=allow_empty)),
        col_check(f"{prefix}longitude_range", lon, f"{lon} must be a number between -180 and 180",
                  lambda s: in_range(s, -180, 180, allow_empty=allow_empty)),
    ]


def in_bbox(df: pd.DataFrame, lk: Lookups, country: str, lat: str, lon: str, pad: float = 0.5) -> pd.Series:
    """True where the point lies inside the country's bounding box (+pad degrees), or is unknown."""
    iso = df[country].map(lk.country_iso3)
    box = lk.bbox_frame.reindex(iso.to_numpy())
    y = num(df[lat]).to_numpy()
    x = num(df[lon]).to_numpy()
    inside = (y >= box["a"].to_numpy() - pad) & (y <= box["b"].to_numpy() + pad) & \
             (x >= box["c"].to_numpy() - pad) & (x <= box["d"].to_numpy() + pad)
    unknown = np.isnan(box["a"].to_numpy(dtype=float)) | np.isnan(y) | np.isnan(x)
    return pd.Series(inside | unknown, index=df.index)


def inter_code(s: pd.Series, lk: Lookups) -> pd.Series:
    """Numeric inter codes from either the 0-8 numbers or the 2024 text labels ('' -> '0')."""
    s = s.fillna("")
    mapped = s.map(lk.inter_labels)
    out = s.where(mapped.isna(), mapped)
    return out.where(out != "", "0")


def interaction_ok(df: pd.DataFrame, lk: Lookups, *, allow_empty: bool = False) -> pd.Series:
    """ACLED's interaction rule, for numeric codes (min*10+max) and 2024 text labels."""
    i1 = df["inter1"].fillna("")
    i2 = df["inter2"].fillna("")
    inter = df["interaction"].fillna("")
    a = inter_code(i1, lk)
    b = inter_code(i2, lk)
    expected = interaction_expected(a, b)
    inter_num = num(inter)
    ok = (inter_num == expected).fillna(False).astype(bool)
    rest = ~ok & inter_num.isna() & (inter != "")  # only text interactions need the label path
    if rest.any():  # 2024 exports: "Protesters only", "State forces-Civilians" (lower code first)
        la, lb = num(a[rest]).clip(lower=0), num(b[rest]).clip(lower=0)
        lo = np.minimum(la, lb).astype("Int64").astype(str).map(lk.inter_label_of)
        hi = np.maximum(la, lb).astype("Int64").astype(str).map(lk.inter_label_of)
        single = a[rest].map(lk.inter_label_of) + " only"
        text_expected = single.where(lb.fillna(0) == 0, lo + "-" + hi)
        ok[rest] = (inter[rest] == text_expected).fillna(False).astype(bool)
    if allow_empty:
        ok |= (i1 == "") & (inter == "")
    return ok


# ---------------------------------------------------------------------------------------------
# registry


def get_schema(name: str, cb: Codebook | None = None, columns: Iterable[str] | None = None) -> pa.DataFrameSchema:
    """The pandera schema called `name` (one of SCHEMA_NAMES), built from the codebook.

    `columns` (the file's header) lets formats with optional columns (ACLED exports with or
    without the 2023 columns) check only what is there.
    """
    from coding import sources

    if name not in SCHEMA_NAMES:
        raise UsageError(f"unknown schema {name!r}; choose one of {', '.join(SCHEMA_NAMES)} or auto")
    return sources.module(name).schema(cb or load_codebook(), list(columns) if columns is not None else None)
