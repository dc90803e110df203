"""Browsing a loaded codebook: list its taxonomies, show one entry, search a phrase, count it.

The `evcode codebook` commands are thin wrappers over these functions; they return plain data
(DataFrames, dicts, small dataclasses) so tests and notebooks can use them too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from coding.codebook import Codebook, split_list
from coding.errors import UsageError

# taxonomy name -> codebook table ("rules" is built from the rule files)
TAXONOMIES: dict[str, str] = {
    "cameo": "cameo/event_codes",
    "roots": "cameo/root_classes",
    "actor-types": "cameo/actor_types",
    "acled": "acled/event_types",
    "inter": "acled/inter_codes",
    "modes": "acled/modes",
    "resolution": "acled/resolution",
    "countries": "actors/countries",
    "agents": "actors/agents",
    "organisations": "actors/organisations",
    "places": "places/gazetteer",
    "rules": "rules",
}


def rules_frame(cb: Codebook) -> pd.DataFrame:
    """One row per rule: id, cameo, mode, patterns (|-joined), examples (count), file."""
    rows = []
    for r in cb.rules:
        pats = r.get("patterns") or []
        if isinstance(pats, str):
            pats = [pats]
        rows.append({
            "id": str(r.get("id", "")),
            "cameo": str(r.get("cameo", "")),
            "mode": str(r.get("mode") or ""),
            "patterns": "|".join(str(p) for p in pats),
            "examples": str(len(r.get("examples") or [])),
            "file": _rel(cb, str(r.get("_file", ""))),
        })
    return pd.DataFrame(rows, columns=["id", "cameo", "mode", "patterns", "examples", "file"])


def _rel(cb: Codebook, path: str) -> str:
    from pathlib import Path

    p = Path(path)
    for i, d in enumerate(cb.dirs):
        try:
            rel = p.resolve().relative_to(d.resolve()).as_posix()
        except ValueError:
            continue
        return rel if i == 0 else str(p)
    return path


def list_taxonomy(cb: Codebook, taxonomy: str, text: str = "") -> pd.DataFrame:
    """The rows of one taxonomy; `text` keeps rows where any column contains it (any case).

    Example: `list_taxonomy(cb, "modes", "strike")`
    """
    if taxonomy not in TAXONOMIES:
        raise UsageError(f"unknown taxonomy {taxonomy!r}; choose one of {', '.join(TAXONOMIES)}")
    name = TAXONOMIES[taxonomy]
    df = rules_frame(cb) if name == "rules" else cb.table(name)
    if text:
        needle = text.lower()
        mask = pd.Series(False, index=df.index)
        for c in df.columns:
            mask |= df[c].astype(str).str.lower().str.contains(needle, regex=False)
        df = df[mask]
    return df.reset_index(drop=True)


@dataclass
class Section:
    """One thing `show` found: a CAMEO code, an actor, places, or a rule."""

    kind: str  # cameo | country | agent | organisation | place | rule
    title: str
    fields: dict[str, str] = field(default_factory=dict)
    rows: pd.DataFrame | None = None


def _eq(value: str, query: str) -> bool:
    return value.strip().lower() == query


def _crosswalk(cb: Codebook, code: str, table: str) -> dict[str, str]:
    """The row of a prefix crosswalk that applies to `code` (longest prefix wins)."""
    df = cb.tables.get(table)
    if df is None:
        return {}
    rows = {r["cameo"]: r for r in df.to_dict("records")}
    for k in range(len(code), 1, -1):
        if code[:k] in rows:
            return rows[code[:k]]
    return {}


def show(cb: Codebook, query: str) -> list[Section]:
    """Everything known about a CAMEO code, an actor, a place or a rule named by `query`.

    Example: `show(cb, "190")`, `show(cb, "Hezbollah")`, `show(cb, "Aleppo")`.
    """
    q = query.strip()
    ql = q.lower()
    out: list[Section] = []
    # CAMEO code (by code or exact name)
    codes = [c for c, r in cb.cameo.items() if c == q or _eq(r["name"], ql)]
    for code in codes:
        r = cb.cameo[code]
        acled = _crosswalk(cb, code, "crosswalks/cameo_acled")
        plover = _crosswalk(cb, code, "crosswalks/cameo_plover")
        rules = [str(x.get("id")) for x in cb.rules if str(x.get("cameo", "")) == code]
        children = [c for c, x in cb.cameo.items() if x.get("parent") == code]
        roots = cb.tables.get("cameo/root_classes")
        root_row = {} if roots is None else next((x for x in roots.to_dict("records") if x["root"] == r["root"]), {})
        out.append(Section("cameo", f"CAMEO {code} {r['name']}", {
            "code": code,
            "name": r["name"],
            "level": r.get("level", ""),
            "parent": r.get("parent", "") or "(root)",
            "root": f"{r['root']} {root_row.get('name', '')}".strip(),
            "children": str(len(children)) + (f" ({', '.join(children)})" if children else ""),
            "quad_class": f"{r['quad_class']} {root_row.get('quad_name', '')}".strip(),
            "goldstein (GDELT, default)": r.get("goldstein", ""),
            "goldstein_icews": r.get("goldstein_icews", ""),
            "acled": (f"{acled.get('cameo')}: mode {acled.get('mode') or '(none: not an ACLED event)'}"
                      + (f" -> {acled.get('event_type')} / {acled.get('sub_event_type')}" if acled.get("event_type") else ""))
            if acled else "(no crosswalk row)",
            "plover": (" / ".join(v for v in (plover.get("plover_event", ""), plover.get("plover_mode", ""),
                                              plover.get("plover_context", "")) if v) or "(none)") if plover else "(none)",
            "rules": f"{len(rules)}" + (f" ({', '.join(rules)})" if rules else ""),
            "description": r.get("description", ""),
        }))
    # actors
    for table, key, kind, cols in (
        ("actors/countries", "iso3", "country", ("iso3", "iso2", "cameo", "name", "acled_name", "aliases", "adjectives",
                                                 "capital", "capital_aliases")),
        ("actors/agents", "agent", "agent", ("agent", "aliases")),
        ("actors/organisations", "org_id", "organisation", ("org_id", "name", "acled_name", "cameo", "aliases")),
    ):
        df = cb.tables.get(table)
        if df is None:
            continue
        for r in df.to_dict("records"):
            names = [v for c in cols for v in split_list(r.get(c, ""))]
            if any(_eq(n, ql) for n in names):
                out.append(Section(kind, f"{kind} {r[key]} {r.get('name', '')}".strip(),
                                   {k: str(v) for k, v in r.items()}))
    # places
    g = cb.tables.get("places/gazetteer")
    if g is not None:
        hit = (g["place_id"].str.lower() == ql) | (g["name"].str.lower() == ql)
        alias_hit = g["aliases"].str.lower().str.contains(ql, regex=False) & ~hit
        if alias_hit.any():
            alias_hit &= g["aliases"].map(lambda s: any(a.lower() == ql for a in split_list(s)))
        rows = g[hit | alias_hit]
        if len(rows):
            out.append(Section("place", f"{len(rows)} place(s) named {q!r}", {}, rows.reset_index(drop=True)))
    # rules
    for r in cb.rules:
        if str(r.get("id")) == q:
            pats = r.get("patterns") or []
            ex = [e.get("text", "") if isinstance(e, dict) else str(e) for e in r.get("examples") or []]
            code = str(r.get("cameo", ""))
            out.append(Section("rule", f"rule {q}", {
                "id": q,
                "cameo": f"{code} {cb.cameo.get(code, {}).get('name', '(unknown code)')}",
                "mode": str(r.get("mode") or ""),
                "file": _rel(cb, str(r.get("_file", ""))),
                "patterns": "\n".join(f"  {p}" for p in ([pats] if isinstance(pats, str) else pats)),
                "examples": "\n".join(f"  {e}" for e in ex),
                "note": str(r.get("note") or ""),
            }))
    return out


@dataclass
class Hit:
    """What a phrase hits: an actor, a place or a rule pattern."""

    kind: str  # actor | place | rule
    text: str  # the words of the phrase
    what: str  # code or id
    detail: str


def search(text: str, coder: Any) -> list[Hit]:
    """Which actors, places and rules the phrase `text` would hit, using a compiled coder.

    Example: `search("Syrian troops shelled Douma", get_coder())`
    """
    from coding.places import fold
    from coding.text import tokenize

    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    tokens = tokenize(text, forms=coder.forms)  # the lemmas the coder itself would see
    hits: list[Hit] = []
    actors = coder.actors.actors(text, lower, tokens)
    for a in actors:
        hits.append(Hit("actor", a.text, a.code or "?", " ".join(x for x in (a.name, f"inter {a.inter}" if a.inter else "",
                                                                             f"({a.kind})" if a.kind else "") if x)))
    _, (places,) = coder.places.resolve_passage(text, fold(text), [tokens])
    for p in (p for p in places if p.start not in {a.start for a in actors}):
        xy = f"{p.latitude:.4f},{p.longitude:.4f}" if p.latitude is not None and p.longitude is not None else "no coordinates"
        hits.append(Hit("place", p.text, p.name, f"{p.feature}, {p.admin1 or '-'}, {p.iso3} ({xy})"))
    for m in coder.matcher.find(tokens, {a.start: a.end for a in actors}):
        rule = coder.rules[m.pattern.rule_index]
        words = text[tokens[m.start].start : tokens[m.end - 1].end] if m.end > m.start else tokens[m.anchor].text
        name = coder.cameo.get(rule.cameo, {}).get("name", "")
        hits.append(Hit("rule", words, rule.id, f"{rule.cameo} {name}; mode {rule.mode or '-'}; pattern {m.pattern.text!r}"))
    return hits


def stats(cb: Codebook) -> dict[str, Any]:
    """Counts: codes by level, rules, patterns, examples, actors and their aliases, places by feature."""
    from coding.lint import actor_aliases

    levels = Counter(r.get("level", "") for r in cb.cameo.values())
    n_pat = sum(len([p] if isinstance(p := r.get("patterns") or [], str) else p) for r in cb.rules)
    n_ex = sum(len(r.get("examples") or []) for r in cb.rules)
    g = cb.tables.get("places/gazetteer")
    feats = {} if g is None else dict(sorted(Counter(g["feature"]).items(), key=lambda kv: (-kv[1], kv[0])))

    def n(table: str) -> int:
        df = cb.tables.get(table)
        return 0 if df is None else len(df)

    return {
        "codebook version": cb.version,
        "layers": len(cb.dirs),
        "CAMEO codes": len(cb.cameo),
        "CAMEO codes by level": {"root": levels.get("0", 0), "3-digit": levels.get("1", 0), "4-digit": levels.get("2", 0)},
        "rules": len(cb.rules),
        "patterns": n_pat,
        "examples": n_ex,
        "countries": n("actors/countries"),
        "agents": n("actors/agents"),
        "organisations": n("actors/organisations"),
        "aliases": sum(1 for _ in actor_aliases(cb)),
        "places": n("places/gazetteer"),
        "places by feature": feats,
    }
