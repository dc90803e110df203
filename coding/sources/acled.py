"""ACLED's standard export: reader, pandera schema and mapping to the canonical event table.

Accepts the 31-column export of 2023 (with `disorder_type`, `civilian_targeting`), older
exports without those columns, and the 2024 files whose inter codes are text labels
("State forces") and whose interaction reads "State forces-Civilians" / "Protesters only".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pycountry

from coding.codebook import Codebook, load_codebook
from coding.schemas import (
    check, col_check, coords_checks, date_ok, empty, inter_code, interaction_ok, is_int, store_int,
    isin, lookups, num, parse_dates, make_schema, unique,
)
from coding.sources import Table, read_table

NAME = "acled"
KEY = "event_id_cnty"
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
# Older exports lack the 2023 columns (disorder_type, civilian_targeting) and sometimes iso/tags.
REQUIRED = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "inter1", "actor2", "inter2", "interaction", "country", "latitude", "longitude",
    "geo_precision", "fatalities",
)
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y")  # the API/export form, and the older spreadsheet form


def read(path: str | Path) -> Table:
    """Read an ACLED export as strings."""
    return read_table(path, header=True)


def _iso_numeric_to_alpha3() -> dict[str, str]:
    return {c.numeric.lstrip("0") or "0": c.alpha_3 for c in pycountry.countries}


_ISO_NUM = _iso_numeric_to_alpha3()


def schema(cb: Codebook | None = None, columns: list[str] | None = None) -> pa.DataFrameSchema:
    """The `acled` schema; checks on optional columns are dropped when `columns` lacks them."""
    lk = lookups(cb or load_codebook())
    have = set(columns) if columns is not None else set(COLUMNS)
    checks: list[pa.Check] = [
        check("event_id_unique", "event_id_cnty", "event_id_cnty must be present and unique",
              lambda df: unique(df, ["event_id_cnty"])),
        col_check("event_date_valid", "event_date",
                  "event_date must be a real date (YYYY-MM-DD) and not in the future",
                  lambda s: date_ok(s, DATE_FORMATS)),
        check("year_matches_date", "year", "year must equal the year of event_date",
              lambda df: _year_matches(df), cols=("event_date", "year")),
        col_check("time_precision_valid", "time_precision", "time_precision must be 1, 2 or 3",
                  lambda s: isin(s, ("1", "2", "3"))),
        col_check("event_type_valid", "event_type",
                  "event_type must be one of ACLED's six event types (see the codebook acled/event_types)",
                  lambda s: isin(s, lk.event_types)),
        check("sub_event_type_valid", "sub_event_type",
              "sub_event_type must be one of the sub-event types of its event_type",
              lambda df: ~df["event_type"].isin(lk.event_types)
              | (df["event_type"] + "|" + df["sub_event_type"]).isin(lk.pairs),
              cols=("event_type", "sub_event_type")),
        col_check("inter1_valid", "inter1",
                  "inter1 must be an inter code 1-8 (or its 2024 text label)",
                  lambda s: isin(inter_code(s, lk), [str(i) for i in range(1, 9)])),
        col_check("inter2_valid", "inter2",
                  "inter2 must be an inter code 0-8 (or its 2024 text label, or empty)",
                  lambda s: isin(inter_code(s, lk), [str(i) for i in range(0, 9)])),
        check("inter2_matches_actor2", "inter2",
              "inter2 must be 0/empty exactly when there is no actor2",
              lambda df: empty(df["actor2"]) == (inter_code(df["inter2"], lk) == "0"),
              cols=("actor2", "inter2")),
        check("interaction_rule", "interaction",
              "interaction must follow ACLED's rule: inter1*10 without a second actor, "
              "else lower code*10 + higher code",
              lambda df: interaction_ok(df, lk), cols=("inter1", "inter2", "interaction")),
        col_check("geo_precision_valid", "geo_precision", "geo_precision must be 1, 2 or 3",
                  lambda s: isin(s, ("1", "2", "3"))),
        *coords_checks("", "latitude", "longitude", allow_empty=False),
        col_check("fatalities_valid", "fatalities", "fatalities must be a whole number >= 0 and <= 2147483647 (the store's INTEGER)",
                  lambda s: store_int(s)),
        col_check("actor1_present", "actor1", "actor1 must not be empty",
                  lambda s: ~empty(s), distinct=False),
    ]
    if "disorder_type" in have:
        checks += [
            col_check("disorder_type_valid", "disorder_type",
                      "disorder_type must be one of ACLED's disorder types (spelling matters)",
                      lambda s: isin(s, lk.disorder_types)),
            check("disorder_type_matches", "disorder_type",
                  "disorder_type must be the one ACLED gives this sub_event_type",
                  lambda df: _disorder_matches(df, lk),
                  cols=("event_type", "sub_event_type", "disorder_type")),
        ]
    if "civilian_targeting" in have:
        checks.append(col_check("civilian_targeting_valid", "civilian_targeting",
                                "civilian_targeting must be empty or 'Civilian targeting'",
                                lambda s: isin(s, ("", "Civilian targeting"))))
    if "iso" in have:
        checks.append(check("iso_matches_country", "iso",
                            "iso (ISO 3166 numeric) must be the code of the named country",
                            lambda df: _iso_matches(df, lk), cols=("iso", "country")))
    if "timestamp" in have:
        checks.append(col_check("timestamp_valid", "timestamp",
                                "timestamp must be a Unix time in seconds (or empty)",
                                lambda s: is_int(s, allow_empty=True)))
    return make_schema("acled", COLUMNS, REQUIRED, checks, description="ACLED standard export (2019-2024 variants)")


def _year_matches(df: pd.DataFrame) -> pd.Series:
    year = parse_dates(df["event_date"], DATE_FORMATS).dt.year
    return (year.isna() | (num(df["year"]) == year)).fillna(False).astype(bool)


def _disorder_matches(df: pd.DataFrame, lk) -> pd.Series:  # type: ignore[no-untyped-def]
    pair = df["event_type"] + "|" + df["sub_event_type"]
    expected = pair.map(lk.pair_disorder)
    known = expected.notna() & df["disorder_type"].isin(lk.disorder_types)
    return ~known | (df["disorder_type"] == expected)


def _iso_matches(df: pd.DataFrame, lk) -> pd.Series:  # type: ignore[no-untyped-def]
    got = df["iso"].str.lstrip("0").replace("", "0").map(_ISO_NUM)
    expected = df["country"].map(lk.country_iso3)
    return (got.isna() | expected.isna() | (got == expected)).astype(bool)


def to_canonical(df: pd.DataFrame, cb: Codebook | None = None) -> pd.DataFrame:
    """ACLED rows -> the canonical event table (`coding.schemas.CANONICAL_COLUMNS`)."""
    from coding.sources.events import finish_canonical

    lk = lookups(cb or load_codebook())
    get = lambda c: df[c] if c in df.columns else pd.Series("", index=df.index)  # noqa: E731
    out = pd.DataFrame(index=df.index)
    out["dataset"] = "acled"
    out["event_id"] = df["event_id_cnty"]
    out["event_date"] = parse_dates(df["event_date"], DATE_FORMATS)
    for c in ("time_precision", "disorder_type", "event_type", "sub_event_type", "actor1", "actor2",
              "civilian_targeting", "country", "admin1", "admin2", "location", "latitude",
              "longitude", "geo_precision", "fatalities"):
        out[c] = get(c)
    out["inter1"] = inter_code(get("inter1"), lk)
    out["inter2"] = inter_code(get("inter2"), lk)
    out["interaction"] = pd.Series(
        pd.to_numeric(
            _numeric_interaction(out["inter1"], out["inter2"]), errors="coerce"
        ), index=df.index)
    return finish_canonical(out)


def _numeric_interaction(i1: pd.Series, i2: pd.Series) -> pd.Series:
    from coding.schemas import interaction_expected

    return interaction_expected(i1, i2)


__all__ = ["NAME", "KEY", "COLUMNS", "REQUIRED", "read", "schema", "to_canonical"]
