"""Hypothesis strategies for event data (shared by the property tests; append freely).

Every strategy draws rows that a schema in `coding.schemas` accepts, built from the codebook
(codes, Goldstein values, ACLED type pairs, country bounding boxes). `MUTATIONS` lists, per
schema, single-cell changes that make a row invalid and the check that must say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import pycountry
from hypothesis import strategies as st

from coding.codebook import load_codebook
from coding.schemas import lookups
from coding.sources import module

# Our own sentences for the scale tests (written for them): events, non-events, dates, places.
SCALE_SENTENCES = [
    "Syrian troops shelled rebel positions near Hama on Monday.",
    "Rebels attacked an army checkpoint in Idlib, killing four soldiers.",
    "Hundreds of teachers protested outside the parliament in Baghdad on Sunday.",
    "Police arrested twelve demonstrators in Cairo.",
    "The weather was mild and the markets were calm.",
    "Government forces and militants clashed near Mosul on Tuesday.",
]

CB = load_codebook()
LK = lookups(CB)
CODES = CB.table("cameo/event_codes")
TYPES = CB.table("acled/event_types")
INTER = CB.table("acled/inter_codes")
COUNTRIES = CB.table("actors/countries")
# Countries whose bounding box is known and whose name maps back to them (names are unique keys).
COUNTRIES = COUNTRIES[(COUNTRIES["min_lat"] != "") & (COUNTRIES["acled_name"] != "")]
COUNTRIES = COUNTRIES[COUNTRIES["acled_name"].map(LK.country_iso3) == COUNTRIES["iso3"]]
_ISO_NUM = {c.alpha_3: c.numeric.lstrip("0") for c in pycountry.countries}

TODAY = dt.date.today()
dates = st.dates(min_value=dt.date(1997, 1, 1), max_value=TODAY - dt.timedelta(days=1))
words = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs"]), min_size=1,
                max_size=20).map(str.strip).filter(lambda w: w not in ("", "NA"))
cameo_rows = st.sampled_from(CODES.to_dict("records"))
acled_pairs = st.sampled_from(TYPES.to_dict("records"))
countries = st.sampled_from(COUNTRIES.to_dict("records"))


def interaction(i1: int, i2: int) -> int:
    """ACLED's interaction rule (the oracle the schemas are tested against)."""
    return i1 * 10 if i2 == 0 else min(i1, i2) * 10 + max(i1, i2)


@st.composite
def point_in(draw: st.DrawFn, country: dict[str, str]) -> tuple[str, str]:
    lo_y, hi_y = float(country["min_lat"]), float(country["max_lat"])
    lo_x, hi_x = float(country["min_lon"]), float(country["max_lon"])
    y = draw(st.floats(lo_y, hi_y, allow_nan=False))
    x = draw(st.floats(lo_x, hi_x, allow_nan=False))
    return f"{y:.4f}", f"{x:.4f}"


@st.composite
def acled_row(draw: st.DrawFn) -> dict[str, str]:
    d = draw(dates)
    pair = draw(acled_pairs)
    country = draw(countries)
    i1 = draw(st.integers(1, 8))
    has2 = draw(st.booleans())
    i2 = draw(st.integers(1, 8)) if has2 else 0
    lat, lon = draw(point_in(country))
    return {
        "event_id_cnty": "", "event_date": d.isoformat(), "year": str(d.year),
        "time_precision": draw(st.sampled_from("123")), "disorder_type": pair["disorder_type"],
        "event_type": pair["event_type"], "sub_event_type": pair["sub_event_type"],
        "actor1": draw(words), "assoc_actor_1": "", "inter1": str(i1),
        "actor2": draw(words) if has2 else "", "assoc_actor_2": "", "inter2": str(i2),
        "interaction": str(interaction(i1, i2)),
        "civilian_targeting": draw(st.sampled_from(["", "Civilian targeting"])),
        "iso": _ISO_NUM.get(country["iso3"], ""), "region": country.get("region", ""),
        "country": country["acled_name"], "admin1": draw(words), "admin2": "", "admin3": "",
        "location": draw(words), "latitude": lat, "longitude": lon,
        "geo_precision": draw(st.sampled_from("123")), "source": draw(words),
        "source_scale": "National", "notes": draw(words),
        "fatalities": str(draw(st.integers(0, 500))), "tags": "", "timestamp": "1650000000",
    }


