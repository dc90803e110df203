"""Inflected forms of the words the coder matches, read from the codebook's inflection table.

`lexicon/inflections.csv` lists, for every word the rules, modifiers, actors and victims need,
its inflected forms ("shell" -> shelled, shelling, shells), its past participles (the passive
test) and its plurals ("farmer" -> farmers). The table is generated with lemminflect by
`evcode codebook inflect` and can be edited by hand where lemminflect is wrong. Reading it
instead of calling lemminflect at compile time saves the cold load lemminflect's own start-up
and its per-word look-ups; a word the table lacks (a layer that adds new verbs) still gets
lemminflect's forms, and `evcode codebook lint` names it until the table is regenerated.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Sequence

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow

TABLE = "lexicon/inflections"
COLUMNS = ("word", "forms", "participles", "plurals")


class Inflection(NamedTuple):
    forms: tuple[str, ...]  # every inflected form, any part of speech (lower case)
    participles: tuple[str, ...]  # past participles (VBN)
    plurals: tuple[str, ...]  # noun plurals (NNS)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.split("|") if v.strip())


def generate(word: str) -> Inflection:
    """A word's inflections as lemminflect gives them (what `evcode codebook inflect` writes)."""
    from lemminflect import getAllInflections, getAllInflectionsOOV, getInflection

    known = getAllInflections(word)
    if not known and word.isalpha() and len(word) > 3:
        # words lemminflect's lexicon lacks take the regular forms of a noun and of a verb: pattern
        # words are both ("airstrike" -> airstrikes; "firebomb" -> firebombed, firebombing)
        known = {**getAllInflectionsOOV(word, upos="NOUN"), **getAllInflectionsOOV(word, upos="VERB")}
    forms = tuple(dict.fromkeys(f.lower() for fs in known.values() for f in fs))
    participles = tuple(getInflection(word, tag="VBN") or ())
    plurals = tuple(getInflection(word, tag="NNS") or ())
    return Inflection(forms, participles, plurals)


class Inflections:
    """Look-up of a word's inflections: the codebook table first, lemminflect for the rest.

    `missing` collects the words lemminflect had to supply, in the order they were asked for:
    the rows `evcode codebook inflect` adds to the table and `evcode codebook lint` reports.
    """

    def __init__(self, table: pd.DataFrame | pyarrow.Table | None = None) -> None:
        self.rows: dict[str, Inflection] = {}
        if table is not None and len(table):
            # a pandas column has tolist, a pyarrow one to_pylist (the codebook's, compiled without pandas)
            cols = [table[c].to_pylist() if hasattr(table[c], "to_pylist") else table[c].tolist() for c in COLUMNS]
            for word, forms, participles, plurals in zip(*cols):
                self.rows[word] = Inflection(_split(forms), _split(participles), _split(plurals))
        self.missing: dict[str, Inflection] = {}

    def get(self, word: str) -> Inflection:
        got = self.rows.get(word)
        if got is None:
            got = self.missing.get(word)
            if got is None:
                got = self.missing[word] = generate(word)
        return got

    def forms(self, word: str) -> tuple[str, ...]:
        return self.get(word).forms

    def participles(self, word: str) -> tuple[str, ...]:
        return self.get(word).participles

    def plurals(self, word: str) -> tuple[str, ...]:
        return self.get(word).plurals


def needed(extra: Sequence[Path | str] | None = None) -> Inflections:
    """Compile the layered codebook (without the disk cache) and return what its words needed."""
    from coding.codebook import load_codebook
    from coding.coder import Coder

    inflections = Coder(load_codebook(extra)).inflections
    assert inflections is not None  # a freshly compiled coder keeps them
    return inflections


def write_table(path: Path, inflections: Inflections) -> int:
    """Add the missing words to the table at `path` (kept rows stay as edited); return how many."""
    import csv

    rows: dict[str, list[str]] = {}
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                rows[r["word"]] = [r.get(c) or "" for c in COLUMNS]
    added = 0
    for word, inf in inflections.missing.items():
        if word not in rows:
            rows[word] = [word, "|".join(inf.forms), "|".join(inf.participles), "|".join(inf.plurals)]
            added += 1
    if not added:
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        for word in sorted(rows):
            w.writerow(rows[word])
    return added
