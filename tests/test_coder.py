"""The coder on sentences we wrote: who did what to whom, with provenance."""

from __future__ import annotations

import pytest

from coding.coder import get_coder, strip_private
from coding.record import EVENT_COLUMNS, Passage


@pytest.fixture(scope="module")
def coder():
    return get_coder()


def code(coder, text, date="2021-03-10", country="", primary=False):
    return [strip_private(e) for e in coder.code_passage(Passage("t", text, date), country=country, primary=primary)]


def test_record_has_every_column(coder):
    ev = code(coder, "Syrian troops shelled rebel positions near Hama on Monday.")[0]
    assert list(ev) == list(EVENT_COLUMNS)
    assert ev["cameo_code"] == "194" and isinstance(ev["cameo_code"], str)
    assert ev["cameo_root"] == "19"
    assert ev["codebook_version"].startswith("evcode-core ")


def test_active_source_and_target(coder):
    ev = code(coder, "Syrian troops shelled rebel positions near Hama on Monday.")[0]
    assert ev["actor1_code"] == "SYRMIL"
    assert ev["actor1_text"] == "Syrian troops"
    assert ev["sub_event_type"] == "Shelling/artillery/missile attack"


def test_passive_voice_swaps_source_and_target(coder):
    ev = code(coder, "Rebel positions near Hama were shelled by Syrian troops.")[0]
    assert ev["cameo_code"] == "194"
    assert ev["actor1_code"] == "SYRMIL"


def test_compound_subject_gives_one_event_per_actor(coder):
    evs = code(coder, "Syrian troops and Russian jets attacked the town of Maarrat al-Numan.")
    assert {e["actor1_code"] for e in evs} >= {"SYRMIL", "RUSMIL"}


def test_span_slices_the_passage(coder):
    text = "A quiet morning.\n\nRussian warplanes bombed a market in Idlib, killing four civilians."
    for ev in code(coder, text):
        chunk = text[ev["span_start"]:ev["span_end"]]
        assert "bombed" in chunk
        assert ev["sentence_index"] == 1


@pytest.mark.parametrize("text,root", [
    ("The army did not shell the village.", "19"),
    # a denial governs the clause it introduces, however long
    ("The Zorbat army denied that its soldiers had killed civilians in the village.", "18"),
    ("Kelan police denied reports that officers had beaten the detainees.", "18"),
    # the bare noun inside a negated act is negated with it
    ("The Zorbat army has not carried out any air strikes in the region since March.", "19"),
    ("Officials said there was no evidence that Zorbat government forces had used chemical weapons.", "20"),
])
def test_negation_cancels_the_act(coder, text, root):
    assert not [e for e in code(coder, text) if e["cameo_root"] == root]


def test_no_one_claimed_it_is_no_claim_but_the_act_stands(coder):
    evs = code(coder, "On 3 May 2022, a bomb exploded at a market in Zorbat. No group has claimed responsibility.")
    assert [e["cameo_code"] for e in evs if e["cameo_root"] == "01"] == []
    assert [e["sub_event_type"] for e in evs if e["cameo_root"] == "18"] == ["Remote explosive/landmine/IED"]


def test_who_told_it_is_no_target(coder):
    evs = code(coder, "Kelan rebels attacked the town on Monday, the army told journalists.")
    assert [e["actor2_text"] for e in evs if e["cameo_root"] == "18"] == [""]


def test_a_claim_that_an_act_was_done_still_codes_it(coder):
    # unlike a denial, a party's claim reports the act (ACLED codes it, counting claims with care)
    evs = code(coder, "On 3 May 2022, the Zorbat Liberation Front claimed that it shot dead two soldiers near Kelan.")
    assert any(e["cameo_root"] == "18" for e in evs)


@pytest.mark.parametrize("text", [
    "The foreign minister of Kelan condemned the air strike on the hospital.",
    "The Zorbat government condemned Tuesday's bombing of the market, which killed 12 people.",
])
def test_the_act_a_statement_is_about_has_not_its_speaker_as_source(coder, text):
    # the minister condemned the strike; nothing says the minister struck
    acts = [e for e in code(coder, text) if e["cameo_root"] >= "14"]
    assert acts and all(e["actor1_text"] == "" for e in acts)
    # ... while a possessive names the source, and a clause of its own keeps its subject
    assert [e["actor1_text"] for e in code(coder, "Kelan condemned Russia's bombing of the port.")
            if e["cameo_root"] == "18"] == ["Russia"]
    assert [e["actor1_text"] for e in code(coder, "The army said it had shelled rebel positions near Zorbat.")
            if e["cameo_root"] == "19"] == ["army"]


@pytest.mark.parametrize("text", [
    "The United Nations called on both sides in Zorbat to respect the ceasefire.",
    "President Zorbak called on the Kelan rebels to accept a ceasefire and join peace talks with the government.",
    "The president asked the army to withdraw from Zorbat city.",
])
def test_what_an_appeal_asks_for_is_the_appeal(coder, text):
    # the ceasefire, the talks and the withdrawal have not happened: one appeal, by whoever made it
    evs = code(coder, text)
    assert evs and {e["cameo_root"] for e in evs} == {"02"}
    assert not [e for e in evs if e["sub_event_type"]]


@pytest.mark.parametrize("text,sub_event", [
    # called for, not held: CAMEO keeps the intended protest, ACLED has no event
    ("On 3 May 2022, the Zorbat opposition urged its supporters to protest on Friday.", ""),
    # a month or a name is no modal: the protest was held
    ("On 10 May 2022, supporters of a candidate in the 9 May elections staged a demonstration in Zorbat.",
     "Peaceful protest"),
    ("On 3 May 2022, We Will Win Movement members staged a protest in Zorbat.", "Peaceful protest"),
    # an attempt at violence during a demonstration is still the violent demonstration
    ("On 3 May 2022, students tried to overturn barricades while demonstrating outside the Zorbat ministry.",
     "Violent demonstration"),
])
def test_what_did_not_happen_is_no_acled_event(coder, text, sub_event):
    assert code(coder, text, primary=True)[0]["sub_event_type"] == sub_event


def test_a_wire_storys_dateline_is_where_it_was_filed_not_an_actor(coder):
    evs = code(coder, "KYIV, Ukraine - Russian forces shelled the city of Kharkiv on Thursday, killing three civilians.",
               date="2023-03-03")
    assert [(e["actor1_code"], e["actor1_text"]) for e in evs if e["cameo_root"] == "19"] == [("RUSMIL", "Russian forces")]
    evs = code(coder, "LAGOS, Nigeria (Kelan Wire) - Police fired tear gas and live rounds at protesters in Ikeja.",
               date="2023-03-03")
    # live rounds are bullets: police shooting at protesters, not shelling
    assert {e["sub_event_type"] for e in evs if e["actor1_code"] == "NGACOP"} == {"Excessive force against protesters"}


@pytest.mark.parametrize("text,fields", [
    ("Russia vetoed a UN Security Council resolution on Zorbat.",
     {"actor1": "Government of Russia (2000-)", "sub_event_type": ""}),
    ("Turkey recalled its ambassador from the Netherlands after a diplomatic row.",
     {"actor1": "Government of Turkey (2016-)"}),
    # charged, tried, sentenced: CAMEO's 173, but nobody is detained: no ACLED arrest
    ("A Zorbat court sentenced the former president to 20 years in prison for corruption.",
     {"cameo_code": "173", "sub_event_type": ""}),
    # "in northern Mali" is where the raid was, not whom it was against
    ("The army raided a hideout in northern Mali.", {"actor2_code": ""}),
    # the refugees fled after the fighting; they did not fight
    ("Thousands of refugees fled across the border into Chad after the fighting.",
     {"actor1_code": "", "sub_event_type": "Armed clash"}),
])
def test_who_a_non_violent_or_background_act_names(coder, text, fields):
    ev = _one(coder, text, primary=False)
    assert {k: ev[k] for k in fields} == fields


def test_a_wire_story_goes_on_across_paragraphs_and_its_dateline_bounds_no_place(coder):
    text = ("ZORBAT CITY, Zorbatia (Kelan Wire) - Militants stormed a hotel in Mogadishu on Sunday, police said.\n\n"
            "The attack began when a suicide bomber blew himself up at the gate.\n\n"
            "Separately, on Saturday, a roadside bomb killed four soldiers near Afgoye in Lower Shabelle region.")
    evs = code(coder, text, date="2022-08-22")
    suicide = [e for e in evs if e["cameo_code"] == "1831"]
    assert suicide and suicide[0]["event_date"] == "2022-08-21"  # the story's Sunday, told a paragraph before
    bomb = [e for e in evs if e["cameo_code"] == "1833"]
    assert [(e["admin1"], e["event_date"]) for e in bomb] == [("Lower Shabelle", "2022-08-20")]


def test_a_protests_grievance_is_not_an_act_of_its_own(coder):
    # the kidnapping is what the residents protest, not something they did
    evs = code(coder, "In Jacmel, residents marched against the kidnapping of a nurse.")
    assert evs and {e["cameo_root"] for e in evs} == {"14"}
    assert all(e["sub_event_type"] == "Peaceful protest" for e in evs)
    # with no protest around it the same act is coded
    assert any(e["cameo_root"] == "18" for e in code(coder, "Gunmen kidnapped a nurse in Jacmel."))


def test_threat_becomes_threat_code(coder):
    evs = code(coder, "Turkey threatened to attack Kurdish fighters in northern Syria.")
    assert evs and all(e["cameo_root"] == "13" for e in evs)


def test_fatalities_and_injuries(coder):
    ev = code(coder, "Gunmen attacked a bus near Kabul, killing 12 passengers and injuring 30 others.", primary=True)[0]
    assert ev["fatalities"] == 12


def test_injuries_are_not_fatalities(coder):
    ev = code(coder, "A bomb exploded in a market in Mogadishu, wounding 14 people.", primary=True)[0]
    assert ev["fatalities"] == 0


def test_primary_is_the_main_event(coder):
    text = ("Protesters marched through the centre of Nairobi on Tuesday to demand lower fuel prices. "
            "Police fired tear gas to disperse them.")
    evs = code(coder, text, primary=True)
    assert len(evs) == 1
    assert evs[0]["event_type"] == "Protests"
    assert evs[0]["sub_event_type"] == "Protest with intervention"


