"""Lint a loaded codebook: the cross-table checks pandera cannot express on one table.

`load_codebook()` already validates each table on its own (columns, keys, ranges). The linter
looks across tables and rule files: codes that do not exist, orphans, quad classes that disagree
with their root, ACLED pairs, modes and inter codes nobody defined, patterns that do not parse or
that two rules share, aliases two actors claim, places without coordinates or admin1.

Every problem has a stable `check` name (the reason code) so tests and scripts can rely on it;
`message` says what is wrong and how to fix it, on one line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import pandas as pd

from coding.actors import org_aliases, shared_acled_names
from coding.codebook import Codebook, TABLES, split_list
from coding.errors import CodebookError

# Stable check names, in the order `evcode codebook lint` reports them.
CHECKS: tuple[str, ...] = (
    "unknown_code",
    "orphan_code",
    "goldstein_range",
    "quad_class",
    "unknown_root",
    "acled_pair",
    "unknown_mode",
    "unknown_type",
    "bad_pattern",
    "no_example",
    "duplicate_pattern",
    "shadowed_pattern",
    "duplicate_alias",
    "unknown_country",
    "unknown_actor_role",
    "place_no_coords",
    "unknown_admin1",
    "inter_range",
    "missing_inflection",
    "unknown_file",
)
INTERS = frozenset(str(i) for i in range(9))


@dataclass(frozen=True, order=True)
class Problem:
    """One lint finding: `file:row: check: message`."""

    file: str
    row: str  # line number in the file, a table key, or a rule id
    check: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file  # (a whole file has no row)
        return f"{where}: {self.check}: {self.message}"


class _Where:
    """Turns (table, key) into the file and line a coder should open, across layered dirs."""

    def __init__(self, cb: Codebook) -> None:
        self.cb = cb
        self._lines: dict[str, dict[str, tuple[str, int]]] = {}

    def show(self, path: str | Path) -> str:
        p = Path(path)
        for i, d in enumerate(self.cb.dirs):
            try:
                rel = p.resolve().relative_to(d.resolve()).as_posix()
            except ValueError:
                continue
            return f"codebooks/{rel}" if i == 0 else str(p)
        return str(p)

    def table(self, name: str, key: str) -> tuple[str, str]:
        """(file, line) of the row with this key; the last layer holding it wins."""
        if name not in self._lines:
            found: dict[str, tuple[str, int]] = {}
            keycols = list(TABLES[name][0])
            for src in self.cb.sources.get(name, []):
                try:
                    df = pd.read_csv(src, dtype=str, keep_default_na=False, usecols=keycols)
                except (OSError, ValueError):
                    continue
                vals = df[keycols[0]].tolist()
                for i, v in enumerate(vals):
                    found[v] = (src, i + 2)
            self._lines[name] = found
        src, line = self._lines[name].get(key, ("", 0))
        if not src:
            return f"codebooks/{name}.csv", key
        return self.show(src), str(line)

    def rule(self, rule: dict[str, Any]) -> tuple[str, str]:
        return self.show(rule.get("_file", "rules")), str(rule.get("id", "?"))


def _t(cb: Codebook, name: str) -> pd.DataFrame:
    df = cb.tables.get(name)
    return pd.DataFrame() if df is None else df


def _col(df: pd.DataFrame, col: str) -> list[str]:
    return df[col].tolist() if col in df.columns else [""] * len(df)


def lint_codebook(cb: Codebook, checks: Iterable[str] | None = None) -> list[Problem]:
    """All problems of a loaded codebook, sorted by file and row; `checks` limits which run.

    Example:
        >>> from coding.codebook import load_codebook
        >>> problems = lint_codebook(load_codebook())
    """
    want = set(checks) if checks is not None else set(CHECKS)
    unknown = want - set(CHECKS)
    if unknown:
        raise CodebookError(f"unknown lint check(s) {', '.join(sorted(unknown))}; choose from {', '.join(CHECKS)}")
    where = _Where(cb)
    out: list[Problem] = []
    for fn in (_codes, _acled, _rules, _aliases, _actors, _places, _inters, _unknown_files):
        for p in fn(cb, where):
            if p.check in want:
                out.append(p)
    if "missing_inflection" in want:  # the only check that compiles the codebook
        out.extend(_inflections(cb, where))
    order = {c: i for i, c in enumerate(CHECKS)}
    out.sort(key=lambda p: (order[p.check], p.file, _num(p.row), p.row, p.message))
    return out


def _num(row: str) -> int:
    return int(row) if row.isdigit() else 0


# -- CAMEO taxonomy ----------------------------------------------------------------------------
def _codes(cb: Codebook, where: _Where) -> Iterator[Problem]:
    ev = _t(cb, "cameo/event_codes")
    roots = _t(cb, "cameo/root_classes")
    codes = set(_col(ev, "code"))
    root_quad = dict(zip(_col(roots, "root"), _col(roots, "quad_class")))
    T = "cameo/event_codes"
    for r in ev.to_dict("records"):
        code, parent = r["code"], r.get("parent", "")
        f, line = where.table(T, code)
        if len(code) > 2:
            expected = code[:2] if len(code) == 3 else code[:3]
            if not parent:
                yield Problem(f, line, "orphan_code", f"code {code} has no parent; set parent to {expected}")
            elif parent not in codes:
                yield Problem(f, line, "orphan_code",
                              f"code {code}: parent {parent} is not a CAMEO code; add {parent} or set parent to {expected}")
            elif not code.startswith(parent) or parent != expected:
                yield Problem(f, line, "orphan_code",
                              f"code {code}: parent {parent} is not its prefix; set parent to {expected}")
        elif parent:
            yield Problem(f, line, "orphan_code", f"root {code} has parent {parent}; roots have an empty parent")
        if r.get("root", code[:2]) != code[:2]:
            yield Problem(f, line, "orphan_code", f"code {code}: root {r.get('root')} should be {code[:2]}")
        for col in ("goldstein", "goldstein_icews"):
            v = str(r.get(col, ""))
            if col == "goldstein_icews" and v == "":
                continue
            try:
                g = float(v)
            except ValueError:
                g = None
            if g is None or not -10 <= g <= 10:
                yield Problem(f, line, "goldstein_range", f"code {code}: {col} {v!r} is not a number in [-10, 10]; fix the score")
        root = code[:2]
        if root not in root_quad:
            yield Problem(f, line, "unknown_root", f"code {code}: root {root} is not in cameo/root_classes.csv; add the root")
        elif str(r.get("quad_class", "")) != root_quad[root]:
            yield Problem(f, line, "quad_class",
                          f"code {code}: quad_class {r.get('quad_class')} differs from root {root}'s {root_quad[root]}; "
                          f"set it to {root_quad[root]}")
    for name in ("crosswalks/cameo_acled", "crosswalks/cameo_plover"):
        for c in _col(_t(cb, name), "cameo"):
            if c not in codes:
                f, line = where.table(name, c)
                yield Problem(f, line, "unknown_code", f"{c!r} is not a CAMEO code in cameo/event_codes.csv; fix or remove the row")
    lex = cb.lexicon
    for key in ("threat_codes", "intention_codes"):
        for root, code in (lex.get(key) or {}).items():
            if code and str(code) not in codes:
                yield Problem("codebooks/lexicon/modifiers.yaml", key, "unknown_code",
                              f"{key}[{root}] = {code!r} is not a CAMEO code; use a code from cameo/event_codes.csv")


# -- ACLED types, modes, resolution, crosswalk -------------------------------------------------
def _acled(cb: Codebook, where: _Where) -> Iterator[Problem]:
    et = _t(cb, "acled/event_types")
    pairs = set(zip(_col(et, "event_type"), _col(et, "sub_event_type")))
    sub_to_type = dict(zip(_col(et, "sub_event_type"), _col(et, "event_type")))
    etypes = set(_col(et, "event_type"))
    disorders = set(_col(_t(cb, "acled/disorder_types"), "disorder_type"))
    modes = set(_col(_t(cb, "acled/modes"), "mode"))

    def pair(f: str, line: str, what: str, etype: str, sub: str) -> Iterator[Problem]:
        if etype and etype not in etypes:
            yield Problem(f, line, "unknown_type", f"{what}: event_type {etype!r} is not in acled/event_types.csv")
        if sub and sub not in sub_to_type:
            yield Problem(f, line, "unknown_type", f"{what}: sub_event_type {sub!r} is not in acled/event_types.csv")
        elif (etype or sub) and (etype, sub) not in pairs:
            yield Problem(f, line, "acled_pair",
                          f"{what}: sub_event_type {sub!r} belongs to event_type {sub_to_type.get(sub, '?')!r}, "
                          f"not {etype!r}; fix the pair")

    for r in et.to_dict("records"):
        if r["disorder_type"] not in disorders:
            f, line = where.table("acled/event_types", r["sub_event_type"])
            yield Problem(f, line, "unknown_type", f"disorder_type {r['disorder_type']!r} is not in acled/disorder_types.csv")
    for r in _t(cb, "acled/modes").to_dict("records"):
        f, line = where.table("acled/modes", r["mode"])
        yield from pair(f, line, f"mode {r['mode']}", r.get("default_event_type", ""), r.get("default_sub_event_type", ""))
    for r in _t(cb, "acled/resolution").to_dict("records"):
        f, line = where.table("acled/resolution", r["order"])
        if r["mode"] not in modes:
            yield Problem(f, line, "unknown_mode", f"resolution row {r['order']}: mode {r['mode']!r} is not in acled/modes.csv")
        yield from pair(f, line, f"resolution row {r['order']}", r["event_type"], r["sub_event_type"])
        if r.get("disorder_type") and r["disorder_type"] not in disorders:
            yield Problem(f, line, "unknown_type", f"resolution row {r['order']}: disorder_type {r['disorder_type']!r} is unknown")
    for r in _t(cb, "acled/actor_conventions").to_dict("records"):
        f, line = where.table("acled/actor_conventions", r["sub_event_type"])
        if r["sub_event_type"] not in sub_to_type:
            yield Problem(f, line, "unknown_type",
                          f"actor convention: sub_event_type {r['sub_event_type']!r} is not in acled/event_types.csv")
    for r in _t(cb, "crosswalks/cameo_acled").to_dict("records"):
        f, line = where.table("crosswalks/cameo_acled", r["cameo"])
        m = r.get("mode", "")
        if m and m not in modes:
            yield Problem(f, line, "unknown_mode", f"cameo {r['cameo']}: mode {m!r} is not in acled/modes.csv; add it or fix the name")
        yield from pair(f, line, f"cameo {r['cameo']}", r.get("event_type", ""), r.get("sub_event_type", ""))


# -- rules -------------------------------------------------------------------------------------
def _norm(p: str) -> str:
    return " ".join(str(p).lower().split())


def _rules(cb: Codebook, where: _Where) -> Iterator[Problem]:
    from coding.rules import parse_pattern

    codes = set(cb.cameo)
    modes = set(_col(_t(cb, "acled/modes"), "mode"))
    seen: dict[str, tuple[str, str]] = {}  # normalised pattern -> (rule id, code)
    for rule in cb.rules:
        f, rid = where.rule(rule)
        code = str(rule.get("cameo", "") or "")
        if code not in codes:
            yield Problem(f, rid, "unknown_code",
                          f"rule {rid}: cameo {code!r} is not in cameo/event_codes.csv; quote the code (\"042\") or fix it")
        mode = str(rule.get("mode") or "")
        if mode and mode not in modes:
            yield Problem(f, rid, "unknown_mode", f"rule {rid}: mode {mode!r} is not in acled/modes.csv; add the mode or fix the name")
        examples = rule.get("examples") or []
        texts = [e.get("text") if isinstance(e, dict) else e for e in examples]
        if not any(isinstance(t, str) and t.strip() for t in texts):
            yield Problem(f, rid, "no_example", f"rule {rid} has no example; add `examples: [{{text: ...}}]` written by you")
        pats = rule.get("patterns") or []
        if isinstance(pats, str):
            pats = [pats]
        if not pats:
            yield Problem(f, rid, "bad_pattern", f"rule {rid} has no patterns; add at least one")
        for p in pats:
            try:
                parse_pattern(str(p), 0, f"rule {rid}")
            except CodebookError as err:
                msg = str(err).split(": ", 1)[-1]
                yield Problem(f, rid, "bad_pattern", f"rule {rid}: {msg}")
                continue
            key = _norm(p)
            if key in seen:
                other, ocode = seen[key]
                if ocode == code:
                    where_ = "twice in this rule" if other == rid else f"also in rule {other}"
                    yield Problem(f, rid, "duplicate_pattern", f"pattern {p!r} is {where_}; delete one copy")
                else:
                    yield Problem(f, rid, "shadowed_pattern",
                                  f"pattern {p!r} ({code}) is identical to one in rule {other} ({ocode}); "
                                  f"only one code can win: make one pattern more specific or delete it")
            else:
                seen[key] = (rid, code)


# -- actors ------------------------------------------------------------------------------------
def _alias_key(alias: str) -> str:
    # acronyms (all capitals) are told apart by case: "IS" the group, "is" the verb
    return alias if alias.isupper() else alias.lower()


def actor_aliases(cb: Codebook) -> Iterator[tuple[str, str, str, str]]:
    """(alias, table, key, column) for every name an actor is known by."""
    spec = (
        ("actors/countries", "iso3", ("name", "acled_name", "aliases", "capital", "capital_aliases")),
        ("actors/agents", "agent", ("agent", "aliases")),
        ("actors/organisations", "org_id", ("name", "acled_name", "aliases")),
    )
    for table, key, cols in spec:
        df = _t(cb, table)
        if df.empty:
            continue
        rows = df.to_dict("records")
        shared = shared_acled_names(rows) if table == "actors/organisations" else set()
        for r in rows:
            if table == "actors/organisations":
                # the same names the coder finds them by (an ACLED name several share is no alias)
                names = org_aliases(r, shared)
                for c in cols:
                    for a in split_list(r.get(c, "")):
                        if a in names:
                            yield a, table, r[key], c
                continue
            for c in cols:
                for a in split_list(r.get(c, "")):
                    yield a, table, r[key], c


def _aliases(cb: Codebook, where: _Where) -> Iterator[Problem]:
    owners: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for alias, table, key, col in actor_aliases(cb):
        owners[_alias_key(alias)].setdefault((table, key), alias)
    for k, who in owners.items():
        if len(who) < 2:
            continue
        # reported on the last claimant: a layered row comes after the built-in one it collides with
        items = list(who)
        (t0, k0), rest = items[-1], items[:-1]
        f, line = where.table(t0, k0)
        others = ", ".join(f"{t.split('/')[-1]} {key}" for t, key in rest)
        yield Problem(f, line, "duplicate_alias",
                      f"alias {who[(t0, k0)]!r} of {t0.split('/')[-1]} {k0} is also claimed by {others}; "
                      f"keep it on one actor")


def _actors(cb: Codebook, where: _Where) -> Iterator[Problem]:
    countries = _t(cb, "actors/countries")
    isos = set(_col(countries, "iso3"))
    country_codes = set(_col(countries, "cameo")) | isos
    roles = set(_col(_t(cb, "cameo/actor_types"), "code"))
    T = "actors/organisations"
    for r in _t(cb, T).to_dict("records"):
        c = r.get("country", "")
        if c and c not in isos:
            f, line = where.table(T, r["org_id"])
            yield Problem(f, line, "unknown_country", f"organisation {r['org_id']}: country {c!r} is not an iso3 in actors/countries.csv")
        code = r.get("cameo", "")
        if code and (len(code) % 3 or not code.isalpha() or not code.isupper()):
            f, line = where.table(T, r["org_id"])
            yield Problem(f, line, "unknown_actor_role",
                          f"organisation {r['org_id']}: CAMEO actor code {code!r} is not a run of 3-letter upper-case parts")
        elif code[:3] in country_codes and len(code) >= 6 and code[3:6] not in roles:
            f, line = where.table(T, r["org_id"])
            yield Problem(f, line, "unknown_actor_role",
                          f"organisation {r['org_id']}: role {code[3:6]!r} of {code} is not in cameo/actor_types.csv; "
                          f"use a listed role (GOV, MIL, REB, INS, ...)")
    for r in _t(cb, "actors/agents").to_dict("records"):
        if r.get("cameo_role") and r["cameo_role"] not in roles:
            f, line = where.table("actors/agents", r["agent"])
            yield Problem(f, line, "unknown_actor_role",
                          f"agent {r['agent']}: cameo_role {r['cameo_role']!r} is not in cameo/actor_types.csv")


# -- places ------------------------------------------------------------------------------------
def _places(cb: Codebook, where: _Where) -> Iterator[Problem]:
    T = "places/gazetteer"
    g = _t(cb, T)
    if g.empty:
        return
    no_xy = g[(g["latitude"].str.strip() == "") | (g["longitude"].str.strip() == "")]
    for r in no_xy.to_dict("records"):
        f, line = where.table(T, r["place_id"])
        yield Problem(f, line, "place_no_coords",
                      f"place {r['place_id']} ({r['name']}) has no latitude/longitude; add coordinates")
    isos = set(_col(_t(cb, "actors/countries"), "iso3"))
    bad_iso = g[(g["iso3"] != "") & ~g["iso3"].isin(isos)]
    for r in bad_iso.to_dict("records"):
        f, line = where.table(T, r["place_id"])
        yield Problem(f, line, "unknown_country", f"place {r['place_id']}: iso3 {r['iso3']!r} is not in actors/countries.csv")
    a1 = g[g["feature"] == "admin1"]
    known = set(zip(a1["iso3"], a1["name"].str.lower()))
    rows = g[(g["admin1"] != "") & (g["feature"] != "admin1")]
    keys = list(zip(rows["iso3"], rows["admin1"].str.lower()))
    miss = rows[[k not in known for k in keys]]
    for r in miss.to_dict("records"):
        f, line = where.table(T, r["place_id"])
        yield Problem(f, line, "unknown_admin1",
                      f"place {r['place_id']} ({r['name']}): admin1 {r['admin1']!r} has no admin1 row for {r['iso3']}; "
                      f"add the admin1 row or fix the spelling")


# -- inter codes -------------------------------------------------------------------------------
def _inters(cb: Codebook, where: _Where) -> Iterator[Problem]:
    single = (
        ("acled/inter_codes", "inter", "inter"),
        ("cameo/actor_types", "code", "inter"),
        ("actors/agents", "agent", "inter"),
        ("actors/organisations", "org_id", "inter"),
        ("lexicon/victims", "word", "inter"),
    )
    for table, key, col in single:
        df = _t(cb, table)
        for k, v in zip(_col(df, key), _col(df, col)):
            if v and v not in INTERS:
                f, line = where.table(table, k)
                yield Problem(f, line, "inter_range", f"{key} {k}: inter {v!r} is not an ACLED inter code 0-8")
    for r in _t(cb, "acled/resolution").to_dict("records"):
        for col in ("inter1", "inter2"):
            v = r.get(col, "")
            if v == "*":
                continue
            bad = [x for x in split_list(v) if x not in INTERS]
            if bad or not v:
                f, line = where.table("acled/resolution", r["order"])
                yield Problem(f, line, "inter_range",
                              f"resolution row {r['order']}: {col} {v!r} must be '*' or a |-list of inter codes 0-8")


# -- inflections ---------------------------------------------------------------------------------
def _unknown_files(cb: Codebook, where: _Where) -> Iterator[Problem]:
    """A layer file the loader never reads: a misspelt table ("actors/organisation.csv") or a rule
    file outside rules/ would change the codebook's hash but none of its coding."""
    import difflib

    from coding.codebook import TABLES, codebook_files

    for base, p in codebook_files(cb.dirs[1:]):
        rel = p.relative_to(base).with_suffix("").as_posix()
        if rel.split("/", 1)[0] == "build":
            continue  # build inputs are read by the build scripts, not the coder
        if p.suffix == ".csv":
            if rel in TABLES:
                continue
            near = difflib.get_close_matches(rel, list(TABLES), n=1)
            hint = f"did you mean {near[0]}.csv?" if near else "the loader reads only the tables in codebooks/README.md"
        elif rel == "codebook" or rel.startswith(("rules/", "lexicon/")):
            continue
        else:
            hint = "rule files go in rules/, lexicon files in lexicon/"
        yield Problem(where.show(p), "", "unknown_file", f"not read by the coder; {hint}")


