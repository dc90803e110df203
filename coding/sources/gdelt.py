"""GDELT 1.0 and 2.0 event tables (headerless TSV): readers, pandera schemas, canonical mapping.

GDELT 1.0 daily files have 58 fields (57 in the historical backfiles, without SOURCEURL);
GDELT 2.0 has 61 (ADM2 codes for each geography, DATEADDED as YYYYMMDDHHMMSS). Files exported
with a header row (BigQuery) are read too. `GDELT1` and `GDELT2` are the two formats; they share
the checks: EventCode/EventBaseCode/EventRootCode consistency, QuadClass from the root,
GoldsteinScale from the code (GDELT's table in the codebook).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coding.codebook import Codebook, load_codebook
from coding.errors import InputError
from coding.schemas import (
    check, col_check, date_ok, in_range, is_int, isin, lookups, mapped_equals, num,
    parse_dates, make_schema, unique,
)
from coding.sources import Table, read_table

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
_HEAD = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
         *(f"Actor1{f}" for f in _ACTOR), *(f"Actor2{f}" for f in _ACTOR),
         "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
         "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")


def _geo(prefix: str, adm2: bool) -> tuple[str, ...]:
    return (f"{prefix}_Type", f"{prefix}_FullName", f"{prefix}_CountryCode", f"{prefix}_ADM1Code",
            *((f"{prefix}_ADM2Code",) if adm2 else ()), f"{prefix}_Lat", f"{prefix}_Long",
            f"{prefix}_FeatureID")


COLUMNS1 = (*_HEAD, *_geo("Actor1Geo", False), *_geo("Actor2Geo", False), *_geo("ActionGeo", False),
            "DATEADDED", "SOURCEURL")
COLUMNS2 = (*_HEAD, *_geo("Actor1Geo", True), *_geo("Actor2Geo", True), *_geo("ActionGeo", True),
            "DATEADDED", "SOURCEURL")
REQUIRED = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "EventCode",
            "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
            "NumSources", "NumArticles", "AvgTone")
GEOS = ("Actor1Geo", "Actor2Geo", "ActionGeo")
KEY = "GLOBALEVENTID"


def _base(code: pd.Series) -> pd.Series:
    return code.str[:3]


def _schema(version: int, cb: Codebook | None, columns: list[str] | None) -> pa.DataFrameSchema:
    lk = lookups(cb or load_codebook())
    all_cols = COLUMNS1 if version == 1 else COLUMNS2
    have = set(columns) if columns is not None else set(all_cols)
    added_len = 8 if version == 1 else 14
    quad_of_root = {c: q for c, q in lk.cameo_quad.items() if len(c) == 2}
    checks: list[pa.Check] = [
        check("globaleventid_unique", "GLOBALEVENTID", "GLOBALEVENTID must be a whole number and unique",
              lambda df: unique(df, ["GLOBALEVENTID"]) & is_int(df["GLOBALEVENTID"])),
        col_check("sqldate_valid", "SQLDATE", "SQLDATE must be a real date YYYYMMDD, not in the future",
                  lambda s: date_ok(s, ("%Y%m%d",))),
        check("monthyear_matches_date", "MonthYear", "MonthYear must be the YYYYMM of SQLDATE",
              lambda df: df["MonthYear"] == df["SQLDATE"].str[:6], cols=("MonthYear", "SQLDATE")),
        check("year_matches_date", "Year", "Year must be the YYYY of SQLDATE",
              lambda df: df["Year"] == df["SQLDATE"].str[:4], cols=("Year", "SQLDATE")),
        col_check("event_code_valid", "EventCode",
                  "EventCode must be a CAMEO event code in the codebook, with its leading zero ('042')",
                  lambda s: isin(s, lk.cameo_codes)),
        check("event_base_code_matches", "EventBaseCode",
              "EventBaseCode must be the first three digits of EventCode",
              lambda df: df["EventBaseCode"] == _base(df["EventCode"]), cols=("EventBaseCode", "EventCode")),
        check("event_root_code_matches", "EventRootCode",
              "EventRootCode must be the first two digits of EventCode",
              lambda df: df["EventRootCode"] == df["EventCode"].str[:2], cols=("EventRootCode", "EventCode")),
        check("quad_class_matches", "QuadClass", "QuadClass must be the quad class of EventRootCode",
              lambda df: df["EventRootCode"].map(quad_of_root).isna()
              | (df["QuadClass"] == df["EventRootCode"].map(quad_of_root)), cols=("EventRootCode", "QuadClass")),
        check("goldstein_matches", "GoldsteinScale",
              "GoldsteinScale must be GDELT's Goldstein value of EventCode",
              lambda df: mapped_equals(df["EventCode"], lk.cameo_goldstein, df["GoldsteinScale"]),
              cols=("EventCode", "GoldsteinScale")),
        col_check("is_root_event_valid", "IsRootEvent", "IsRootEvent must be 0 or 1",
                  lambda s: isin(s, ("0", "1"))),
        *(col_check(f"{c.lower()}_valid", c, f"{c} must be a whole number >= 0",
                    lambda s: is_int(s) & (num(s) >= 0)) for c in ("NumMentions", "NumSources", "NumArticles")),
        col_check("avg_tone_range", "AvgTone", "AvgTone must be a number between -100 and 100",
                  lambda s: in_range(s, -100, 100)),
    ]
    for g in GEOS:
        if f"{g}_Type" in have:
            checks += [
                col_check(f"{g.lower()}_type_valid", f"{g}_Type", f"{g}_Type must be 0-5 or empty",
                          lambda s: isin(s, ("0", "1", "2", "3", "4", "5"), allow_empty=True)),
                col_check(f"{g.lower()}_lat_range", f"{g}_Lat", f"{g}_Lat must be between -90 and 90, or empty",
                          lambda s: in_range(s, -90, 90, allow_empty=True)),
                col_check(f"{g.lower()}_long_range", f"{g}_Long",
                          f"{g}_Long must be between -180 and 180, or empty",
                          lambda s: in_range(s, -180, 180, allow_empty=True)),
            ]
    if "DATEADDED" in have:
        fmt = "YYYYMMDD" if version == 1 else "YYYYMMDDHHMMSS"
        checks.append(col_check(f"dateadded_valid_v{version}", "DATEADDED",
                                f"DATEADDED must be {fmt} (GDELT {version}.0)",
                                lambda s: s.str.fullmatch(rf"\d{{{added_len}}}", na=False)
                                & date_ok(s.str[:8], ("%Y%m%d",))))
    return make_schema(f"gdelt{version}", all_cols, REQUIRED, checks, description=f"GDELT {version}.0 event table")


@dataclass(frozen=True)
class GdeltFormat:
    """One GDELT event-table version; has the same interface as the other format modules."""

    version: int

    @property
    def NAME(self) -> str:  # noqa: N802 - same attribute names as the format modules
        return f"gdelt{self.version}"

    KEY = KEY
    REQUIRED = REQUIRED

    @property
    def COLUMNS(self) -> tuple[str, ...]:  # noqa: N802
        return COLUMNS1 if self.version == 1 else COLUMNS2

    def read(self, path: str | Path) -> Table:
        """Read a GDELT event file (headerless TSV as published, or with a header row)."""
        return self.name_columns(read_table(path))

    def name_columns(self, table: Table) -> Table:
        """Give a headerless table GDELT's column names (57/58 fields for 1.0, 61 for 2.0)."""
        if table.has_header:
            return table
        n = table.frame.shape[1]
        cols = self.COLUMNS
        if n == len(cols) - 1 and self.version == 1:
            cols = cols[:-1]  # historical 1.0 backfiles have no SOURCEURL
        if n != len(cols):
            raise InputError(f"{table.path}: {n} fields per row, GDELT {self.version}.0 has {len(cols)}; "
                             f"check the file is a GDELT {self.version}.0 event table or pick another --schema")
        table.frame.columns = list(cols)
        return table

    def schema(self, cb: Codebook | None = None, columns: list[str] | None = None) -> pa.DataFrameSchema:
        """The pandera schema of this GDELT version."""
        return _schema(self.version, cb, columns)

    def to_canonical(self, df: pd.DataFrame, cb: Codebook | None = None) -> pd.DataFrame:
        """GDELT rows -> the canonical event table (country = GDELT's FIPS country code)."""
        from coding.sources.events import finish_canonical

        get = lambda c: df[c] if c in df.columns else ""  # noqa: E731
        out = pd.DataFrame(index=df.index)
        out["dataset"] = self.NAME
        out["event_id"] = df["GLOBALEVENTID"]
        out["event_date"] = parse_dates(df["SQLDATE"], ("%Y%m%d",))
        out["time_precision"] = "1"
        out["cameo_code"] = df["EventCode"]
        out["cameo_root"] = df["EventRootCode"]
        out["quad_class"] = df["QuadClass"]
        out["goldstein"] = df["GoldsteinScale"]
        for n in ("1", "2"):
            out[f"actor{n}"] = get(f"Actor{n}Name")
            out[f"actor{n}_code"] = get(f"Actor{n}Code")
        out["country"] = get("ActionGeo_CountryCode")
        out["admin1"] = get("ActionGeo_ADM1Code")
        out["admin2"] = get("ActionGeo_ADM2Code")
        out["location"] = get("ActionGeo_FullName")
        out["latitude"] = get("ActionGeo_Lat")
        out["longitude"] = get("ActionGeo_Long")
        return finish_canonical(out)


GDELT1 = GdeltFormat(1)
GDELT2 = GdeltFormat(2)