def test_no_passage_date_no_event_date(coder):
    ev = code(coder, "Syrian troops shelled rebel positions near Hama on Monday.", date=None)[0]
    assert ev["event_date"] == "" and ev["time_precision"] is None


def test_weekday_resolves_before_passage_date(coder):
    ev = code(coder, "Syrian troops shelled rebel positions near Hama on Monday.", date="2021-03-10")[0]
    assert ev["event_date"] == "2021-03-08"


def test_heading_applies_to_events_below(coder):
    text = "Homs\n\nThe army shelled militant positions on Wednesday.\n\nIdlib\n\nRebels attacked an army checkpoint."
    evs = code(coder, text, country="SYR")
    assert evs[0]["admin1"] == "Homs"
    assert evs[-1]["admin1"] in ("Idleb", "Idlib")


def test_deterministic_ids(coder):
    text = "Syrian troops shelled rebel positions near Hama. Rebels attacked an army checkpoint in Idlib."
    a = code(coder, text)
    b = code(coder, text)
    assert [e["event_id"] for e in a] == [e["event_id"] for e in b]
    assert len({e["event_id"] for e in a}) == len(a)


@pytest.mark.parametrize("text", [
    "The central bank launched an attack on inflation.",
    # an aircraft named is no air strike
    "Kelan fighter jets violated Zorbat airspace on Monday.",
    "The Zorbat government bought 12 fighter jets from a foreign supplier.",
])
def test_no_act_of_force(coder, text):
    assert not [e for e in code(coder, text) if e["cameo_root"] >= "18"]


def test_km_from_a_town_is_geo_precision_two(coder):
    ev = code(coder, "Rebels attacked an army checkpoint 10 km north of Saraqib on Monday.", country="SYR")[0]
    assert ev["location"] == "Saraqib" and ev["geo_precision"] == 2
    assert ev["admin1"] == "Idleb"


def test_vague_times_lower_the_time_precision(coder):
    ev = code(coder, "Militants attacked a police post near Kandahar last week.", date="2021-03-10")[0]
    assert ev["time_precision"] == 2
    ev = code(coder, "Militants attacked a police post near Kandahar yesterday.", date="2021-03-10")[0]
    assert ev["event_date"] == "2021-03-09" and ev["time_precision"] == 1


def test_vague_fatality_counts_follow_acled(coder):
    assert code(coder, "Gunmen killed dozens of villagers in Zamfara.", primary=True)[0]["fatalities"] == 12
    assert code(coder, "Gunmen killed several villagers in Zamfara.", primary=True)[0]["fatalities"] == 10


@pytest.mark.parametrize("sentence, dead", [
    ("Between 20 and 30 villagers were killed in Zorbat.", 20),
    ("A total of 20-60 fighters were killed near Zorbat.", 20),
    ("Two or three traders were killed in Zorbat.", 2),
    ("3 soldiers and 2 civilians were killed in Zorbat.", 5),
    ("Gunmen killed a 45-year-old farmer in Zorbat.", 1),
    # a singular victim after "shot dead", or far before a singular passive; none for "no one"
    ("Zorbat soldiers shot dead a shepherd near Kelan.", 1),
    ("A trader who had refused to pay the levy at the market was shot and killed by gunmen in Zorbat.", 1),
    ("Gunmen attacked a bus in Zorbat. No one was killed.", 0),
    # ACLED's own convention for an unknown toll, written into its notes
    ("Militants ambushed an army patrol near Zorbat. Unknown fatalities estimated as 10.", 10),
    ("Two clans clashed in Zorbat, with several deaths. Unclear fatalities coded as 3.", 3),
    ("Artillery hit Zorbat and Kelan. Seven civilians were killed [7 fatalities split among 3 events].", 3),
    ("Zorbat troops shelled the village, killing a 7-year-old girl.", 1),
    ("The bodies of two herders were found near Zorbat.", 2),
    ("Two soldiers and a policeman were killed in an ambush near Zorbat.", 3),
    ("Gunmen killed a trader and a driver near Zorbat, and wounded a boy.", 2),
    ("Gunmen killed a trader near Zorbat and stole a car.", 1),
    ("Raiders killed 6 herders in Zorbat and 4 in Kelan overnight.", 10),
    ("Raiders killed 6 herders and abducted 4 others near Zorbat.", 6),
    ("Militants overran the Zorbat outpost. Nine soldiers and 3 village guards (VG) were killed.", 12),
    ("Shells fell on several places in Zorbat, killing 1 girl and injuring 4 others.", 1),
    ("Gunmen shot dead a 40-year-old teacher and another villager near Zorbat.", 2),
    # one person named by a singular noun; a kin noun after "and her/his"; "shot dead N"; a time
    ("Raiders killed the deputy commander of the Zorbat militia at his farm.", 1),
    ("Gunmen killed a shopkeeper and his nephew outside Zorbat.", 2),
    ("Rebels shot dead three soldiers and one police officer at a Zorbat checkpoint.", 4),
    ("The Kelan mayor was shot dead around 9 a.m near his office in Zorbat.", 1),
    # an apposition ("including ...") neither uses up the window nor counts again
    ("Four guards, including a driver, were killed when militants stormed the Zorbat depot.", 4),
    ("Militants stormed the Zorbat depot, killing nine guards, including two officers.", 9),
    # deaths told as more in a later sentence add to the toll; a later total restates it
    ("Warplanes struck a clinic in Zorbat. Two nurses were killed. Another patient and her son died later "
     "in a hospital.", 4),
    ("Gunmen killed a farmer near Zorbat. Two other men were found dead nearby. 3 fatalities.", 3),
    ("Soldiers clashed with rebels near Zorbat; 4 members of the Kelan rebel brigade were killed.", 4),
    # a toll split between events or places: this event's share, rounded up
    ("Militias raided Zorbat and Kelan. During the raids, 9 - 15 villagers were killed, split between 2 events.", 5),
    ("Airstrikes hit rebel camps in Zorbat and Kelan districts. Unclear fatalities coded as 12 and split between "
     "two locations.", 6),
    # a party's claim counts only when nothing else is told, and never against "no casualties"
    ("Rebels attacked an army post near Zorbat. One soldier was killed. The rebels claimed to have killed 12.", 1),
    ("Rebels attacked an army post near Zorbat. The rebels claimed to have killed 12 soldiers.", 12),
    ("Drones struck rebel trenches near Zorbat. Officials reported no casualties, while one unconfirmed source "
     "claimed that 40 were killed.", 0),
    # the deaths a demonstration is about are not its own
    ("Traders blocked the market road during a protest in Zorbat, calling for justice for three drivers killed "
     "by bandits.", 0),
])
def test_fatality_counts_take_the_lower_of_a_range_and_skip_ages(coder, sentence, dead):
    assert code(coder, sentence, primary=True)[0]["fatalities"] == dead


def test_takeover_without_fighting_is_a_non_violent_transfer(coder):
    evs = code(coder, "Rebels took control of the village of Kibumba on Monday. No clashes were reported.", primary=True)
    assert evs[0]["sub_event_type"] == "Non-violent transfer of territory"
    evs = code(coder, "Rebels took control of the village of Kibumba after heavy fighting on Monday.", primary=True)
    assert evs[0]["event_type"] == "Battles"


def test_a_word_inside_a_group_name_is_not_an_act(coder):
    # "Free" and "Liberation" are part of the names, not a freeing or a liberation of the town
    for text in ("Troops of the Free Syrian Army attacked the town of Tumbo.",
                 "Fighters of the Tumbo Liberation Front attacked the village of Kessa."):
        assert not [e for e in code(coder, text) if e["cameo_code"] == "192"]


@pytest.mark.parametrize("text,sub", [
    ("Rebels attacked an army convoy near Kessa with mines.", "Remote explosive/landmine/IED"),
    ("Fighters attacked the police post in Tumbo with heavy weapons.", "Shelling/artillery/missile attack"),
    ("Militants attacked a police patrol via two hand grenades.", "Grenade"),
    ("Two children were wounded when their cart hit a landmine near Kessa.", "Remote explosive/landmine/IED"),
    ("A farmer was killed by an unexploded mortar round in his field near Tumbo.", "Remote explosive/landmine/IED"),
])
def test_the_weapon_named_makes_a_generic_attack_specific(coder, text, sub):
    assert code(coder, text, primary=True)[0]["sub_event_type"] == sub


def test_heavy_and_small_arms_together_stay_an_armed_clash(coder):
    ev = code(coder, "Rebels attacked the army post in Tumbo with heavy weapons and small arms.", primary=True)[0]
    assert ev["sub_event_type"] == "Armed clash"


def test_a_crowd_voicing_a_demand_somewhere_is_a_protest(coder):
    ev = code(coder, "About 200 teachers demanded higher salaries outside the ministry in Lima.", primary=True)[0]
    assert ev["sub_event_type"] == "Peaceful protest" and ev["cameo_root"] == "10"  # CAMEO: the demand
    # an official's demand, or a demand with no crowd and no place, stays a demand
    assert code(coder, "The minister demanded the release of the hostages.", primary=True)[0]["cameo_root"] == "10"
    assert code(coder, "Dozens of lawyers criticized the new law.", primary=True)[0]["cameo_root"] == "11"


def test_an_act_in_a_relative_clause_is_background_to_the_sentences_act(coder):
    evs = code(coder, "Relatives of a man who was arrested last year blocked the road to the prison in Tumbo.")
    assert evs and all(e["cameo_root"] == "14" for e in evs)
    # alone in its sentence the same act is still coded
    assert any(e["cameo_root"] == "17" for e in code(coder, "The man who was arrested last year is a teacher."))


def test_rule_words_inside_a_capitalised_name_are_not_acts(coder):
    # "Burnt" and "Free" are part of names here; the protest is the event
    evs = code(coder, "Residents of Burnt Store Isles gathered in Tumbo to protest against the new bridge.")
    assert evs and all(e["cameo_root"] == "14" for e in evs)
    evs = code(coder, "Members of the Free Farmers Union staged a protest in Kessa.")
    assert evs and all(e["cameo_root"] == "14" for e in evs)
    # weapon designations stay rule words
    assert code(coder, "Russian forces fired BM-21 Grad rockets at Tumbo.", primary=True)[0]["cameo_root"] == "19"


