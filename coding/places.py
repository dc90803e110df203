"""The gazetteer: find place names in a sentence and choose which place each one is.

Disambiguation uses what an ACLED coder uses: the passage's country, admin1 names mentioned
alongside ("Ruska Lozova, Kharkiv"), words like "province", and the size of the place.
"""

from __future__ import annotations

import math
from array import array
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Sequence, cast

from coding.codebook import Codebook
from coding.text import attributes, PhraseIndex, Token, longest_first

if TYPE_CHECKING:
    import pyarrow

FEATURE_RANK = {
    "site": 1, "camp": 1, "neighbourhood": 1, "district": 1, "village": 1, "town": 1, "city": 1,
    "admin2": 2, "region": 2, "admin1": 3, "country": 4,
}
_ADMIN_WORDS = frozenset(
    {"province", "governorate", "state", "region", "oblast", "prefecture", "county", "department",
     "countryside", "countrysides", "division", "provinces", "governorates", "states", "regions"}
)
_SMALL_WORDS = frozenset({"town", "village", "city", "neighbourhood", "neighborhood", "camp",
                          "municipality", "area", "quarter", "suburb", "sub-district"})
# "Saptari district", "Kharkiv raion", "Hpakant township": a second-level unit (or a township), and it
# names the unit's admin1 as surely as "X province" does
_ADMIN2_WORDS = frozenset({"district", "districts", "raion", "rayon", "lga", "cercle", "township", "tehsil",
                           "upazila", "zone"})
_ADMIN2_FEATURES = frozenset({"admin2", "admin3", "district"})
# words after a place that keep it a place: its unit ("Paul Province") or a part of it
_PLACE_WORDS = _ADMIN_WORDS | _SMALL_WORDS | _ADMIN2_WORDS | frozenset(
    {"city", "island", "islands", "valley", "river", "port", "hills", "mountains", "strip", "bay", "lake"})
_NEAR = frozenset({"near", "outskirts", "outside", "around", "north", "south", "east", "west",
                   "northeast", "northwest", "southeast", "southwest", "km", "kilometres", "kilometers", "miles"})
_TOPICAL = frozenset({"of", "from", "against", "with", "for", "to", "on", "by", "toward", "towards",
                      # "urging Russia to stop", "condemning Israel": the country addressed
                      "urging", "urged", "urge", "asking", "condemning", "condemned", "condemn", "denouncing",
                      "denounced", "criticizing", "criticising", "supporting", "boycott", "boycotting"})
_TOPICAL_WEIGHT = 0.1
_TOPIC_NOUNS = frozenset({"war", "wars", "ceasefire", "cease-fire", "truce", "peace", "conflict", "invasion", "aggression", "crisis",
                          "situation", "occupation", "genocide", "repression", "atrocities", "hostilities",
                          "offensive", "crackdown", "regime", "elections"})
_ARTICLES = frozenset({"al-", "ad-", "an-", "ar-", "as-", "at-", "el-", "ash", "az-"})


@dataclass(slots=True, init=False)
class Place:
    """A place mention resolved to one gazetteer row (token indices, end exclusive)."""

    start: int
    end: int
    text: str
    row: int
    name: str
    feature: str
    iso3: str
    admin1: str
    admin2: str
    latitude: float | None
    longitude: float | None
    near: bool = False  # "near X", "X km north of Y": ACLED geo precision 2
    consistent: bool = True  # False when the passage names another admin1 of the same country

    # written out (the same as the generated one): the compiled build then makes a Place without
    # running the dataclass's Python __init__
    def __init__(self, start: int, end: int, text: str, row: int, name: str, feature: str, iso3: str,
                 admin1: str, admin2: str, latitude: float | None, longitude: float | None,
                 near: bool = False, consistent: bool = True) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.row = row
        self.name = name
        self.feature = feature
        self.iso3 = iso3
        self.admin1 = admin1
        self.admin2 = admin2
        self.latitude = latitude
        self.longitude = longitude
        self.near = near
        self.consistent = consistent

    @property
    def rank(self) -> int:
        return FEATURE_RANK.get(self.feature, 1)


