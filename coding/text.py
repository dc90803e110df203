"""Sentences and tokens with character offsets into the passage text as given.

Offsets are never into a rewritten string: a sentence is a (start, end) slice of the passage,
tokens are (start, end) slices too. Paragraph breaks inside a sentence (hard-wrapped copy) are
joined; short title-like lines ("Homs", "Sweida, Dara'a") become headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, NamedTuple, Sequence
from functools import lru_cache


# Abbreviations after which a full stop does not end a sentence (lower-case, without the dot).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt cpt sgt cpl pvt adm cmdr brig rep sen gov pres
    st mt ft no nos vs etc al approx est dept univ inc ltd co cos corp bros assn intl govt jr sr rev hon amb
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    u.n u.s u.k e.u u.a.e d.c a.m p.m e.g i.e km sq kg mln bn
    """.split()
)

_TOKEN = re.compile(
    r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?"  # numbers: 24, 1,000, 3.5, 4th
    r"|[^\W\d_](?:[\w’']*[^\W_])?(?:[-–][\w’']*[^\W_])*(?:\.(?:[^\W\d_]\.)+)?"  # words, al-Nusra, U.N.
    r"|'s|’s"
    r"|\S",
    re.UNICODE,
)
# Sentence-final punctuation and closing quotes/brackets before a space or the end. (Written to
# begin with a character class, which lets the regex engine skip ahead to candidates: six times
# faster than "[.!?]+[\"'”’)\]]*(?=\s)|[.!?]+[\"'”’)\]]*$", and the same matches.)
_END = re.compile(r"[.!?][.!?]*[\"'”’)\]]*(?=\s|$)")
_TERMINAL = set('.!?:;"”’)')


def attributes(obj: object) -> dict[str, Any]:
    """An object's attributes for pickling: its __dict__, or the slots mypyc compiled it with."""
    names = getattr(type(obj), "__mypyc_attrs__", None)
    if names is None:
        return dict(vars(obj))
    return {k: getattr(obj, k) for k in names if hasattr(obj, k)}


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a passage: `text` == passage[start:end]; `heading` for title lines."""

    index: int
    start: int
    end: int
    text: str
    heading: bool = False


class Token(NamedTuple):
    """A token; `start`/`end` index the passage, `lemmas` the forms it can match.

    A tuple: passages make millions of them, and a tuple is built several times faster than a
    frozen dataclass."""

    start: int
    end: int
    text: str
    lower: str
    lemmas: frozenset[str]


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` closes an abbreviation rather than a sentence."""
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower().rstrip(".")
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():  # initials: "John F. Kennedy", "U."
        return True
    return "." in word  # "U.S.", "a.m."