def test_a_participle_before_the_first_actor_is_an_adjective(coder):
    ev = code(coder, "On 4 May 2022, armed individuals clashed with soldiers near Tumbo.", primary=True)[0]
    assert ev["sub_event_type"] == "Armed clash"  # not the arming of individuals (072)
    assert code(coder, "Iran armed the Houthis with missiles.", primary=True)[0]["cameo_code"] == "072"
    # after its subject the same word is the verb
    ev = code(coder, "Armed men, said to be herders, attacked civilians near Kessa.", primary=True)[0]
    assert ev["cameo_root"] == "18"


def test_the_year_of_a_date_is_not_a_death_toll(coder):
    ev = code(coder, "On 22 May 2022, a landmine detonated killing a boy near Tumbo.", primary=True)[0]
    assert ev["fatalities"] == 1
    ev = code(coder, "On 6 January 2022, gunmen shot and killed two men in Kessa.", primary=True)[0]
    assert ev["fatalities"] == 2
    ev = code(coder, "Some 2000 people were killed in the fighting near Tumbo.", primary=True)[0]
    assert ev["fatalities"] == 2000


def test_the_primary_event_carries_the_reports_toll(coder):
    text = ("On 3 May 2022, soldiers clashed with rebels near Tumbo. Four rebels were killed in the fighting. "
            "4 fatalities.")
    assert code(coder, text, primary=True)[0]["fatalities"] == 4  # the largest toll, not the sum
    assert code(coder, "Gunmen attacked and killed a farmer near Kessa.", primary=True)[0]["fatalities"] == 1


def test_a_death_told_in_another_sentence_counts_for_the_report(coder):
    text = "On 3 May 2022, a group of residents beat a suspected thief in Kessa. The man died."
    assert code(coder, text, primary=True)[0]["fatalities"] == 1
    text = "Gunmen shot at a shopkeeper in Kessa. He was killed in the incident."
    assert code(coder, text, primary=True)[0]["fatalities"] == 1
    text = "Militants attacked the village of Tumbo. 6 fatalities reported, and several houses were torched."
    assert code(coder, text, primary=True)[0]["fatalities"] == 6


def test_the_number_of_killers_is_not_the_death_toll(coder):
    ev = code(coder, "On 1 April 2022, two gang members shot and killed a man in Kessa.", primary=True)[0]
    assert ev["fatalities"] == 1
    ev = code(coder, "Two soldiers were killed when rebels attacked their post near Tumbo.", primary=True)[0]
    assert ev["fatalities"] == 2


def test_a_place_below_country_level_beats_a_country_named_later(coder):
    # the country after the event's words is only what the protest was about
    (ev,) = code(coder, "On 6 January 2022, in Zorbat township (Zorbat district, Sagaing region), "
                        "villagers held a protest against the Myanmar military coup.")
    assert (ev["country"], ev["admin1"]) == ("Myanmar", "Sagaing")


def test_a_place_of_another_admin1_named_later_does_not_win(coder):
    # the passage names Nuevo Leon; a neighbourhood name later in the sentence that the gazetteer
    # only knows in another state does not move the event there
    evs = code(coder, "On 7 January 2022, in Cadereyta Jimenez, Nuevo Leon, armed men opened fire on a man "
                      "in Colonia Bella Vista.")
    assert evs and all(ev["admin1"] == "Nuevo Leon" for ev in evs)


def _one(coder, text, primary=True):
    """The passage's one event (its primary one with primary=True)."""
    evs = code(coder, text, primary=primary)
    assert len(evs) == 1, evs
    return evs[0]


# every row a passage codes to, as (fields, ...) tuples: (passage, fields, rows, what it shows)
ALL_ROWS = [
    ("On 3 May 2022, protesters torched a police station in Ikeja, Lagos.", ("cameo_code", "sub_event_type"),
     [("141", "Violent demonstration"), ("1712", "Violent demonstration")],
     "demonstrators' own arson makes their protest violent"),
    ("On 3 May 2022, villagers marched to Zorbat to protest against the government's decision to demolish their "
     "houses.", ("sub_event_type",), [("Peaceful protest",)],
     "what a protest is against, a few words on, is its grievance"),
    ("On 3 March 2023, women held a vigil in Kabul for victims of a school bombing in Zorbat.", ("cameo_root",),
     [("14",)], "a vigil for victims is no act of its own"),
    ("On 5 May 2023, unidentified gunmen abducted a priest in Kaduna state. They demanded a ransom of 10 million naira.",
     ("cameo_code", "actor1_text"), [("181", "unidentified gunmen")], "an act retold without its actors is the same act"),
    ("On 5 May 2023, police in Dhaka arrested 12 opposition activists and charged them with arson.",
     ("sub_event_type",), [("Arrests",)], "what people are charged with is no act"),
    ("On 3 May 2022, a roadside bomb hit a police patrol near Zorbat, killing three officers.",
     ("cameo_code", "actor1_text", "actor2_text", "fatalities"), [("1833", "", "police patrol", 3)],
     "the clause after the comma has the act's subject, not its object: one bombing, with its toll"),
    ("The provincial governor survived an assassination attempt in Zorbat.",
     ("cameo_code", "actor1_text", "actor2_text"), [("185", "", "provincial governor")],
     "who survived an assassination attempt was its target"),
]


@pytest.mark.parametrize("text,fields,rows", [pytest.param(t, f, r, id=i) for t, f, r, i in ALL_ROWS])
def test_all_rows(coder, text, fields, rows):
    assert [tuple(e[f] for f in fields) for e in code(coder, text)] == rows


# where the event happened: (sentence, expected fields, primary, what it shows)
WHERE = [
    ("On 4 March 2022, villagers blocked the road in Zorbatpur locality (Saptari district), demanding "
     "compensation.", {"country": "Nepal", "admin1": "Madhesh", "admin2": "Saptari", "location": "Saptari",
                       "geo_precision": 2}, True, "a district names the admin1 of an unknown village"),
    ("On 2 April 2022, farmers protested outside the tax office in Omalur town (Salem district, Tamil Nadu) over "
     "crop prices.", {"country": "India", "admin1": "Tamil Nadu"}, False,
     "a district named in several states (Salem: India, New Jersey, Virginia) names none; the state does"),
    ("On 9 June 2022, soldiers raided a village in Hpruso township (Loikaw district, Kayah state) and arrested "
     "five men.", {"country": "Myanmar", "admin1": "Kayah", "location": "Hpruso", "geo_precision": 1}, True,
     "township prefers the township over its district"),
    ("On 5 May 2022, gunmen attacked farmers in a village in Gwoza LGA, killing three.",
     {"country": "Nigeria", "admin1": "Borno", "admin2": "Gwoza"}, False, "an LGA resolves without the state"),
    ("On 11 August 2022, Russian forces shelled Druzhkivka town (Kramatorsk raion).",
     {"admin1": "Donetsk", "admin2": "Kramatorsk", "location": "Druzhkivka", "geo_precision": 1}, True,
     "a town of our own district tables gets the district the passage names"),
    ("On 11 August 2022, Russian forces shelled a village in Kramatorsk raion.",
     {"country": "Ukraine", "admin1": "Donetsk", "admin2": "Kramatorsk"}, False, "a raion of the 2020 reform"),
    ("On 3 May 2022, Boko Haram militants attacked a village near Zorbata (Mayo-Sava), wounding two girls.",
     {"country": "Cameroon", "admin1": "Extreme-Nord"}, True, "Haram in a group's name is not the Norwegian town"),
    ("On 2 March 2022, Luhansk People's Militia fighters came under mortar fire from the army near Zorbativka, "
     "Donetsk.", {"country": "Ukraine", "admin1": "Donetsk"}, True, "Luhansk names the militia, not the place"),
    ("On 5 March 2022, about 80 people rallied in Colmar against the invasion of Ukraine and in solidarity with "
     "refugees from Ukraine.", {"country": "France", "admin1": "Grand Est", "location": "Colmar"}, True,
     "of/from Ukraine: the topic; the town after in is the place"),
    ("On 9 May 2022, a few hundred residents marched in Freiburg against the war in Ukraine.",
     {"country": "Germany", "admin1": "Baden-Wurttemberg"}, True, "the war in Ukraine is the topic"),
    ("On 28 March 2022, a crowd gathered in Colmar urging Russia to stop the war.", {"country": "France"}, True,
     "a country addressed is the topic"),
    ("On 5 March 2022, rebels attacked an army post in the north of Syria.", {"country": "Syria"}, True,
     "a direction before of makes it a place again"),
    ("On 3 May 2022, traders held a protest in Bannu city (Bannu, KPK) against power cuts.",
     {"country": "Pakistan", "admin1": "Khyber Pakhtunkhwa"}, True, "press abbreviations of admin1 units"),
    ("On 19 January 2022, about 40 people protested outside a court in Kiev.",
     {"country": "Ukraine", "admin1": "Kyiv City", "location": "Kyiv"}, True,
     "in Kiev: the city that is its own admin1, by its English exonym"),
    ("On 7 March 2022, Russian forces shelled Zorbatka, Kyiv.", {"country": "Ukraine", "admin1": "Kyiv"}, True,
     "Town, Kyiv: the oblast"),
    ("On 3 May 2022, protesters gathered in Abu Dhabi, UAE.", {"country": "United Arab Emirates"}, True,
     "UAE is a country acronym on purpose"),
    ("On 1 May 2022, teachers marched in Clermont-Ferrand at the call of the SUD union.", {"country": "France"},
     True, "SUD the union is not Cameroon's or Haiti's Sud region"),
    ("On 25 January 2022, in Campeche, Campeche, dozens of teachers held a protest to demand justice for the "
     "murder of a colleague in Veracruz.", {"admin1": "Campeche", "location": "Campeche"}, True,
     "the place a report opens with is where it happened, not the grievance's"),
]


@pytest.mark.parametrize("text,expected,primary", [pytest.param(t, e, p, id=i) for t, e, p, i in WHERE])
def test_where_the_event_happened(coder, text, expected, primary):
    ev = _one(coder, text, primary)
    assert {k: ev[k] for k in expected} == expected


