"""The pattern language: words, alternatives, optional words, gaps, slots and phrase groups."""

from __future__ import annotations

import pytest

from coding.errors import CodebookError
from coding.rules import Matcher, compile_rules, parse_pattern
from coding.text import Forms, tokenize


def matches(pattern, sentence, actors=None):
    """Match one pattern the way the coder does: lemmas from the pattern vocabulary's inflections."""
    rules, index = compile_rules([{"id": "t.rule", "cameo": "190", "patterns": [pattern]}])
    vocabulary = {w for pats in index.values() for p in pats for e in p.elements for w in e.words.union(*e.phrases)}
    toks = tokenize(sentence, forms=Forms(vocabulary))
    return Matcher(index).find(toks, actors or {})


def test_base_forms_match_inflections():
    assert matches("shell", "They shelled the town.")
    assert matches("clash with", "Troops were clashing with rebels.")


def test_alternatives_optional_words_and_gaps():
    assert matches("launch [a|an] airstrike|raid", "They launched a raid.")
    assert matches("launch [a|an] airstrike|raid", "They launched raids.")
    assert not matches("launch [a|an] airstrike|raid", "They launched a new raid.")
    assert matches("launch ... airstrike", "They launched three heavy airstrikes.")
    assert not matches("launch ... airstrike", "They launched the new campaign for airports; no airstrike.")


def test_phrase_groups_match_whole_phrases():
    assert matches("(hand over|turn in) ... weapon", "The fighters handed over their weapons.")
    assert matches("(hand over|turn in) ... weapon", "The fighters turned in two weapons.")
    assert not matches("(hand over|turn in) ... weapon", "The fighters handed in weapons.")
    assert matches("surrender [(to the|before the)] army", "They surrendered to the army.")
    assert matches("surrender [(to the|before the)] army", "They surrendered army posts.")


def test_malformed_patterns_name_the_rule():
    with pytest.raises(CodebookError, match="rules/x.yaml rule r1: pattern '{X} attack' has a malformed token"):
        parse_pattern("{X} attack", where="rules/x.yaml rule r1")
    with pytest.raises(CodebookError, match="needs at least one required word"):
        parse_pattern("[the] {S}", where="r")


def test_a_gap_steps_over_a_parenthesis_as_one_word():
    # ACLED's notes put every place's admin units in brackets: "gathered in X - Y (Z, W) to demand"
    pattern = "gather ... to demand"
    assert matches(pattern, "People gathered in Zorba (Zorba district, Zorbistan) to demand water.")
    assert not matches(pattern, "People gathered in the big old square of Zorba town to demand water.")
    # a bracket left open is not skipped past the gap's reach
    assert not matches(pattern, "People gathered in Zorba (the district of Zorba in the north of Zorbistan to demand")
