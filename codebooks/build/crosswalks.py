"""Regenerate codebooks/crosswalks/cameo_acled.csv and cameo_plover.csv.

Both tables are written by evcode: the ACLED crosswalk from the ACLED codebook's definitions,
the PLOVER one from the PLOVER specification's event/mode/context categories. Lookups use the
longest matching prefix, so a 4-digit code without its own row takes its 3-digit parent's row.
"""
from __future__ import annotations

import csv
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent

# cameo -> (mode, note). Empty mode = no ACLED event for that code.
ACLED = {
    "01": ("", "statements are not ACLED events"),
    "02": ("", "appeals are not ACLED events"),
    "03": ("", "intentions are not ACLED events"),
    "04": ("", "meetings are not ACLED events"),
    "05": ("", "diplomatic cooperation is not an ACLED event"),
    "057": ("agreement", "formal agreements between conflict actors"),
    "06": ("", "material cooperation is not an ACLED event"),
    "07": ("", "aid is not an ACLED event"),
    "08": ("", "concessions are not ACLED events unless listed below"),
    "0841": ("other", "release of detainees; a prisoner exchange is an Agreement"),
    "087": ("", "de-escalation in general is not coded"),
    "0871": ("ceasefire", "truce or ceasefire: Agreement"),
    "0873": ("change_group", "demobilisation or disarmament of a group"),
    "0874": ("change_group", "surrender of fighters; a withdrawal that hands over ground is territory_transfer"),
    "09": ("", "investigations are not ACLED events"),
    "10": ("", "demands are not ACLED events"),
    "11": ("", "criticism is not an ACLED event"),
    "12": ("", "rejections are not ACLED events"),
    "13": ("", "threats are not ACLED events"),
    "14": ("protest", "demonstrations"),
    "140": ("protest", ""),
    "141": ("protest", "demonstration, march or rally"),
    "142": ("protest", "hunger strikes are coded as peaceful protests"),
    "143": ("protest", "strikes and boycotts are coded as peaceful protests"),
    "144": ("protest", "road blocks and sit-ins; violent blockades are riots"),
    "145": ("violent_demonstration", "violent protest or riot"),
    "15": ("", "shows of force are not ACLED events"),
    "16": ("", "reduced relations are not ACLED events"),
    "17": ("other", "coercion is at most a Strategic development"),
    "171": ("looting", "seizure of property"),
    "1711": ("looting", "confiscation of property"),
    "1712": ("property_destruction", "destruction of property, arson, demolition"),
    "172": ("other", "curfews, bans and states of emergency are Strategic developments/Other"),
    "173": ("arrest", "arrest or detention"),
    "174": ("other", "deportation of individuals"),
    "175": ("protest_intervention", "tear gas, water cannon and beatings used on crowds"),
    "18": ("attack", "the target's inter code decides the sub-event type"),
    "180": ("attack", ""),
    "181": ("abduction", "abduction, kidnapping, hijacking"),
    "182": ("attack", "physical assault"),
    "1821": ("sexual_violence", ""),
    "1822": ("attack", "torture"),
    "1823": ("kill", "killing by physical assault"),
    "183": ("ied", "bombing outside regular combat; the kind of device decides"),
    "1831": ("suicide_bomb", ""),
    "1832": ("ied", "car bombs are remote explosives"),
    "1833": ("ied", "roadside bombs are remote explosives"),
    "184": ("attack", "use of human shields"),
    "185": ("attack", "attempted assassination"),
    "186": ("kill", "assassination"),
    "19": ("armed_clash", "conventional fighting"),
    "190": ("armed_clash", ""),
    "191": ("other", "blockade or siege without fighting"),
    "192": ("territory_capture", "occupation of territory; the captor decides the sub-event type"),
    "193": ("armed_clash", "small arms fighting"),
    "194": ("shelling", "artillery, tanks, rockets"),
    "195": ("air_strike", "aerial weapons; drone strikes use drone_strike"),
    "196": ("armed_clash", "ceasefire violation"),
    "20": ("kill", "mass violence"),
    "200": ("kill", ""),
    "201": ("attack", "mass expulsion of civilians"),
    "202": ("kill", "massacre"),
    "203": ("kill", "ethnic cleansing"),
    "204": ("chemical", "weapons of mass destruction"),
    "2041": ("chemical", "chemical, biological or radiological weapons"),
    "2042": ("missile", "no ACLED sub-event fits nuclear use; nearest is missile attack"),
}

# PLOVER: per-digit contexts for the CAMEO families that repeat the same sub-codes.
COOP = {"1": "economic", "2": "military", "3": "legal", "4": "intelligence"}
AIDC = {"1": "economic", "2": "military", "3": "humanitarian", "4": "peacekeeping"}
REFORM = {"1": "political_institutions", "2": "executive", "3": "rights_freedoms",
          "4": "political_institutions"}