# a city by its local or official name, or another common exonym (codebooks/build/places_local_names.csv):
# GeoNames rows keep six short aliases, which for big cities were rare transliterations
LOCAL_NAMES = [
    ("Workers marched in Bruxelles on Monday.", "Belgium", "Brussels"),
    ("Dockers protested in Antwerpen on Monday.", "Belgium", "Vlaanderen"),
    ("Students rallied in Louvain against higher rents.", "Belgium", "Vlaanderen"),
    ("Thousands of people demonstrated in Muenchen on Saturday.", "Germany", "Bayern"),
    ("Climate activists blocked a road in Koeln.", "Germany", "Nordrhein-Westfalen"),
    ("Fishermen protested in the port of Dunkerque.", "France", "Hauts-de-France"),
    ("Taxi drivers rallied in Saragossa against a new licence.", "Spain", "Aragon"),
    ("Pensioners marched in Salonika on Sunday.", "Greece", "Macedonia-Thrace"),
    ("Residents protested in Dnepropetrovsk against power cuts.", "Ukraine", "Dnipropetrovsk"),
    ("Russian forces shelled Nikolayev overnight.", "Ukraine", "Mykolaiv"),
    ("Miners rallied in Artemovsk over unpaid wages.", "Ukraine", "Donetsk"),
    ("Hundreds of people rallied in Moskva against the mobilisation.", "Russia", "Moscow"),
    ("Students protested in Al Iskandariyah over exam results.", "Egypt", "Alexandria"),
    ("Gunmen clashed with police in Kufra.", "Libya", "East"),
    ("Teachers protested in Calcutta over unpaid salaries.", "India", "West Bengal"),
    ("Students marched in Rangoon against the junta.", "Myanmar", "Yangon"),
    ("Residents of Stepanakert protested against the blockade.", "Azerbaijan", "Khankendi"),
]


@pytest.mark.parametrize("text,country,admin1", LOCAL_NAMES)
def test_a_city_by_its_local_name(coder, text, country, admin1):
    ev = _one(coder, text)
    assert (ev["country"], ev["admin1"]) == (country, admin1)


def test_an_acronym_is_not_a_town_spelled_alike(coder):
    # "SWAT" is a police unit, not Pakistan's Swat district
    assert _one(coder, "On 3 May 2022, SWAT officers arrested two men after a protest.")["country"] != "Pakistan"


# what happened, and who did it to whom: (sentence, expected fields, what it shows)
WHAT = [
    ("On 3 May 2022, residents of Zorbat protested the arrest of a local activist.",
     {"cameo_code": "141", "sub_event_type": "Peaceful protest"}, "a protest against an arrest is a protest"),
    ("On 20 June 2023, Kelan forces conducted strikes with Su-25 jets on Zorbivka.",
     {"sub_event_type": "Air/drone strike"}, "a strike carried out with aircraft is an air strike"),
    ("On 13 May 2022, in Zorbat, neighbours of a boy who was hit by a truck and did not survive blocked the main "
     "road to demand speed bumps.", {"sub_event_type": "Peaceful protest", "modifier": ""},
     "another verb's not does not cancel the act"),
    ("On 29 April 2022, Russian troops attempted to push towards Zorbat, clashing with Ukrainian units.",
     {"sub_event_type": "Armed clash"}, "the force used outranks the force tried"),
    ("On 12 January 2022, party workers clashed with each other using bamboo poles in Zorbatpur during their "
     "demonstration against price rises.", {"sub_event_type": "Violent demonstration"},
     "crowd violence during a demonstration"),
    ("On 12 January 2022, party workers clashed with each other using bamboo poles in Zorbatpur.",
     {"sub_event_type": "Mob violence"}, "crowd violence with no demonstration"),
    ("On 2 May 2022, the army shelled rebel trenches near Zorbivka with mortars. The army then blew up a fuel "
     "depot.", {"sub_event_type": "Shelling/artillery/missile attack"},
     "remote fire stays remote when only the shooter goes on"),
    ("Mexico condemned the attack on the consulate.", {"actor1_text": "Mexico"}, "a country as an actor"),
    ("On 6 February 2022, students rallied in Zorbinsk calling for an end to repression of journalists.",
     {"sub_event_type": "Peaceful protest"}, "repression a protest demands an end to is no intervention"),
    ("On 13 January 2022, hundreds of people marched in Zorbill against police brutality.",
     {"sub_event_type": "Peaceful protest"}, "police brutality a march is against is no intervention"),
    ("On 6 February 2022, in Zorbat, a group of people beat up a youth they accused of stealing a phone.",
     {"sub_event_type": "Mob violence"}, "a beating by a group of people is mob violence"),
    ("On 13 June 2022, rebels ambushed an army patrol with rifles and a roadside bomb near Zorbat.",
     {"sub_event_type": "Armed clash"}, "explosives used with small arms against soldiers"),
    ("On 13 June 2022, an IED planted by militants exploded near an army convoy in Zorbat.",
     {"sub_event_type": "Remote explosive/landmine/IED"}, "an IED alone"),
    ("On 22 May 2022, settlers beat two Palestinian farmers with sticks near Zorbat.",
     {"sub_event_type": "Mob violence"}, "settlers beating people are rioters"),
    ("On 22 May 2022, Israeli settlers shot and injured a Palestinian man near Zorbat.",
     {"sub_event_type": "Attack"}, "armed settlers are not"),
    ("On 13 January 2022, a man kicked a shop assistant outside a bakery in Zorbat.",
     {"sub_event_type": "Attack"}, "one attacker is not a mob"),
    ("On 13 January 2022, villagers beat a suspected thief in Zorbat.", {"sub_event_type": "Mob violence"},
     "villagers are"),
    ("On 4 May 2022, a mob set fire to two buses of the transport company in Zorbat.",
     {"sub_event_type": "Mob violence"}, "arson by rioters with no demonstration is mob violence"),
    ("On 4 May 2022, protesters set fire to two buses outside the transport ministry in Zorbat.",
     {"sub_event_type": "Violent demonstration"}, "arson by demonstrators"),
    ("On 3 May 2022, Boko Haram militants attacked Zorbat village, killing five people.",
     {"sub_event_type": "Attack", "actor1_code": "NGAINS", "actor1_text": "Boko Haram militants"},
     "a pattern that starts inside the actor's name ('militants attack') still has it as its source"),
    ("On 9 October 2021, Syrian rebels shelled regime forces positions outside Zorbat.",
     {"sub_event_type": "Shelling/artillery/missile attack", "actor2_code": "SYRMIL", "interaction": 12},
     "an agent followed by a word that needs a country ('positions') is still that agent"),
    ("Property destruction: On 3 May 2022, unidentified people smashed the windows of a union office in Ikeja, Lagos.",
     {"sub_event_type": "Looting/property destruction", "inter1": 3, "inter2": 7},
     "no perpetrator named: an unidentified armed group"),
    ("On 11 November 2021, border monitors recorded a total of 40 explosions near Zorbivka.",
     {"sub_event_type": "Shelling/artillery/missile attack", "actor1_text": "", "inter1": 3},
     "monitors who observed the shelling are witnesses, not its source"),
    ("On 2 September 2022, Russian forces shelled civilian infrastructure on the edge of Zorbivka overnight.",
     {"sub_event_type": "Shelling/artillery/missile attack", "actor2": "", "actor2_text": "", "inter2": None},
     "civilian infrastructure is no people"),
    ("On 3 May 2022, there was an armed confrontation between gang members and police officers in Zorbat.",
     {"sub_event_type": "Armed clash", "actor1_text": "gang members", "actor2_text": "police officers"},
     "a participle the pattern joins to its noun ('an armed confrontation') is no mere adjective"),
    ("On 3 May 2022, party youths dragged a bus driver out of his car in Zorbat.",
     {"cameo_code": "182"}, "dragging someone out is an assault"),
    ("On 3 May 2022, gunmen killed a 45-year-old farmer in Zorbat.", {"fatalities": 1},
     "an age is not a number of dead"),
    ("On 22 June 2022, a taxi driver sustained gunshot wounds in Zorbat.",
     {"sub_event_type": "Attack", "actor2_text": "taxi driver", "actor1_text": ""},
     "the wounded are the target, not the shooter"),
]



