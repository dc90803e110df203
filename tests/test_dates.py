"""Event dates: the quick pre-test never changes what the full date patterns find."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

import coding.dates as dates
from coding.dates import event_date, sentence_date

# words the date patterns use, words that only look like them ("March" the verb, "may", "decided",
# "Sundays", "everyday"), numbers and filler
WORDS = [
    "on", "last", "this", "late", "early", "the", "previous", "day", "days", "before", "two", "ago",
    "yesterday", "night", "overnight", "today", "tonight", "morning", "afternoon", "evening", "earlier",
    "in", "past", "24", "hours", "week", "weeks", "month", "recent", "over", "few", "several", "of",
    "monday", "Tuesday", "Sunday", "Sundays", "everyday", "weekday", "March", "march", "may", "May",
    "decided", "Dec.", "Jan", "sept.", "3", "21st", "2020", "2021-02-30", "2021-05-04", ",", "-",
    "protesters", "marched", "to", "market", "nightly", "midday", "monthly",
]


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14),
       st.one_of(st.none(), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))))
def test_quick_pretest_agrees_with_the_full_patterns(words, passage_date):
    sentence = " ".join(words)
    fast = event_date(sentence, passage_date)
    saved = dates._ANY_TIME
    dates._ANY_TIME = re.compile("")  # matches everything: every sentence takes the slow path
    try:
        slow = event_date(sentence, passage_date)
    finally:
        dates._ANY_TIME = saved
    assert fast == slow


def test_month_verbs_alone_keep_the_passage_date():
    d = dt.date(2021, 5, 8)
    assert event_date("Thousands march in the capital and may march again", d) == (d, 1)
    assert event_date("Protesters marched on 3 May", d) == (dt.date(2021, 5, 3), 1)
    assert event_date("Police dispersed them overnight", d) == (dt.date(2021, 5, 7), 1)


def test_a_sentence_without_time_words_of_its_own_has_no_date_of_its_own():
    d = dt.date(2021, 5, 8)
    assert sentence_date("Two teachers were arrested", d) is None
    assert sentence_date("Thousands march in the capital and may march again", d) is None
    assert sentence_date("Police dispersed them overnight", d) == (dt.date(2021, 5, 7), 1)
    assert event_date("Two teachers were arrested", d) == (d, 1)


@given(st.lists(st.sampled_from(WORDS + ["mid-morning", "yesterday's", "week-long", "24/7", "covid-19"]),
                min_size=1, max_size=14))
def test_the_quick_test_from_tokens_agrees_with_the_one_from_text(words):
    from coding.text import tokenize

    sentence = " ".join(words)
    low = sentence.lower()
    assert dates.has_time_words(low, tokenize(sentence)) == bool(dates._ANY_TIME.search(low))