YIELD = {"1": "executive", "2": "rights_freedoms", "3": "human_rights", "4": "economic",
         "5": "diplomatic", "6": "military"}

# cameo (root and 3-digit) -> (plover_event, plover_mode, plover_context)
PLOVER = {
    "01": ("", "", ""), "010": ("", "", ""), "011": ("", "", ""), "012": ("", "", ""),
    "013": ("", "", ""), "014": ("", "", ""), "015": ("", "", ""),
    "016": ("REJECT", "", ""), "017": ("", "", ""), "018": ("SUPPORT", "", ""),
    "019": ("AGREE", "", "diplomatic"),
    "02": ("REQUEST", "", ""), "020": ("REQUEST", "", ""),
    "021": ("REQUEST", "assist", ""), "022": ("REQUEST", "", "diplomatic"),
    "023": ("REQUEST", "assist", ""), "024": ("REQUEST", "change", "political_institutions"),
    "025": ("REQUEST", "yield", ""), "026": ("REQUEST", "meet", "diplomatic"),
    "027": ("REQUEST", "settle", "diplomatic"), "028": ("REQUEST", "mediate", "diplomatic"),
    "03": ("AGREE", "", ""), "030": ("AGREE", "", ""), "031": ("AGREE", "", ""),
    "032": ("AGREE", "", "diplomatic"), "033": ("AGREE", "", ""),
    "034": ("AGREE", "", "political_institutions"), "035": ("AGREE", "", ""),
    "036": ("AGREE", "", "diplomatic"), "037": ("AGREE", "", "diplomatic"),
    "038": ("AGREE", "", "diplomatic"), "039": ("AGREE", "", "diplomatic"),
    "04": ("CONSULT", "", ""), "040": ("CONSULT", "", ""), "041": ("CONSULT", "phone", ""),
    "042": ("CONSULT", "visit", ""), "043": ("CONSULT", "visit", ""),
    "044": ("CONSULT", "third-party", ""), "045": ("CONSULT", "mediate", "diplomatic"),
    "046": ("CONSULT", "negotiate", "diplomatic"),
    "05": ("SUPPORT", "", ""), "050": ("SUPPORT", "", "diplomatic"), "051": ("SUPPORT", "praise", ""),
    "052": ("SUPPORT", "defend", ""), "053": ("SUPPORT", "rally", ""),
    "054": ("SUPPORT", "recognize", "diplomatic"), "055": ("SUPPORT", "apologize", ""),
    "056": ("SUPPORT", "forgive", ""), "057": ("SUPPORT", "sign", "diplomatic"),
    "06": ("COOPERATE", "", ""), "060": ("COOPERATE", "", ""), "061": ("COOPERATE", "", "economic"),
    "062": ("COOPERATE", "", "military"), "063": ("COOPERATE", "", "legal"),
    "064": ("COOPERATE", "", "intelligence"),
    "07": ("AID", "", ""), "070": ("AID", "", ""), "071": ("AID", "", "economic"),
    "072": ("AID", "", "military"), "073": ("AID", "", "humanitarian"),
    "074": ("AID", "", "peacekeeping"), "075": ("AID", "", "asylum"),
    "08": ("CONCEDE", "", ""), "080": ("CONCEDE", "", ""), "081": ("CONCEDE", "ease", "executive"),
    "082": ("CONCEDE", "", "rights_freedoms"), "083": ("CONCEDE", "policy", "political_institutions"),
    "084": ("RETREAT", "release", ""), "085": ("RETREAT", "ease", "economic"),
    "086": ("RETREAT", "access", ""), "087": ("RETREAT", "", "military"),
    "09": ("ACCUSE", "investigate", ""), "090": ("ACCUSE", "investigate", ""),
    "091": ("ACCUSE", "investigate", "crime"), "092": ("ACCUSE", "investigate", "human_rights"),
    "093": ("ACCUSE", "investigate", "military"), "094": ("ACCUSE", "investigate", "human_rights"),
    "10": ("REQUEST", "demand", ""), "100": ("REQUEST", "demand", ""),
    "101": ("REQUEST", "demand", ""), "102": ("REQUEST", "demand", "diplomatic"),
    "103": ("REQUEST", "demand", ""), "104": ("REQUEST", "demand", "political_institutions"),
    "105": ("REQUEST", "demand", ""), "106": ("REQUEST", "demand", "diplomatic"),
    "107": ("REQUEST", "demand", "diplomatic"), "108": ("REQUEST", "demand", "diplomatic"),
    "11": ("ACCUSE", "disapprove", ""), "110": ("ACCUSE", "disapprove", ""),
    "111": ("ACCUSE", "disapprove", ""), "112": ("ACCUSE", "allege", ""),
    "113": ("ACCUSE", "disapprove", ""), "114": ("ACCUSE", "disapprove", "diplomatic"),
    "115": ("ACCUSE", "sue", "legal"), "116": ("SANCTION", "convict", "legal"),
    "12": ("REJECT", "", ""), "120": ("REJECT", "", ""), "121": ("REJECT", "assist", ""),
    "122": ("REJECT", "assist", ""), "123": ("REJECT", "change", "political_institutions"),
    "124": ("REJECT", "yield", ""), "125": ("REJECT", "meet", "diplomatic"),
    "126": ("REJECT", "mediate", "diplomatic"), "127": ("REJECT", "settle", "diplomatic"),
    "128": ("REJECT", "defy", "legal"), "129": ("REJECT", "veto", "diplomatic"),
    "13": ("THREATEN", "", ""), "130": ("THREATEN", "", ""), "131": ("THREATEN", "relations", ""),
    "132": ("THREATEN", "restrict", "executive"), "133": ("THREATEN", "political", ""),
    "134": ("THREATEN", "relations", "diplomatic"), "135": ("THREATEN", "relations", "diplomatic"),
    "136": ("THREATEN", "expel", ""), "137": ("THREATEN", "repress", "rights_freedoms"),
    "138": ("THREATEN", "violence", "military"), "139": ("THREATEN", "ultimatum", ""),
    "14": ("PROTEST", "", ""), "140": ("PROTEST", "", ""), "141": ("PROTEST", "demo", ""),
    "142": ("PROTEST", "hunger", ""), "143": ("PROTEST", "strike", ""),
    "144": ("PROTEST", "obstruct", ""), "145": ("PROTEST", "riot", ""),
    "15": ("MOBILIZE", "", ""), "150": ("MOBILIZE", "", "military"),
    "151": ("MOBILIZE", "police", ""), "152": ("MOBILIZE", "troops", "military"),
    "153": ("MOBILIZE", "police", ""), "154": ("MOBILIZE", "troops", "military"),
    "16": ("SANCTION", "", ""), "160": ("SANCTION", "", ""),
    "161": ("SANCTION", "discontinue", "diplomatic"), "162": ("SANCTION", "discontinue", ""),
    "163": ("SANCTION", "embargo", "economic"), "164": ("SANCTION", "discontinue", "diplomatic"),
    "165": ("SANCTION", "discontinue", "diplomatic"), "166": ("SANCTION", "expel", ""),
    "17": ("COERCE", "", ""), "170": ("COERCE", "", ""), "171": ("COERCE", "seize", ""),
    "172": ("COERCE", "restrict", "executive"), "173": ("COERCE", "arrest", "legal"),
    "174": ("COERCE", "deport", ""), "175": ("ASSAULT", "repress", "rights_freedoms"),
    "18": ("ASSAULT", "", ""), "180": ("ASSAULT", "", ""), "181": ("ASSAULT", "abduct", ""),
    "182": ("ASSAULT", "beat", ""), "183": ("ASSAULT", "explosives", ""),
    "184": ("ASSAULT", "human-shield", ""), "185": ("ASSAULT", "assassinate", ""),
    "186": ("ASSAULT", "assassinate", ""),
    "19": ("ASSAULT", "", "military"), "190": ("ASSAULT", "", "military"),
    "191": ("COERCE", "blockade", "military"), "192": ("COERCE", "occupy", "military"),
    "193": ("ASSAULT", "firearms", "military"), "194": ("ASSAULT", "heavy-weapons", "military"),
    "195": ("ASSAULT", "aerial", "military"), "196": ("ASSAULT", "ceasefire-violation", "military"),
    "20": ("ASSAULT", "mass-violence", ""), "200": ("ASSAULT", "mass-violence", ""),
    "201": ("ASSAULT", "expel", "human_security"), "202": ("ASSAULT", "massacre", ""),
    "203": ("ASSAULT", "cleansing", "religion_ethnicity"), "204": ("ASSAULT", "wmd", "cbrn"),
}