# ACLED's actors (names, inter codes, interaction) follow ACLED's conventions for the sub-event type;
# actor1_code/actor2_code stay CAMEO's source and target: (sentence, expected fields, what it shows)
ACLED_ACTORS = [
    ("On 4 June 2022, gunmen killed two Kurdish fighters near Hasakah.",
     {"sub_event_type": "Armed clash", "actor2": "Unidentified Armed Group (Syria)"},
     "fighters qualified by a word the dictionaries lack are still armed, not civilians"),
    ("On 4 June 2022, gunmen attacked pro-government fighters in Taizz.",
     {"sub_event_type": "Armed clash", "inter2": 3}, "... a hyphenated qualifier too"),
    ("On 4 June 2022, unknown gunmen killed a 4th Armored Division officer near Dara.",
     {"sub_event_type": "Armed clash", "actor2_code": "SYRMIL"},
     "an organisation's name in the other spelling (the codebook writes 4th Armoured Division)"),
    ("On 4 June 2022, a group of individuals attacked and injured a shopkeeper in Lagos.",
     {"sub_event_type": "Mob violence", "inter1": 5},
     "a group of people who use no firearm is a crowd (rioters), not an unidentified armed group"),
    ("On 4 June 2022, a group of individuals opened fire on a shopkeeper in Lagos.",
     {"sub_event_type": "Attack", "inter1": 3}, "... and when they shoot, an armed group"),
    ("On 19 May 2022, motorcyclists protesting the death of a colleague blocked the road and attempted to attack "
     "commuters in Lagos.", {"sub_event_type": "Violent demonstration", "actor1": "Rioters (Nigeria)"},
     "violence the demonstrators tried makes their demonstration violent"),
    ("On 5 May 2023, Israeli forces demolished two Palestinian homes in Hebron.",
     {"sub_event_type": "Looting/property destruction", "actor2": "Civilians (Palestine)", "inter2": 7},
     "homes named by a demonym belong to civilians"),
    ("On 3 May 2022, hundreds of students protested against the government in Ikeja, Lagos.",
     {"sub_event_type": "Peaceful protest", "actor1": "Protesters (Nigeria)", "inter1": 6, "actor2": "",
      "inter2": None, "interaction": 60, "actor2_code": "NGAGOV"},
     "a peaceful protest has no ACLED actor2; whom it was against stays CAMEO's target"),
    ("On 3 May 2022, police dispersed hundreds of students protesting fee increases in Ikeja, Lagos.",
     {"sub_event_type": "Protest with intervention", "actor1": "Protesters (Nigeria)", "inter1": 6,
      "inter2": 1, "interaction": 16, "actor1_code": "NGACOP", "actor2_code": "NGAEDU"},
     "the demonstrators are ACLED's actor1 and the police actor2; CAMEO's source is still the police"),
    ("On 3 May 2022, hundreds of students protested against fee increases in Ikeja, Lagos. Police fired tear "
     "gas and arrested ten of them.",
     {"sub_event_type": "Protest with intervention", "inter1": 6, "inter2": 1, "interaction": 16},
     "the force that intervened in the next sentence is actor2"),
    ("On 3 May 2022, a trader was beaten up by a group of youths in Ikeja, Lagos.",
     {"sub_event_type": "Mob violence", "actor1": "Rioters (Nigeria)", "inter1": 5, "inter2": 7,
      "interaction": 57}, "a violent crowd is Rioters (country)"),
    ("On 3 May 2022, gunmen opened fire in a market in Ikeja, Lagos.",
     {"sub_event_type": "Attack", "actor2": "Civilians (Nigeria)", "inter2": 7, "interaction": 37,
      "actor2_code": ""}, "an attack's victims are civilians when none is named"),
    ("Property destruction: On 3 May 2022, soldiers burned down houses in a village near Ikeja, Lagos.",
     {"sub_event_type": "Looting/property destruction", "actor1_code": "NGAMIL", "inter1": 1, "inter2": 7},
     "a report's heading names the act; the report after it names who did it"),
    ("On 3 May 2022, villagers beat up a man accused of theft in Ikeja, Lagos.",
     {"sub_event_type": "Mob violence", "inter1": 5, "inter2": 7, "interaction": 57},
     "the one a crowd beats up is its civilian victim, not another rioter"),
    ("On 3 May 2022, some 300 people marched through Zorbstadt, Germany, against a new energy levy. A smaller "
     "counter-protest formed outside the town hall.",
     {"sub_event_type": "Peaceful protest", "actor2": "Protesters (Germany)", "interaction": 66},
     "a counter-protest: protesters on both sides"),
    ("On 3 May 2022, about 300 people burned tyres and blocked a highway in Ikeja, Lagos, over fuel prices. "
     "Police later fired tear gas at the crowd.",
     {"sub_event_type": "Violent demonstration", "actor1": "Rioters (Nigeria)", "inter2": 1, "interaction": 15},
     "the force the rioters met in the next sentence"),
    ("On 3 May 2022, police fired tear gas at protesters in Zorbat.",
     {"sub_event_type": "Protest with intervention", "actor1": "Protesters", "inter1": 6, "actor2": "Police",
      "inter2": 1}, "with no country known the demonstrators are plain Protesters, never the police's name"),
    ("On 3 May 2022, Zorbat militiamen clashed with rioters near Gusau, Zamfara.",
     {"sub_event_type": "Mob violence", "interaction": 45},
     "an armed group fighting rioters: mob violence, not an armed clash"),
    ("On 3 May 2022, armed Fulani herdsmen attacked Zorbat village near Jos, Plateau, killing two farmers.",
     {"actor1": "Fulani Ethnic Militia (Nigeria)", "inter1": 4, "sub_event_type": "Attack"},
     "the armed men of a people are ACLED's ethnic militia of that people"),
    ("On 3 May 2022, bandits killed three Fulani herdsmen near Zorbat, Zamfara.",
     {"actor2": "Civilians (Nigeria)", "sub_event_type": "Attack"}, "herders killed are civilians, not a militia"),
    ("On 3 May 2022, Zorbo clan militia clashed with Kelo clan militia near Zorbat, Gedo.",
     {"actor1": "Zorbo Clan Militia (Somalia)", "sub_event_type": "Armed clash"}, "a clan's militia is a clan militia"),
    ("On 3 May 2022, a temple was vandalised by unidentified miscreants in Kushtia, Bangladesh.",
     {"actor1": "Unidentified Armed Group (Bangladesh)", "actor1_text": "unidentified miscreants", "inter1": 3},
     "South Asian reports call unknown perpetrators miscreants"),
    ("On 3 May 2022, Zorbat militiamen attacked farmers near Gusau, Zamfara.",
     {"actor1": "Zorbat Communal Militia (Nigeria)", "inter1": 4, "interaction": 47},
     "a militia called by a place is a communal militia"),
    ("On 3 May 2022, gunmen (believed to be Zorbat communal militia) shot dead a herder near Geneina, West Darfur.",
     {"actor1": "Zorbat Communal Militia (Sudan)", "inter1": 4, "actor1_text": "gunmen"},
     "a parenthesis says who the armed men were"),
    ("On 3 May 2022, police arrested five traders in Ikeja, Lagos.",
     {"sub_event_type": "Arrests", "inter1": 1, "inter2": 7, "interaction": 17},
     "the people arrested are civilians"),
    ("On 3 May 2022, soldiers clashed with gunmen near Ikeja, Lagos.",
     {"sub_event_type": "Armed clash", "inter1": 1, "interaction": 13},
     "a clash with gunmen: an unidentified armed group"),
    ("On 9 September 2022, Russian forces shelled Kupiansk, Kharkiv. A school was hit. Two civilians were killed.",
     {"sub_event_type": "Shelling/artillery/missile attack", "actor2": "Civilians (Ukraine)", "interaction": 78},
     "people the report says were hurt are remote violence's civilian victims"),
    ("On 30 August 2022, Russian forces launched an assault near Bakhmut, Donetsk, but were repelled by "
     "Ukrainian forces.",
     {"sub_event_type": "Armed clash", "inter1": 8, "inter2": 1, "actor2": "Military Forces of Ukraine (2019-)",
      "actor2_code": ""},
     "a clash's other side from the sentence's other clause (ACLED fields only)"),
    ("On 24 May 2022, Russian forces launched an offensive towards Zorbivka, Donetsk, which failed.",
     {"sub_event_type": "Armed clash", "inter1": 8, "actor2": "Military Forces of Ukraine (2019-)", "inter2": 1,
      "interaction": 18}, "a foreign force's unnamed opponent is the military of the country it fights in"),
    ("On 9 June 2023, Nigerian troops were attacked by rebels near Zorbat.",
     {"actor1_code": "NGAREB", "actor2_code": "NGAMIL", "sub_event_type": "Armed clash"},
     "'were attacked by' matched as 'attack by {S}': the target is the subject before it"),
    ("On 9 June 2023, a remote-controlled bomb by Al Shabaab fighters exploded beside a police post in Zorbat, "
     "Lower Shabelle.", {"actor1": "Al Shabaab", "sub_event_type": "Remote explosive/landmine/IED"},
     "the agent after the weapon's noun ('a bomb by ...') is the source"),
    ("On 3 May 2022, in Zorbatiba (Bahia), unidentified men shot dead a drug trafficker outside his house.",
     {"actor1": "Unidentified Gang (Brazil)", "inter1": 3},
     "in a report about gangs or drug trafficking the unidentified perpetrators are ACLED's Unidentified Gang"),
    ("On 3 May 2022, in Zorbatiba (Bahia), unidentified men shot dead a shopkeeper outside his house.",
     {"actor1": "Unidentified Gang and/or Police Militia", "inter1": 3},
     "... and elsewhere Brazil's unidentified perpetrators, as ACLED names them there"),
    ("On 9 June 2022, Russian forces carried out an airstrike on Zorbivka, Kharkiv.",
     {"sub_event_type": "Air/drone strike", "actor1": "Military Forces of Russia (2000-) Air Force"},
     "ACLED's unit names (acled/unit_names.csv): Russian air strikes in Ukraine are the Air Force's"),
    ("On 3 May 2022, several hundred residents in a rally held in Zorbat, Kandahar, asked for the release of "
     "their elders.",
     {"sub_event_type": "Peaceful protest", "actor1": "Protesters (Afghanistan)", "cameo_code": "0253"},
     "an appeal voiced in a sentence naming a rally is that demonstration (CAMEO keeps the appeal)"),
    ("On 3 May 2022, gunmen abducted two farmers near Zorbat, Zamfara. The gunmen beat the farmers.",
     {"sub_event_type": "Attack"}, "people abducted and beaten in the same report: ACLED's attack"),
    ("On 3 May 2022, gunmen abducted two farmers near Zorbat, Zamfara. One of them was killed on 9 May.",
     {"sub_event_type": "Abduction/forced disappearance"}, "... but a killing on another day is another event"),
    ("On 4 June 2022, members of the Ukrainian community rallied in Zorbville, Illinois, to demand more "
     "military aid for Ukraine.",
     {"sub_event_type": "Peaceful protest", "actor1": "Protesters (United States)", "country": "United States"},
     "protesters are of the country they protest in, whatever their nationality"),
    ("On 3 March 2022, DPR forces shelled Zorbativka, Donetsk.",
     {"actor1": "NAF: United Armed Forces of Novorossiya", "inter1": 2, "actor1_code": "UKRSEP"},
     "ACLED's actor for the Donetsk and Luhansk separatist forces is NAF"),
    ("On 3 May 2022, Taliban fighters arrested two journalists in Zorbabad, Kabul.",
     {"actor1": "Military Forces of Afghanistan (2021-)", "inter1": 1, "actor1_code": "AFGMIL"},
     "since August 2021 ACLED codes the Taliban as Afghanistan's state forces"),
    ("On 3 May 2022, ISIS militants attacked an army checkpoint near Zorbat, Kirkuk.",
     {"actor1": "Islamic State (Iraq)", "actor1_code": "IMGINS", "country": "Iraq"},
     "ACLED names the Islamic State by the country it acts in"),
    ("On 3 May 2022, unidentified militants ambushed an army patrol near Zorbat, Kirkuk.",
     {"actor1": "Unidentified Armed Group (Iraq)", "inter1": 3, "interaction": 13},
     "unnamed militants are ACLED's unidentified armed group"),
    ("On 3 May 2022, police beat up Zorbatian refugees at a border crossing near Ikeja, Lagos.",
     {"actor2": "Civilians (Nigeria)", "inter2": 7},
     "refugees and migrants are civilians for ACLED"),
    ("On 4 May 2022, a mob attacked two Palestinians near Zorbat, Hebron.",
     {"sub_event_type": "Mob violence", "actor2": "Civilians (Palestine)", "inter2": 7},
     "people named by a demonym are civilians, not the state's forces"),
    ("On 3 May 2022, Zorbaki youths fought with Kelani youths in Zorbat village, Masaka.",
     {"sub_event_type": "Mob violence", "actor2": "Rioters (Uganda)", "inter2": 5, "interaction": 55},
     "two crowds that fight each other are rioters on both sides"),
    ("On 3 May 2022, supporters of two rival parties clashed in Zorbat town, Khulna, injuring five people.",
     {"sub_event_type": "Mob violence", "actor1": "Rioters (Bangladesh)", "actor2": "Rioters (Bangladesh)",
      "interaction": 55}, "a clash between party supporters: rioters on both sides"),
    ("On 2 May 2022, a former member of the Zorbat police was shot dead by unidentified gunmen in Ikeja, Lagos.",
     {"actor2": "Civilians (Nigeria)", "inter2": 7, "interaction": 37},
     "a target no longer serving is a civilian, and ACLED names every civilian actor Civilians (country)"),
    ("On 20 January 2022, riot police and market traders fought running battles over an eviction order in "
     "Zorbat, Puebla.",
     {"sub_event_type": "Mob violence", "actor1": "Rioters (Mexico)", "actor2": "Police Forces of Mexico (2018-)"},
     "unorganised people clashing with state forces are rioters: mob violence, not a battle"),
    ("On 13 April 2022, soldiers exchanged gunfire with armed individuals at a checkpoint near Ikeja, Lagos.",
     {"sub_event_type": "Armed clash", "inter2": 3, "actor2": "Unidentified Armed Group (Nigeria)"},
     "people named armed are an armed group, so state forces fighting them is a battle"),
    ("On 3 May 2022, rival party members attacked and injured a ward candidate in Zorbat, Lagos.",
     {"sub_event_type": "Mob violence", "actor1": "Rioters (Nigeria)", "interaction": 57},
     "a rival party's members beating a candidate are rioters"),
    ("On 2 May 2022, soldiers arrested a shopkeeper at a checkpoint in Zorbat, Lagos, and beat him with rifle butts.",
     {"sub_event_type": "Attack", "actor1": "Military Forces of Nigeria (2015-)"},
     "people arrested and then tortured or beaten by the same force: an attack"),
    ("On 2 May 2022, the Taliban detained a schoolteacher in Zorbat, Ghazni. Relatives say his whereabouts "
     "remain unknown.",
     {"sub_event_type": "Abduction/forced disappearance"},
     "an arrest whose captives' whereabouts are unknown is a forced disappearance"),
    ("On 23 March 2022, two men kicked a Ukrainian student outside a bar in Zorbat, Hungary.",
     {"actor2": "Civilians (Ukraine)", "inter2": 7},
     "a demonym's civilians keep their nationality, wherever they were attacked"),
    ("On 1 June 2022, insurgents attacked a border post near Zorbat, Duhok, with heavy guns.",
     {"sub_event_type": "Shelling/artillery/missile attack"},
     "heavy guns are artillery, and the word gun in them is no small arm"),
    ("On 5 March 2022, armed herders raped a schoolgirl on her way to the farm near Zorbat, Bayelsa.",
     {"sub_event_type": "Sexual violence", "inter2": 7},
     "a rape is sexual violence whoever commits it, not the mob violence of people beating someone"),
    ("On 20 January 2022, suspected militants attacked a customs station in Zorbat (Houet). No one was hurt.",
     {"sub_event_type": "Armed clash", "actor2": "Military Forces of Burkina Faso (2015-)", "interaction": 13},
     "a post of the state's forces is an armed target: an armed group attacking it fights a battle"),
    ("On 3 May 2022, police beat up three journalists at a checkpoint in Ikeja, Lagos.",
     {"actor2": "Civilians (Nigeria)", "inter2": 7, "actor2_code": "NGAMED"},
     "journalists, teachers or farmers are ACLED's civilians (their trade is only an associated actor); "
     "the CAMEO code keeps the trade"),
]


