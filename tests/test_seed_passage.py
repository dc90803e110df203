"""The example passage in ../shared/seed, coded as an ACLED coder would (reads the file at run time)."""

from __future__ import annotations

import pytest

from coding.coder import get_coder, strip_private
from coding.record import Passage


@pytest.fixture(scope="module")
def events(shared_data):
    seed = shared_data.parent / "seed"
    files = sorted(seed.glob("*.txt"))
    if not files:
        pytest.skip(f"no seed passage in {seed}")
    text = files[0].read_text(encoding="utf-8")
    evs = [strip_private(e) for e in get_coder().code_passage(Passage("seed", text, "2016-12-07"))]
    return text, evs


def sentence_of(text, ev):
    return text[ev["span_start"]:ev["span_end"]]


def test_every_act_is_under_a_syrian_governorate(events):
    text, evs = events
    violent = [e for e in evs if e["event_type"] in ("Battles", "Explosions/Remote violence")]
    assert len(violent) >= 30
    assert all(e["country"] == "Syria" for e in violent)
    assert {e["admin1"] for e in violent} >= {"Aleppo", "Damascus", "Homs", "Idleb", "Al Hasakeh", "Deir ez Zor"}


def test_air_strikes_are_air_strikes(events):
    text, evs = events
    words = ("airstrike", "jets", "warplanes")
    strikes = [e for e in evs if any(w in e["trigger"] for w in words)]
    assert len(strikes) >= 4
    assert all(e["sub_event_type"] == "Air/drone strike" for e in strikes)


def test_shelling_of_the_besieged_towns_is_shelling_in_idlib(events):
    text, evs = events
    shelling = [e for e in evs if "mortar" in sentence_of(text, e) and e["admin1"] == "Idleb"]
    assert shelling
    assert all(e["sub_event_type"] == "Shelling/artillery/missile attack" for e in shelling)


def test_the_landmine_is_a_remote_explosive_with_three_dead(events):
    text, evs = events
    mine = [e for e in evs if "landmine" in sentence_of(text, e)]
    assert mine and all(e["sub_event_type"] == "Remote explosive/landmine/IED" for e in mine)
    assert {e["admin1"] for e in mine} == {"Al Hasakeh"}
    assert max(e["fatalities"] for e in mine) == 3


def test_captured_districts_are_government_regains_territory(events):
    text, evs = events
    taken = [e for e in evs if e["cameo_code"] == "192" and e["actor1_code"] == "SYRMIL"]
    assert len(taken) >= 8
    assert all(e["sub_event_type"] == "Government regains territory" for e in taken)


def test_surrenders_and_the_negotiation_are_coded(events):
    text, evs = events
    assert any(e["cameo_code"] == "0874" for e in evs)
    assert any(e["cameo_root"] == "04" or e["cameo_code"] == "057" for e in evs)
