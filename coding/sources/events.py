"""evcode's own event records: reader, pandera schema and the canonical mapping (identity).

Fields that only ACLED uses may be empty: a purely verbal CAMEO event (a statement, an appeal)
has no ACLED event_type, and then sub_event_type and disorder_type must be empty too. Extra
columns (passage_length, mode, ...) are tolerated; `passage_length`, when present, bounds the
spans.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from coding.codebook import Codebook, load_codebook
from coding.schemas import (
    CANONICAL_COLUMNS, CANONICAL_DTYPES, EVENT_COLUMNS, check, col_check, coords_checks, date_ok,
    empty, in_bbox, interaction_ok, inter_code, isin, store_int, lookups, mapped_equals, num,
    make_schema, unique,
)
from coding.sources import Table, read_table

NAME = "events"
KEY = "event_id"
COLUMNS = EVENT_COLUMNS
REQUIRED = EVENT_COLUMNS
DATE_FORMATS = ("%Y-%m-%d",)


def read(path: str | Path) -> Table:
    """Read an evcode output file (CSV/TSV/JSONL/Parquet) as strings."""
    return read_table(path, header=True)


def schema(cb: Codebook | None = None, columns: list[str] | None = None) -> pa.DataFrameSchema:
    """The `events` schema: evcode's event record, checked against the codebook."""
    lk = lookups(cb or load_codebook())
    have = set(columns) if columns is not None else set(COLUMNS)
    codes = lk.cameo_codes
    inter_any = [str(i) for i in range(0, 9)]

    def spans_ok(df: pd.DataFrame) -> pd.Series:
        a, b = num(df["span_start"]), num(df["span_end"])
        ok = store_int(df["span_start"]) & store_int(df["span_end"]) & (a <= b)
        if "passage_length" in df.columns:
            length = num(df["passage_length"])
            ok &= length.isna() | (b <= length)
        return ok.fillna(False).astype(bool)

    def acled_empty_ok(df: pd.DataFrame) -> pd.Series:
        none = empty(df["event_type"])
        return ~none | (empty(df["sub_event_type"]) & empty(df["disorder_type"]))

    def pair_ok(df: pd.DataFrame) -> pd.Series:
        et = df["event_type"]
        return ~et.isin(lk.event_types) | (et + "|" + df["sub_event_type"]).isin(lk.pairs)

    def disorder_ok(df: pd.DataFrame) -> pd.Series:
        d = df["disorder_type"]
        expected = (df["event_type"] + "|" + df["sub_event_type"]).map(lk.pair_disorder)
        return empty(d) | expected.isna() | (d == expected)

    def goldstein_ok(df: pd.DataFrame) -> pd.Series:
        c = df["cameo_code"]
        return mapped_equals(c, lk.cameo_goldstein, df["goldstein"]) | mapped_equals(
            c, lk.cameo_goldstein_icews, df["goldstein"])

    def inter2_ok(df: pd.DataFrame) -> pd.Series:
        no_actor = empty(df["actor2"])
        code = inter_code(df["inter2"], lk)
        return ~(no_actor & (code != "0")) | empty(df["event_type"])

    def coords_pair(df: pd.DataFrame) -> pd.Series:
        return empty(df["latitude"]) == empty(df["longitude"])

    checks: list[pa.Check] = [
        check("event_id_unique", "event_id", "event_id must be present and unique",
              lambda df: unique(df, ["event_id"])),
        col_check("passage_id_present", "passage_id", "passage_id must not be empty",
                  lambda s: ~empty(s), distinct=False),
        col_check("sentence_index_valid", "sentence_index", "sentence_index must be a whole number >= 0 and <= 2147483647 (the store's INTEGER)",
                  lambda s: store_int(s)),
        check("span_valid", "span_end",
              "span_start/span_end must be whole numbers with 0 <= start <= end <= passage length",
              spans_ok, cols=("span_start", "span_end"), optional=("passage_length",)),
        col_check("event_date_valid", "event_date",
                  "event_date must be a real date (YYYY-MM-DD) and not in the future, or empty",
                  lambda s: date_ok(s, DATE_FORMATS, allow_empty=True)),
        col_check("time_precision_valid", "time_precision", "time_precision must be 1, 2 or 3",
                  lambda s: isin(s, ("1", "2", "3"), allow_empty=True)),
        col_check("cameo_code_valid", "cameo_code",
                  "cameo_code must be a CAMEO event code in the codebook, as a string with its leading zero ('042')",
                  lambda s: isin(s, codes)),
        check("cameo_root_prefix", "cameo_root", "cameo_root must be the first two digits of cameo_code",
              lambda df: df["cameo_root"] == df["cameo_code"].str[:2], cols=("cameo_root", "cameo_code")),
        check("quad_class_matches", "quad_class", "quad_class must be the codebook's quad class of cameo_code",
              lambda df: ~df["cameo_code"].isin(codes) | (df["quad_class"] == df["cameo_code"].map(lk.cameo_quad)),
              cols=("cameo_code", "quad_class")),
        check("goldstein_matches", "goldstein",
              "goldstein must be the codebook's Goldstein value of cameo_code (GDELT or ICEWS table)",
              goldstein_ok, cols=("cameo_code", "goldstein")),
        col_check("event_type_valid", "event_type",
                  "event_type must be one of ACLED's event types, or empty for a non-ACLED event",
                  lambda s: isin(s, lk.event_types, allow_empty=True)),
        check("sub_event_type_valid", "sub_event_type",
              "sub_event_type must be one of the sub-event types of its event_type", pair_ok,
              cols=("event_type", "sub_event_type")),
        check("acled_fields_empty_together", "sub_event_type",
              "when event_type is empty, sub_event_type and disorder_type must be empty too",
              acled_empty_ok, cols=("event_type", "sub_event_type", "disorder_type")),
        col_check("disorder_type_valid", "disorder_type",
                  "disorder_type must be one of ACLED's disorder types, or empty",
                  lambda s: isin(s, lk.disorder_types, allow_empty=True)),
        check("disorder_type_matches", "disorder_type",
              "disorder_type must be the one the codebook gives this sub_event_type", disorder_ok,
              cols=("event_type", "sub_event_type", "disorder_type")),
        col_check("inter1_valid", "inter1", "inter1 must be an inter code 0-8, or empty",
                  lambda s: isin(s, inter_any, allow_empty=True)),
        col_check("inter2_valid", "inter2", "inter2 must be an inter code 0-8, or empty",
                  lambda s: isin(s, inter_any, allow_empty=True)),
        check("inter2_matches_actor2", "inter2", "inter2 must be 0 or empty when there is no actor2",
              inter2_ok, cols=("actor2", "inter2", "event_type")),
        check("interaction_rule", "interaction",
              "interaction must follow ACLED's rule: inter1*10 without a second actor, "
              "else lower code*10 + higher code",
              lambda df: empty(df["inter1"]) & empty(df["interaction"]) | interaction_ok(df, lk),
              cols=("inter1", "inter2", "interaction")),
        col_check("civilian_targeting_valid", "civilian_targeting",
                  "civilian_targeting must be empty or 'Civilian targeting'",
                  lambda s: isin(s, ("", "Civilian targeting"))),
        *coords_checks("", "latitude", "longitude", allow_empty=True),
        check("coordinates_paired", "longitude", "latitude and longitude must both be given or both be empty",
              coords_pair, cols=("latitude", "longitude")),
        check("coordinates_in_country", "latitude",
              "latitude/longitude must lie inside the bounding box of the stated country",
              lambda df: in_bbox(df, lk, "country", "latitude", "longitude"),
              cols=("country", "latitude", "longitude")),
        col_check("geo_precision_valid", "geo_precision", "geo_precision must be 1, 2 or 3, or empty",
                  lambda s: isin(s, ("1", "2", "3"), allow_empty=True)),
        col_check("fatalities_valid", "fatalities", "fatalities must be a whole number >= 0 and <= 2147483647 (the store's INTEGER), or empty",
                  lambda s: store_int(s) | empty(s)),
        col_check("rule_id_present", "rule_id", "rule_id must not be empty (every event names its rule)",
                  lambda s: ~empty(s), distinct=False),
        col_check("codebook_version_present", "codebook_version", "codebook_version must not be empty",
                  lambda s: ~empty(s), distinct=False),
    ]
    del have  # every events column is required; extra columns are tolerated
    return make_schema("events", COLUMNS, REQUIRED, checks, description="evcode event records")


