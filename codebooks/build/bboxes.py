"""Widen every country's bounding box in actors/countries.csv to contain all of its gazetteer places.

The boxes were first computed from GeoNames' populated places (cities >= 1000); admin1 centroids and
hand-written places can lie outside them (Ethiopia's Somali region, Jordan's eastern desert). Run
after rebuilding the gazetteer:  python codebooks/build/bboxes.py
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAD = 0.5


def main() -> None:
    ext: dict[str, list[float]] = {}
    with (ROOT / "places" / "gazetteer.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if not r["latitude"] or not r["longitude"]:
                continue
            lat, lon = float(r["latitude"]), float(r["longitude"])
            e = ext.setdefault(r["iso3"], [lat, lat, lon, lon])
            e[0], e[1], e[2], e[3] = min(e[0], lat), max(e[1], lat), min(e[2], lon), max(e[3], lon)
    path = ROOT / "actors" / "countries.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames or []
        rows = list(reader)
    changed = 0
    for r in rows:
        e = ext.get(r["iso3"])
        if not e or not r["min_lat"]:
            continue
        box = [float(r["min_lat"]), float(r["max_lat"]), float(r["min_lon"]), float(r["max_lon"])]
        new = [min(box[0], max(-90.0, e[0] - PAD)), max(box[1], min(90.0, e[1] + PAD)),
               min(box[2], max(-180.0, e[2] - PAD)), max(box[3], min(180.0, e[3] + PAD))]
        if new != box:
            changed += 1
            r["min_lat"], r["max_lat"], r["min_lon"], r["max_lon"] = (f"{v:.4f}".rstrip("0").rstrip(".") for v in new)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"widened {changed} country boxes")


if __name__ == "__main__":
    main()