# letters Unicode does not decompose into a base letter and an accent ("Białystok", "Wrocław", "Đakovo")
_STROKED = {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h", "Ħ": "h", "ı": "i", "ŧ": "t",
            "Ŧ": "t", "ƚ": "l"}


_BRACKETED_ADMIN1 = 3.0


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in _STROKED:
        return _STROKED[c]
    d = unicodedata.normalize("NFKD", c)
    base = "".join(ch for ch in d if not unicodedata.combining(ch)).lower()
    return base if len(base) == 1 else c.lower() if len(c.lower()) == 1 else c


def fold(text: str) -> str:
    """Lower-case and strip accents without changing the length (offsets stay valid)."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


_NUM_PATTERN = r"-?\d+(?:\.\d+)?"
_ALIAS_ARTICLE = "^(al|el|ad|an|ar|as|at)-"

# Compiling the gazetteer stays clear of pandas: pyarrow imports it (a quarter of the cold load)
# the first time a Python value is converted, an array is made from Python or numpy data
# (pa.array, pa.scalar, a literal argument to a kernel) or one is copied out (to_numpy). So
# literals go in as kernel options, and arrays cross to numpy and back over their buffers.


def _np(arr: Any) -> Any:
    """A pyarrow array of numbers or booleans, without nulls, as a numpy array."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_boolean(arr.type):
        return _np(pc.cast(arr, pa.int8())).view(np.bool_)
    width = {pa.int8(): np.int8, pa.int32(): np.int32, pa.int64(): np.int64, pa.float64(): np.float64}[arr.type]
    return np.frombuffer(arr.buffers()[1], dtype=width)[arr.offset : arr.offset + len(arr)]


def _pa(values: Any) -> Any:
    """A numpy array of int64 as a pyarrow array (indices for `take`, values to encode)."""
    import numpy as np
    import pyarrow as pa

    data = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data)])