def finish_canonical(out: pd.DataFrame) -> pd.DataFrame:
    """Add missing canonical columns (empty), order them, and cast to `CANONICAL_DTYPES`."""
    for c in CANONICAL_COLUMNS:
        if c not in out.columns:
            out[c] = ""
    out = out[list(CANONICAL_COLUMNS)].copy()
    for c in CANONICAL_COLUMNS:
        kind = CANONICAL_DTYPES[c]
        s = out[c]
        if kind == "Int64":
            out[c] = pd.to_numeric(s.replace("", np.nan) if s.dtype != float else s,
                                   errors="coerce").round().astype("Int64")
        elif kind == "Float64":
            out[c] = pd.to_numeric(s.replace("", np.nan) if s.dtype != float else s,
                                   errors="coerce").astype("Float64")
        elif kind.startswith("datetime"):
            out[c] = pd.to_datetime(s, errors="coerce").astype(kind)
        else:
            out[c] = s.fillna("").astype(str).astype("string")
    return out.reset_index(drop=True)


def to_canonical(df: pd.DataFrame, cb: Codebook | None = None) -> pd.DataFrame:
    """evcode rows -> the canonical table: the same columns, typed, with dataset='evcode'."""
    out = df.copy()
    out["event_date"] = pd.to_datetime(out["event_date"], format="%Y-%m-%d", errors="coerce")
    out["dataset"] = df["dataset"] if "dataset" in df.columns else "evcode"
    return finish_canonical(out)
