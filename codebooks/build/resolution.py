"""Regenerate codebooks/acled/resolution.csv (rules written by evcode from the ACLED codebook).

Rows are tried in `order`; the first whose mode matches and whose inter1/inter2 lists contain the
actors' inter codes wins. inter2 0 = no second actor. Every mode ends with a '*','*' fallback.
"""
from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "acled" / "resolution.csv"

ARMED = "1|2|3|4|8"
NSA = "2|3|4|8"
PV, DEM, SD, BOTH = ("Political violence", "Demonstrations", "Strategic developments",
                     "Political violence; Demonstrations")
BAT, ERV, VAC = "Battles", "Explosions/Remote violence", "Violence against civilians"
PRO, RIO, STR = "Protests", "Riots", "Strategic developments"

CLASH = (BAT, "Armed clash", PV)
VAC_ATTACK = (VAC, "Attack", PV)
MOB = (RIO, "Mob violence", PV)
VDEM = (RIO, "Violent demonstration", DEM)
EXCESS = (PRO, "Excessive force against protesters", BOTH)


def violence_rows(mode):
    return [
        (mode, "6", "*", *VDEM, "protesters who turn on others make the demonstration violent"),
        (mode, "5", "*", *MOB, "rioters attacking people is mob violence"),
        (mode, "1", "6", *EXCESS, "state forces using lethal or injuring force on protesters"),
        (mode, NSA, "6", *VAC_ATTACK, "armed non-state actors attacking protesters: civilians targeted"),
        (mode, "1", "5", *VDEM, "state forces confronting rioters: coded as the riot"),
        (mode, "*", "5", *MOB, "others attacking rioters"),
        (mode, "7", "*", *MOB, "unorganised people (villagers, a crowd) attacking someone: ACLED codes them as rioters"),
        (mode, "*", "7", *VAC_ATTACK, "unarmed victims make it violence against civilians"),
        (mode, ARMED, ARMED, *CLASH, "two organised armed sides: a battle"),
        (mode, "*", "0", *VAC_ATTACK, "no named target: ACLED's default is an attack on civilians"),
        (mode, "*", "*", *VAC_ATTACK, "fallback"),
    ]


def single(mode, et, st, dt, note="fallback"):
    return [(mode, "*", "*", et, st, dt, note)]


ROWS = (
    [("armed_clash", "5|7", "*", *MOB, "unorganised people (rioters, villagers, students, party supporters) fighting: mob violence"),
     ("armed_clash", "6", "*", *VDEM, "demonstrators clashing with others"),
     ("armed_clash", "1", "5|6", *VDEM, "state forces clashing with demonstrators"),
     ("armed_clash", NSA, "5", *MOB, "an armed or communal group clashing with rioters (settlers with a stone-throwing crowd): mob violence"),
     ("armed_clash", "1", "7", *MOB, "state forces clashing with unorganised people (merchants, relatives, citizens): the people are rioters"),
     ("armed_clash", "*", "*", *CLASH, "fallback")]
    + violence_rows("attack")
    + violence_rows("kill")
    + [("territory_capture", "1", "*", BAT, "Government regains territory", PV,
        "state forces take territory"),
       ("territory_capture", NSA, "*", BAT, "Non-state actor overtakes territory", PV,
        "non-state or external forces take territory"),
       ("territory_capture", "*", "*", BAT, "Non-state actor overtakes territory", PV,
        "fallback: captor unknown")]
    + single("territory_gov", BAT, "Government regains territory", PV)
    + single("territory_nsa", BAT, "Non-state actor overtakes territory", PV)
    + single("territory_transfer", STR, "Non-violent transfer of territory", SD)
    + single("air_strike", ERV, "Air/drone strike", PV, "fallback: remote violence whoever is hit")
    + single("drone_strike", ERV, "Air/drone strike", PV, "fallback: remote violence whoever is hit")
    + single("shelling", ERV, "Shelling/artillery/missile attack", PV,
             "fallback: remote violence whoever is hit")
    + single("missile", ERV, "Shelling/artillery/missile attack", PV,
             "fallback: remote violence whoever is hit")
    + single("ied", ERV, "Remote explosive/landmine/IED", PV)
    + single("landmine", ERV, "Remote explosive/landmine/IED", PV)
    + single("suicide_bomb", ERV, "Suicide bomb", PV)
    + [("grenade", "5|6", "*", *VDEM, "grenade thrown in a demonstration")]
    + single("grenade", ERV, "Grenade", PV)
    + single("chemical", ERV, "Chemical weapon", PV)
    + [("abduction", "5", "*", *MOB, "abduction by a mob")]
    + single("abduction", VAC, "Abduction/forced disappearance", PV)
    + [("sexual_violence", "5", "*", *MOB, "sexual violence by a mob")]
    + single("sexual_violence", VAC, "Sexual violence", PV)
    + [("protest", "5", "*", *VDEM, "a protest by rioters is violent")]
    + single("protest", PRO, "Peaceful protest", DEM)
    + single("protest_intervention", PRO, "Protest with intervention", DEM)
    + single("excessive_force", *EXCESS)
    + single("violent_demonstration", *VDEM)
    + [("riot", "5|6", "0|1", *VDEM, "demonstrators rioting alone or against state forces")]
    + single("riot", *MOB)
    + single("mob_violence", *MOB)
    + single("agreement", STR, "Agreement", SD)
    + single("ceasefire", STR, "Agreement", SD)
    + [("arrest", "2|3|4", "*", VAC, "Abduction/forced disappearance", PV,
        "non-state actors cannot arrest: detention is an abduction")]
    + single("arrest", STR, "Arrests", SD)
    + single("change_group", STR, "Change to group/activity", SD)
    + single("disrupted_weapons", STR, "Disrupted weapons use", SD)
    + single("base_established", STR, "Headquarters or base established", SD)
    + [("looting", "6", "*", *VDEM, "looting by demonstrators"),
       ("looting", "5", "*", *MOB, "looting by rioters with no demonstration: mob violence")]
    + single("looting", STR, "Looting/property destruction", SD)
    + [("property_destruction", "6", "*", *VDEM, "vandalism by demonstrators"),
       ("property_destruction", "5", "*", *MOB,
        "arson or vandalism by rioters (a mob, youths) with no demonstration: ACLED's mob violence")]
    + single("property_destruction", STR, "Looting/property destruction", SD)
    + single("other", STR, "Other", SD)
)


def build(out: Path = OUT) -> int:
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["order", "mode", "inter1", "inter2", "event_type", "sub_event_type",
                    "disorder_type", "note"])
        for i, row in enumerate(ROWS, start=1):
            w.writerow([i * 10, *row])
    return len(ROWS)


if __name__ == "__main__":
    print(f"wrote {build()} rows to {OUT}")