def _trimmed(out: list[tuple[int, int]], text: str, a: int, b: int) -> None:
    """Append text[a:b] without its surrounding whitespace, unless nothing is left."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a < b:
        out.append((a, b))


_LONGEST = 2000  # characters; real news sentences stay under ~700


def _bounded(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans longer than _LONGEST (text without full stops: a list, a table, a PDF's extracted
    text) cut at the last clause break (";", ",") or space before the bound: coding a sentence
    costs more than linear time in its length, so a 5 MB "sentence" would never finish."""
    if all(b - a <= _LONGEST for a, b in spans):
        return spans
    out: list[tuple[int, int]] = []
    for a, b in spans:
        while b - a > _LONGEST:
            lo, hi = a + _LONGEST // 2, a + _LONGEST
            cut = max(text.rfind(";", lo, hi), text.rfind(",", lo, hi))
            if cut < 0:
                cut = text.rfind(" ", lo, hi)
            if cut < 0:
                cut = hi - 1  # one long run of non-space characters
            _trimmed(out, text, a, cut + 1)
            a = cut + 1
        _trimmed(out, text, a, b)
    return out


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split text[start:end] (no paragraph breaks) at sentence-final punctuation; spans trimmed."""
    out: list[tuple[int, int]] = []
    s = start
    for m in _END.finditer(text, start, end):
        dot, e = m.span()
        # a single full stop ("." then only closing quotes/brackets), not "..." or "?!"
        if text[dot] == "." and (dot + 1 == e or text[dot + 1] not in ".!?") and _is_abbreviation(text, dot):
            # "Jan. 3", "Lt. Col. Smith": only split if a capitalised sentence start clearly follows
            nxt = text[e : e + 2].strip()
            word = text[max(start, dot - 4) : dot].lower()
            if dot >= 1 and text[dot - 1].isupper() and (dot < 2 or not text[dot - 2].isalpha()):
                continue  # an initial: "Francisco I. Madero", "John F. Kennedy"
            if not nxt or not nxt[0].isupper() or word.split()[-1:] and word.split()[-1] in ABBREVIATIONS or "." in word:
                continue
        _trimmed(out, text, s, e)  # (a span of only whitespace adds nothing)
        s = e
    _trimmed(out, text, s, end)
    return _bounded(text, out)


_PARA = re.compile(r"\n\s*\n|\r\n\s*\r\n")
# A wire story's dateline: "KABUL, March 3 (Reuters) - ", "LAGOS, Nigeria - ", "GENEVA (AFP) -- ".
# It says where the story was filed, like a heading: coded as text it would make "Ukraine - Russian
# forces" one actor. The city is in capitals, or an agency in brackets follows it.
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+){0,3}"  # KABUL, NEW DELHI, PORT-AU-PRINCE
    r"(?:, [A-Z][\w.'\-]*(?: [A-Z0-9][\w.'\-]*){0,3})*(?: ?\([^()\n]{1,40}\))?"
    r"|[A-Z][\w.'\-]+(?: [A-Z][\w.'\-]+){0,2}(?:, [A-Z][\w.'\-]*(?: [A-Z0-9][\w.'\-]*){0,3})* ?\([^()\n]{1,40}\))"
    r" ?(?:-{1,2}|–|—) ")


def _looks_like_heading(block: str) -> bool:
    if len(block) > 60:  # never a heading: decided before splitting a whole paragraph into words
        return False
    words = block.split()
    if not words or len(words) > 6 or block.rstrip()[-1:] in _TERMINAL or len(block) > 60:
        return False
    caps = [w for w in words if w[0].isalpha()]
    return bool(caps) and all(w[0].isupper() or w.lower() in {"and", "of", "al", "el", "&"} for w in caps)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` with offsets; headings flagged; wrapped paragraphs joined."""
    # 1. paragraphs (blank-line separated), each as (start, end) of its stripped text
    blocks: list[tuple[int, int]] = []
    pos = 0
    if "\n" in text:  # (a paragraph break needs one)
        for m in _PARA.finditer(text):
            blocks.append((pos, m.start()))
            pos = m.end()
    blocks.append((pos, len(text)))
    # single newlines that end a heading-like line also separate blocks
    refined: list[tuple[int, int]] = []
    for a, b in blocks:
        lines: list[tuple[int, int]] = []
        if text.find("\n", a, b) < 0:
            lines.append((a, b))
        else:
            p = a
            for line in text[a:b].split("\n"):
                lines.append((p, p + len(line)))
                p += len(line) + 1
        cur = None
        for la, lb in lines:
            seg = text[la:lb]
            if not seg or seg.isspace():  # blank
                continue
            if _looks_like_heading(seg) and (cur is None or text[cur[0] : cur[1]].rstrip()[-1:] in _TERMINAL):
                if cur:
                    refined.append(cur)
                refined.append((la, lb))
                cur = None
            else:
                cur = (cur[0], lb) if cur else (la, lb)
        if cur:
            refined.append(cur)
    # 2. join a block that does not end a sentence with the next one (hard-wrapped copy)
    merged: list[tuple[int, int, bool]] = []
    for a, b in refined:
        sa, sb = a, b  # the block without surrounding whitespace
        while sa < sb and text[sa].isspace():
            sa += 1
        while sb > sa and text[sb - 1].isspace():
            sb -= 1
        if sa == sb:
            continue
        heading = sb - sa <= 60 and _looks_like_heading(text[sa:sb])
        if merged and not merged[-1][2]:
            pa_, pb_, _ = merged[-1]
            prev = text[pa_:pb_].rstrip()
            if prev and prev[-1] not in _TERMINAL and (
                    text[sa].islower() or prev.rsplit(None, 1)[-1][:1].islower()):  # (its last word)
                merged[-1] = (pa_, b, False)
                continue
        merged.append((a, b, heading))
    # a first line without final punctuation above more text is the headline: it restates the
    # story (coding it would double the events) but, like a section heading, it names the place
    if len(merged) > 1:
        a, b, _ = merged[0]
        first = text[a:b].strip()
        if first and first[-1] not in ".!?" and len(first.split()) <= 20 and "\n" not in first:
            merged[0] = (a, b, True)
    # 3. sentences inside blocks
    out: list[Sentence] = []
    for a, b, heading in merged:
        if heading:
            sa, sb = a, b
            while sa < sb and text[sa].isspace():
                sa += 1
            while sb > sa and text[sb - 1].isspace():
                sb -= 1
            out.append(Sentence(len(out), sa, sb, text[sa:sb], True))
            continue
        while a < b and text[a].isspace():
            a += 1
        dateline = _DATELINE.match(text, a, b)
        if dateline and dateline.end() < b:
            head = text[a : dateline.end()].rstrip(" -–—")
            out.append(Sentence(len(out), a, a + len(head), head, True))
            a = dateline.end()
        for sa, sb in _split_block(text, a, b):
            out.append(Sentence(len(out), sa, sb, text[sa:sb], False))
    return out