@st.composite
def icews_row(draw: st.DrawFn) -> dict[str, str]:
    code = draw(cameo_rows)
    lat, lon = draw(point_in(draw(countries)))
    na = draw(st.booleans())
    return {
        "Event ID": "", "Event Date": draw(dates).isoformat(), "Source Name": draw(words),
        "Source Sectors": "Government", "Source Country": draw(words), "Event Text": code["name"],
        "CAMEO Code": code["code"], "Intensity": code["goldstein_icews"], "Target Name": draw(words),
        "Target Sectors": "NA", "Target Country": "NA", "Story ID": str(draw(st.integers(1, 10**8))),
        "Sentence Number": str(draw(st.integers(1, 40))), "Publisher": draw(words),
        "City": "NA", "District": "NA", "Province": "NA", "Country": "NA" if na else draw(words),
        "Latitude": "NA" if na else lat, "Longitude": "NA" if na else lon,
    }


def gdelt_row(version: int) -> st.SearchStrategy[dict[str, str]]:
    cols = module(f"gdelt{version}").COLUMNS

    @st.composite
    def row(draw: st.DrawFn) -> dict[str, str]:
        code = draw(cameo_rows.filter(lambda r: len(r["code"]) >= 3))
        d = draw(dates)
        out = {c: "" for c in cols}
        added = d.strftime("%Y%m%d") + ("" if version == 1 else "120000")
        out.update({
            "SQLDATE": d.strftime("%Y%m%d"), "MonthYear": d.strftime("%Y%m"), "Year": str(d.year),
            "FractionDate": f"{d.year + (d.month * 30 + d.day) / 365:.4f}",
            "Actor1Code": draw(st.sampled_from(["SYR", "SYRMIL", "USAGOV", ""])),
            "Actor1Name": draw(words), "IsRootEvent": draw(st.sampled_from("01")),
            "EventCode": code["code"], "EventBaseCode": code["code"][:3], "EventRootCode": code["root"],
            "QuadClass": code["quad_class"], "GoldsteinScale": code["goldstein"],
            "NumMentions": str(draw(st.integers(1, 50))), "NumSources": "1", "NumArticles": "1",
            "AvgTone": f"{draw(st.floats(-100, 100, allow_nan=False)):.3f}",
            "ActionGeo_Type": draw(st.sampled_from("012345")),
            "ActionGeo_Lat": f"{draw(st.floats(-90, 90)):.4f}",
            "ActionGeo_Long": f"{draw(st.floats(-180, 180)):.4f}",
            "DATEADDED": added, "SOURCEURL": "https://example.org/a",
        })
        return out

    return row()


@st.composite
def events_row(draw: st.DrawFn) -> dict[str, str]:
    code = draw(cameo_rows)
    acled = draw(st.booleans())
    country = draw(countries)
    lat, lon = draw(point_in(country))
    start = draw(st.integers(0, 300))
    end = start + draw(st.integers(0, 200))
    row = {
        "event_id": "", "passage_id": draw(words), "sentence_index": str(draw(st.integers(0, 30))),
        "span_start": str(start), "span_end": str(end), "event_date": draw(dates).isoformat(),
        "time_precision": draw(st.sampled_from("123")), "cameo_code": code["code"],
        "cameo_root": code["root"], "quad_class": code["quad_class"],
        "goldstein": draw(st.sampled_from([code["goldstein"], code["goldstein_icews"]])),
        "disorder_type": "", "event_type": "", "sub_event_type": "",
        "actor1": draw(words), "actor1_code": "SYRMIL", "actor1_text": draw(words),
        "inter1": "", "actor2": "", "actor2_code": "", "actor2_text": "", "inter2": "",
        "interaction": "", "civilian_targeting": "", "country": country["acled_name"],
        "admin1": "", "admin2": "", "location": "", "latitude": lat, "longitude": lon,
        "geo_precision": draw(st.sampled_from(["1", "2", "3", ""])),
        "fatalities": draw(st.sampled_from(["", "0", "3", "12"])), "rule_id": "test.rule",
        "codebook_version": CB.version, "passage_length": str(end + draw(st.integers(0, 50))),
    }
    if acled:
        pair = draw(acled_pairs)
        i1 = draw(st.integers(1, 8))
        has2 = draw(st.booleans())
        i2 = draw(st.integers(1, 8)) if has2 else 0
        row.update({
            "event_type": pair["event_type"], "sub_event_type": pair["sub_event_type"],
            "disorder_type": pair["disorder_type"], "inter1": str(i1), "inter2": str(i2),
            "actor2": draw(words) if has2 else "", "interaction": str(interaction(i1, i2)),
        })
    return row