# 4-digit codes whose mode or context differs from what the family tables give.
PLOVER_4 = {
    "0811": ("CONCEDE", "ease", "rights_freedoms"), "0812": ("CONCEDE", "ease", "political_institutions"),
    "0813": ("CONCEDE", "ease", "executive"), "0814": ("CONCEDE", "ease", "executive"),
    "0841": ("RETREAT", "release", "human_rights"), "0842": ("RETREAT", "return", ""),
    "0861": ("RETREAT", "access", "peacekeeping"), "0862": ("RETREAT", "access", "cbrn"),
    "0863": ("RETREAT", "access", "humanitarian"),
    "0871": ("RETREAT", "ceasefire", "military"), "0872": ("RETREAT", "ease", "military"),
    "0873": ("RETREAT", "disarm", "military"), "0874": ("RETREAT", "withdraw", "military"),
    "1121": ("ACCUSE", "allege", "crime"), "1122": ("ACCUSE", "allege", "human_rights"),
    "1123": ("ACCUSE", "allege", "military"), "1124": ("ACCUSE", "allege", "human_rights"),
    "1125": ("ACCUSE", "allege", "intelligence"),
    "1311": ("THREATEN", "relations", "economic"), "1312": ("THREATEN", "relations", "economic"),
    "1313": ("THREATEN", "relations", "diplomatic"),
    "1321": ("THREATEN", "restrict", "rights_freedoms"), "1322": ("THREATEN", "ban", "political_institutions"),
    "1323": ("THREATEN", "restrict", "executive"), "1324": ("THREATEN", "restrict", "executive"),
    "1381": ("THREATEN", "blockade", "military"), "1382": ("THREATEN", "territory", "military"),
    "1383": ("THREATEN", "violence", "military"), "1384": ("THREATEN", "violence", "military"),
    "1385": ("THREATEN", "violence", "cbrn"),
    "1621": ("SANCTION", "discontinue", "economic"), "1622": ("SANCTION", "discontinue", "military"),
    "1623": ("SANCTION", "discontinue", "humanitarian"),
    "1661": ("SANCTION", "expel", "peacekeeping"), "1662": ("SANCTION", "expel", "diplomatic"),
    "1663": ("SANCTION", "expel", "humanitarian"),
    "1711": ("COERCE", "seize", ""), "1712": ("ASSAULT", "destroy", ""),
    "1721": ("COERCE", "restrict", "rights_freedoms"), "1722": ("COERCE", "ban", "political_institutions"),
    "1723": ("COERCE", "curfew", "executive"), "1724": ("COERCE", "martial-law", "executive"),
    "1821": ("ASSAULT", "sexual", ""), "1822": ("ASSAULT", "torture", ""),
    "1823": ("ASSAULT", "beat", ""),
    "1831": ("ASSAULT", "suicide-attack", ""), "1832": ("ASSAULT", "explosives", ""),
    "1833": ("ASSAULT", "explosives", ""),
    "2041": ("ASSAULT", "wmd", "cbrn"), "2042": ("ASSAULT", "wmd", "cbrn"),
}