# one primary event each: where it happened, who did it and how ACLED names them
PLACES_AND_NAMES = [
    ("On 5 February 2022, Iraqi troops thwarted an IS infiltration attempt in Zorbat, Salah al-Din.",
     {"country": "Iraq", "admin1": "Salah Al Din", "actor1": "Islamic State (Iraq)"},
     "Iraq's Salah al-Din as the press hyphenates it (not an Aleppo neighbourhood)"),
    ("On 29 May 2022, about 50 activists gathered in Swansea in remembrance of George Floyd.",
     {"country": "United Kingdom", "location": "Swansea"}, "a person's name is no place (Floyd County)"),
    ("On 29 May 2022, about 50 workers rallied in Sheffield, joined by the MP Paul Kelan.",
     {"country": "United Kingdom"}, "... nor is a given name before a surname (Paul, Cape Verde)"),
    ("On 3 March 2022, about 20 nurses rallied outside the Aba clinic in Aba (Oregon) over staffing.",
     {"country": "United States", "admin1": "Oregon"},
     "an admin1 in brackets after a place outweighs a big namesake abroad named twice"),
    ("On 2 June 2022, about 900 refugees from Ukraine arrived in Moldova and were registered there.",
     {"country": "Moldova", "location": "Moldova"},
     "only countries named: the event is in the passage's country, not the one named first"),
    ("On 6 March 2022, gunmen killed two members of the Arakan Liberation Party in Zorbat.",
     {"location": "", "country": ""}, "a place's name inside an organisation's name is no place (Libération, France)"),
    ("On 4 March 2022, members of the Patras Bar Association protested outside the court.",
     {"country": "Greece", "location": "Pátra"}, "... but the name's first word may be the place it is of"),
    ("On 19 March 2022, in Ciudad Victoria, Tamaulipas, six people were shot and killed at a party by two armed men.",
     {"sub_event_type": "Attack", "actor2": "Civilians (Mexico)"},
     "a capital's name inside a longer place's name is no actor (Victoria, Seychelles)"),
    ("On 5 March 2022, in the outskirts of Villa Nueva, Guatemala, a man was shot dead.",
     {"sub_event_type": "Attack", "actor2": "Civilians (Guatemala)"},
     "'in the outskirts of Town, Country': the country is a place, not the state as the target"),
    ("On 3 May 2022, farmers blocked the ring road of Merida (Badajoz) to demand cheaper diesel.",
     {"country": "Spain", "admin1": "Extremadura"},
     "a district in brackets tells a town from its namesakes abroad (a Venezuelan state, a Mexican city)"),
    ("On 3 May 2022, nurses rallied in Athens - Central Athens to demand more staff.", {"country": "Greece"},
     "a district named like its own seat vouches for nothing: Athens stays the Greek capital"),
    ("On 3 May 2022, teachers rallied in Bialystok to demand higher pay.",
     {"admin1": "Podlaskie", "location": "Białystok"}, "'ł' has no accent to strip: Bialystok is the city"),
    ("On 3 May 2022, nurses rallied in Diyarbakir to demand higher pay.", {"location": "Diyarbakır"},
     "nor has the dotless 'ı': Diyarbakir is the city, not only its province"),
    ("On 3 May 2022, teachers rallied outside the education directorate in Kut city.",
     {"country": "Iraq", "admin1": "Wassit"}, "a short alias of our own district table is kept"),
    ("On 3 May 2022, dozens of people protested outside a district police station in Kiev.",
     {"admin1": "Kyiv City", "location": "Kyiv"}, "a city that is its own admin1 agrees with the unit named like it"),
    ("On 7 July 2022, Zorbo clan militia clashed with Somali forces in Gedo region.",
     {"country": "Somalia", "admin1": "Gedo"},
     "a people's adjective before a force is no place ('Somali forces' is not Ethiopia's Somali Region)"),
    ("On 9 January 2022, residents held a protest at Rajouri city (J&K) over water shortages.",
     {"country": "India", "admin1": "Jammu and Kashmir"}, "J&K is Jammu and Kashmir"),
    ("On 7 April 2022, IS opened fire on a car near Zorbat.", {"actor1_text": "IS", "actor2_text": ""},
     "the Islamic State's acronym is not the verb 'is'"),
    ("On 27 April 2022, soldiers killed a farmer near Zorbat after exchanging fire with rebels.",
     {"sub_event_type": "Attack", "actor2_text": "farmer"}, "an act in an adverbial -ing clause yields to the main act"),
    ("On 27 March 2022, riots broke out in Zorbat when police arrested a man; neighbours attacked the police station.",
     {"sub_event_type": "Mob violence"}, "a riot in a report that names no demonstration is mob violence"),
    ("On 3 February 2022, police intervened by arresting party cadres, who were demonstrating violently, in Zorbat.",
     {"sub_event_type": "Violent demonstration"}, "a crowd's violence in a relative clause is not background"),
    ("On 19 March 2022, raiders attacked a hamlet near Zorbat. The raiders raped two women before driving away "
     "300 goats.", {"sub_event_type": "Sexual violence"}, "sexual violence told in the report makes the attack so"),
    ("On 13 April 2022, Russian forces fired grenade launchers at Ukrainian positions near Zorbivka.",
     {"actor2_text": "Ukrainian positions", "interaction": 18}, "what is fired at is the target"),
    ("On 8 June 2022, youths of two clans fought with each other at a market near Zorbat, leaving three people "
     "injured.", {"sub_event_type": "Mob violence"}, "youths clashing with youths are a mob"),
    ("On 3 May 2022, in Manaus (Amazonas), unidentified gunmen shot and killed a man on his doorstep.",
     {"actor1": "Unidentified Gang and/or Police Militia"}, "Brazil's unidentified perpetrators, as ACLED names them"),
    ("On 3 May 2022, in Bogota, unidentified gunmen shot and killed a man on his doorstep.",
     {"actor1": "Unidentified Armed Group (Colombia)"}, "... and elsewhere an unidentified armed group"),
    ("On 3 May 2022, in Monterrey, Nuevo Leon, men on a motorcycle shot a shopkeeper in a drive-by shooting.",
     {"actor1": "Unidentified Gang (Mexico)"}, "a drive-by outside Brazil is a gang's doing"),
    ("On 3 May 2022, in Monterrey, Nuevo Leon, a man was killed and his body was found with his hands tied "
     "beside a road.", {"actor1": "Unidentified Gang (Mexico)"}, "... and so is a body left with the cartels' marks"),
    ("On 3 May 2022, in Manaus (Amazonas), men on a motorcycle shot a shopkeeper in a drive-by shooting.",
     {"actor1": "Unidentified Gang and/or Police Militia"}, "... in Brazil, its own name still"),
    ("On 3 May 2022, in Manaus (Amazonas), a shoot-out between unknown shooters took place in a market street.",
     {"actor1": "Unidentified Armed Group (Brazil)", "actor2": "Unidentified Armed Group (Brazil)"},
     "... but not when both sides of a shoot-out are unknown"),
    ("On 3 May 2022, in Ipiau (Bahia), two armed men exchanged fire with military police forces near the bus station.",
     {"actor1": "Military Forces of Brazil (2019-) Military Police", "actor2": "Unidentified Gang and/or Police Militia",
      "actor1_text": "armed men"}, "Brazil's mutual clashes list the military police first (the CAMEO side keeps the text's)"),
    ("On 3 May 2022, in Ipiau (Bahia), two armed men attacked military police forces near the bus station.",
     {"actor1": "Unidentified Gang and/or Police Militia"}, "... a clash someone started keeps its order"),
    ("On 3 May 2022, suspected Boko Haram militants attacked Zorbat village in Borno.",
     {"actor1": "Islamic State (West Africa) - Lake Chad Faction and/or Boko Haram - Jamaatu Ahli is-Sunnah "
                "lid-Dawati wal-Jihad"}, "Boko Haram with no faction named is either, as ACLED codes it"),
    ("On 3 May 2022, Boko Haram (JAS) fighters attacked Zorbat village in Borno.",
     {"actor1": "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"}, "... and JAS by name is JAS"),
    ("On 3 May 2022, presumed ISWAP (Greater Sahara) militants burned a truck near Zorbat, Tillaberi.",
     {"actor1": "Islamic State (West Africa) - Greater Sahara Faction"}, "ISWAP's Greater Sahara faction"),
    ("On 3 May 2022, CODECO-URDPC militiamen attacked Zorbat village in Djugu (Ituri).",
     {"actor1": "CODECO-URDPC: Cooperative for Development of Congo (Union of Revolutionaries for the Defense "
                "of the Congolese People)"}, "a CODECO faction named is the faction"),
    ("On 6 March 2022, Islamist militia attacked civilians in Zorbat (Macomia, Cabo Delgado).",
     {"actor1": "Islamist Militia (Mozambique)", "inter1": 3}, "a militia named by its creed is no communal militia"),
    ("Displacement: On 3 May 2022, about 900 refugees from Ukraine arrived in Zorbat, Slovakia.",
     {"actor1": "Civilians (Ukraine)", "actor2": "", "interaction": 70},
     "the displaced are civilians of the country they fled, and ACLED names no one else"),
    ("Displacement: On 3 May 2022, 300 people were evacuated from Zorbivka, Zaporizhia.",
     {"actor1": "Civilians (Ukraine)"}, "... and of the event's country when the report names no other"),
    ("On 1 April 2022, RR and CRPF exchanged fire with LeT militants during a search operation at Zorbat town "
     "(Shopian district, J&K).", {"actor1": "Military Forces of India (2014-) Rashtriya Rifles",
                                  "actor2": "LeT: Lashkar-e-Taiba"}, "India's Rashtriya Rifles and LeT by their acronyms"),
    ("On 29 May 2022, Houthi forces clashed with anti-Houthi forces (coded as National Resistance forces) north of "
     "Hays (Al Hudaydah).", {"actor2": "National Resistance Forces"}, "a parenthesis that says who a force was names it"),
    ("On 9 March 2022, a man stabbed a shopkeeper near a market in Los Angeles - Central (California).",
     {"actor1": "Sole Perpetrator (United States)"}, "one unidentified attacker in the US is ACLED's sole perpetrator"),
    ("On 9 March 2022, a man stabbed a shopkeeper near a market in Zorbat, Lyon.",
     {"actor1": "Unidentified Armed Group (France)"}, "... where ACLED's coverage names no sole perpetrators, an armed group"),
    ("On 14 March 2022, unknown men set fire to a church in Atlanta (Georgia).",
     {"country": "United States", "actor2_text": ""}, "a country's name in brackets after a place is a place, not an actor"),
    ("On 13 April 2022, Russian forces shelled Zorbivka, Kharkiv region as a result of which 2 civilians were "
     "wounded.", {"actor2": "Civilians (Ukraine)"}, "remote violence that hurt people has civilian victims"),
    ("On 13 April 2022, Russian forces shelled Zorbivka, Kharkiv region. No one was injured.",
     {"actor2": ""}, "... and none when the report says no one was hurt"),
    ("On 13 May 2022, gendarmerie forces detained 118 migrants trying to cross the border in Zorbat district, Izmir.",
     {"actor2": "Civilians (International)"}, "migrants of no country named are ACLED's international civilians"),
    ("On 13 May 2022, gendarmerie forces detained 18 Afghan migrants in Zorbat district, Izmir.",
     {"actor2": "Civilians (Afghanistan)"}, "... and of their country when it is named"),
    ("Property destruction: On 14 June 2022, near Zorbat, Sinaloa, soldiers destroyed a poppy plantation.",
     {"actor2": "Unidentified Gang (Mexico)", "interaction": 13}, "drug crops a force destroys are a gang's"),
    ("On 25 June 2022, demonstrators rallied in Khartoum. Security forces (presumed police and military) fired "
     "teargas to disperse the crowd.", {"actor2": "Police Forces of Sudan (2019-)"},
     "the first force a parenthesis names after 'security forces' is theirs"),
    ("On 21 April 2022, Al Shabaab militants attacked ATMIS UPDF at a defensive base near Zorbat (Qoryooley, "
     "Lower Shabelle).", {"actor2": "ATMIS: African Union Transition Mission in Somalia (2022-) (Uganda)"},
     "the AU mission's contingent by its country"),
    ("On 3 May 2022, the Zorbat PDF ambushed a military column near Tamu.",
     {"actor1": "People's Defense Force - Zorbat", "actor1_text": "Zorbat PDF"}, "a local PDF is named by its town"),
    ("On 3 May 2022, the People's Defense Force (Kelan) attacked soldiers near Tamu.",
     {"actor1": "People's Defense Force - Kelan"}, "... also written after it"),
    ("On 3 May 2022, PDF fighters attacked soldiers near Tamu.",
     {"actor1": "PDF: People's Defense Force"}, "... and the PDF unqualified is the PDF"),
    ("On 23 April 2022, about 200 people gathered in Belfast to protest against new tolls.",
     {"actor1": "Protesters (Northern Ireland)", "country": "United Kingdom"},
     "generic actors in Northern Ireland carry its name"),
]


