"""Fatality counts from numbers and number words near death words.

Conservative, as ACLED codes: vague amounts take the codebook's values (lexicon/numbers.csv:
"several" -> 10, "dozens" -> 12, ...); injuries are never fatalities; "killed or wounded" is not a
death count; nothing reported -> 0.
"""

from __future__ import annotations

import re
from typing import Sequence

from coding.codebook import Codebook
from coding.dates import MONTHS
from coding.text import Token

DEATH = frozenset(
    {"kill", "killed", "killing", "dead", "die", "died", "death", "deaths", "fatality", "fatalities", "body", "bodies",
     "corpse", "corpses", "perish", "perished", "slain", "slay", "murder", "murdered", "behead", "beheaded",
     "execute", "executed", "massacre", "massacred", "lose", "lost", "life", "lives", "toll", "casualties?"}
)
DEATH_LEMMAS = frozenset({"kill", "dead", "die", "death", "fatality", "body", "corpse", "perish", "slay", "slain",
                           "murder", "behead", "execute", "massacre", "lynch", "assassinate", "drown"})
INJURY = frozenset({"wound", "wounded", "injure", "injured", "injury", "injuries", "hurt", "maim", "wounding",
                    "injuring", "casualty", "casualties"})
INJURY_LEMMAS = frozenset({"wound", "injure", "injury", "hurt", "maim", "injured", "wounded"})
_UNITS = frozenset({"percent", "%", "km", "kilometers", "kilometres", "miles", "am", "pm", "years", "year", "hours",
                    "hour", "days", "day", "weeks", "week", "months", "month", "minutes", "times", "districts",
                    "villages", "towns", "houses", "homes", "vehicles", "meters", "metres", "tonnes", "tons",
                    "motorcycles", "motorbikes", "cars", "trucks", "boats", "places", "locations", "areas", "sites",
                    "dollars", "million", "billion", "sq", "square", "o'clock", "kg", "rounds", "shells", "hrs", "gmt",
                    "households"})
# "a 45-year-old farmer", "a 6-month-old baby": an age, not a number of dead
_AGE_UNITS = frozenset({"year", "years", "month", "months", "week", "weeks", "day", "days"})
_NUM = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")
_STOP = frozenset({".", ";", "while", "and", "but", ","})
# ACLED's own notes: "3 fatalities coded as 1", "Unknown fatalities estimated as 10", "an unidentified
# number of fatalities ... is coded as 3"
_FATALITY_NOTE = re.compile(r"fatalities?\s+(?:coded\s+as|=|:)\s*(\d+)"
                            r"|fatalities\b[^.;]{0,80}?\b(?:estimated|coded)\s+(?:as|to|at)\s+(\d+)", re.I)
_FATALITY_SPLIT = re.compile(r"(\d+)\s+fatalit(?:y|ies)\s+(?:are\s+|were\s+)?(?:split|spread|divided)\s+"
                             r"(?:among|across|between|over)\s+(\d+)\s+events", re.I)
# "... killed, split between 2 events", "coded as 12 and split between 2 locations": the toll is shared
_SPLIT_WAYS = re.compile(r"\bsplit\s+(?:evenly\s+)?(?:between|among|across)\s+(\d+|two|three|four|five|six)\s+"
                         r"(?:events|locations|districts|areas|villages|places)\b", re.I)
_WAYS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_QUALIFIERS = frozenset({"over", "more", "than", "at", "least", "about", "around", "nearly", "almost", "some",
                         "up", "to", "approximately", "roughly", "an", "estimated", "as", "many", "least",
                         "another", "other", "a", "total", "of"})


def _coded(text: str) -> int | None:
    """ACLED's own count written into a note ("3 fatalities coded as 1"), if any."""
    m = _FATALITY_NOTE.search(text)
    return int(m.group(1) or m.group(2)) if m else None


_DEAD_VERBS = frozenset({"shoot", "shot", "stab", "stabbed", "beat", "beaten", "hack", "hacked", "gun", "gunned",
                         "club", "clubbed", "stone", "stoned", "burn", "burnt", "burned", "macheted"})
_NONE = frozenset({"no", "nobody", "none", "neither", "noone"})
_MONTHS = frozenset(MONTHS)  # the month names and abbreviations dates are read with


def _is_year(tokens: Sequence[Token], i: int) -> bool:
    """A four-digit year of a date ("22 May 2022,", "in March 2021", "(2019)")."""
    low = tokens[i].lower
    if len(low) != 4 or not low.isdigit() or not 1900 <= int(low) <= 2100:
        return False
    prev = tokens[i - 1].lower.rstrip(".") if i else ""
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    return prev in _MONTHS or prev in ("in", "since", "of", "(") or nxt in (",", ")", ".", ";", ":")


