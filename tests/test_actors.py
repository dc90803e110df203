"""Actor composition from the dictionaries: country + agent, inheritance, named groups and variants."""

from __future__ import annotations

import pytest

from coding.coder import get_coder
from coding.text import tokenize


@pytest.fixture(scope="module")
def actors():
    coder = get_coder()

    def find(text, country=""):
        toks = tokenize(text)
        return [(a.text, a.code, a.inter) for a in coder.actors.actors(text, text.lower(), toks, country)]

    return find


@pytest.mark.parametrize("text,code", [
    ("Syrian army units advanced.", "SYRMIL"),
    ("Russian fighter jets struck again.", "RUSMIL"),
    ("Israel said nothing.", "ISR"),
    ("Kenyan police fired tear gas.", "KENCOP"),
    ("The Turkish government protested.", "TURGOV"),
])
def test_country_and_agent_compose(actors, text, code):
    assert actors(text)[0][1] == code


def test_the_army_inherits_the_passage_country(actors):
    assert actors("The army shelled the town.", country="SYR")[0][1] == "SYRMIL"


@pytest.mark.parametrize("text,code", [
    ("Troops shelled rebel positions.", "SYRREB"),
    ("Troops shelled Azerbaijani positions.", "AZEMIL"),
    ("Rebels shelled army positions.", "SYRMIL"),
])
def test_positions_belong_to_whoever_holds_them(actors, text, code):
    assert actors(text, country="SYR")[-1][1] == code


def test_a_regime_member_is_state_forces_not_the_government(actors):
    # Syrian notes: "a regime member", "regime officers" are soldiers (inter 1), not officials
    assert actors("Gunmen shot a regime member.", country="SYR")[-1][1:] == ("SYRMIL", "1")


def test_pro_government_and_popular_forces(actors):
    got = actors("Pro-government forces and popular forces advanced.", country="SYR")
    assert [c for _, c, _ in got][:2] == ["SYRMIL", "SYRUAF"] or len(got) == 2


@pytest.mark.parametrize("variant", ["Jeish al-Fatah", "Jaish al-Fatah", "Jaysh al-Fatah", "Army of Conquest"])
def test_spelling_variants_resolve_to_one_group(actors, variant):
    got = actors(f"{variant} fighters withdrew.")
    assert got and got[0][0].startswith(variant.split()[0])
    codes = {c for _, c, _ in got}
    assert len(codes) == 1


def test_acronyms_match_only_in_capitals(actors):
    assert actors("IS militants attacked.")[0][1] == "IMGINS"
    assert not [a for a in actors("This is a town.") if a[1] == "IMGINS"]


def test_a_town_named_like_a_word_is_not_an_actor(actors):
    assert actors("Police arrested him.", country="POL")[0][1] == "POLCOP"


@pytest.mark.parametrize("text,name,inter", [
    ("The army attacked the Tumbo Resistance Army near the border.", "Tumbo Resistance Army", "2"),
    ("Soldiers clashed with KPLF fighters on Monday.", "KPLF fighters", "3"),
    ("Police raided a camp of the Kessa Defence Force.", "Kessa Defence Force", "3"),
])
def test_armed_groups_the_dictionaries_lack_are_named_armed_groups(actors, text, name, inter):
    found = {t: (c, i) for t, c, i in actors(text, "CMR")}
    assert name in found and found[name] == ("CMRUAF", inter)


@pytest.mark.parametrize("text", [
    "The Air Force bombed the camp.",  # a state unit, not a group
    "The Nigerian Army shelled the village.",  # a country word: the dictionaries decide
    "Fascists attacked members of the KPLF party.",  # party members are not armed
])
def test_state_units_and_parties_are_not_taken_for_armed_groups(actors, text):
    assert all(not c.endswith("UAF") or t.lower().endswith(("gunmen",)) for t, c, _ in actors(text, "NGA"))


@pytest.mark.parametrize("name,variants", [
    ("4th Armoured Division", ["4th Armored Division"]),
    ("National Defense Forces", ["National Defence Forces"]),
    ("World Health Organization", ["World Health Organisation"]),
    ("Labour Party", []),  # the UK's Labour is not Australia's Labor
    ("Kelan Front", []),
])
def test_spelling_variants(name, variants):  # noqa: ANN001
    from coding.actors import spelling_variants

    assert spelling_variants(name) == variants
