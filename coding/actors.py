"""Actor dictionaries: compile countries, agents, organisations and victim nouns into one matcher,
then compose adjacent mentions ("Syrian" + "army" + "troops" -> SYRMIL) into actors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, NamedTuple, Sequence

from coding.codebook import Codebook, split_list
from coding.text import PhraseIndex, Token, longest_first

# Words that may sit inside one actor phrase without breaking it ("the Syrian Arab Army's troops").
_GLUE = frozenset({"'s", "-", "and", "of", "the"})
_LOCATIVE = frozenset(
    {"in", "at", "near", "to", "from", "around", "outside", "inside", "toward", "towards", "into", "across",
     "through", "within", "between", "of", "on", "west", "east", "north", "south", "via"}
)


class Entry(NamedTuple):
    """What a dictionary phrase means (a tuple: thousands unpickle fast from the coder cache)."""

    kind: str  # country | capital | adj | agent | org | victim
    key: str  # iso3, agent name, org id, victim word
    code: str = ""  # CAMEO code (country cameo, role, org code)
    inter: str = ""
    cased: bool = False  # must match with the same capitalisation (acronyms)
    alias: str = ""  # the alias as written, for the capitalisation check


@dataclass(slots=True)
class Actor:
    """A resolved actor mention in a sentence (token indices, end exclusive)."""

    start: int
    end: int
    text: str
    code: str
    name: str
    inter: str
    iso3: str = ""
    role: str = ""
    kind: str = ""
    inherited: bool = False
    char_start: int = 0
    char_end: int = 0
    members: list[Entry] = field(default_factory=list)


def _plural(phrase: str, plurals: Callable[[str], Iterable[str]]) -> list[str]:
    """The phrase and its plural (last word inflected): victims/agents are listed singular."""
    words = phrase.split()
    last = words[-1]
    out = [phrase]
    if last.isalpha() and last.islower():
        for form in plurals(last):
            if form != last:
                out.append(" ".join(words[:-1] + [form]))
    return out


class ActorDictionary:
    """Compiled actor dictionary: one phrase index over every alias."""

    def __init__(self, cb: Codebook | None = None, plurals: Callable[[str], Iterable[str]] | None = None) -> None:
        if cb is None:  # unpickling: the compiled build creates the object through __init__, then sets its state
            return
        if plurals is None:
            from coding.inflections import Inflections

            plurals = Inflections(cb.arrow("lexicon/inflections")).plurals
        self.countries: dict[str, dict[str, str]] = {}
        self.agents: dict[str, dict[str, str]] = {}
        self.orgs: dict[str, dict[str, str]] = {}
        self.roles: dict[str, str] = {}
        phrases: dict[str, list[Entry]] = {}

        def add(phrase: str, entry: Entry) -> None:
            phrase = phrase.strip()
            if len(phrase) < 2:
                return
            key = phrase.lower()
            if entry.cased:
                entry = Entry(entry.kind, entry.key, entry.code, entry.inter, True, phrase)
            lst = phrases.setdefault(key, [])
            if entry not in lst:
                lst.append(entry)

        def cased(alias: str) -> bool:
            # acronyms ("IS", "AA", "US") only match in capitals; so do 2-3 letter names
            return alias.isupper() and len(alias) <= 5 or len(alias) <= 3

        for r in cb.rows("actors/countries"):
            iso = r["iso3"]
            self.countries[iso] = r
            for a in [r["name"], r.get("acled_name", "")] + split_list(r.get("aliases", "")):
                if a:
                    add(a, Entry("country", iso, r["cameo"] or iso, "1", cased(a)))
            for a in split_list(r.get("adjectives", "")):
                add(a, Entry("adj", iso, r["cameo"] or iso, "", cased(a)))
            for a in [r.get("capital", "")] + split_list(r.get("capital_aliases", "")):
                if a:
                    add(a, Entry("capital", iso, r["cameo"] or iso, "1", cased(a)))
        for r in cb.rows("actors/agents"):
            self.agents[r["agent"]] = r
            for a in [r["agent"]] + split_list(r.get("aliases", "")):
                for form in _plural(a, plurals):
                    add(form, Entry("agent", r["agent"], r["cameo_role"], r.get("inter", "")))
        org_rows = cb.rows("actors/organisations") if "actors/organisations" in cb.tables else []
        shared = shared_acled_names(org_rows)
        for r in org_rows:
            self.orgs[r["org_id"]] = r
            for a in org_aliases(r, shared):
                add(a, Entry("org", r["org_id"], r["cameo"], r.get("inter", ""), cased(a)))
        # the other side of the Atlantic's spelling of a name ("4th Armored Division", "National
        # Defense Forces"), unless some phrase already reads so
        for r in org_rows:
            for a in org_aliases(r, shared):
                for v in spelling_variants(a):
                    if v.lower() not in phrases:
                        add(v, Entry("org", r["org_id"], r["cameo"], r.get("inter", ""), cased(v)))
        if "lexicon/victims" in cb.tables:
            for r in cb.rows("lexicon/victims"):
                for form in _plural(r["word"], plurals):
                    add(form, Entry("victim", r["word"], r["cameo_role"] or "CVL", r.get("inter", "7") or "7"))
        for r in cb.rows("cameo/actor_types"):
            self.roles[r["code"]] = r.get("inter", "")
        self.index = PhraseIndex({key: tuple(entries) for key, entries in phrases.items()})
        lex = cb.lexicon
        self.group_heads: dict[str, str] = {str(k): str(v) for k, v in (lex.get("named_group_heads") or {}).items()}
        self.member_nouns = frozenset(str(w).lower() for w in lex.get("group_member_nouns") or [])
        self.state_words = frozenset(str(w) for w in lex.get("state_unit_words") or [])
        communal = lex.get("communal_militia") or {}
        self.communal_nouns = frozenset(str(w).lower() for w in communal.get("nouns") or [])
        self.communal_modifiers = frozenset(str(w).lower() for w in communal.get("modifiers") or [])
        self.communal_inter = str(communal.get("inter") or "4")
        self.communal_template = str(communal.get("template") or "{name} Communal Militia")
        self.ethnic_template = str(communal.get("ethnic_template") or self.communal_template)
        self.clan_template = str(communal.get("clan_template") or self.communal_template)
        self.subclan_template = str(communal.get("subclan_template") or self.clan_template)
        self.ethnic_nouns = frozenset(str(w).lower() for w in communal.get("ethnic_nouns") or [])
        self.ethnic_groups = frozenset(str(w) for w in communal.get("ethnic_groups") or [])
        # a militia named by its creed ("an Islamist militia"): ACLED's "<creed> Militia (<country>)", inter 3
        self.creeds: dict[str, str] = {str(k): str(v) for k, v in (communal.get("creeds") or {}).items()}
        self.creed_names = frozenset(self.creeds.values())
        self.herder_nouns = frozenset(str(w).lower() for w in communal.get("herder_nouns") or [])
        self.herder_leads = frozenset(str(w).lower() for w in communal.get("herder_leads") or [])
        self.identified_as = frozenset(str(w).lower() for w in lex.get("identified_as") or [])
        self.local_branches: dict[str, str] = {str(k): str(v) for k, v in (lex.get("local_branches") or {}).items()}
        not_people = lex.get("not_people") or {}
        self.thing_nouns = frozenset(str(w).lower() for w in not_people.get("before") or [])
        self.unit_words = frozenset(str(w).lower() for w in not_people.get("after") or [])

    # -- matching ---------------------------------------------------------------------------
    def raw_mentions(self, text: str, lower: str, tokens: Sequence[Token]) -> list[tuple[int, int, list[Entry]]]:
        """Dictionary hits as token spans (longest first, no overlaps)."""
        if not len(self.index) or not tokens:
            return []
        hits = []
        index = self.index  # (a method called on it is a native call in the compiled build; a bound one is not)
        for i, t in enumerate(tokens):
            s = t.start
            for j, entries in index.spans(lower, tokens, i):
                e = tokens[j - 1].end
                surface = text[s:e]
                ok = [en for en in entries if not en.cased or surface == en.alias]
                if surface.isupper() and len(surface) <= 5:
                    # an acronym in the text ("SANA", the news agency) is not the name "Sana"
                    ok = [en for en in ok if en.cased or en.kind in ("agent", "victim")]
                if not ok:
                    continue
                if all(en.kind == "victim" or (en.kind == "agent" and en.inter == "7") for en in ok) and (
                        (j < len(tokens) and tokens[j].lower in self.thing_nouns)
                        or (i > 0 and tokens[i - 1].lower in self.unit_words)):
                    continue  # "civilian infrastructure", "territorial community": no people
                # proper-name entries must be capitalised in the text (a town called "Police")
                if all(en.kind in ("country", "capital", "org", "adj") for en in ok) and not surface[:1].isupper():
                    if not any(c.isupper() for c in surface):
                        continue
                hits.append((i, j, ok))
        return longest_first(hits, len(tokens))

    def actors(
        self, text: str, lower: str, tokens: Sequence[Token], default_country: str = "",
        raw: list[tuple[int, int, list[Entry]]] | None = None,
    ) -> list[Actor]:
        """Compose dictionary hits into actors ("Syrian Army troops" -> SYRMIL)."""
        if raw is None:
            raw = self.raw_mentions(text, lower, tokens)
        if self.group_heads or self.member_nouns:
            raw = self._named_groups(text, tokens, raw)
        out: list[Actor] = []
        i = 0
        while i < len(raw):
            s, e, ents = raw[i]
            group = [(s, e, ents)]
            j = i + 1
            while j < len(raw):
                ps, pe, _ = group[-1]
                ns, ne, nents = raw[j]
                gap = tokens[pe:ns]
                if len(gap) > 1 or any(t.lower not in _GLUE for t in gap):
                    break
                if gap and gap[0].lower in ("and", "of", "the"):
                    # "Syria and Iran" are two actors; "army of Syria" is one
                    if gap[0].lower != "of":
                        break
                kinds_prev = {x.kind for x in group[-1][2]}
                kinds_next = {x.kind for x in nents}
                if "country" in kinds_next and "country" in kinds_prev:
                    break
                group.append((ns, ne, nents))
                j += 1
            actor = self._compose(group, tokens, text, default_country)
            if actor is not None:
                out.append(actor)
            i = j
        # "gunmen (believed to be Zorbat communal militia)", "anti-Houthi forces (coded as National
        # Resistance forces)": the parenthesis says who they were
        k = 0
        while k < len(out) - 1:
            a, b = out[k], out[k + 1]
            if (a.end < len(tokens) and tokens[a.end].lower == "("
                    and (((b.inter == self.communal_inter or b.kind == "org") and a.inter in ("3", "7", ""))
                         # "security forces (presumed police and military)": the first force it names
                         or (a.kind == b.kind == "agent" and a.inter == b.inter == "1"))
                    and b.start - a.end <= 5
                    and all(t.lower in self.identified_as for t in tokens[a.end + 1 : b.start])):
                a.code, a.name, a.inter, a.role, a.kind, a.iso3 = b.code, b.name, b.inter, b.role, b.kind, b.iso3
                del out[k + 1]
            k += 1
        # "Ukrainian and Russian forces": the first demonym shares the noun of the second
        for k in range(len(out) - 1):
            a, b = out[k], out[k + 1]
            if (a.kind == "demonym" and b.kind == "agent" and b.start == a.end + 1
                    and tokens[a.end].lower in ("and", ",", "or")):
                c = self.countries.get(a.iso3, {})
                a.kind, a.role, a.inter = "agent", b.role, b.inter
                a.code = (c.get("cameo") or a.iso3) + b.role
                tmpl = next((self.agents[e.key].get("acled_template", "") for e in reversed(b.members)
                             if e.kind == "agent"), "")
                a.name = fill_template(tmpl, c) if c else ""
        return out

    def _named_groups(
        self, text: str, tokens: Sequence[Token], raw: list[tuple[int, int, list[Entry]]]
    ) -> list[tuple[int, int, list[Entry]]]:
        """Add armed groups the dictionaries lack: "the Chin National Defense Force", "KPLF fighters"."""
        heads = self.group_heads
        covered: dict[int, list[Entry]] = {}
        for s, e, ents in raw:
            for k in range(s, e):
                covered[k] = ents
        found: list[tuple[int, int, list[Entry]]] = []
        n = len(tokens)
        for h, t in enumerate(tokens):
            inter = heads.get(t.text)
            if inter is not None and h > 0:
                k, words = h - 1, 0
                while k >= 0:
                    w = tokens[k]
                    if w.text[:1].isupper() and w.lower not in ("the", "a", "an", "in", "on", "at"):
                        words += 1
                        k -= 1
                    elif w.lower in ("of", "for", "and", "'s", "-") and k > 0 and tokens[k - 1].text[:1].isupper() and words:
                        k -= 1
                    else:
                        break
                s = k + 1
                while s < h and not tokens[s].text[:1].isupper():
                    s += 1  # a name starts with a capital, not with "of"
                generic = all(tokens[k].text in self.state_words or not tokens[k].text[:1].isupper()
                              for k in range(s, h))
                if words and s < h and not generic and not self._known(covered, s, h + 1):
                    found.append(self._named(text, tokens, s, h + 1, inter))
                continue
            if (t.lower in self.communal_nouns or t.lower in self.ethnic_nouns or t.lower in self.herder_nouns) and h >= 2:
                k = h - 1
                modifier = ""
                if tokens[k].lower in self.communal_modifiers and k >= 2:
                    modifier = tokens[k].lower
                    k -= 1
                w = tokens[k]
                people = w.text in self.ethnic_groups and (
                    t.lower not in self.herder_nouns or k == 0 or tokens[k - 1].lower in self.herder_leads)
                creed = self.creeds.get(w.text) if t.lower in self.communal_nouns and not modifier else None
                if creed is not None and not self._known(covered, k, h + 1):
                    found.append((k, h + 1, [Entry("named", creed, "UAF", "3", False, creed)]))
                    continue
                if ((t.lower in self.communal_nouns or people)
                        and w.text[:1].isupper() and not w.text.isupper() and w.text.isalpha() and w.text not in self.state_words
                        and tokens[k - 1].text not in (".", "!", "?", ":") and not self._known(covered, k, h + 1)):
                    template = (self.subclan_template if modifier == "sub-clan" else self.clan_template if modifier == "clan"
                                else self.ethnic_template if people or modifier == "ethnic" else self.communal_template)
                    name = template.replace("{name}", w.text)
                    found.append((k, h + 1, [Entry("named", name, "UAF", self.communal_inter, False, name)]))
                    continue
            if (t.text.isupper() and _is_acronym(t.text) and h not in covered and h + 1 < n
                    and tokens[h + 1].lower in self.member_nouns and not self._known(covered, h + 1, h + 2)):
                found.append(self._named(text, tokens, h, h + 2, "3"))
        if not found:
            return raw
        spans = [(s, e) for s, e, _ in found]
        kept = [r for r in raw if not any(r[0] < e and s < r[1] for s, e in spans)]
        return sorted(kept + found, key=lambda r: r[0])

    def _local_place(self, tokens: Sequence[Token], s: int, e: int) -> tuple[int, int, str] | None:
        """The town a local unit is named after, and the unit's span with it: "the Zorbat PDF",
        "PDF - Zorbat", "PDF (Zorbat)" (at most two words; not a known actor, month or weekday)."""
        n = len(tokens)
        if e + 1 < n and tokens[e].text in ("-", "(") and self._place_word(tokens[e + 1].text):
            k = e + 2
            if k < n and k - e <= 2 and self._place_word(tokens[k].text):
                k += 1
            if tokens[e].text == "(":
                if k >= n or tokens[k].text != ")":
                    return None
                return s, k + 1, " ".join(t.text for t in tokens[e + 1 : k])
            return s, k, " ".join(t.text for t in tokens[e + 1 : k])
        k = s
        while k > 0 and s - k < 2 and self._place_word(tokens[k - 1].text):
            k -= 1
        if k < s:
            return k, e, " ".join(t.text for t in tokens[k:s])
        return None

    def _place_word(self, word: str) -> bool:
        low = word.lower()
        return (word[:1].isupper() and not word.isupper() and word[-1:].isalpha() and low not in _NOT_QUALIFIERS
                and low not in _CALENDAR and word not in self.state_words and self.index.get(low) is None)

    @staticmethod
    def _known(covered: dict[int, list[Entry]], s: int, e: int) -> bool:
        """A country, capital or organisation inside the name: the dictionaries know who it is."""
        return any(en.kind in ("country", "adj", "capital", "org") for k in range(s, e) for en in covered.get(k, ()))

    @staticmethod
    def _named(text: str, tokens: Sequence[Token], s: int, e: int, inter: str) -> tuple[int, int, list[Entry]]:
        name = text[tokens[s].start : tokens[e - 1].end]
        return s, e, [Entry("named", name, "UAF", inter, False, name)]

    def _compose(
        self, group: list[tuple[int, int, list[Entry]]], tokens: Sequence[Token], text: str, default_country: str
    ) -> Actor | None:
        entries = [en for _, _, ents in group for en in ents]
        s, e = group[0][0], group[-1][1]
        surface = text[tokens[s].start : tokens[e - 1].end]
        before = tokens[s - 1].lower if s > 0 else ""
        # the first entry of each kind (the last agent), in one pass; "adj" and "country" are one kind here
        first: dict[str, Entry] = {}
        agent: Entry | None = None
        for en in entries:
            if en.kind == "agent":
                agent = en
            else:
                first.setdefault("country" if en.kind == "adj" else en.kind, en)
        org = first.get("org")
        victim = first.get("victim")
        country = first.get("country")
        capital = first.get("capital")
        named = first.get("named")
        a = Actor(s, e, surface, "", "", "", members=entries,
                  char_start=tokens[s].start, char_end=tokens[e - 1].end)
        if named is not None and org is None:
            # an armed group the dictionaries lack, of the passage's country, named as written
            c = self.countries.get(default_country, {})
            a.kind, a.role, a.inter, a.iso3, a.inherited = "named", named.code, named.inter, default_country, True
            a.code = (c.get("cameo") or default_country) + named.code
            a.name = named.key
            if (named.inter == self.communal_inter or named.key in self.creed_names) and c:
                a.name = f"{named.key} ({c.get('acled_name') or c.get('name', '')})"  # ACLED's form: "<Name> Communal Militia (<country>)"
            return a
        if org is not None:
            r = self.orgs[org.key]
            a.code, a.name, a.inter, a.iso3, a.kind = org.code, r.get("acled_name") or r["name"], org.inter, r.get("country", ""), "org"
            if "{country}" in a.name:
                # a group ACLED names per country it acts in ("Islamic State (Iraq)"): the passage's country
                a.iso3 = a.iso3 or default_country
                a.name = fill_template(a.name, self.countries.get(default_country, {})) if default_country else r["name"]
            a.role = org.code[3:6] if len(org.code) >= 6 else ""
            branch = self.local_branches.get(org.key)
            if branch:
                local = self._local_place(tokens, s, e)
                if local is not None:
                    # "the Zorbat PDF": ACLED names the local unit after its town (lexicon local_branches)
                    a.start, a.end, place = local
                    a.name = branch.replace("{place}", place)
                    a.char_start, a.char_end = tokens[a.start].start, tokens[a.end - 1].end
                    a.text = text[a.char_start : a.char_end]
            return a
        # a capital stands for its government ("Damascus said", "warned Taipei") unless it names
        # where something happened ("in Damascus", "in Soyapango, San Salvador")
        capital_actor = capital is not None and before not in _LOCATIVE and before not in (",", "(")
        iso = country.key if country else (capital.key if capital_actor and capital is not None else "")
        role_entry = agent or victim
        if role_entry is not None:
            if agent is not None and not iso and self.agents[agent.key].get("country_required") == "1":
                # "regime forces positions": a word that needs a country ("positions") after an
                # agent that does not leaves the agent in charge
                other = next((en for en in reversed(entries) if en.kind == "agent"
                              and self.agents[en.key].get("country_required") != "1"), None)
                if other is None and agent.code == "UAF" and s > 0 and _qualifier(tokens[s - 1].text):
                    # "Kurdish fighters", "pro-government fighters": a qualifier the dictionaries lack
                    # still says who they are, armed people of the passage's country (not civilians)
                    other = agent
                if other is None:
                    return None
                agent = role_entry = other
            if not iso:
                iso, a.inherited = default_country, True
            c = self.countries.get(iso, {})
            a.iso3, a.role, a.kind = iso, role_entry.code, role_entry.kind
            a.code = (c.get("cameo") or iso) + role_entry.code
            a.inter = role_entry.inter or self.roles.get(role_entry.code, "")
            template = self.agents[agent.key].get("acled_template", "") if agent else ""
            if not template and victim is not None:
                template = "Civilians ({country})"
            if "{country|" in template:
                # "{country|International}": the country only when the text names it ("Afghan migrants");
                # migrants of no country named are ACLED's "Civilians (International)"
                head, _, rest = template.partition("{country|")
                fallback, _, tail = rest.partition("}")
                template = head + (fallback if a.inherited else "{country}") + tail
            a.name = fill_template(template, c) if c else ""
            if not a.name:
                # ACLED names such groups individually; without a name, say what they are and where
                label = (agent.key if agent else victim.key if victim else "").strip().capitalize()
                where = (c.get("acled_name") or c.get("name", "")) if c else ""
                a.name = f"{label} ({where})" if where else label
            return a
        if country is not None or capital_actor:
            if country is not None and country.kind == "country" and (before in _LOCATIVE or before == "("):
                return None  # "in Syria", "Atlanta (Georgia)" are places, not actors
            c = self.countries.get(iso, {})
            # "Palestinian fishing boats", "a Palestinian": a demonym alone names people, not the state
            a.iso3, a.code, a.inter = iso, c.get("cameo") or iso, "1"
            a.kind = "demonym" if country is not None and country.kind == "adj" else "country"
            a.role = "GOV" if capital is not None and country is None else ""
            if a.role:
                a.code += "GOV"
            a.name = fill_template("Government of {country} ({regime})" if a.role else "Military Forces of {country} ({regime})", c)
            return a
        return None


_NOT_QUALIFIERS = frozenset("a an the this that these those some several many its their his her our your".split())
# capitalised words that name no place: a "Monday PDF" is no unit
_CALENDAR = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december""".split())