@pytest.mark.parametrize("text,expected", [pytest.param(t, e, id=i) for t, e, i in WHAT + ACLED_ACTORS
                                                                     + PLACES_AND_NAMES])
def test_what_happened(coder, text, expected):
    ev = _one(coder, text)
    assert {k: ev[k] for k in expected} == expected


def test_a_protest_named_by_its_demonstrators_is_theirs(coder):
    # "protesters" is both the protest's word and who protested: not the police, nor the minister
    for text in ("Police fired tear gas at protesters in Zorbat.", "The minister met protesters in Zorbat."):
        protest = [e for e in code(coder, text) if e["rule_id"] == "protest.demonstrate"]
        assert [(e["actor1_text"], e["actor1_code"]) for e in protest] == [("protesters", "PRO")], text


def test_exchanged_fire_on_a_road_is_a_clash_not_a_shooting_at_the_road(coder):
    # "fire on" starts inside "exchanged fire on": the earlier verb governs the overlap
    ev = _one(coder, "On 3 May 2022, Zorbat Defence Force fighters and the army exchanged fire on a hillside "
                     "east of the town.")
    assert (ev["rule_id"], ev["sub_event_type"], ev["actor2_text"]) == ("fight.small_arms", "Armed clash", "army")


def test_members_of_a_group_joined_by_and_and_a_later_clause_subject(coder):
    # "members of the EPL" belong to the pair that clashed; "after police launched a raid" opens a
    # clause of its own, whose subject is the police, not the pair before it
    evs = code(coder, "On 5 May 2022, in Zorbat, soldiers and members of the ELN clashed after soldiers raided "
                      "a camp used by smugglers.")
    clash = [e for e in evs if e["sub_event_type"] == "Armed clash"]
    assert [(e["actor1_text"], e["actor2_text"]) for e in clash] == [("soldiers", "ELN")]
    assert not [e for e in evs if e["actor1_text"] == "ELN" and e["sub_event_type"] != "Armed clash"]


def test_an_object_after_a_conjunction_is_no_subject(coder):
    # "after a brief fight with Zorbat Front fighters": an object, the troops still seized the crossing
    evs = code(coder, "Government troops pushed on after a brief fight with Zorbat Front fighters and seized "
                      "control of the river crossing.")
    assert [e["actor1_text"] for e in evs if e["rule_id"] == "fight.capture"] == ["Government troops"]


def test_seriously_injured_is_passive_though_matched_from_the_adverb(coder):
    evs = code(coder, "On 2 May 2022, two herders were seriously injured near Zorbivka when their cart struck "
                      "a mine left by Zorbat Front fighters.")
    assert not [e for e in evs if e["actor1_text"] == "herders"]


def test_crowd_violence_during_a_demonstration_named_at_length(coder):
    ev = _one(coder, "On 4 March 2022, youths threw stones at Israeli soldiers in Zorbat (Nablus, West Bank) "
                     "during the popular committee's long-running weekly Friday march.")
    assert ev["sub_event_type"] == "Violent demonstration"


def test_fighting_a_pandemic_or_corruption_is_no_battle(coder):
    assert not code(coder, "Health workers in Zorbat are fighting the spread of the virus in crowded camps.")
    assert not [e for e in code(coder, "The new minister vowed to keep fighting corruption in Zorbat.")
                if e["cameo_root"] in ("19", "18")]


def test_what_a_ministry_reported_has_its_own_subject(coder):
    ev = _one(coder, "On 3 May 2022, the Azerbaijani defence ministry claimed that Armenian troops shelled "
                     "border posts near Zorbat overnight.")
    assert (ev["actor1"], ev["actor1_text"]) == ("Military Forces of Armenia (2018-)", "Armenian troops")


def test_a_killing_in_a_clash_of_the_same_sentence_is_its_toll(coder):
    evs = code(coder, "On 4 May 2022, a vendor died during a gun battle between police and unknown gunmen "
                      "at a market near Zorbat, Maysan.")
    assert [(e["sub_event_type"], e["actor1_text"], e["actor2_text"], e["fatalities"]) for e in evs] == [
        ("Armed clash", "police", "unknown gunmen", 1)]


