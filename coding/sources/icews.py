"""ICEWS events in the Dataverse tab format: reader, pandera schema, canonical mapping.

The Dataverse files are tab-separated with a header, write `NA` for missing values, and give
the CAMEO code as text with its leading zero ("040"). `Intensity` is the ICEWS Goldstein value
of the code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coding.codebook import Codebook, load_codebook
from coding.schemas import (
    INT32_MIN, check, col_check, date_ok, empty, in_range, is_int, isin, lookups, store_int,
    mapped_equals, parse_dates, make_schema, unique,
)
from coding.sources import Table, read_table

NAME = "icews"
KEY = "Event ID"
COLUMNS = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
    "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
    "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude",
    "Longitude",
)
REQUIRED = ("Event ID", "Event Date", "Source Name", "CAMEO Code", "Intensity", "Target Name",
            "Latitude", "Longitude")
MISSING = "NA"


def read(path: str | Path) -> Table:
    """Read an ICEWS tab file as strings (NA stays as written; checks treat it as missing)."""
    return read_table(path, header=True)


def _na(s: pd.Series) -> pd.Series:
    return s.where(s != MISSING, "")


def schema(cb: Codebook | None = None, columns: list[str] | None = None) -> pa.DataFrameSchema:
    """The `icews` schema (Dataverse tab format)."""
    lk = lookups(cb or load_codebook())
    checks: list[pa.Check] = [
        col_check("event_id_valid", "Event ID", "Event ID must be a whole number",
                  lambda s: is_int(s)),
        check("event_id_date_unique", "Event ID", "Event ID + Event Date must be unique",
              lambda df: unique(df, ["Event ID", "Event Date"])),
        col_check("event_date_valid", "Event Date",
                  "Event Date must be a real date (YYYY-MM-DD) and not in the future",
                  lambda s: date_ok(s)),
        col_check("cameo_code_valid", "CAMEO Code",
                  "CAMEO Code must be a CAMEO event code in the codebook, with its leading zero ('040')",
                  lambda s: isin(s, lk.cameo_codes)),
        col_check("intensity_range", "Intensity", "Intensity must be a number between -10 and 10",
                  lambda s: in_range(s, -10, 10)),
        check("intensity_matches_code", "Intensity",
              "Intensity must be the ICEWS Goldstein value of the CAMEO Code",
              lambda df: mapped_equals(df["CAMEO Code"], lk.cameo_goldstein_icews, df["Intensity"]),
              cols=("CAMEO Code", "Intensity")),
        col_check("source_name_present", "Source Name", "Source Name must not be empty",
                  lambda s: ~empty(_na(s)), distinct=False),
        col_check("target_name_present", "Target Name", "Target Name must not be empty",
                  lambda s: ~empty(_na(s)), distinct=False),
        col_check("latitude_range", "Latitude", "Latitude must be a number between -90 and 90, or NA",
                  lambda s: in_range(_na(s), -90, 90, allow_empty=True)),
        col_check("longitude_range", "Longitude", "Longitude must be a number between -180 and 180, or NA",
                  lambda s: in_range(_na(s), -180, 180, allow_empty=True)),
    ]
    have = set(columns) if columns is not None else set(COLUMNS)
    for c in ("Story ID", "Sentence Number"):
        if c in have:
            checks.append(col_check(f"{c.lower().replace(' ', '_')}_valid", c,
                                    f"{c} must be a whole number, or NA",
                                    lambda s: is_int(_na(s), allow_empty=True)))
    if "Sentence Number" in have:  # becomes sentence_index, an INTEGER column in the store
        checks.append(col_check("sentence_number_in_range", "Sentence Number",
                                "Sentence Number must be from -2147483648 to 2147483647 (the store's INTEGER), or NA",
                                lambda s: store_int(_na(s), lo=INT32_MIN) | empty(_na(s))))
    return make_schema("icews", COLUMNS, REQUIRED, checks, description="ICEWS Dataverse tab format")


def to_canonical(df: pd.DataFrame, cb: Codebook | None = None) -> pd.DataFrame:
    """ICEWS rows -> the canonical event table."""
    from coding.sources.events import finish_canonical

    lk = lookups(cb or load_codebook())
    code = df["CAMEO Code"]
    out = pd.DataFrame(index=df.index)
    out["dataset"] = "icews"
    out["event_id"] = df["Event ID"]
    out["passage_id"] = df.get("Story ID", "")
    out["sentence_index"] = df.get("Sentence Number", "")
    out["event_date"] = parse_dates(df["Event Date"])
    out["time_precision"] = "1"
    out["cameo_code"] = code
    out["cameo_root"] = code.str[:2]
    out["quad_class"] = code.map(lk.cameo_quad)
    out["goldstein"] = df["Intensity"]
    out["actor1"] = df["Source Name"]
    out["actor2"] = df["Target Name"]
    for src, dst in (("Country", "country"), ("Province", "admin1"), ("District", "admin2"),
                     ("City", "location"), ("Latitude", "latitude"), ("Longitude", "longitude")):
        out[dst] = _na(df[src]) if src in df.columns else ""
    return finish_canonical(out.replace({MISSING: ""}))