# words that open the object of a transitive death verb ("killed a man", "shot dead the driver")
_OBJECT_STARTS = frozenset({"a", "an", "the", "his", "her", "their", "one", "two", "three", "four", "five",
                            "six", "seven", "eight", "nine", "ten", "several", "dozens", "at"})


class FatalityCounter:
    def __init__(self, cb: Codebook | None = None) -> None:
        if cb is None:  # unpickling: the compiled build creates the object through __init__, then sets its state
            return
        self.words: dict[str, tuple[int, bool]] = {}
        self.first_words: set[str] = set()
        # one person named by a noun: "killed the commander", "a woman and her son"; the victims
        # lexicon and the agents' aliases listed with their plural ("commander|commanders")
        self.persons: frozenset[str] = frozenset()
        persons: set[str] = set()
        if "lexicon/victims" in cb.tables:
            persons.update(w.lower() for w in cb.column("lexicon/victims", "word") if " " not in w)
        persons.update(str(w).lower() for w in cb.lexicon.get("single_person_nouns") or [])
        if "actors/agents" in cb.tables:
            for aliases in cb.column("actors/agents", "aliases"):
                names = {a.strip().lower() for a in str(aliases).split("|")}
                persons.update(a for a in names if " " not in a and a + "s" in names)
        self.persons = frozenset(persons)
        if "lexicon/numbers" in cb.tables:
            for r in cb.rows("lexicon/numbers"):
                try:
                    self.words[r["word"].lower()] = (int(float(r["value"])), r.get("vague", "") in ("1", "true", "True"))
                    self.first_words.add(r["word"].lower().split()[0])
                except ValueError:
                    continue

    def number(self, tokens: Sequence[Token], i: int) -> tuple[int, bool, int] | None:
        """(value, vague, tokens used) of a number starting at token i, or None."""
        t = tokens[i]
        if not t.lower[:1].isdigit() and t.lower not in self.first_words and "-" not in t.lower:
            return None
        if _NUM.match(t.lower):
            v = int(t.lower.replace(",", ""))
            if i + 1 < len(tokens) and tokens[i + 1].lower in ("percent", "%", "km", "kilometers", "kilometres", "miles", "am", "pm", "years", "year", "hours", "days"):
                return None
            return v, False, 1
        # multiword entries ("a number of", "a few") first
        for n in (3, 2):
            if i + n <= len(tokens):
                phrase = " ".join(x.lower for x in tokens[i : i + n])
                if phrase in self.words:
                    v, vague = self.words[phrase]
                    return v, vague, n
        w = t.lower
        if w in self.words:
            v, vague = self.words[w]
            # "twenty-four", "twenty four"
            if "-" in w:
                pass
            elif i + 1 < len(tokens) and tokens[i + 1].lower in self.words and not vague:
                v2, vg2 = self.words[tokens[i + 1].lower]
                if not vg2 and v in range(20, 100, 10) and v2 < 10:
                    return v + v2, False, 2
            return v, vague, 1
        if "-" in w:
            parts = w.split("-")
            if all(p in self.words for p in parts):
                vals = [self.words[p][0] for p in parts]
                return sum(vals), False, 1
        return None

    @staticmethod
    def shared(text: str, toll: int) -> int:
        """A report's toll split between several events or places ("8 - 14 civilians were killed,
        split between 2 events"): this event's share, rounded up; the toll itself otherwise."""
        if not toll or _FATALITY_SPLIT.search(text):
            return toll  # "[5 fatalities split among 6 events]" is read by `noted` already
        m = _SPLIT_WAYS.search(text)
        if m is None:
            return toll
        ways = int(m.group(1)) if m.group(1).isdigit() else _WAYS[m.group(1).lower()]
        return -(-toll // ways) if ways > 1 else toll

    @staticmethod
    def noted(text: str) -> int | None:
        """The toll a report states in ACLED's own words ("3 fatalities coded as 1"; "[5 fatalities
        split among 6 events]": one event's share, rounded up as ACLED spreads the remainder), if any."""
        n = _coded(text)
        if n is not None:
            return n
        m = _FATALITY_SPLIT.search(text)
        if m and int(m.group(2)):
            return -(-int(m.group(1)) // int(m.group(2)))
        return None

    def count(self, text: str, tokens: Sequence[Token]) -> int | None:
        """Deaths reported in a sentence, or None when the sentence reports none."""
        noted = _coded(text)
        if noted is not None:
            return noted
        total: int | None = None
        n = len(tokens)
        used: set[int] = set()
        first = self.first_words
        after_kill = -1  # where the last number counted as a death verb's object ended
        for i in range(n):
            low = tokens[i].lower
            # most tokens cannot start a number: skip them without a call (number() checks the same)
            if not low[:1].isdigit() and low not in first and "-" not in low:
                continue
            if i in used:
                continue
            if _is_year(tokens, i):
                continue  # "On 22 May 2022, a landmine killed a boy": a date, not 2,022 dead
            if total is not None and i and tokens[i - 1].lower in ("including", "among", "whom"):
                continue  # "five soldiers, including two officers": part of the count already made
            num = self.number(tokens, i)
            if num is None or (i > 0 and tokens[i - 1].lower == "no" and low == "one"):
                continue
            value, vague, width = num
            j = i + width
            if j + 1 < n and (tokens[j].lower in ("-", "–", "to", "or")
                              or (tokens[j].lower == "and" and i > 0 and tokens[i - 1].lower == "between")):
                second = self.number(tokens, j + 1)
                if second is not None:
                    # "20-60 were killed", "between 20 and 30", "two or three": ACLED takes the lower
                    value = min(value, second[0])
                    j = j + 1 + second[2]
            if j < n and tokens[j].lower in _UNITS:
                continue  # "three days", "40 km", "24 hours": not people
            if j + 2 < n and tokens[j].lower in ("a", "p") and tokens[j + 1].lower == "." and tokens[j + 2].lower == "m":
                continue  # "around 10 a.m": a time
            k = j + 1 if j < n and tokens[j].lower == "-" else j
            if k < n and tokens[k].lower.split("-")[0] in _AGE_UNITS:
                continue  # "killed a 45-year-old farmer": one dead, aged 45
            # look right for a death word within 6 tokens ("24 civilians were killed", "three dead")
            # "3 members of an unidentified armed group were killed": the group's name does not use up the window
            reach = 13 if j + 1 < n and tokens[j + 1].lower == "of" else 7
            right = self._death_near(tokens, j, min(n, j + reach))
            # or left: "killing over 24 civilians", "death of three people", "killed 5"
            left = self._death_left(tokens, i)
            if not (right or left) and after_kill >= 0 and i - after_kill <= 8 and tokens[i - 1].lower == "and" and not any(
                    x.lower in (".", ";", ",") for x in tokens[after_kill:i]):
                left = True  # "killed 8 civilians in Zorbat and 7 in Kelan": the same verb's second object
            if right or left:
                if total is None:
                    total = 0
                total += value
                used.update(range(i, j))
                after_kill = j if left and not right else -1
                if right:
                    total += self._and_one_more(tokens, j, min(n, j + 7))  # "three soldiers and a policeman were killed"
        if total is None and any(not t.lemmas.isdisjoint(DEATH_LEMMAS) for t in tokens):
            # a death without a number: "a man was shot dead" -> 1 when a singular victim is named
            for k, t in enumerate(tokens):
                if not t.lemmas.isdisjoint(DEATH_LEMMAS) and not self._ambiguous(tokens, k):
                    if any(x.lower in _NONE for x in tokens[max(0, k - 6) : k]) or (k and tokens[k - 1].lower == "not"):
                        break  # "no one was killed", "nobody in the village was hurt or killed"
                    for b in range(max(0, k - 8), k):
                        if tokens[b].lower in ("a", "an", "one", "another") and b + 1 < k:
                            return 1 + self._and_one_more(tokens, b + 1, k)  # "a woman and her son died"
                    # "the man died", "the victim was killed": one person, named before the verb
                    if k >= 2 and (t.lower in ("died", "dies", "succumbed") or tokens[k - 1].lower == "was"):
                        for b in range(max(0, k - 4), k - 1):
                            if tokens[b].lower in ("the", "his", "her") and not tokens[b + 1].lower.endswith("s"):
                                return 1
                            if tokens[b].lower in ("he", "she"):
                                return 1  # "he was killed in the incident"
                    # "killed a man", "shot dead a pastoralist": the singular victim after the verb
                    if (t.lower.endswith(("ed", "ing")) or t.lower == "dead") and k + 2 < len(tokens) and (
                            tokens[k + 1].lower in ("a", "an", "one")
                            or tokens[k + 1].lower == "dead" and tokens[k + 2].lower in ("a", "an", "one")
                            or self._one_named(tokens, k + 1)):
                        # "killed a member of the ZDF and a civilian": two
                        return 1 + self._and_one_more(tokens, k + 2, min(len(tokens), k + 10), stop_at_death=False)
                    # "a farmer who had tried to cross the border was shot and killed": a singular
                    # passive, its subject further back ("no one was killed" is none)
                    if "was" in [x.lower for x in tokens[max(0, k - 3) : k]]:
                        return 1
                    break
        return total

    def _and_one_more(self, tokens: Sequence[Token], a: int, b: int, stop_at_death: bool = True) -> int:
        """People added with "and a/an" in one list of victims, up to its death word (or the clause's end)."""
        more = 0
        for k in range(a, b):
            low = tokens[k].lower
            if (stop_at_death and tokens[k].lemmas & DEATH_LEMMAS) or low in (".", ";", ",", "while", "but", "who"):
                break
            if low == "and" and k + 2 < len(tokens) and (tokens[k + 1].lower in ("a", "an", "another")
                                                         or self._one_named(tokens, k + 1)):
                more += 1  # "a woman and her son"
        return more

    def _one_named(self, tokens: Sequence[Token], k: int) -> bool:
        """"the commander", "her son", "the local chief": one person named by a singular noun."""
        if k >= len(tokens) or tokens[k].lower not in ("the", "his", "her", "their"):
            return False
        for q in (k + 1, k + 2):  # one adjective may stand between
            if q < len(tokens) and tokens[q].lower in self.persons:
                return q + 1 >= len(tokens) or tokens[q + 1].lower != "'s"
        return False

    def _ambiguous(self, tokens: Sequence[Token], k: int) -> bool:
        """"killing or wounding", "dead or injured": not a death count."""
        window = tokens[max(0, k - 2) : k + 3]
        return any(t.lower == "or" for t in window) and any(t.lemmas & INJURY_LEMMAS for t in window)

    def _death_near(self, tokens: Sequence[Token], a: int, b: int) -> bool:
        k = a - 1
        while k + 1 < min(b, len(tokens)):
            k += 1
            t = tokens[k]
            if t.lower == "(":
                # "4 volunteer fighters (VDP) were killed": a parenthesis does not use up the window
                close = next((q for q in range(k + 1, min(len(tokens), k + 8)) if tokens[q].lower == ")"), None)
                if close is not None:
                    b = min(len(tokens), b + close - k + 1)
                    k = close
                    continue
            if t.lower == "including" and k > a and tokens[k - 1].lower == ",":
                # "three people, including a nurse, were killed": the apposition does not use up the window
                close = next((q for q in range(k + 1, min(len(tokens), k + 8)) if tokens[q].lower == ","), None)
                if close is not None:
                    b = min(len(tokens), b + close - k + 1)
                    k = close
                    continue
            if t.lower in (";", "."):
                return False
            if t.lemmas & INJURY_LEMMAS and not t.lemmas & DEATH_LEMMAS:
                return False
            if t.lemmas & DEATH_LEMMAS or t.lower in ("lives", "life") and any(
                    x.lemmas & {"lose", "claim"} for x in tokens[max(0, k - 2) : k]):
                # "two gang members shot and killed a man": the number counts the killers when the
                # verb has its victim after it (and no passive "were" stands between)
                if (t.lower.endswith(("ed", "ing")) and k + 1 < len(tokens)
                        and (tokens[k + 1].lower in _OBJECT_STARTS or tokens[k + 1].lower[:1].isdigit())
                        and not any(x.lower in ("was", "were", "been", "being") for x in tokens[a:k])):
                    return False
                return not self._ambiguous(tokens, k)
            if _NUM.match(t.lower) or t.lower in self.words:
                if k > a and tokens[k - 1].lower in ("and", ","):
                    continue  # "3 soldiers and 2 civilians were killed": both numbers count
                if k + 1 < len(tokens) and tokens[k + 1].lower in _UNITS:
                    continue  # "ten militants aboard six motorcycles were killed": not people
                return False
        return False

    def _death_left(self, tokens: Sequence[Token], i: int) -> bool:
        k = i - 1
        steps = 0
        while k >= 0 and steps < 4 and tokens[k].lower in _QUALIFIERS:
            k -= 1
            steps += 1
        if k >= 0 and tokens[k].lower == "of" and k >= 1:
            k -= 1  # "death of three people", "the killing of 5"
            while k >= 0 and tokens[k].lower in ("the", "a"):
                k -= 1
        if k < 0:
            return False
        t = tokens[k]
        if t.lemmas & {"kill", "death", "massacre", "execute", "behead", "murder", "slay", "body", "corpse"} and not self._ambiguous(tokens, k):
            return True
        # "shot dead two soldiers", "stabbed dead a trader": the verb's object
        return t.lower == "dead" and k >= 1 and bool(tokens[k - 1].lemmas & _DEAD_VERBS)