@pytest.mark.parametrize("later,expected", [
    ("Police arrested several of the activists.", "Protest with intervention"),
    ("Four persons were arrested.", "Protest with intervention"),
    # the arrest is the grievance or background, or names no crowd or number
    ("Their leader was arrested in 2019 and charged with fraud.", "Peaceful protest"),
    ("They demanded the release of two people arrested last week.", "Peaceful protest"),
    ("The driver was later arrested.", "Peaceful protest"),
])
def test_arrests_told_after_a_protest(coder, later, expected):
    ev = _one(coder, "On 9 May 2022, dozens of farmers staged a protest outside the town hall in Zorbat, "
                     f"Lagos, against a new land tax. {later}")
    assert ev["sub_event_type"] == expected


def test_a_demand_voiced_by_people_who_gathered_is_their_demonstration(coder):
    evs = code(coder, "On 3 May 2022, nurses from the general hospital, joined by two union officials, gathered at "
                      "the gate of the health ministry in Ikeja (Lagos) and demanded unpaid allowances.")
    (demand,) = [e for e in evs if e["cameo_code"][:2] == "10"]
    assert (demand["sub_event_type"], demand["actor1"]) == ("Peaceful protest", "Protesters (Nigeria)")


def test_a_killing_told_after_an_act_of_force_is_its_toll_not_another_attack(coder):
    # one event for the raid, with its dead: a separate attack would count them twice in any sum
    evs = code(coder, "On 3 May 2022, rebels raided Zorbat village. Five villagers were killed.")
    assert [(e["rule_id"], e["fatalities"]) for e in evs] == [("assault.raid", 5)]
    # a killing with its own killer named stays an event of its own
    evs = code(coder, "On 3 May 2022, rebels raided Zorbat village. Later, gunmen killed two traders nearby.")
    assert len([e for e in evs if e["mode"] in ("attack", "kill")]) == 2


def test_not_immediately_still_negates(coder):
    assert not [e for e in code(coder, "The army did not immediately attack the village.") if e["modifier"] == ""]


def test_a_country_named_as_a_place_is_not_an_actor(coder):
    # "in Zorbatlan, Mexico": Mexico is where, not whom
    ev = _one(coder, "On 6 February 2022, a bus driver was shot dead in Zorbatlan, Mexico.")
    assert "Mexico" not in ev["actor2_text"] and ev["inter2"] not in (1, "1")


def test_a_victim_said_to_be_a_gang_member_makes_an_armed_clash(coder):
    text = ("On 3 May 2022, in Zorbat, two armed men shot and killed a man outside a bar. "
            "The victim was a known gang member.")
    (ev,) = [e for e in code(coder, text) if e["mode"] == "attack"]
    assert (ev["sub_event_type"], ev["inter2"], ev["civilian_targeting"]) == ("Armed clash", 3, "")
    plain = code(coder, "On 3 May 2022, in Zorbat, two armed men shot and killed a man outside a bar.")
    assert [e["sub_event_type"] for e in plain if e["mode"] == "attack"] == ["Attack"]
    text = ("On 3 May 2022, in Zorbat, unknown gunmen on a motorbike killed a mechanic. "
            "Police said the man was a member of a drug trafficking group.")
    assert [e["sub_event_type"] for e in code(coder, text) if e["mode"] == "attack"] == ["Armed clash"]


def test_supporters_of_someone_voicing_a_demand_in_a_place_are_a_protest(coder):
    evs = code(coder, "On 19 June 2022, several dozen supporters of the jailed opposition leader demanded "
                      "his release in Tbilisi.")
    (ev,) = [e for e in evs if e["actor1_text"] == "supporters"]
    assert (ev["cameo_code"][:2], ev["sub_event_type"]) == ("10", "Peaceful protest")


def test_people_harmed_in_an_attack_are_its_target(coder):
    for text, target in (("Three civilians were killed in the shelling.", "civilians"),
                         ("Two children were wounded in an airstrike on the village.", "children")):
        evs = [e for e in code(coder, text) if e["cameo_root"] in ("19", "18")]
        assert evs and all(e["actor1_text"] == "" and e["actor2_text"] == target for e in evs), evs


def test_a_new_clause_after_and_has_its_own_subject(coder):
    evs = code(coder, "Rebels killed two civilians in Harasta, and the army shelled the town.")
    by_rule = {e["rule_id"]: (e["actor1_text"], e["actor2_text"]) for e in evs}
    assert by_rule["assault.kill"] == ("Rebels", "civilians")
    assert by_rule["fight.shelling"][0] == "army"
    # a list of names is not a new clause: the first actor stays the subject
    (ev,) = [e for e in code(coder, "Farmers associated with two unions and the BKU staged a protest in Bhiwani.")
             if e["cameo_root"] == "14"]
    assert ev["actor1_text"] != "BKU"


def test_fire_answered_by_its_target_is_an_armed_clash(coder):
    text = ("On 31 January 2022, militants fired mortar shells at an army base near Zorbat. "
            "The army fired back with mortars.")
    assert {e["sub_event_type"] for e in code(coder, text) if e["cameo_root"] == "19"} == {"Armed clash"}
    one_sided = "On 31 January 2022, militants fired mortar shells at an army base near Zorbat."
    assert [e["sub_event_type"] for e in code(coder, one_sided)] == ["Shelling/artillery/missile attack"]


def test_country_may_be_none_from_python(coder):
    p = Passage("n1", "Rebels shelled the town of Douma.", "2021-03-10")
    assert coder.code_passage(p, country=None) == coder.code_passage(p, country="")


def test_crowd_violence_without_a_demonstration_is_mob_violence(coder):
    mob = code(coder, "On 2 March 2022, rioters attacked and beat up a man accused of stealing a motorcycle in Homs.")
    assert {e["sub_event_type"] for e in mob if e["cameo_root"] in ("14", "18")} == {"Mob violence"}
    demo = code(coder, "On 2 March 2022, protesters demonstrating against prices pelted police with stones in Homs.")
    assert "Violent demonstration" in {e["sub_event_type"] for e in demo}


def test_a_meeting_beside_a_demonstration_is_not_the_main_event(coder):
    text = ("On 3 May 2022, opposition leaders held a meeting in Toronto and then marched to the city hall "
            "to protest the budget.")
    (ev,) = code(coder, text, primary=True)
    assert ev["sub_event_type"] == "Peaceful protest"


def test_a_presidential_guard_is_a_military_force(coder):
    (ev,) = code(coder, "On 23 January 2022, mutinous soldiers attacked the presidential guard in Ouagadougou.")
    assert (ev["sub_event_type"], ev["inter2"]) == ("Armed clash", 1)


def test_protesters_blocking_a_road_is_not_police_stopping_a_protest(coder):
    evs = code(coder, "On 13 May 2022, in Maceio, residents blocked the avenue to protest against water cuts.")
    assert evs and all(e["mode"] != "protest_intervention" for e in evs)
    assert "Peaceful protest" in {e["sub_event_type"] for e in evs}


def test_an_undated_sentence_takes_the_date_its_paragraph_last_gave(coder):
    text = ("On 4 May 2022, about 200 teachers staged a protest outside the Zorbat education office. "
            "Two teachers were arrested.\n\nRebels attacked an army post near Kelan.")
    evs = code(coder, text, date="2022-05-09")
    dates = {e["sentence_index"]: e["event_date"] for e in evs}
    # the arrest continues the 4 May story (and makes the protest one with intervention); the next
    # paragraph is another item of the report, dated by the passage
    assert dates == {0: "2022-05-04", 1: "2022-05-04", 2: "2022-05-09"}
    assert {e["sub_event_type"] for e in evs if e["sentence_index"] == 0} == {"Protest with intervention"}


def test_a_compound_subject_meeting_is_one_event_between_the_two(coder):
    evs = [e for e in code(coder, "Government and opposition delegations met in Damascus on Monday.", date="2022-05-04")
           if e["cameo_code"].startswith("04")]
    assert [(e["actor1_text"], e["actor2_text"]) for e in evs] == [("Government", "opposition")]


@pytest.mark.parametrize("sentence, code_", [
    ("Police dispersed the crowd in Zorbat with tear gas and rubber bullets.", "175"),
    ("About 300 nurses held a protest outside the Zorbat hospital; the demonstration ended at noon.", "141"),
    ("Dozens of rebels laid down their arms and surrendered to the army in Zorbat.", "0874"),
])
def test_two_wordings_of_one_act_are_one_row(coder, sentence, code_):
    assert [e["cameo_code"] for e in code(coder, sentence, date="2022-05-04")].count(code_) == 1


def test_a_sentence_naming_no_place_is_located_where_its_paragraph_last_was(coder):
    text = ("On 5 April 2022, police answered a distress call in Suleja (Suleja, Niger). Gunmen ambushed the "
            "policemen, killing three.\n\nBandits attacked a convoy.")
    evs = code(coder, text, date="2022-05-09")
    where = {e["sentence_index"]: e["location"] for e in evs}
    assert where[1] == "Suleja"  # the ambush, told in the next sentence
    assert where[2] == ""  # another paragraph: another item of the report


def test_a_rape_that_is_only_an_accusation_is_no_sexual_violence(coder):
    # a rape that is only an accusation or a case is no such act (the act itself: PLACES_AND_NAMES)
    (ev,) = code(coder, "On 17 March 2022, villagers beat a constable who tried to arrest a man accused in a rape case "
                        "in Zorbat.", primary=True)
    assert ev["sub_event_type"] != "Sexual violence"


def test_a_participle_before_the_first_actor_after_of_is_an_adjective(coder):
    evs = code(coder, "On 2 January 2022, dozens of demobilized militiamen blocked the main road near Zorbat.")
    assert [e["cameo_code"] for e in evs][:1] == ["144"] and not [e for e in evs if e["cameo_code"] == "0873"]


def test_a_states_forces_are_named_by_the_regime_of_the_events_date(coder):
    # acled/regimes.csv: Pakistan's government changed on 11 April 2022
    text = "On {} 2022, Pakistani troops killed three militants near Zorbat in North Waziristan."
    names = [[e["actor1"] for e in code(coder, text.format(day), date="2022-06-30", primary=True)]
             for day in ("20 March", "20 May")]
    assert names == [["Military Forces of Pakistan (2018-2022)"], ["Military Forces of Pakistan (2022-)"]]
