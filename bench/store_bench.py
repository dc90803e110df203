"""Store benchmark: load N synthetic events into DuckDB and time every named query.

    python bench/store_bench.py                 # 1,000,000 events (the goal: see bench/README.md)
    python bench/store_bench.py --rows 200000 --threads 2

The events are generated here (numpy, seeded) in evcode's own format, so they pass the `events`
schema; nothing generated is committed. `synthetic_events` also makes the test fixtures
(tests/fixtures/make_fixtures.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# (cameo_code, event_type, sub_event_type, actor1 kind, inter1, actor2 kind, inter2, civilian targeting, violent)
TEMPLATES = [
    ("190", "Battles", "Armed clash", "army", 1, "rebels", 2, "", True),
    ("193", "Battles", "Armed clash", "rebels", 2, "militia", 3, "", True),
    ("194", "Explosions/Remote violence", "Shelling/artillery/missile attack", "army", 1, "rebels", 2, "", True),
    ("195", "Explosions/Remote violence", "Air/drone strike", "army", 1, "rebels", 2, "", True),
    ("1823", "Violence against civilians", "Attack", "unidentified", 3, "civilians", 7, "Civilian targeting", True),
    ("141", "Protests", "Peaceful protest", "protesters", 6, "", 0, "", False),
    ("145", "Riots", "Violent demonstration", "rioters", 5, "", 0, "", False),
    ("173", "Strategic developments", "Arrests", "police", 1, "civilians", 7, "", False),
    ("042", "", "", "government", None, "foreign", None, "", False),
    ("112", "", "", "government", None, "rebels", None, "", False),
]
ACTOR_CODES = {"army": "MIL", "rebels": "REB", "militia": "MIL", "unidentified": "UAF", "civilians": "CVL",
               "protesters": "OPP", "rioters": "OPP", "police": "COP", "government": "GOV", "foreign": ""}
# (country, iso3, admin1, location, latitude, longitude)
PLACES = [
    ("Syria", "SYR", "Idleb", "Idlib", 35.9306, 36.6339),
    ("Syria", "SYR", "Idleb", "Maarrat al-Numan", 35.6476, 36.6744),
    ("Syria", "SYR", "Aleppo", "Aleppo", 36.2021, 37.1343),
    ("Syria", "SYR", "Damascus", "Damascus", 33.5138, 36.2765),
    ("Iraq", "IRQ", "Ninewa", "Mosul", 36.3350, 43.1189),
    ("Iraq", "IRQ", "Baghdad", "Baghdad", 33.3152, 44.3661),
    ("Yemen", "YEM", "Taizz", "Taizz", 13.5795, 44.0209),
    ("Yemen", "YEM", "Aden", "Aden", 12.7855, 45.0187),
    ("Nigeria", "NGA", "Borno", "Maiduguri", 11.8311, 13.1510),
    ("Nigeria", "NGA", "Lagos", "Ikeja", 6.6018, 3.3515),
]
REBELS = {"Syria": "Hayat Tahrir al-Sham", "Iraq": "Islamic State (Iraq)", "Yemen": "Ansar Allah",
          "Nigeria": "Boko Haram - Jamaatu Ahli is-Sunna lid-Dawati wal-Jihad"}
FOREIGN = {"Syria": ("Government of Turkey", "TUR"), "Iraq": ("Government of Iran", "IRN"),
           "Yemen": ("Government of Saudi Arabia", "SAU"), "Nigeria": ("Government of Niger", "NER")}


def _actor(kind: str, country: str, iso: str) -> tuple[str, str]:
    if kind == "":
        return "", ""
    if kind == "rebels":
        return REBELS[country], iso + "REB"
    if kind == "foreign":
        return FOREIGN[country]
    names = {"army": f"Military Forces of {country}", "militia": f"Communal Militia ({country})",
             "unidentified": f"Unidentified Armed Group ({country})", "civilians": f"Civilians ({country})",
             "protesters": f"Protesters ({country})", "rioters": f"Rioters ({country})",
             "police": f"Police Forces of {country}", "government": f"Government of {country}"}
    return names[kind], iso + ACTOR_CODES[kind]


def _combos(cb) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """One row per (template, place): every field that depends only on those two."""
    from coding.schemas import lookups

    lk = lookups(cb)
    rows = []
    for t in TEMPLATES:
        code, et, st, k1, i1, k2, i2, civ, violent = t
        for country, iso, admin1, loc, lat, lon in PLACES:
            a1, c1 = _actor(k1, country, iso)
            a2, c2 = _actor(k2, country, iso)
            if i1 is None:
                inter1 = inter2 = interaction = ""
            else:
                inter1, inter2 = str(i1), str(i2)
                interaction = str(i1 * 10) if not a2 else str(min(i1, i2) * 10 + max(i1, i2))
            rows.append({
                "cameo_code": code, "cameo_root": code[:2], "quad_class": lk.cameo_quad[code],
                "goldstein": f"{lk.cameo_goldstein[code]:.1f}",
                "disorder_type": lk.pair_disorder.get(f"{et}|{st}", "") if et else "",
                "event_type": et, "sub_event_type": st,
                "actor1": a1, "actor1_code": c1, "actor1_text": a1.split(" (")[0].lower(),
                "inter1": inter1, "actor2": a2 if i2 != 0 else "", "actor2_code": c2,
                "actor2_text": a2.split(" (")[0].lower(), "inter2": inter2, "interaction": interaction,
                "civilian_targeting": civ, "country": country, "admin1": admin1, "admin2": "",
                "location": loc, "latitude": f"{lat:.4f}", "longitude": f"{lon:.4f}",
                "geo_precision": "1", "_violent": violent, "_rule": f"bench.{code}",
            })
    return pd.DataFrame(rows)


def synthetic_events(n: int, seed: int = 0, start: str = "2023-01-02", days: int = 365,
                     sites: int = 1, codebook=None) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """`n` evcode event records as strings (what a CSV holds), valid under the `events` schema.

    `sites` > 1 spreads each place over that many villages ("Idlib 17", coordinates jittered
    by up to 0.1 degree), so that places are as many as in real data.
    """
    from coding.codebook import load_codebook

    cb = codebook or load_codebook()
    combos = _combos(cb)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(combos), n)
    df = combos.iloc[pick].reset_index(drop=True)
    base = np.datetime64(start, "D")
    dates = base + rng.integers(0, days, n).astype("timedelta64[D]")
    fat = np.where(df["_violent"].to_numpy(dtype=bool), rng.poisson(2.0, n), 0)
    ids = np.char.add("syn-", np.char.zfill(np.arange(n).astype(str), 8))
    out = pd.DataFrame({
        "event_id": ids,
        "passage_id": np.char.add("p", (np.arange(n) // 2).astype(str)),
        "sentence_index": (np.arange(n) % 2).astype(str),
        "span_start": "0",
        "span_end": rng.integers(40, 300, n).astype(str),
        "event_date": np.datetime_as_string(dates, unit="D"),
        "time_precision": "1",
    })
    for c in ("cameo_code", "cameo_root", "quad_class", "goldstein", "disorder_type", "event_type",
              "sub_event_type", "actor1", "actor1_code", "actor1_text", "inter1", "actor2", "actor2_code",
              "actor2_text", "inter2", "interaction", "civilian_targeting", "country", "admin1", "admin2",
              "location", "latitude", "longitude", "geo_precision"):
        out[c] = df[c].to_numpy()
    if sites > 1:
        site = rng.integers(0, sites, n)
        out["location"] = np.where(site == 0, out["location"].to_numpy(dtype=str),
                                   np.char.add(np.char.add(out["location"].to_numpy(dtype=str), " "),
                                               site.astype(str)))
        jitter = (site * 0.0007) % 0.1
        out["latitude"] = np.char.mod("%.4f", out["latitude"].astype(float).to_numpy() + jitter)
        out["longitude"] = np.char.mod("%.4f", out["longitude"].astype(float).to_numpy() - jitter)
    out["fatalities"] = np.where(df["event_type"].to_numpy() == "", "", fat.astype(str))
    out["rule_id"] = df["_rule"].to_numpy()
    out["codebook_version"] = "synthetic 0"
    out["mode"] = ""
    out["trigger"] = ""
    out["modifier"] = ""
    return out


QUERY_PARAMS = {"type_distribution_vs": {"a": "bench", "b": "bench2"}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads (the goal is stated for 2 cores)")
    ap.add_argument("--keep", help="keep the database at this path")
    args = ap.parse_args(argv)

    from coding.codebook import load_codebook
    from coding.queries import list_queries, run_query
    from coding.store import _canonical, _replace, connect, load_file
    from coding.sources import module

    cb = load_codebook()
    tmp = Path(tempfile.mkdtemp(prefix="evcode-bench-"))
    db = Path(args.keep) if args.keep else tmp / "bench.duckdb"
    print(f"rows={args.rows:,} threads={args.threads} cores={os.cpu_count()}")

    t = time.perf_counter()
    events = synthetic_events(args.rows, seed=1, days=3 * 365, sites=300, codebook=cb)
    src = tmp / "events.parquet"
    events.to_parquet(src, index=False)
    print(f"generate + write parquet   {time.perf_counter() - t:7.2f} s")

    t, c = time.perf_counter(), time.process_time()
    res = load_file(src, schema="events", dataset="bench", db=db, codebook=cb)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    print(f"load_file (read+validate+insert) {dt:7.2f} s  {res.rows / dt:>10,.0f} rows/s  "
          f"(cpu {dc:.2f} s)  rejected={res.rejected}")
    # its parts: read as strings, then the `events` checks (what load_file spends before the store)
    from coding.schemas import get_schema
    from coding.sources import read_table
    from coding.validate import check_frame

    t, c = time.perf_counter(), time.process_time()
    frame = read_table(src).frame
    print(f"  read_table (as strings)  {time.perf_counter() - t:7.2f} s  (cpu {time.process_time() - c:.2f} s)")
    t, c = time.perf_counter(), time.process_time()
    check_frame(frame, get_schema("events", cb, list(frame.columns)), "event_id")
    print(f"  events checks            {time.perf_counter() - t:7.2f} s  (cpu {time.process_time() - c:.2f} s)")
    del frame

    # the store's own part: canonical mapping + one-transaction replace (into a second file, so
    # that the queries below run over 1M rows, not 2M)
    valid = res.validation.valid
    t, c = time.perf_counter(), time.process_time()
    batch = _canonical(valid, module("events"), cb)
    with connect(tmp / "store_only.duckdb") as con:
        con.execute(f"SET threads = {args.threads}")
        n = _replace(con, "bench", [batch], {"schema": "events", "source": str(src)})
    dt, dc = time.perf_counter() - t, time.process_time() - c
    print(f"map + insert (store only)  {dt:7.2f} s  {n / dt:>10,.0f} rows/s  (cpu {dc:.2f} s)")
    (tmp / "store_only.duckdb").unlink()

    # a small second dataset for type_distribution_vs
    small = tmp / "small.parquet"
    synthetic_events(max(args.rows // 100, 100), seed=2, days=3 * 365, codebook=cb).to_parquet(small, index=False)
    load_file(small, schema="events", dataset="bench2", db=db, codebook=cb)

    print("query                       seconds   rows")
    worst = 0.0
    for q in list_queries():
        t = time.perf_counter()
        out = run_query(q, QUERY_PARAMS.get(q.name, {}), db=db, threads=args.threads)
        dt = time.perf_counter() - t
        worst = max(worst, dt)
        print(f"  {q.name:<26} {dt:7.2f} {len(out):>8,}")
    print(f"slowest query {worst:.2f} s (goal < 2 s)")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