ROWS: dict[str, st.SearchStrategy[dict[str, str]]] = {
    "acled": acled_row(), "icews": icews_row(), "gdelt1": gdelt_row(1), "gdelt2": gdelt_row(2),
    "events": events_row(),
}
KEYS = {"acled": "event_id_cnty", "icews": "Event ID", "gdelt1": "GLOBALEVENTID",
        "gdelt2": "GLOBALEVENTID", "events": "event_id"}


def frames(schema: str, min_size: int = 1, max_size: int = 8) -> st.SearchStrategy[pd.DataFrame]:
    """All-string frames of valid rows for `schema`, with unique keys."""

    def build(rows: list[dict[str, str]]) -> pd.DataFrame:
        df = pd.DataFrame(rows, dtype=str)
        key = KEYS[schema]
        df[key] = [str(1000 + i) if schema != "acled" else f"SYR{1000 + i}" for i in range(len(df))]
        return df

    return st.lists(ROWS[schema], min_size=min_size, max_size=max_size).map(build)


# -------------------------------------------------------------------------------------------
# single-cell mutations: (column, new value or fn(row) -> value, checks that may report it)

Value = str | Callable[[dict[str, str]], str]


@dataclass(frozen=True)
class Mutation:
    column: str
    value: Value
    checks: tuple[str, ...]

    def apply(self, row: dict[str, str]) -> str:
        return self.value(row) if callable(self.value) else self.value


def _outside_box(row: dict[str, str]) -> str:
    box = LK.bbox[LK.country_iso3[row["country"]]]
    return f"{box[1] + 5:.4f}" if box[1] + 5 <= 90 else f"{box[0] - 5:.4f}"


def _other_goldstein(column: str) -> Callable[[dict[str, str]], str]:
    return lambda row: str(round(float(row[column]) + 0.5 if float(row[column]) <= 9 else -9.9, 1))


MUTATIONS: dict[str, list[Mutation]] = {
    "acled": [
        Mutation("event_date", "2022-02-30", ("event_date_valid",)),
        Mutation("event_date", (TODAY + dt.timedelta(days=30)).isoformat(), ("event_date_valid",)),
        Mutation("year", "1900", ("year_matches_date",)),
        Mutation("time_precision", "4", ("time_precision_valid",)),
        Mutation("disorder_type", "Demostrations", ("disorder_type_valid",)),
        Mutation("event_type", "Battle", ("event_type_valid",)),
        Mutation("sub_event_type", "Skirmish", ("sub_event_type_valid",)),
        Mutation("inter1", "9", ("inter1_valid",)),
        Mutation("interaction", "99", ("interaction_rule",)),
        Mutation("geo_precision", "0", ("geo_precision_valid",)),
        Mutation("latitude", "91", ("latitude_range",)),
        Mutation("longitude", "-180.5", ("longitude_range",)),
        Mutation("fatalities", "-1", ("fatalities_valid",)),
        Mutation("fatalities", "2.5", ("fatalities_valid",)),
        Mutation("civilian_targeting", "yes", ("civilian_targeting_valid",)),
        Mutation("actor1", "", ("actor1_present",)),
        Mutation("event_id_cnty", "", ("event_id_unique",)),
    ],
    "icews": [
        Mutation("CAMEO Code", "40", ("cameo_code_valid",)),
        Mutation("Intensity", "11", ("intensity_range",)),
        Mutation("Intensity", _other_goldstein("Intensity"), ("intensity_matches_code",)),
        Mutation("Event Date", "2018-13-01", ("event_date_valid",)),
        Mutation("Latitude", "100", ("latitude_range",)),
        Mutation("Event ID", "abc", ("event_id_valid",)),
        Mutation("Source Name", "", ("source_name_present",)),
    ],
    "events": [
        Mutation("cameo_code", "42", ("cameo_code_valid",)),
        Mutation("cameo_root", "99", ("cameo_root_prefix",)),
        Mutation("quad_class", "5", ("quad_class_matches",)),
        Mutation("goldstein", "11", ("goldstein_matches",)),
        Mutation("span_start", "-1", ("span_valid",)),
        Mutation("span_end", "100000", ("span_valid",)),
        Mutation("event_date", "2020-02-30", ("event_date_valid",)),
        Mutation("sub_event_type", "Skirmish", ("sub_event_type_valid", "acled_fields_empty_together")),
        Mutation("inter1", "9", ("inter1_valid",)),
        Mutation("interaction", "99", ("interaction_rule",)),
        Mutation("latitude", "95", ("latitude_range",)),
        Mutation("latitude", _outside_box, ("coordinates_in_country",)),
        Mutation("fatalities", "-3", ("fatalities_valid",)),
        Mutation("rule_id", "", ("rule_id_present",)),
        Mutation("codebook_version", "", ("codebook_version_present",)),
        Mutation("civilian_targeting", "Civilians", ("civilian_targeting_valid",)),
    ],
}
for _v in (1, 2):
    MUTATIONS[f"gdelt{_v}"] = [
        Mutation("EventCode", "42", ("event_code_valid",)),
        Mutation("EventBaseCode", "999", ("event_base_code_matches",)),
        Mutation("EventRootCode", "99", ("event_root_code_matches",)),
        Mutation("QuadClass", "5", ("quad_class_matches",)),
        Mutation("GoldsteinScale", "11", ("goldstein_matches",)),
        Mutation("SQLDATE", "20181301", ("sqldate_valid",)),
        Mutation("MonthYear", "190001", ("monthyear_matches_date",)),
        Mutation("Year", "1900", ("year_matches_date",)),
        Mutation("IsRootEvent", "2", ("is_root_event_valid",)),
        Mutation("NumMentions", "-1", ("nummentions_valid",)),
        Mutation("AvgTone", "101", ("avg_tone_range",)),
        Mutation("ActionGeo_Lat", "95", ("actiongeo_lat_range",)),
        Mutation("DATEADDED", "2018", (f"dateadded_valid_v{_v}",)),
        Mutation("GLOBALEVENTID", "x1", ("globaleventid_unique",)),
    ]