FAMILY = {  # 3-digit parent -> per-last-digit context table
    "021": COOP, "031": COOP, "101": COOP, "121": COOP,
    "023": AIDC, "033": AIDC, "103": AIDC, "122": AIDC,
    "024": REFORM, "034": REFORM, "083": REFORM, "104": REFORM, "123": REFORM,
    "141": REFORM, "142": REFORM, "143": REFORM, "144": REFORM, "145": REFORM,
    "025": YIELD, "035": YIELD, "105": YIELD, "124": YIELD,
}


def codes() -> list[str]:
    with (BASE / "cameo" / "event_codes.csv").open(encoding="utf-8", newline="") as fh:
        return [r["code"] for r in csv.DictReader(fh)]


def modes() -> dict[str, tuple[str, str]]:
    with (BASE / "acled" / "modes.csv").open(encoding="utf-8", newline="") as fh:
        return {r["mode"]: (r["default_event_type"], r["default_sub_event_type"])
                for r in csv.DictReader(fh)}


def plover_row(code: str) -> tuple[str, str, str]:
    if code in PLOVER_4:
        return PLOVER_4[code]
    if code in PLOVER:
        return PLOVER[code]
    parent = code[:3]
    event, mode, ctx = PLOVER[parent]
    table = FAMILY.get(parent)
    return event, mode, table[code[3]] if table else ctx


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def build() -> tuple[int, int]:
    all_codes = codes()
    known = set(all_codes)
    md = modes()
    acled_rows = []
    for code in sorted(ACLED, key=all_codes.index):
        assert code in known, code
        mode, note = ACLED[code]
        et, st = md[mode] if mode else ("", "")
        acled_rows.append([code, mode, et, st, note])
    write(BASE / "crosswalks" / "cameo_acled.csv",
          ["cameo", "mode", "event_type", "sub_event_type", "note"], acled_rows)
    plover_rows = [[c, *plover_row(c)] for c in all_codes]
    write(BASE / "crosswalks" / "cameo_plover.csv",
          ["cameo", "plover_event", "plover_mode", "plover_context"], plover_rows)
    return len(acled_rows), len(plover_rows)


if __name__ == "__main__":
    print("wrote %d ACLED and %d PLOVER crosswalk rows" % build())