@lru_cache(maxsize=200_000)
def lemmas_of(lower: str) -> frozenset[str]:
    """All lemmas a lower-case word form may have (any part of speech), plus the form itself."""
    from lemminflect import getAllLemmas  # only for tokens outside a compiled vocabulary

    forms = {lower}
    if lower.isalpha() or "-" in lower:
        for lem in getAllLemmas(lower).values():
            forms.update(x.lower() for x in lem)
        if lower.endswith("’s"):
            forms.add(lower[:-2])
    return frozenset(forms)


_FORMS: dict[str, tuple[str, frozenset[str]]] = {}


def _form(surface: str) -> tuple[str, frozenset[str]]:
    """(lower-case form, lemmas) of a surface form, memoised: news reuses few word forms."""
    got = _FORMS.get(surface)
    if got is None:
        low = surface.lower().replace("’", "'").replace("–", "-")
        got = (low, lemmas_of(low))
        if len(_FORMS) < 500_000:
            _FORMS[surface] = got
    return got


class Forms:
    """Lemma look-up restricted to a vocabulary (the words a compiled codebook can match).

    Built once from the vocabulary's inflections ("shell" -> shelled, shelling, shells), so coding
    needs no lemmatiser at run time: a word form's lemmas are the vocabulary words it inflects.
    """

    def __init__(self, vocabulary: set[str] | None = None, inflect: Callable[[str], Iterable[str]] | None = None) -> None:
        if vocabulary is None:  # unpickling: the compiled build creates the object through __init__, then sets its state
            return
        if inflect is None:
            from coding.inflections import Inflections

            inflect = Inflections().forms
        inverse: dict[str, set[str]] = {}
        for base in vocabulary:
            if not base.replace("-", "").replace("'", "").isalpha():
                continue
            for f in inflect(base):
                if f != base:
                    inverse.setdefault(f, set()).add(base)
        self.inverse = {k: frozenset(v | {k}) for k, v in inverse.items()}
        self.memo: dict[str, tuple[str, frozenset[str]]] = {}

    def __getstate__(self) -> dict[str, object]:
        return {"inverse": self.inverse, "memo": {}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.inverse, self.memo = state["inverse"], state["memo"]

    def form(self, surface: str) -> tuple[str, frozenset[str]]:
        got = self.memo.get(surface)
        if got is None:
            low = surface.lower().replace("’", "'").replace("–", "-")
            got = (low, self.inverse.get(low) or frozenset((low,)))
            if len(self.memo) < 500_000:
                self.memo[surface] = got
        return got


def tokenize(text: str, start: int = 0, end: int | None = None, forms: Forms | None = None) -> list[Token]:
    """Tokens of text[start:end] with passage offsets and candidate lemmas (all of a word's lemmas,
    or with `forms` only those in the compiled vocabulary)."""
    memo = forms.memo if forms is not None else _FORMS
    new = tuple.__new__
    toks: list[Token] = []
    append = toks.append
    # findall makes no match objects. The pattern matches any non-space character, so only
    # whitespace lies between tokens and a token's first occurrence from the last one's end is it.
    pos = start
    surface: str
    for surface in _TOKEN.findall(text, start, len(text) if end is None else end):
        a = text.find(surface, pos)
        b = a + len(surface)
        pos = b
        if b - a > 3 and surface[-1] == "s" and surface[-2] in "'’" and surface[-3].isalpha():
            # possessive: "al-Nusra's" -> "al-Nusra" + "'s"
            low, lem = forms.form(surface[:-2]) if forms is not None else _form(surface[:-2])
            append(new(Token, (a, b - 2, surface[:-2], low, lem)))
            low, lem = forms.form(surface[-2:]) if forms is not None else _form(surface[-2:])
            append(new(Token, (b - 2, b, surface[-2:], low, lem)))
            continue
        got = memo.get(surface)
        if got is None:
            got = forms.form(surface) if forms is not None else _form(surface)
        low, lem = got
        append(new(Token, (a, b, surface, low, lem)))
    return toks


_FORMS_DEFAULT = _form


def _token(text: str, a: int, b: int) -> Token:
    surface = text[a:b]
    low, lem = _form(surface)
    return Token(a, b, surface, low, lem)


def first_token(phrase: str) -> str:
    """The first token of a phrase as `tokenize` would cut it out of running text."""
    head = phrase.split(" ", 1)[0]
    if head.isalpha():
        return head  # a plain word: what the token pattern would take (the common case, fast)
    m = _TOKEN.match(phrase)
    if m is None:
        return phrase
    tok = m.group()
    if len(tok) > 3 and tok[-2] in "'’" and tok[-1] == "s" and tok[-3].isalpha():
        tok = tok[:-2]  # tokenize splits the possessive off
    return tok


class PhraseIndex:
    """Exact look-up of dictionary phrases that start and end on token boundaries.

    Finds what an Aho-Corasick automaton filtered to token boundaries finds, but only starts
    where a token begins some phrase and stops once the span is longer than any such phrase:
    a few dict look-ups per sentence instead of every substring hit. One plain dict holds both
    facts about a string, packed in an int (phrase number + 1 above _BITS, the length of the
    longest phrase it begins below), so the compiled coder unpickles fast from its cache.
    """

    _BITS = 10  # phrases are shorter than 1,024 characters

    def __init__(self, phrases: dict[str, Any] | None = None, numbered: bool = False) -> None:
        if phrases is None:  # unpickling: the compiled build creates the object through __init__, then sets its state
            return
        # numbered: the payload of a phrase is its position in `phrases` (no list to keep)
        self.size = len(phrases)
        self.values: list[Any] | None = None if numbered else list(phrases.values())
        bits = self._BITS
        mask = (1 << bits) - 1
        table: dict[str, int] = {key: (n + 1) << bits for n, key in enumerate(phrases)}
        longest: dict[str, int] = {}
        get = longest.get
        for key in phrases:
            ft = first_token(key)
            if len(key) > get(ft, 0):
                longest[ft] = len(key)
        for ft, size in longest.items():
            table[ft] = table.get(ft, 0) | min(size, mask)
        self.table = table

    def __len__(self) -> int:
        return self.size

    def get(self, phrase: str) -> Any:
        """The payload of one exact phrase, or None."""
        v = self.table.get(phrase, 0) >> self._BITS
        if not v:
            return None
        return self.values[v - 1] if self.values is not None else v - 1

    def spans(self, lower: str, tokens: Sequence[Token], i: int) -> list[tuple[int, Any]]:
        """(end token index, exclusive; payload) of every phrase starting at token i."""
        t = tokens[i]
        s = t.start
        e = t.end
        # one look-up of the first token: the longest phrase it begins, and a phrase of its own
        got = self.table.get(lower[s:e], 0)
        limit = got & 1023
        if not limit or e - s > limit:
            return []
        table = self.table
        values = self.values
        out: list[tuple[int, Any]] = []
        v = got >> 10
        if v:
            out.append((i + 1, values[v - 1] if values is not None else v - 1))
        for j in range(i + 1, len(tokens)):
            e = tokens[j].end
            if e - s > limit:
                break
            v = table.get(lower[s:e], 0) >> 10
            if v:
                out.append((j + 1, values[v - 1] if values is not None else v - 1))
        return out


def longest_first(hits: list[tuple[int, int, Any]], n_tokens: int) -> list[tuple[int, int, Any]]:
    """Dictionary hits (start, end, payload) reduced to non-overlapping ones, longest first, in text order."""
    if len(hits) < 2:  # (most sentences: nothing to reduce or reorder)
        return [(s, e, payload) for s, e, payload in hits]
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    taken = [False] * n_tokens
    out = []
    for s, e, payload in hits:
        if any(taken[s:e]):
            continue
        for k in range(s, e):
            taken[k] = True
        out.append((s, e, payload))
    out.sort(key=lambda h: h[0])
    return out