def _strings(values: list[str]) -> Any:
    """Python strings as a pyarrow string array."""
    import numpy as np
    import pyarrow as pa

    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(encoded),
                                 [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def _floats(values: Any) -> Any:
    """A column's numbers as a float64 numpy array, anything else NaN (pyarrow's string kernels and
    its correctly rounded parser: several times faster than pandas' to_numeric on 110,000 rows)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    stripped = pc.utf8_trim_whitespace(values)
    number = pc.match_substring_regex(stripped, pattern=f"^{_NUM_PATTERN}$")
    parsed = pc.cast(pc.if_else(number, stripped, pa.nulls(len(stripped), pa.string())), pa.float64())
    out = np.array(_np(parsed), dtype=np.float64)
    out[~_np(number)] = np.nan  # (a null's slot in the buffer holds no particular value)
    return out


class Gazetteer:
    """Compiled gazetteer: rows as parallel lists and one phrase index over names and aliases."""

    def __init__(self, cb: Codebook | None = None) -> None:
        if cb is None:  # unpickling: the compiled build creates the object through __init__, then sets its state
            return
        table = cb.arrow("places/gazetteer")
        self.name: list[str] = []
        self.feature: list[str] = []
        self.iso3: list[str] = []
        self.admin1: list[str] = []
        # columns read only for the places a passage settles on stay compact (machine arrays, codes
        # into distinct values): the cached coder then unpickles without building ~450,000 objects
        self.admin2_values: list[str] = []
        self.admin2_codes: array[int] = array("i")
        self.lat: array[float] = array("d")  # NaN: no coordinates
        self.lon: array[float] = array("d")
        self.pop: array[int] = array("q")
        self.admin1_rows: dict[tuple[str, str], int] = {}  # (iso3, admin1 lower) -> admin1 row
        # given names that are places somewhere ("George Floyd" is no town in South Africa)
        self.given_names = frozenset(str(w) for w in cb.lexicon.get("given_names") or [])
        self.country_rows: dict[str, int] = {}
        empty: tuple[list[str], Any, Any] = ([], [], [])
        keys, entry_key, entry_row = self._columns(table) if table is not None and len(table) else empty
        # entry numbers index flat arrays of rows: the compiled gazetteer then unpickles in a
        # fraction of the time Python tuples would take
        import numpy as np

        counts = np.bincount(np.asarray(entry_key, dtype=np.int64), minlength=len(keys))
        self.row_start = array("i", [0] + np.cumsum(counts).tolist())
        self.entry_rows = array("i", np.asarray(entry_row, dtype=np.intc).tobytes())
        self.index = PhraseIndex(dict.fromkeys(keys), numbered=True)
        # admin1 aliases -> canonical admin1 rows, for "(X, Y)" and "Y province" lookups
        self.admin1_alias: dict[tuple[str, str], int] = {}
        rows_of = np.asarray(entry_row)
        admin1 = np.flatnonzero(np.asarray(self.feature, dtype=object)[rows_of] == "admin1")
        for k, r in zip(np.asarray(entry_key)[admin1].tolist(), rows_of[admin1].tolist()):
            self.admin1_alias[(self.iso3[r], keys[k])] = r
        # each row's prior weight as the place a mention means, computed once (resolving a passage
        # reads it for every candidate row)
        self.weight: array[float] = array("d", [self._prior(r) for r in range(len(self.name))])

    def _columns(self, table: pyarrow.Table) -> tuple[list[str], Any, Any]:
        """Fill the row columns and the folded name/alias -> row entries, with whole-column operations
        (a row-by-row loop over ~110,000 places and ~210,000 aliases dominated the cold load) in
        pyarrow's kernels and numpy, without pandas (its import alone took a quarter of the cold load)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        n = len(table)

        def col(c: str) -> Any:  # one text array ('' where the table has no such column; codebook cells are never null)
            if c not in table.column_names:
                return _strings([""] * n)
            return table.column(c).combine_chunks()

        name, feature, iso3 = col("name"), col("feature"), col("iso3")
        self.name, self.feature, self.iso3 = name.to_pylist(), feature.to_pylist(), iso3.to_pylist()
        self.admin1 = col("admin1").to_pylist()
        # numbered in order of first appearance; the numbers copied over as machine integers
        admin2 = pc.dictionary_encode(col("admin2"))
        self.admin2_codes = array("i", _np(admin2.indices).astype(np.intc).tobytes())
        self.admin2_values = admin2.dictionary.to_pylist()
        self.lat = array("d", _floats(col("latitude")).tobytes())
        self.lon = array("d", _floats(col("longitude")).tobytes())
        self.pop = array("q", np.nan_to_num(_floats(col("population")), nan=0.0).astype(np.int64).tobytes())
        for i in np.flatnonzero(_np(pc.match_substring_regex(feature, pattern="^admin1$"))):
            self.admin1_rows[(self.iso3[i], self.name[i].lower())] = int(i)
        for i in np.flatnonzero(_np(pc.match_substring_regex(feature, pattern="^country$"))):
            self.country_rows[self.iso3[i]] = int(i)
        # every name, then its aliases, row by row (the order the rows are listed under a name).
        # The ~200,000 aliases go through pyarrow's string kernels: pandas' string methods ran a
        # Python call per alias and were the largest part of the cold load
        rows = np.arange(n)
        lists = pc.split_pattern(col("aliases"), pattern="|")
        parent = _np(pc.list_parent_indices(lists))
        alias = pc.utf8_trim_whitespace(pc.list_flatten(lists))
        nonempty = np.flatnonzero(_np(pc.utf8_length(alias)) > 0)
        text = alias.take(_pa(nonempty))
        arow = parent[nonempty]  # row positions, whatever the index
        big = _np(pc.match_substring_regex(feature, pattern="^(admin1|country)$"))
        length = _np(pc.utf8_length(text))
        upper_first = _np(pc.utf8_is_upper(pc.utf8_slice_codeunits(text, 0, 1)))
        article = _np(pc.and_(pc.match_substring_regex(pc.utf8_slice_codeunits(text, 0, 3), pattern=_ALIAS_ARTICLE,
                                                       ignore_case=True),
                              pc.utf8_is_upper(pc.utf8_slice_codeunits(text, 3, 4))))
        acronym = _np(pc.utf8_is_upper(text)) & (length <= 4)
        # GeoNames alias noise is skipped: airport codes ("NHS"), lower-case transliterations ("jas")
        # and fragments ("Bab" for Al Bab) that collide with words of other names; admin1 and country
        # aliases are all kept
        # the aliases of our own hand-written rows are curated: a short one ("Kut" for Al-Kut) stays
        own = _np(pc.starts_with(col("source"), pattern="evcode"))
        good = big[arow] | ((length >= 4) & (upper_first | article) & ~acronym) | (own[arow] & (length >= 3))
        names = name
        owner = np.concatenate([rows, arow])
        lengths = np.concatenate([_np(pc.utf8_length(names)), length])
        keep = np.concatenate([np.ones(n, dtype=bool), good])
        keep &= (lengths >= 3) | (big[owner] & (lengths >= 2))
        # names first, aliases after, each row's entries in order: a stable sort by row
        order = np.argsort(owner, kind="stable")
        order = order[keep[order]]
        texts = pa.concat_arrays([names, text]).take(_pa(order))
        owner = owner[order]
        # folded in pyarrow (ASCII lower-casing is the same there); only names with other letters
        # go through `fold`, and only the distinct keys become Python strings
        ascii_ = pc.string_is_ascii(texts)
        folded = pc.utf8_lower(texts)
        other = np.flatnonzero(~_np(ascii_))
        if len(other):
            refolded = _strings([fold(t) for t in texts.take(_pa(other)).to_pylist()])
            folded = pc.replace_with_mask(folded, pc.invert(ascii_), refolded)
        # one entry per (name, row); names numbered in order of first appearance, each name's rows
        # ascending (the entries are in row order already)
        encoded = pc.dictionary_encode(folded)
        codes = _np(encoded.indices).astype(np.int64)
        # repeated pairs (a name listed again as an alias) dropped: the first entry of each pair
        # (np.unique's stable sort is quick here: the entries are in row order already)
        firsts = np.sort(np.unique(owner * len(encoded.dictionary) + codes, return_index=True)[1])
        firsts = firsts[np.argsort(codes[firsts], kind="stable")]
        return encoded.dictionary.to_pylist(), codes[firsts], owner[firsts]

    # the text columns travel compactly: 110,000 small strings one by one make the cached coder
    # load slowly. Names as one string; the repetitive columns as codes into their distinct values.
    _CODED = ("feature", "iso3", "admin1")

    def __getstate__(self) -> dict[str, object]:
        state = attributes(self)
        state["name"] = "\x1f".join(state["name"])
        for k in self._CODED:
            values: dict[str, int] = {}
            codes = array("i", (values.setdefault(v, len(values)) for v in state[k]))
            state[k] = (list(values), codes)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        state["name"] = str(state["name"]).split("\x1f") if state["name"] else []
        for k in self._CODED:
            values, codes = cast("tuple[list[str], array[int]]", state[k])
            state[k] = list(map(values.__getitem__, codes))
        for k, v in state.items():
            setattr(self, k, v)

    def __len__(self) -> int:
        return len(self.name)

    def admin2(self, r: int) -> str:
        return self.admin2_values[self.admin2_codes[r]]

    def point(self, r: int) -> tuple[float | None, float | None]:
        """A row's latitude and longitude (None where the gazetteer has none)."""
        lat, lon = self.lat[r], self.lon[r]
        return (None if lat != lat else lat, None if lon != lon else lon)

    def mentions(self, text: str, lower: str, tokens: Sequence[Token]) -> list[tuple[int, int, tuple[int, ...]]]:
        """Capitalised gazetteer names on token boundaries (longest first, no overlaps)."""
        return self._mentions(text, lower, tokens if isinstance(tokens, list) else list(tokens))

    def _mentions(self, text: str, lower: str, tokens: list[Token]) -> list[tuple[int, int, tuple[int, ...]]]:
        n = len(tokens)
        if not n or not self.index.size:
            return []
        hits: list[tuple[int, int, tuple[int, ...]]] = []
        row_start, entry_rows = self.row_start, self.entry_rows
        # PhraseIndex.spans inlined (its packed table: phrase number + 1 above 10 bits, the longest
        # phrase a first token begins below): most tokens are not capitalised and never look it up
        table: dict[str, int] = self.index.table
        for i in range(n):
            t = tokens[i]
            s = t.start
            te = t.end
            c = ord(text[s])
            if 65 <= c <= 90:
                article = False
            elif c < 128 or not text[s].isupper():
                # "al-Marja" and "ad-Dali" are capitalised after the article (only "a"/"e" lower-case
                # to the first letter of one)
                if not ((c == 97 or c == 101) and text[s : s + 3].lower() in _ARTICLES
                        and text[s + 3 : s + 4].isupper()):
                    continue
                article = True
            else:
                article = False
            packed = table.get(lower[s:te], 0)
            limit = packed & 1023
            if not limit:
                continue
            for j in range(i, n):
                e = tokens[j].end
                if e - s > limit:
                    break
                v = (packed if j == i else table.get(lower[s:e], 0)) >> 10
                if not v or (article and e - s <= 3):
                    continue
                entry = v - 1
                rows = tuple(entry_rows[row_start[entry] : row_start[entry + 1]])
                if j == i and te - s <= 5 and text[s:te].isupper():
                    # an acronym ("SWAT officers", "the SUD union") is not the place spelled alike ("Swat",
                    # "Sud"); countries ("UAE", "IRAN:") and admin1 acronyms ("KPK") stay
                    surface = text[s:te].lower()
                    rows = tuple(r for r in rows if self.feature[r] == "country"
                                 or (self.feature[r] == "admin1" and self.name[r].lower() != surface))
                    if not rows:
                        continue
                hits.append((i, j + 1, rows))
        # hits that do not overlap are all kept, in text order (the order they were found in)
        reach = -1
        for h in hits:
            if h[0] < reach:
                return longest_first(hits, n)
            reach = h[1]
        return hits

    def rows(self, name: str) -> list[int]:
        """Gazetteer rows of a place name or alias (any case and accents)."""
        entry = self.index.get(fold(name.strip()))
        if entry is None:
            return []
        return list(self.entry_rows[self.row_start[entry] : self.row_start[entry + 1]])

    def _place(self, r: int, s: int, e: int, text: str, tokens: Sequence[Token], near: bool) -> Place:
        feat = self.feature[r]
        lat, lon = self.lat[r], self.lon[r]
        return Place(
            s, e, text[tokens[s].start : tokens[e - 1].end], r, self.name[r], feat, self.iso3[r],
            self.admin1[r] if feat != "admin1" else self.name[r], self.admin2(r),
            None if lat != lat else lat, None if lon != lon else lon, near,
        )

    def admin1_point(self, iso3: str, admin1: str) -> tuple[float | None, float | None]:
        r = self.admin1_rows.get((iso3, admin1.lower()))
        return self.point(r) if r is not None else (None, None)

    def country_point(self, iso3: str) -> tuple[float | None, float | None]:
        r = self.country_rows.get(iso3)
        return self.point(r) if r is not None else (None, None)


    # -- passage-level resolution ---------------------------------------------------------------
    def _prior(self, r: int) -> float:
        feat = self.feature[r]
        if feat == "country":
            return 6.0
        if feat == "admin1":
            return 3.0
        if feat in ("admin2", "region"):
            return 2.0
        pop = self.pop[r]
        return 1.0 + (min(math.log10(pop + 1), 7.0) / 3.5 if pop else 0.5)

    def _in_named_unit(self, r: int, j: int, unit_of: dict[tuple[str, str], set[int]],
                       sent_of: list[int], start_of: list[int], end_of: list[int]) -> bool:
        """The mention right after mention j ("Merida (Badajoz)") names the district (admin2) of row
        r, a town or village (not a country, admin1 or district itself: the caller checks)."""
        a2 = self.admin2(r).lower()
        if not a2:
            return False
        by = unit_of.get((self.iso3[r], a2))
        if by is None:
            return False
        if fold(a2) == fold(self.name[r].lower()):
            return False  # a district named like its seat ("Athens", "Valencia"): that is the town's own name
        si, e = sent_of[j], end_of[j]
        for k in by:
            if k != j and sent_of[k] == si and 0 < start_of[k] - e <= 2:
                return True
        return False

    @staticmethod
    def _in_person_name(toks: list[Token], s: int, given: frozenset[str]) -> bool:
        """Token s, a one-word place mention, is part of a person's name: a given name before a
        capitalised word that is no place word ("Paul Blomfield"), or that word after a given name."""
        n = len(toks)
        if toks[s].text in given and s + 1 < n:
            nxt = toks[s + 1]
            if nxt.text[:1].isupper() and nxt.text.isalpha() and nxt.lower not in _PLACE_WORDS:
                return True
        if s > 0 and toks[s - 1].text in given and toks[s].text[:1].isupper():
            return toks[s].lower not in _PLACE_WORDS
        return False

    def resolve_passage(
        self,
        text: str,
        folded: str,
        sentences: Sequence[Sequence[Token]],
        country: str = "",
        votes: dict[str, float] | None = None,
        skip: Sequence[set[int]] | None = None,
    ) -> tuple[str, list[list[Place]]]:
        """Choose the passage's country from all its place mentions jointly, then one row per mention
        (`skip`: token positions per sentence that are not places).

        A town whose admin1 is also named ("Ruska Lozova, Kharkiv") outweighs a bigger namesake abroad.
        """
        feature, iso3, name, admin1 = self.feature, self.iso3, self.name, self.admin1
        # the passage's mentions, numbered j: sentence, tokens, first and end token, rows, the rows'
        # features, the word before and the word after ("" at the edge of the sentence)
        sent_of: list[int] = []
        toks_of: list[list[Token]] = []
        start_of: list[int] = []
        end_of: list[int] = []
        rows_of: list[tuple[int, ...]] = []
        feats_of: list[list[str]] = []
        prev_of: list[str] = []
        next_of: list[str] = []
        n_sent = len(sentences)
        n_skip = len(skip) if skip else -1
        given = self.given_names
        for si in range(n_sent):
            if si == n_skip:
                break  # (a shorter `skip` ends the mentions read, as zipping them did)
            seq = sentences[si]
            toks: list[Token] = seq if isinstance(seq, list) else list(seq)
            raw = self._mentions(text, folded, toks)
            if not raw:
                continue
            sk: set[int] | None = skip[si] if skip else None
            n_toks = len(toks)
            for s, e, rows in raw:
                if given and e == s + 1 and self._in_person_name(toks, s, given):
                    continue
                feats = [feature[r] for r in rows]
                if sk and s in sk and "country" not in feats:
                    # token positions that are not places (inside a group's name), but a country there still
                    # tells the passage's country ("the Communist Party of the Russian Federation")
                    continue
                sent_of.append(si)
                toks_of.append(toks)
                start_of.append(s)
                end_of.append(e)
                rows_of.append(rows)
                feats_of.append(feats)
                prev_of.append(toks[s - 1].lower if s > 0 else "")
                next_of.append(toks[e].lower if e < n_toks else "")
        m = len(rows_of)
        # admin1 units each country has among the mentions: named themselves ("Kharkiv"), or through a
        # unit of theirs ("Saptari district"); which mention names a unit's admin1, so that the unit's
        # own mention does not vouch for it
        named_by: dict[tuple[str, str], set[int]] = {}
        self_named: set[tuple[str, str, int]] = set()  # (iso3, admin1, mention): the mention is the admin1's name
        # districts named ("Merida (Badajoz)", "Kpala (Ouo, Comoe)"): ACLED writes a place's admin2 in
        # brackets after it, which tells a town from its namesakes abroad
        # (only a unit named right after the place, within its brackets, counts)
        unit_of: dict[tuple[str, str], set[int]] = {}
        unit_isos: set[str] = set()
        for j in range(m):
            rows = rows_of[j]
            feats = feats_of[j]
            any_unit = False
            for k in range(len(rows)):
                feat = feats[k]
                if feat == "admin1":
                    r = rows[k]
                    key = (iso3[r], name[r].lower())
                    got = named_by.get(key)
                    if got is None:
                        named_by[key] = {j}
                    else:
                        got.add(j)
                    self_named.add((key[0], key[1], j))
                elif feat in _ADMIN2_FEATURES:
                    r = rows[k]
                    any_unit = True
                    ukey = (iso3[r], name[r].lower())
                    unit_isos.add(ukey[0])
                    ugot = unit_of.get(ukey)
                    if ugot is None:
                        unit_of[ukey] = {j}
                    else:
                        ugot.add(j)
            if any_unit and next_of[j] in _ADMIN2_WORDS:
                units: dict[str, set[str]] = {}
                for k in range(len(rows)):
                    if feats[k] in _ADMIN2_FEATURES:
                        r = rows[k]
                        a1s = units.get(iso3[r])
                        if a1s is None:
                            units[iso3[r]] = {admin1[r].lower()}
                        else:
                            a1s.add(admin1[r].lower())
                for uiso, a1s in units.items():
                    if len(a1s) == 1:  # "Salem district" names no one US state: New Jersey's or Virginia's
                        nkey = (uiso, next(iter(a1s)))
                        got = named_by.get(nkey)
                        if got is None:
                            named_by[nkey] = {j}
                        else:
                            got.add(j)
        # the same admin1 units by country
        admin_named: dict[str, set[str]] = {}
        for aiso, a1 in named_by:
            an = admin_named.get(aiso)
            if an is None:
                admin_named[aiso] = {a1}
            else:
                an.add(a1)

        weight = self.weight
        scores: dict[str, float] = {}
        placed: set[str] = set()  # countries with a place named (not only their actors)
        if votes:
            for viso, v in votes.items():
                scores[viso] = scores.get(viso, 0.0) + v
        # each candidate row's weight with what other mentions say of it (the same whichever country wins)
        base_of: list[list[float]] = []
        for j in range(m):
            rows = rows_of[j]
            feats = feats_of[j]
            s0 = start_of[j]
            toks0 = toks_of[j]
            unit = next_of[j] in _ADMIN2_WORDS
            # "the invasion of Ukraine", "refugees from Syria", "solidarity with Palestine": a country the
            # event is about, rarely where it happened ("north of Syria" is a place)
            topic = False
            if s0 > 0:
                before = toks0[s0 - 2].lower if s0 > 1 else ""
                word = prev_of[j]
                topic = ((word in _TOPICAL and not (word == "of" and before in _NEAR))
                         or (word == "in" and before in _TOPIC_NOUNS))  # "against the war in Ukraine"
            top: dict[str, float] = {}
            bases: list[float] = []
            for k in range(len(rows)):
                r = rows[k]
                feat = feats[k]
                iso = iso3[r]
                w = weight[r]
                vouched = False
                if named_by and feat != "admin1" and feat != "country":
                    # another mention names the admin1 of row r (a town, district ...); or mention j itself
                    # does and r is a town (a name that is an admin1 and a town of it: "Donetsk")
                    a1s = admin_named.get(iso)
                    if a1s is not None:
                        a1 = admin1[r].lower()
                        if a1 in a1s:
                            by = named_by[(iso, a1)]
                            vouched = len(by) > 1 or j not in by or (
                                feat not in _ADMIN2_FEATURES and (iso, a1, j) in self_named)
                if feat == "admin1" and prev_of[j] == "(" and next_of[j] in (")", ","):
                    # "Vale (North Carolina)": ACLED's notes name a place's admin1 in brackets after it, which
                    # outweighs a namesake village abroad ("Vale", Romania) even when the place is unknown
                    w += _BRACKETED_ADMIN1
                if vouched:
                    w += 4.0
                elif (unit_of and iso in unit_isos and feat != "country" and feat != "admin1"
                      and feat not in _ADMIN2_FEATURES
                      and self._in_named_unit(r, j, unit_of, sent_of, start_of, end_of)):
                    w += 4.0
                bases.append(w)
                if unit and feat in _ADMIN2_FEATURES:
                    w += 3.0
                if topic and feat == "country":
                    w *= _TOPICAL_WEIGHT
                if w > top.get(iso, 0.0):
                    top[iso] = w
            base_of.append(bases)
            for tiso, tw in top.items():
                scores[tiso] = scores.get(tiso, 0.0) + tw
                placed.add(tiso)
        if not country and scores:
            # a tie goes to a country with a place named over one only its actors name, then to the
            # more populous country ("Bara district": Nepal's, not Romania's)
            country_rows, pop = self.country_rows, self.pop
            best_iso, best_score, best_placed, best_pop = "", 0.0, False, 0
            first = True
            for siso, sc in scores.items():
                cr = country_rows.get(siso)
                ipop: int = pop[cr] if cr is not None else 0
                ip = siso in placed
                if first or sc > best_score or (sc == best_score and (
                        (ip and not best_placed) or (ip == best_placed and (
                            ipop > best_pop or (ipop == best_pop and siso > best_iso))))):
                    best_iso, best_score, best_placed, best_pop = siso, sc, ip, ipop
                    first = False
            country = best_iso
        out: list[list[Place]] = [[] for _ in range(n_sent)]
        districts: dict[tuple[str, str], set[str]] = {}
        for j in range(m):
            rows = rows_of[j]
            feats = feats_of[j]
            bases = base_of[j]
            n_rows = len(rows)
            cands: list[int] = [k for k in range(n_rows) if iso3[rows[k]] == country] if country else list(range(n_rows))
            if not cands:
                cands = [k for k in range(n_rows) if feats[k] == "country"]
                if not cands:
                    continue
            s, e = start_of[j], end_of[j]
            toks = toks_of[j]
            nxt = next_of[j]
            prev = prev_of[j]
            # what the next word says of the unit: 1 an admin2 ("township": Myanmar's admin3 and its seat
            # town), 2 an admin1, 3 a town; 4 after "in"/"at", a city rather than the province named like it
            kind = 0
            want = ""
            if nxt in _ADMIN2_WORDS:
                kind = 1
                want = "admin3" if nxt == "township" else "admin2"
            elif nxt in _ADMIN_WORDS:
                kind = 2
            elif nxt in _SMALL_WORDS:
                kind = 3
            elif prev == "in" or prev == "at":
                for k in cands:
                    if feats[k] == "city":
                        kind = 4
                        break
            best, top_score = -1, 0.0
            for k in cands:  # the highest score, the first row on ties
                r = rows[k]
                w = bases[k]
                feat = feats[k]
                if kind == 1:
                    w += 3.0 if feat == want or feat == "district" else (-2.0 if feat == "admin1" or feat == "country" else 0.0)
                elif kind == 2:
                    w += 3.0 if feat == "admin1" or feat == "admin2" else -2.0
                elif kind == 3:
                    w += 2.0 if not (feat == "admin1" or feat == "country" or feat == "admin2") else -2.0
                elif kind == 4 and feat == "admin1":
                    w -= 2.0  # "in Kyiv", "in Zagreb": the city (its own admin1), not the province around it
                if best < 0 or w > top_score or (w == top_score and r < best):
                    best, top_score = r, w
            near = prev in _NEAR or (s >= 2 and prev == "of" and toks[s - 2].lower in _NEAR)
            place = self._place(best, s, e, text, toks, near)
            # a city that is its own admin1 ("Kyiv City") agrees with the unit named like it ("Kyiv")
            named = admin_named.get(place.iso3)
            pfeat = place.feature
            if named and pfeat != "admin1" and pfeat != "country":
                a1_low = place.admin1.lower()
                if a1_low not in named:
                    consistent = False
                    for a in named:
                        if a1_low.startswith(a + " "):
                            consistent = True
                            break
                    if not consistent:
                        place.consistent = False
            out[sent_of[j]].append(place)
            if pfeat == "admin2":
                dkey = (place.iso3, place.admin1)
                dn = districts.get(dkey)
                if dn is None:
                    districts[dkey] = {place.name}
                else:
                    dn.add(place.name)
        # a town the gazetteer knows no district for, in the district the passage names ("Gwoza town,
        # Gwoza LGA"; the districts of 14 countries come from our own tables, not their towns' rows)
        if districts:
            for ps in out:
                for pl in ps:
                    named_units = districts.get((pl.iso3, pl.admin1))
                    if (not pl.admin2 and named_units is not None and len(named_units) == 1
                            and pl.feature not in ("country", "admin1", "admin2")):
                        pl.admin2 = next(iter(named_units))
        return country, out