# -- coder strategies: sentences built from codebook actors and rule patterns ---------------------
_ACTOR_PHRASES = [  # (phrase, expected CAMEO actor code): country adjective + agent, as news writes them
    ("Syrian troops", "SYRMIL"), ("Iraqi soldiers", "IRQMIL"), ("Nigerian police", "NGACOP"),
    ("Afghan soldiers", "AFGMIL"), ("Russian troops", "RUSMIL"), ("Turkish soldiers", "TURMIL"),
    ("Kenyan police", "KENCOP"), ("Malian soldiers", "MLIMIL"), ("Yemeni troops", "YEMMIL"),
]
_TARGET_PHRASES = [("Somali rebels", "SOMREB"), ("Pakistani militants", "PAKINS"), ("Colombian rebels", "COLREB"),
                   ("Libyan rebels", "LBYREB"), ("Sudanese rebels", "SDNREB")]


def _is_verb(word: str) -> bool:
    """A verb in its base form ("shell", not "shelled")."""
    from lemminflect import getAllLemmas

    return word in getAllLemmas(word, upos="VERB").get("VERB", ())


def simple_rules() -> list[tuple[str, str, list[list[str]]]]:
    """(rule id, cameo, literal words) of rules with a pattern `{S} w1 .. wn {T}` (plain words only)."""
    out = []
    for r in CB.rules:
        for p in r.get("patterns") or []:
            toks = str(p).split()
            if len(toks) >= 3 and toks[0] == "{S}" and toks[-1] == "{T}":
                mid = toks[1:-1]
                if (all(t.replace("|", "").replace("-", "").isalpha() and t.isascii() for t in mid) and len(mid) <= 3
                        and _is_verb(mid[0].split("|")[0])):
                    alts = [t.split("|") for t in mid]
                    alts[0] = [w for w in alts[0] if _is_verb(w)]
                    out.append((str(r["id"]), str(r["cameo"]), alts))
                    break
    return out


SIMPLE_RULES = simple_rules()


def past_tense(words: list[str]) -> list[str]:
    """Put the first word in the past tense when it is a verb ("shell" -> "shelled")."""
    from lemminflect import getAllLemmas, getInflection

    out = list(words)
    if out and getAllLemmas(out[0], upos="VERB"):
        past = getInflection(out[0], tag="VBD")
        if past:
            out[0] = past[0]
    return out


@st.composite
def rule_sentence(draw: st.DrawFn) -> dict[str, str]:
    """A sentence `<source> <verb phrase in past tense> <target>` from one rule's simple pattern."""
    rid, cameo, words = draw(st.sampled_from(SIMPLE_RULES))
    chosen = past_tense([draw(st.sampled_from(alts)) for alts in words])
    src, src_code = draw(st.sampled_from(_ACTOR_PHRASES))
    tgt, tgt_code = draw(st.sampled_from(_TARGET_PHRASES))
    return {"rule": rid, "cameo": cameo, "text": f"{src} {' '.join(chosen)} {tgt}.",
            "source": src_code, "target": tgt_code}


UNRELATED = ["The weather was mild for the season.", "Markets were closed for the holiday.",
             "The report was published in English and French.", "Schools reopened after the break."]
