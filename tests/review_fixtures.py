"""Passages written for the review tests (our own sentences), and helpers shared by the review tests."""

from __future__ import annotations

import csv
from pathlib import Path

PASSAGES = [
    ("rv1", "2024-03-05",
     "Syrian army troops shelled rebel positions near Douma on Monday. Rebels killed two civilians in "
     "Harasta, and the army shelled the town. The governor said he would rebuild the market."),
    ("rv2", "2024-03-06",
     "Hundreds of students protested in Homs against rising bread prices. Police arrested three organisers "
     "after the march."),
    ("rv3", "2024-03-07",
     "Unknown gunmen attacked a checkpoint in Aleppo, killing four soldiers. The ministry condemned the attack."),
    ("rv4", "2024-03-08", "The weather was mild and the harvest festival drew large crowds."),
]


def write_passages(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "date", "text"])
        w.writerows(PASSAGES)
    return path
