"""Sentences and tokens: offsets into the passage as given, abbreviations, headings, wrapped lines."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coding.text import _LONGEST, split_sentences, tokenize


def texts(t):
    return [s.text for s in split_sentences(t)]


def test_abbreviations_do_not_end_sentences():
    t = "Lt. Col. Ahmed met Gen. Ali and U.N. envoys on Jan. 3 in Homs. The talks failed. Dr. Smith left."
    assert texts(t) == [
        "Lt. Col. Ahmed met Gen. Ali and U.N. envoys on Jan. 3 in Homs.",
        "The talks failed.",
        "Dr. Smith left.",
    ]


def test_company_abbreviations_do_not_end_sentences():
    # "Cos. Inc." split after "Cos." and left the protest without its place
    t = "Workers rallied outside the Zorbat Cos. Inc. offices in Kelan. Police watched."
    assert texts(t) == ["Workers rallied outside the Zorbat Cos. Inc. offices in Kelan.", "Police watched."]


def test_initials_in_names_do_not_end_sentences():
    assert len(split_sentences("Students blocked Francisco I. Madero avenue on Monday. Police came.")) == 2


def test_headings_and_wrapped_paragraphs():
    t = "Daily Report on the Fighting\n\nHoms\n\nThe army shelled the\n\nvillage of Tasnin. Rebels fled.\n\nIdlib\n\nA bomb exploded in\n\nSaraqib."
    ss = split_sentences(t)
    assert [(s.text, s.heading) for s in ss] == [
        ("Daily Report on the Fighting", True),
        ("Homs", True),
        ("The army shelled the\n\nvillage of Tasnin.", False),
        ("Rebels fled.", False),
        ("Idlib", True),
        ("A bomb exploded in\n\nSaraqib.", False),
    ]


@pytest.mark.parametrize("text,dateline", [
    ("ZORBAT CITY, March 3 (Kelan Wire) - Rebels attacked a checkpoint.", "ZORBAT CITY, March 3 (Kelan Wire)"),
    ("KELANKA, Zorbatia - Police fired tear gas.", "KELANKA, Zorbatia"),
    ("Zorbat (KNA) — Talks resumed on Monday.", "Zorbat (KNA)"),
    ("ZORBAT -- The government imposed a curfew.", "ZORBAT"),
    # not datelines: an aside between dashes, an ordinary opening
    ("Rebels - backed by Kelan - attacked the town.", None),
    ("On 3 May 2022, rebels attacked the town.", None),
])
def test_a_wire_dateline_is_a_heading(text, dateline):
    # where the story was filed is no part of the first sentence ("ZORBAT - Kelan forces" is no actor)
    ss = split_sentences(text)
    heads = [s for s in ss if s.heading]
    assert [s.text for s in heads] == ([dateline] if dateline else [])
    assert all(text[s.start : s.end] == s.text for s in ss)
    assert not ss[-1].heading


def test_tokens_keep_offsets_and_lemmas():
    t = "Syrian troops shelled al-Nusra's positions near Foua'a."
    toks = tokenize(t)
    assert [x.text for x in toks] == ["Syrian", "troops", "shelled", "al-Nusra", "'s", "positions", "near", "Foua'a", "."]
    assert all(t[x.start:x.end] == x.text for x in toks)
    assert "shell" in toks[2].lemmas and "troop" in toks[1].lemmas


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_sentence_offsets_always_slice_the_passage(text):
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text
        assert s.text.strip() == s.text and s.text
        for tok in tokenize(text, s.start, s.end):
            assert text[tok.start:tok.end] == tok.text


@pytest.mark.parametrize("unit", [
    "rebels attacked the town of Zorbat, ",  # clause breaks to cut at
    "rebels attacked the town of Zorbat and ",  # only spaces
    "x" * 37,  # no space at all
])
def test_a_text_without_full_stops_is_cut_into_bounded_sentences(unit):
    # a list or a PDF's text with no sentence ends: coding a sentence is superlinear in its length
    text = unit * 3000  # ~110,000 characters
    spans = split_sentences(text)
    assert len(spans) > 50 and all(s.end - s.start <= _LONGEST for s in spans)
    # nothing is lost: the spans are in order, do not overlap, and cover every non-space character
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert "".join(s.text for s in spans).replace(" ", "") == text.replace(" ", "")
    if "," in unit:
        assert all(s.text.endswith(",") for s in spans[:-1])


def test_ordinary_sentences_are_not_cut():
    text = "Rebels attacked the town of Zorbat, " * 40 + "and fled."  # ~1,450 characters: one sentence
    assert [s.text for s in split_sentences(text)] == [text]
