"""Compare benchmark: match N x N events with `coding.compare.compare` and time its parts.

    python bench/compare_bench.py                  # 100,000 x 100,000 (the goal: see bench/README.md)
    python bench/compare_bench.py --rows 1000000 --threads 2

A is N events resampled from the valid rows of ../shared/data/acled/acled_2022_sample_dev.csv
(places jittered by up to ~20 km, dates spread over 2022; seeded), in the canonical shape. B is
derived from A the way a second dataset differs: 20% of A dropped, 30% shifted by one day, every
kept event moved by up to ~3 km, 10% re-typed, plus 20% new events. So the expected answer is
known: about 0.8 N pairs. Nothing is written to disk.

    python bench/compare_bench.py --rows 20000 --dense 8000   # + 8,000 events per side at one point

`--dense N` adds N events to each side on one day at one point (a capital, or a GDELT country
centroid), with sub-event types drawn from the sample: every one of them is a candidate of every
one on the other side. `--spread KM` places them at distinct points within KM instead (nothing to
collapse: the bounded k-nearest case). Run it under `/usr/bin/time -v` for the peak memory.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "acled" / "acled_2022_sample_dev.csv"


def base_rows() -> pd.DataFrame:
    from coding.codebook import load_codebook
    from coding.sources import acled
    from coding.validate import validate_file

    cb = load_codebook()
    res = validate_file(DATA, "acled", codebook=cb)
    canon = acled.to_canonical(res.valid, cb)
    return canon[["event_date", "latitude", "longitude", "country", "admin1", "event_type",
                  "sub_event_type"]].reset_index(drop=True)


def make(base: pd.DataFrame, n: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(base), n)
    a = base.iloc[pick].reset_index(drop=True).copy()
    a["event_date"] = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    a["latitude"] = a["latitude"].astype(float) + rng.uniform(-0.2, 0.2, n)
    a["longitude"] = a["longitude"].astype(float) + rng.uniform(-0.2, 0.2, n)
    a.insert(0, "id", [f"A{i}" for i in range(n)])

    keep = rng.random(n) >= 0.2
    b = a[keep].copy()
    m = len(b)
    b["id"] = [f"B{i}" for i in range(m)]
    shift = rng.random(m) < 0.3
    b.loc[shift, "event_date"] = b.loc[shift, "event_date"] + pd.Timedelta(days=1)
    b["latitude"] = b["latitude"] + rng.uniform(-0.02, 0.02, m)
    b["longitude"] = b["longitude"] + rng.uniform(-0.02, 0.02, m)
    retype = rng.random(m) < 0.1
    subs = base["sub_event_type"].unique()
    b.loc[retype, "sub_event_type"] = rng.choice(subs, int(retype.sum()))
    new = base.iloc[rng.integers(0, len(base), n // 5)].reset_index(drop=True).copy()
    new["event_date"] = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, len(new)), unit="D")
    new["latitude"] = new["latitude"].astype(float) + rng.uniform(-0.2, 0.2, len(new))
    new["longitude"] = new["longitude"].astype(float) + rng.uniform(-0.2, 0.2, len(new))
    new.insert(0, "id", [f"N{i}" for i in range(len(new))])
    return a, pd.concat([b, new], ignore_index=True)


def dense(base: pd.DataFrame, n: int, prefix: str, seed: int, spread: float = 0.0) -> pd.DataFrame:
    """n events on 2022-06-15 at one point (Khartoum), or spread over `spread` km east of it; types
    drawn from the sample."""
    from coding.compare import KM_PER_DEGREE

    rng = np.random.default_rng(seed)
    d = base.iloc[rng.integers(0, len(base), n)].reset_index(drop=True).copy()
    d["event_date"] = pd.Timestamp("2022-06-15")
    d["latitude"] = 15.5007
    d["longitude"] = 32.5599 + rng.uniform(0, spread, n) / KM_PER_DEGREE if spread else 32.5599
    d["country"], d["admin1"] = "Sudan", "Khartoum"
    d.insert(0, "id", [f"{prefix}{i}" for i in range(n)])
    return d


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=1)
    ap.add_argument("--km", type=float, default=5.0)
    ap.add_argument("--dense", type=int, default=0, help="add this many events per side at one point and day")
    ap.add_argument("--spread", type=float, default=0.0,
                    help="spread the --dense events over this many km (distinct points: nothing to collapse)")
    ap.add_argument("--threads", type=int, default=0, help="DuckDB threads (0: DuckDB's default)")
    args = ap.parse_args()

    import duckdb

    from coding import compare as cmp

    if args.threads:
        duckdb.execute(f"SET threads = {args.threads}")
        orig = duckdb.connect

        def connect(*a, **k):  # type: ignore[no-untyped-def]
            con = orig(*a, **k)
            con.execute(f"SET threads = {args.threads}")
            return con

        duckdb.connect = connect  # type: ignore[assignment]

    t = time.perf_counter()
    base = base_rows()
    a, b = make(base, args.rows)
    if args.dense:
        a = pd.concat([a, dense(base, args.dense, "DA", 11, args.spread)], ignore_index=True)
        b = pd.concat([b, dense(base, args.dense, "DB", 12, args.spread)], ignore_index=True)
    print(f"generated A {len(a):,} and B {len(b):,} events in {time.perf_counter() - t:.1f} s")

    times: dict[str, float] = {}
    real_collapse, real_cand, real_assign = cmp.collapse, cmp.candidates, cmp.assign_units

    def timed(name, fn):  # type: ignore[no-untyped-def]
        def wrap(*x, **k):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            out = fn(*x, **k)
            times[name] = times.get(name, 0.0) + time.perf_counter() - t0
            return out
        return wrap

    cmp.collapse = timed("collapse (events alike)", real_collapse)
    cmp.candidates = timed("candidates (DuckDB)", real_cand)
    cmp.assign_units = timed("assignment (components)", real_assign)
    t = time.perf_counter()
    res = cmp.compare(a, b, days=args.days, km=args.km)
    total = time.perf_counter() - t
    print(f"{len(a):,} x {len(b):,} events, --days {args.days} --km {args.km:g}: "
          f"{res.options['candidates']:,} candidate pairs ({res.options['candidate_nodes']:,} between "
          f"{res.options['nodes_a']:,} and {res.options['nodes_b']:,} distinct events"
          f"{'; capped: NEAREST_K per event kept' if res.options['capped'] else ''})")
    for k, v in times.items():
        print(f"  {k:<28} {v:6.1f} s")
    print(f"  {'compare() total':<28} {total:6.1f} s")
    print("summary:", res.summary)


if __name__ == "__main__":
    main()
