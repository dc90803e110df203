"""Duplicate-candidates benchmark: one day of events crowded onto a few places and types.

    python bench/dup_bench.py --rows 77000 --keep /tmp/dup/dup.duckdb     # build the store only
    /usr/bin/time -v evcode sql duplicate_candidates --db /tmp/dup/dup.duckdb -o /tmp/dup/out.parquet

A GDELT-like load (or a news archive where many events land on a capital) puts thousands of
events on one (date, place, type) with the same few actors; `duplicate_candidates` must stay
bounded there. The events are made up here (fictional country Zorbat), written with
`coding.store.write_events`; nothing generated is committed. Without --keep the store is built in
a temporary folder, the query is timed in this process and the folder removed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LOCATIONS = ["Kelan", "Orvost", "Tamrik", "Besh Vala", "Ludrin", "Quessa", "Marnow", "Zeltep",
             "Hurvan", "Ospeth"]
KINDS = [("Battles", "Armed clash", "190"), ("Explosions/Remote violence", "Shelling/artillery/missile attack", "194")]
ACTORS1 = ["Military Forces of Zorbat", "Kelan Liberation Front", "Police Forces of Zorbat"]
ACTORS2 = ["Kelan Liberation Front", "Civilians (Zorbat)", "Orvost Militia", ""]


def events(n: int, date: str = "2024-05-01") -> Iterator[dict[str, Any]]:
    """`n` events of one day: len(LOCATIONS) x len(KINDS) groups, actors from a few names."""
    for i in range(n):
        loc = LOCATIONS[i % len(LOCATIONS)]
        event_type, sub, cameo = KINDS[(i // len(LOCATIONS)) % len(KINDS)]
        yield {
            "event_id": f"zb-{i:07d}", "passage_id": f"zp-{i // 3}", "sentence_index": i % 3,
            "event_date": date, "cameo_code": cameo, "event_type": event_type, "sub_event_type": sub,
            "actor1": ACTORS1[(i * 7) % len(ACTORS1)], "actor2": ACTORS2[(i * 5) % len(ACTORS2)] or None,
            "country": "Zorbat", "admin1": "Kelan Province", "location": loc, "fatalities": i % 4,
        }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=77_000)
    ap.add_argument("--keep", help="build the store at this path and stop (time the CLI yourself)")
    ap.add_argument("--param", action="append", default=[], help="query parameter k=v (repeatable)")
    args = ap.parse_args(argv)

    from coding.queries import parse_params, run_query
    from coding.store import write_events

    tmp = Path(tempfile.mkdtemp(prefix="evcode-dupbench-"))
    db = Path(args.keep) if args.keep else tmp / "dup.duckdb"
    t = time.perf_counter()
    n = write_events(events(args.rows), db=db, dataset="zorbat")
    print(f"store: {n:,} events in {len(LOCATIONS) * len(KINDS)} groups, {time.perf_counter() - t:.2f} s -> {db}")
    if not args.keep:
        t = time.perf_counter()
        out = run_query("duplicate_candidates", parse_params(args.param), db=db)
        print(f"duplicate_candidates {time.perf_counter() - t:.2f} s, {len(out):,} rows")
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
