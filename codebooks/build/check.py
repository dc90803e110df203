"""Quick consistency check of the taxonomy, crosswalk and lexicon tables (run by hand)."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import yaml

CB = Path(__file__).resolve().parent.parent
KEYS = {
    "cameo/event_codes.csv": "code", "cameo/root_classes.csv": "root",
    "cameo/actor_types.csv": "code", "acled/disorder_types.csv": "disorder_type",
    "acled/event_types.csv": "sub_event_type", "acled/inter_codes.csv": "inter",
    "acled/modes.csv": "mode", "acled/resolution.csv": "order",
    "crosswalks/cameo_acled.csv": "cameo", "crosswalks/cameo_plover.csv": "cameo",
    "lexicon/numbers.csv": "word", "lexicon/victims.csv": "word",
}
errors: list[str] = []


def err(msg: str) -> None:
    errors.append(msg)


t = {}
for rel, key in KEYS.items():
    df = pd.read_csv(CB / rel, dtype=str, keep_default_na=False)
    t[rel] = df
    if df[key].duplicated().any():
        err(f"{rel}: duplicate {key}: {sorted(df[key][df[key].duplicated()])}")
    if (df[key] == "").any():
        err(f"{rel}: empty {key}")

ev = t["cameo/event_codes.csv"]
codes = set(ev.code)
if len(ev) != 312:
    err(f"event_codes: {len(ev)} rows, expected 312")
for r in ev.itertuples():
    exp_level = {2: "0", 3: "1", 4: "2"}[len(r.code)]
    exp_parent = "" if len(r.code) == 2 else (r.code[:2] if len(r.code) == 3 else r.code[:3])
    if r.level != exp_level or r.parent != exp_parent or r.root != r.code[:2]:
        err(f"event_codes {r.code}: level/parent/root wrong")
    if r.parent and r.parent not in codes:
        err(f"event_codes {r.code}: parent {r.parent} missing")
    if not r.description:
        err(f"event_codes {r.code}: no description")
roots = t["cameo/root_classes.csv"]
if set(roots.root) != {c for c in codes if len(c) == 2}:
    err("root_classes roots differ from event_codes roots")
for r in ev.itertuples():
    q = roots.set_index("root").loc[r.root, "quad_class"]
    if r.quad_class != q:
        err(f"event_codes {r.code}: quad_class {r.quad_class} != root's {q}")

et = t["acled/event_types.csv"]
pairs = set(zip(et.event_type, et.sub_event_type))
disorders = set(t["acled/disorder_types.csv"].disorder_type)
if len(et) != 25 or et.event_type.nunique() != 6:
    err("event_types: expected 25 sub-event types in 6 event types")
if not set(et.disorder_type) <= disorders:
    err("event_types: unknown disorder type")
inters = set(t["acled/inter_codes.csv"].inter)
if inters != {str(i) for i in range(9)}:
    err("inter_codes: expected 0-8")
at = t["cameo/actor_types.csv"]
if not set(at.inter) - {""} <= inters:
    err("actor_types: unknown inter")

modes = t["acled/modes.csv"]
mode_set = set(modes["mode"])
required = ("armed_clash territory_capture territory_gov territory_nsa territory_transfer air_strike "
            "drone_strike shelling missile ied landmine suicide_bomb grenade chemical attack kill "
            "abduction sexual_violence protest protest_intervention excessive_force "
            "violent_demonstration mob_violence riot agreement ceasefire arrest change_group "
            "disrupted_weapons base_established looting property_destruction other").split()
if missing := set(required) - mode_set:
    err(f"modes missing {missing}")
for r in modes.itertuples():  # noqa: B007
    if (r.default_event_type, r.default_sub_event_type) not in pairs:
        err(f"modes {r.mode}: bad default pair")

res = t["acled/resolution.csv"]
res = res.assign(o=res.order.astype(int)).sort_values("o")
for r in res.itertuples():
    if r.mode not in mode_set:
        err(f"resolution {r.order}: unknown mode {r.mode}")
    if (r.event_type, r.sub_event_type) not in pairs:
        err(f"resolution {r.order}: bad pair {r.event_type}/{r.sub_event_type}")
    if r.disorder_type not in disorders:
        err(f"resolution {r.order}: bad disorder type")
    for col in ("inter1", "inter2"):
        v = getattr(r, col)
        if v != "*" and not set(v.split("|")) <= inters:
            err(f"resolution {r.order}: bad {col} {v}")
for m in mode_set:
    rows = res[res["mode"] == m]
    if rows.empty or tuple(rows.iloc[-1][["inter1", "inter2"]]) != ("*", "*"):
        err(f"resolution: mode {m} does not end with a '*','*' fallback")

cw = t["crosswalks/cameo_acled.csv"]
for r in cw.itertuples():
    if r.cameo not in codes:
        err(f"cameo_acled: unknown code {r.cameo}")
    if r.mode and r.mode not in mode_set:
        err(f"cameo_acled {r.cameo}: unknown mode {r.mode}")
    if r.mode and (r.event_type, r.sub_event_type) not in pairs:
        err(f"cameo_acled {r.cameo}: bad pair")
    if not r.mode and (r.event_type or r.sub_event_type):
        err(f"cameo_acled {r.cameo}: types without mode")
if not {c for c in codes if len(c) == 2} <= set(cw.cameo):
    err("cameo_acled: not every root present")
pl = t["crosswalks/cameo_plover.csv"]
plover_events = set("AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT "
                    "THREATEN PROTEST SANCTION MOBILIZE COERCE ASSAULT".split()) | {""}
if not set(pl.cameo) <= codes:
    err("cameo_plover: unknown codes")
for c in codes:
    if not any(p in set(pl.cameo) for p in (c, c[:3])):
        err(f"cameo_plover: {c} not covered")
if not set(pl.plover_event) <= plover_events:
    err(f"cameo_plover: unknown events {set(pl.plover_event) - plover_events}")

num = t["lexicon/numbers.csv"]
if not num.value.str.fullmatch(r"\d+").all() or not set(num.vague) <= {"0", "1"}:
    err("numbers: value must be an integer, vague 0/1")
vic = t["lexicon/victims.csv"]
if len(vic) < 150 or not set(vic.cameo_role) <= set(at.code) or not set(vic.inter) <= inters:
    err("victims: fewer than 150 rows or unknown role/inter")
if (vic.word != vic.word.str.lower()).any():
    err("victims: words must be lower case")
disc = yaml.safe_load((CB / "lexicon/discards.yaml").read_text())["discards"]
if len(disc) < 80 or len(set(disc)) != len(disc) or any(d != d.lower() for d in disc):
    err("discards: fewer than 80, duplicates or upper case")
meta = yaml.safe_load((CB / "codebook.yaml").read_text())
if meta.get("name") != "evcode-core" or meta.get("default_goldstein") != "gdelt":
    err("codebook.yaml: bad name/default_goldstein")

for e in errors:
    print(e, file=sys.stderr)
print(f"{len(errors)} problem(s); {len(ev)} codes, {len(res)} resolution rows, {len(cw)} ACLED and "
      f"{len(pl)} PLOVER crosswalk rows, {len(num)} numbers, {len(vic)} victims, {len(disc)} discards")
sys.exit(1 if errors else 0)