def _qualifier(word: str) -> bool:
    """A word that qualifies the noun after it: capitalised ("Kurdish", "Druze") or hyphenated
    ("pro-government", "anti-Balaka"), not a determiner that opens a sentence."""
    if not word[:1].isalpha() or word.lower() in _NOT_QUALIFIERS:
        return False
    return word[:1].isupper() or "-" in word


def shared_acled_names(rows: list[dict[str, Any]]) -> set[str]:
    """ACLED names that several organisations share (the DPR's and the LPR's forces are both NAF)."""
    seen: set[str] = set()
    shared: set[str] = set()
    for r in rows:
        name = r.get("acled_name") or ""
        (shared if name in seen else seen).add(name)
    return shared


def org_aliases(row: dict[str, Any], shared: set[str]) -> list[str]:
    """The names an organisation is found by: its name, aliases and ACLED name - unless that ACLED
    name is filled per country ("Islamic State ({country})") or is one of the `shared` ones
    (`shared_acled_names`): such a name is no one's alias."""
    acled = row.get("acled_name", "") or ""
    if "{" in acled or acled in shared:
        acled = ""
    return [a for a in [row["name"], acled] + split_list(row.get("aliases", "")) if a]


# British <-> American spellings found in organisations' names. Not labour/labor: the UK's Labour
# and Australia's Labor are different parties.
_SPELLINGS = {"armoured": "armored", "armored": "armoured", "defence": "defense", "defense": "defence",
              "organisation": "organization", "organization": "organisation",
              "organisations": "organizations", "organizations": "organisations", "centre": "center"}
_SPELLING_WORD = re.compile(r"[A-Za-z]+")


def spelling_variants(name: str) -> list[str]:
    """`name` with each word of _SPELLINGS spelt the other way (all at once), keeping its case."""

    def swap(m: re.Match[str]) -> str:
        w = m.group()
        other = _SPELLINGS.get(w.lower())
        if other is None:
            return w
        return other.capitalize() if w[:1].isupper() else other

    out = _SPELLING_WORD.sub(swap, name)
    return [out] if out != name else []


def _is_acronym(word: str) -> bool:
    """An all-capitals abbreviation such as "KPLF" or "M-23" (two to eight characters)."""
    return 2 <= len(word) <= 8 and word.isupper() and word[:1].isalpha() and word.replace("-", "").isalnum()


def fill_template(template: str, country: dict[str, Any]) -> str:
    if not template:
        return ""
    name = country.get("acled_name") or country.get("name", "")
    regime = country.get("acled_regime", "")
    out = template.replace("{country}", name).replace("{regime}", regime)
    return out.replace(" ()", "")
