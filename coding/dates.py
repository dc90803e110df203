"""Event dates from the passage date and the sentence's own time words.

ACLED time precision: 1 = the day is known, 2 = the week (or a day within a few days), 3 = the
month or less. Without a passage date only fully written dates ("4 February 2021") are used:
the date is never guessed and never today's.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Sequence

from coding.text import Token

WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")]
    )
    for m in names
}
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
# the patterns below run on the lower-cased sentence: several times faster than re.I
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?\b")
_MDY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WEEKDAY = re.compile(r"\b(?:on|last|this|late|early)?\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_RELATIVE = [
    (re.compile(r"\b(yesterday|last night|overnight|the previous day|the day before)\b"), -1, 1),
    (re.compile(r"\b(today|this morning|this afternoon|this evening|tonight|in the past 24 hours|in the last 24 hours|earlier today)\b"), 0, 1),
    (re.compile(r"\b(two days ago|the day before yesterday)\b"), -2, 1),
    (re.compile(r"\b(last week|this week|earlier this week|in the past week|over the past (?:few|several|three|two) days|in recent days)\b"), 0, 2),
    (re.compile(r"\b(last month|this month|earlier this month|in the past month|in recent weeks)\b"), 0, 3),
]
# whether any of them matches, in one search: most sentences that reach them match none
_ANY_RELATIVE = re.compile("|".join(f"(?:{rx.pattern})" for rx, _, _ in _RELATIVE))


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """A passage date from YYYY-MM-DD (or a date); None for empty. Raises ValueError if malformed."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    if not s or s.lower() in ("nan", "nat", "none"):
        return None
    return dt.date.fromisoformat(s[:10])


_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# A quick test that lets most sentences skip the patterns below: every one of them needs a digit or
# one of these whole words (month names only ever count next to a day number). Whole words, so
# that "march", "may" and "decided" do not send ordinary sentences down the slow path.
TIME_WORDS = frozenset({
    "yesterday", "overnight", "night", "today", "tonight", "morning", "afternoon", "evening", "day", "days", "week",
    "weeks", "month", "recent", "ago", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
_ANY_TIME = re.compile(r"\d|\b(?:" + "|".join(sorted(TIME_WORDS)) + r")\b")
_DIGIT = re.compile(r"\d")


def has_time_words(low: str, tokens: Sequence[Token]) -> bool:
    """The quick test of `_ANY_TIME` from the sentence's tokens, when they are at hand: a set lookup
    per word instead of an alternation tried at every character."""
    if _DIGIT.search(low):
        return True
    for t in tokens:
        w = t.lower
        if w in TIME_WORDS or (("-" in w or "'" in w or "/" in w) and _ANY_TIME.search(w)):
            return True
    return False


def event_date(sentence: str, passage_date: dt.date | None) -> tuple[dt.date | None, int | None]:
    """(date, time_precision) for an event reported in `sentence`; never after the passage date."""
    own = sentence_date(sentence, passage_date)
    if own is not None:
        return own
    return (passage_date, 1) if passage_date else (None, None)


def sentence_date(sentence: str, passage_date: dt.date | None,
                  tokens: Sequence[Token] | None = None) -> tuple[dt.date, int] | None:
    """(date, time_precision) the sentence's own time words give ("On 4 May 2022", "yesterday"), or
    None when it has none: then the passage's narrative date applies. `tokens`: the sentence's
    tokens, if the caller has them (a faster quick test)."""
    low = sentence.lower()
    if not (_ANY_TIME.search(low) if tokens is None else has_time_words(low, tokens)):
        return None  # no time words at all, fast
    m = _ISO.search(sentence) if "-" in sentence else None
    if m:
        try:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return _clamp(d, passage_date), 1
        except ValueError:
            pass
    has_month = False
    for stem in _MONTH_STEMS:
        if stem in low:
            has_month = True
            break
    for rx, month_group, day_group in ((_DMY, 2, 1), (_MDY, 1, 2)) if has_month else ():
        m = rx.search(low)
        if m:
            month = MONTHS[m.group(month_group).lower().rstrip(".")]
            day = int(m.group(day_group))
            year = m.group(3)
            if year:
                y = int(year)
            elif passage_date:
                y = passage_date.year
                try:
                    if dt.date(y, month, day) > passage_date:
                        y -= 1
                except ValueError:
                    continue
            else:
                continue
            try:
                return _clamp(dt.date(y, month, day), passage_date), 1
            except ValueError:
                continue
    if passage_date is None:
        return None
    m = _WEEKDAY.search(low) if "day" in low else None
    if m:
        wd = WEEKDAYS[m.group(1).lower()]
        back = (passage_date.weekday() - wd) % 7
        if m.group(0).lower().startswith("last") and back == 0:
            back = 7
        return passage_date - dt.timedelta(days=back), 1
    if _ANY_RELATIVE.search(low):
        for rx, delta, precision in _RELATIVE:  # in list order: the first kind that matches wins
            if rx.search(low):
                return passage_date + dt.timedelta(days=delta), precision
    return None


def _clamp(d: dt.date, passage_date: dt.date | None) -> dt.date:
    return min(d, passage_date) if passage_date else d
