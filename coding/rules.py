"""Event rules: compile the codebook's phrase patterns and match them against token lemmas.

A pattern is a sequence of elements (see codebooks/README.md): literal words (alternatives,
optional), gaps `...` and actor slots `{S}`/`{T}` (and `{W}`, a witness who is neither). Matching starts at an *anchor* - the first
required literal - found through a dict from word to patterns, so the cost per sentence is a
few dict look-ups per token, not a scan of every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple, Sequence

from coding.errors import CodebookError
from coding.text import Token

GAP = 4
SLOT_GAP = 8
PAREN = 12  # the longest parenthesis a gap steps over as one word
# Words too common to look a pattern up by: a pattern is indexed under a rarer required word.
COMMON = frozenset("""be have do the a an of in on to with by and for at from 's , . - that this it its
their his her they he she we you i not no as or but into over after before under up out off than
more most some any all one two three""".split())
# Tokens a gap may not cross: it would join two clauses.
BARRIERS = frozenset({".", ";", "!", "?", ":"})
# bits of the words masks in Matcher: few enough for a machine-word integer in the compiled build
MASK_BITS = 60


class Element(NamedTuple):  # a tuple: thousands of them unpickle fast from the coder cache
    kind: str  # "lit" | "gap" | "slot"
    words: frozenset[str] = frozenset()  # a literal's words; for a phrase group, the phrases' first words
    optional: bool = False
    slot: str = ""  # "S" | "T" | "W"
    size: int = 0
    phrases: tuple[tuple[str, ...], ...] = ()  # "(hand over|turn in)": alternatives of several words


class Pattern(NamedTuple):
    rule_index: int
    text: str
    elements: tuple[Element, ...]
    anchor: int  # index of the first required literal
    literals: int  # number of required literals: specificity
    required: tuple[frozenset[str], ...] = ()  # every required literal: a cheap sentence-level pre-check
    key: int = 0  # index of the most selective required literal (how the pattern is looked up)

    @property
    def slots(self) -> str:
        return "".join(e.slot for e in self.elements if e.kind == "slot")


@dataclass
class Rule:
    # defaults only so that the compiled build can unpickle a Rule (it creates it through __init__)
    id: str = ""
    cameo: str = ""
    mode: str = ""
    patterns: list[str] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)
    file: str = ""
    note: str = ""
    order: int = 0
    label: bool = False  # a report's heading ("Looting: On ... soldiers seized ..."): its actors come after it


@dataclass(slots=True)
class Match:
    """One pattern match in a sentence (token indices, end exclusive)."""

    pattern: Pattern
    start: int
    end: int
    anchor: int
    slot_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    edge_slots: dict[str, str] = field(default_factory=dict)  # slot -> "left"|"right"


# a pattern token: a bracketed group of phrases "(hand over|turn in)" / "[(a b|c)]", or a plain token
_PATTERN_TOKEN = re.compile(r"\[\([^)]*\)\]|\([^)]*\)|\S+")


def parse_pattern(text: str, rule_index: int = 0, where: str = "") -> Pattern:
    """Parse one pattern string; raise CodebookError naming the rule on a malformed pattern."""
    elements: list[Element] = []
    for raw in _PATTERN_TOKEN.findall(text):
        tok = raw.strip()
        optional_group = tok.startswith("[(") and tok.endswith(")]")
        if optional_group or (tok.startswith("(") and tok.endswith(")")):
            inner = tok[2:-2] if optional_group else tok[1:-1]
            phrases = tuple(tuple(w.lower() for w in alt.split()) for alt in inner.split("|") if alt.strip())
            if not phrases:
                raise CodebookError(f"{where}: pattern {text!r} has an empty group {tok!r}")
            elements.append(Element("lit", words=frozenset(ph[0] for ph in phrases), optional=optional_group,
                                    phrases=phrases))
        elif tok == "...":
            elements.append(Element("gap", size=GAP))
        elif tok in ("{S}", "{T}", "{W}"):  # W: a witness (monitors who observed it), no party to the event
            elements.append(Element("slot", slot=tok[1]))
        elif tok.startswith("[") and tok.endswith("]") and len(tok) > 2:
            words = frozenset(w.lower() for w in tok[1:-1].split("|") if w)
            elements.append(Element("lit", words=words, optional=True))
        elif "{" in tok or "[" in tok or "]" in tok or "}" in tok:
            raise CodebookError(f"{where}: pattern {text!r} has a malformed token {tok!r}; see codebooks/README.md")
        else:
            words = frozenset(w.lower() for w in tok.split("|") if w)
            elements.append(Element("lit", words=words))
    required = [i for i, e in enumerate(elements) if e.kind == "lit" and not e.optional]
    if not required:
        raise CodebookError(f"{where}: pattern {text!r} needs at least one required word")
    anchor = required[0]
    for e in elements[:anchor]:
        if e.kind == "gap":
            raise CodebookError(f"{where}: pattern {text!r} cannot start with a gap")

    def cost(i: int) -> tuple[int, int]:
        words = elements[i].words
        return (100 if words & COMMON else 0) + len(words), i

    key = min(required, key=cost)
    return Pattern(rule_index, text, tuple(elements), anchor, len(required),
                   tuple(elements[i].words for i in required), key)


def compile_rules(raw_rules: Iterable[dict[str, Any]]) -> tuple[list[Rule], dict[str, list[Pattern]]]:
    """Rules and the anchor index word -> patterns anchored on that word."""
    rules: list[Rule] = []
    index: dict[str, list[Pattern]] = {}
    for raw in raw_rules:
        where = f"{raw.get('_file', 'rules')} rule {raw.get('id')}"
        code = str(raw.get("cameo", "")).strip()
        if not code:
            raise CodebookError(f"{where}: no cameo code; add `cameo: \"NNN\"`")
        pats = raw.get("patterns") or []
        if isinstance(pats, str):
            pats = [pats]
        rule = Rule(
            id=str(raw["id"]),
            cameo=code,
            mode=str(raw.get("mode") or ""),
            patterns=[str(p) for p in pats],
            examples=list(raw.get("examples") or []),
            file=str(raw.get("_file", "")),
            note=str(raw.get("note") or ""),
            order=len(rules),
            label=bool(raw.get("label")),
        )
        ri = len(rules)
        rules.append(rule)
        for p in rule.patterns:
            pat = parse_pattern(p, ri, where)
            for w in pat.elements[pat.key].words:
                index.setdefault(w, []).append(pat)
    return rules, index


def _lit_ok(e: Element, tok: Token) -> bool:
    return not e.words.isdisjoint(tok.lemmas)


# a group of patterns that share their required literals, as Matcher keeps it (see __init__)
Group = tuple[tuple[int, ...], tuple[str, ...], tuple[frozenset[str], ...], tuple[tuple[Pattern, frozenset[str], int], ...]]


class Matcher:
    """Finds every pattern match in a token sequence, given where actor mentions start.

    Patterns are grouped under their most selective required literal (a set of words) and, within
    it, by their other required literals: a sentence reaches a group through its lemmas, checks
    the group's other literals once, and only then tries the group's patterns at the anchors.
    """

    def __init__(self, index: dict[str, list[Pattern]] | None = None) -> None:
        if index is None:  # unpickling: the compiled build creates the object through __init__, then sets its state
            return
        # the anchor index itself is not kept: nothing reads it after this (a smaller cached coder)
        unique: dict[int, Pattern] = {}
        for pats in index.values():
            for p in pats:
                unique.setdefault(id(p), p)
        key_ids: dict[frozenset[str], int] = {}
        word_keys: dict[str, list[int]] = {}
        groups: dict[int, dict[tuple[frozenset[str], ...], list[Pattern]]] = {}
        uses: dict[str, int] = {}  # word -> how many required literals it is in
        for p in unique.values():
            key_words = p.elements[p.key].words
            kid = key_ids.get(key_words)
            if kid is None:
                kid = key_ids[key_words] = len(key_ids)
                for w in key_words:
                    word_keys.setdefault(w, []).append(kid)
            for lit in p.required:
                for w in lit:
                    uses[w] = uses.get(w, 0) + 1
            others = tuple(sorted({w for w in p.required if w != key_words}, key=sorted))
            groups.setdefault(kid, {}).setdefault(others, []).append(p)
        # Every word of a required literal gets one of MASK_BITS bits, the most used words first, so
        # that the most frequent words rarely share one. A literal's mask is its words' bits: when it
        # shares no bit with the sentence's, none of its words is there, and one integer AND says
        # so instead of a call to frozenset.isdisjoint (most of a sentence's group checks fail).
        by_use = sorted(uses, key=lambda w: (-uses[w], w))
        bits = {w: 1 << (r % MASK_BITS) for r, w in enumerate(by_use)}

        def mask(lit: frozenset[str]) -> int:
            m = 0
            for w in lit:
                m |= bits[w]
            return m

        # the final sort's order (rule, pattern text) as one integer per pattern
        pairs = sorted({(p.rule_index, p.text) for p in unique.values()})
        rank = {pair: r for r, pair in enumerate(pairs)}
        self.ranks = len(pairs)
        # word -> (the ids of the keys it is a word of, its bit); no other lemma is ever looked up
        self.words = {w: (tuple(word_keys.get(w, ())), bits[w]) for w in by_use}
        # per key id: one gate mask per group (its first literal's), apart from the groups, so that a
        # group that fails it is never unpacked; and the groups as (the other literals' masks, the
        # single-word literals, the other literals, the patterns as (pattern, anchor literal, rank))
        self.groups: list[tuple[tuple[int, ...], tuple[Group, ...]]] = []
        for kid in range(len(key_ids)):
            gates: list[int] = []
            rest: list[Group] = []
            for others, ps in groups[kid].items():
                masks = sorted((mask(lit) for lit in others), key=lambda m: (bin(m).count("1"), m))
                gates.append(masks[0] if masks else -1)  # the fewest bits: the likeliest to fail
                rest.append((tuple(masks[1:]),
                             tuple(w for lit in others if len(lit) == 1 for w in lit),
                             tuple(lit for lit in others if len(lit) > 1),
                             tuple((p, p.elements[p.anchor].words, rank[(p.rule_index, p.text)]) for p in ps)))
            self.groups.append((tuple(gates), tuple(rest)))
        self.word_keys = {w: tuple(v) for w, v in word_keys.items()}

    def may_match(self, tokens: Sequence[Token]) -> bool:
        """Whether any pattern could match: some lemma is a key word of some pattern."""
        word_keys = self.word_keys
        for tok in tokens:
            for lem in tok.lemmas:
                if lem in word_keys:
                    return True
        return False

    def find(self, tokens: Sequence[Token], actor_starts: frozenset[int] | set[int] | dict[int, int]) -> list[Match]:
        out: list[Match] = []
        words = self.words
        # where each word of some required literal stands (other lemmas are never needed again)
        positions: dict[str, list[int]] = {}
        keys: set[int] = set()
        seen = 0  # the bits of the words present
        for i, tok in enumerate(tokens):
            for lem in tok.lemmas:
                info = words.get(lem)
                if info is None:
                    continue
                got = positions.get(lem)
                if got is None:
                    positions[lem] = [i]
                    kids, bit = info
                    if kids:
                        keys.update(kids)
                    seen |= bit
                else:
                    got.append(i)
        if not keys:
            return out
        groups = self.groups
        present = set(positions)  # isdisjoint is fast against a set, slow against a dict
        anchors: dict[frozenset[str], list[int]] = {}
        ranks: list[int] = []
        nranks = self.ranks
        match_at = self._match_at
        for kid in keys:
            gates, rest = groups[kid]
            for g in range(len(gates)):
                if not gates[g] & seen:  # -1 (no other literal) passes
                    continue
                masks, singles, multis, pats = rest[g]
                ok = True
                for m in masks:  # quick necessary tests of the other literals first
                    if not m & seen:
                        ok = False
                        break
                if ok:
                    for w in singles:
                        if w not in present:
                            ok = False
                            break
                if ok:
                    for lit in multis:
                        if lit.isdisjoint(present):
                            ok = False
                            break
                if not ok:
                    continue
                for pat, anchor_words, rank in pats:
                    starts = anchors.get(anchor_words)
                    if starts is None:
                        # the positions of the anchor's words that are there, through the smaller side
                        hits: list[list[int]] = []
                        if len(anchor_words) <= len(positions):
                            for w in anchor_words:
                                got = positions.get(w)
                                if got is not None:
                                    hits.append(got)
                        else:
                            for w, got in positions.items():
                                if w in anchor_words:
                                    hits.append(got)
                        if len(hits) == 1:
                            starts = hits[0]  # one word's positions: in order already, each once
                        else:
                            found: set[int] = set()
                            for got in hits:
                                found.update(got)
                            starts = sorted(found)
                        anchors[anchor_words] = starts
                    for i in starts:
                        match = match_at(pat, tokens, i, actor_starts)
                        if match is not None:
                            out.append(match)
                            ranks.append(i * nranks + rank)
        if len(out) > 1:
            # by anchor, rule and pattern text: a stable sort on one integer each (duplicates keep their order)
            order = sorted(range(len(out)), key=ranks.__getitem__)
            out = [out[j] for j in order]
        return out

    def _match_at(
        self, pat: Pattern, tokens: Sequence[Token], i: int, actor_starts: frozenset[int] | set[int] | dict[int, int]
    ) -> Match | None:
        els = pat.elements
        # backwards over the elements before the anchor: optional words and a leading slot
        start = i
        edge: dict[str, str] = {}
        spans: dict[str, tuple[int, int]] = {}
        for k in range(pat.anchor - 1, -1, -1):  # no slice and reversed() for the usual anchor 0
            e = els[k]
            if e.kind == "lit" and not e.phrases:
                if start - 1 >= 0 and _lit_ok(e, tokens[start - 1]):
                    start -= 1
            elif e.kind == "slot":
                edge[e.slot] = "left"
        res = self._forward(els, pat.anchor, i, tokens, actor_starts, spans, edge)
        if res is None:
            return None
        end = res
        return Match(pat, start, end, i, spans, edge)  # both made for this call: no copies

    def _forward(
        self,
        els: tuple[Element, ...],
        k: int,
        pos: int,
        tokens: Sequence[Token],
        actor_starts: frozenset[int] | set[int] | dict[int, int],
        spans: dict[str, tuple[int, int]],
        edge: dict[str, str],
    ) -> int | None:
        """Match els[k:] at tokens[pos:]; return the end token index or None."""
        n = len(tokens)
        if k == len(els):
            return pos
        e = els[k]
        if e.kind == "lit" and e.phrases:
            for ph in e.phrases:
                if pos + len(ph) <= n and all(w in tokens[pos + j].lemmas for j, w in enumerate(ph)):
                    r = self._forward(els, k + 1, pos + len(ph), tokens, actor_starts, spans, edge)
                    if r is not None:
                        return r
            if e.optional:
                return self._forward(els, k + 1, pos, tokens, actor_starts, spans, edge)
            return None
        if e.kind == "lit":
            if pos < n and _lit_ok(e, tokens[pos]):
                r = self._forward(els, k + 1, pos + 1, tokens, actor_starts, spans, edge)
                if r is not None:
                    return r
            if e.optional:
                return self._forward(els, k + 1, pos, tokens, actor_starts, spans, edge)
            return None
        if e.kind == "gap":
            # up to e.size words; a parenthesis counts as one ("gathered in X - Y (Z, W) to demand":
            # ACLED's notes put the admin units of every place in brackets)
            p = pos
            for j in range(e.size + 1):
                if j:
                    if p >= n or tokens[p].lower in BARRIERS:
                        break
                    if tokens[p].lower == "(":
                        q = p + 1
                        while q < n and q - p <= PAREN and tokens[q].lower != ")" and tokens[q].lower not in BARRIERS:
                            q += 1
                        p = q + 1 if q < n and tokens[q].lower == ")" else p + 1
                    else:
                        p += 1
                r = self._forward(els, k + 1, p, tokens, actor_starts, spans, edge)
                if r is not None:
                    return r
            return None
        # slot
        if k == len(els) - 1:
            edge[e.slot] = "right"
            return pos
        for j in range(1, SLOT_GAP + 1):
            if pos + j > n or tokens[pos + j - 1].lower in BARRIERS:
                break
            if not any(p in actor_starts for p in range(pos, pos + j)):
                continue
            if isinstance(actor_starts, dict):
                # a slot holds an actor phrase ("a group of terrorists"), not a clause
                loose, p = 0, pos
                while p < pos + j:
                    if p in actor_starts:
                        p = max(actor_starts[p], p + 1)
                    else:
                        loose += 1
                        p += 1
                if loose > 3:
                    break
            r = self._forward(els, k + 1, pos + j, tokens, actor_starts, spans, edge)
            if r is not None:
                spans[e.slot] = (pos, pos + j)
                return r
        return None