def _inflections(cb: Codebook, where: _Where) -> Iterator[Problem]:
    """Words the compiled codebook needs that lexicon/inflections.csv lacks (lemminflect fills in)."""
    from dataclasses import replace

    from coding.coder import Coder, get_coder
    from coding.rules import compile_rules

    def compiles(rule: dict[str, Any]) -> bool:
        try:
            compile_rules([rule])
            return True
        except CodebookError:
            return False

    try:
        coder = get_coder(cb.dirs[1:])
    except CodebookError:
        # a rule that does not compile is reported above; the others still need their words
        try:
            coder = Coder(replace(cb, rules=[r for r in cb.rules if compiles(r)]))
        except CodebookError:
            return  # something else stops the compile: loading the codebook names it
    table = where.show(cb.dirs[-1] / "lexicon" / "inflections.csv")
    for word in coder.missing_inflections:
        yield Problem(table, word, "missing_inflection",
                      f"{word!r} has no row, so loading the codebook calls lemminflect for it; "
                      f"run `evcode codebook inflect` to add its row")


def summary(cb: Codebook) -> str:
    """One line for a clean lint: what was checked."""
    n_pat = sum(len(r.get("patterns") or []) for r in cb.rules)
    return (f"codebook OK ({len(cb.rules)} rules, {n_pat} patterns, {len(cb.cameo)} CAMEO codes, "
            f"{len(_t(cb, 'actors/countries')) + len(_t(cb, 'actors/agents')) + len(_t(cb, 'actors/organisations'))} actors, "
            f"{len(_t(cb, 'places/gazetteer'))} places; {cb.version})")
