"""The coder: passage -> sentences -> events with CAMEO and ACLED fields and provenance.

`Coder` is compiled once from a codebook (rules index, actor and place automata, resolution
table) and then codes passages as a pure function: same passage + codebook -> same rows.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import pickle
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence


from coding.acled import Resolver, interaction
from coding.actors import Actor, ActorDictionary, fill_template
from coding.codebook import Codebook, codebook_digest, codebook_files, load_codebook_validating, split_list
from coding.dates import parse_date, sentence_date
from coding.forked import in_background, reap, wait_background
from coding.fatalities import DEATH_LEMMAS, INJURY_LEMMAS, FatalityCounter
from coding.places import Gazetteer, Place, fold
from coding.record import EVENT_COLUMNS, Passage
from coding.rules import Match, Matcher, Rule, compile_rules
from coding.inflections import Inflections
from coding.text import attributes, Forms, Sentence, Token, split_sentences, tokenize

# Tokens that close a clause for slot search: the subject of "while X..." is not ours.
CLAUSE = frozenset({";", ":", "while", "whereas", "but", "meanwhile", "however"})
VIOLENT_MODES = frozenset(
    {"armed_clash", "territory_capture", "territory_gov", "territory_nsa", "air_strike", "drone_strike", "shelling",
     "missile", "ied", "landmine", "suicide_bomb", "grenade", "chemical", "attack", "kill", "abduction",
     "sexual_violence", "excessive_force", "violent_demonstration", "mob_violence", "riot"}
)
_BE = frozenset({"be", "get", "been", "being"})
# closes the window a modifier is looked for in (besides CLAUSE words)
_MODIFIER_STOPS = frozenset({".", ";", "'", '"', "“", "”", "‘", "’", "(", ")"})
_MODIFIER_KINDS = ("report", "grievance", "relative", "threat", "negation", "conditional", "intention", "attempt")
# words between two actors that do not keep them apart, and the gaps that join them into a group
_GROUP_SKIP = frozenset({"the", "its", "their", "his", "her", "allied", "suspected", "alleged", "presumed",
                         "presumably"})
_GROUP_JOINS = frozenset({("and",), (",",), (",", "and"), ("as", "well", "as"), ("along", "with"), ("&",)})
_ADVERB_SKIP = frozenset({"reportedly", "also", "allegedly", "then", "later", "again", "all", "been", "being",
                          "heavily", "badly", "fatally", "seriously", "not", "recently", "repeatedly", "being"})




def _by_first_word(phrases: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """Phrases indexed by their first word: a sentence looks up only what its words can start."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for ph in phrases:
        index.setdefault(ph[0], []).append(ph)
    return index


def _phrases(items: Iterable[str]) -> list[tuple[str, ...]]:
    return [tuple(p.lower().split()) for p in items if str(p).strip()]


class Coder:
    """A codebook compiled for coding."""

    def __init__(self, cb: Codebook | None = None) -> None:
        if cb is None:  # unpickling: the compiled build creates the object through __init__, then sets its state
            return
        self.codebook = cb
        self.version = cb.version
        self.rules, index = compile_rules(cb.rules)
        self.matcher = Matcher(index)
        vocabulary = {w for pats in index.values() for p in pats for e in p.elements
                      for w in e.words.union(*e.phrases)}
        # the codebook's inflection table, lemminflect only for words it lacks (compile time only)
        self.inflections: Inflections | None = Inflections(cb.arrow("lexicon/inflections"))
        self.actors = ActorDictionary(cb, self.inflections.plurals)
        self.places = Gazetteer(cb)
        self.resolver = Resolver(cb)
        self.fatalities = FatalityCounter(cb)
        self.cameo = cb.cameo
        lex = cb.lexicon
        self.modifiers: dict[str, tuple[int, list[tuple[str, ...]]]] = {}
        for kind in ("negation", "threat", "intention", "attempt", "conditional", "report", "grievance", "relative"):
            spec = lex.get(kind) or {}
            if isinstance(spec, list):
                spec = {"words": spec}
            self.modifiers[kind] = (int(spec.get("window", 5)), _phrases(spec.get("words", [])))
        self.threat_codes: dict[str, str] = {str(k): str(v) for k, v in (lex.get("threat_codes") or {}).items()}
        self.intention_codes: dict[str, str] = {str(k): str(v) for k, v in (lex.get("intention_codes") or {}).items()}
        self.escalation: dict[str, list[str]] = lex.get("escalation") or {}
        self.demonstrators: dict[str, str] = {k: str(v) for k, v in (lex.get("demonstrator_modes") or {}).items()}
        self.demo_templates: dict[str, str] = {str(k): v for k, v in (lex.get("demonstrator_templates") or {}).items()}
        # a report of a counter-demonstration: ACLED's peaceful protest is protesters against protesters
        self.counter_protest_words = tuple(str(w).lower() for w in lex.get("counter_protest_words") or [])
        self.organisation_heads = frozenset(str(w) for w in lex.get("organisation_heads") or [])
        self.conventions: dict[str, tuple[str, tuple[str, ...]]] = {
            str(r["sub_event_type"]): (str(r["actor1"]), tuple(split_list(str(r["actor2"]))))
            for r in (cb.rows("acled/actor_conventions") if "acled/actor_conventions" in cb.tables else [])}
        # ACLED's name of a state's unit for some kinds of event in some countries (the Russian Air
        # Force's strikes in Ukraine): (event iso3, sub-event type, plain military name) -> unit name
        self.unit_names: dict[tuple[str, str, str], str] = {}
        for r in (cb.rows("acled/unit_names") if "acled/unit_names" in cb.tables else []):
            force = self.actors.countries.get(str(r["force_iso3"]))
            if force:
                plain = fill_template("Military Forces of {country} ({regime})", force)
                self.unit_names[(str(r["event_iso3"]), str(r["sub_event_type"]), plain)] = str(r["name"])
        # ACLED names a state's forces by the regime of the event's date ("Military Forces of Pakistan
        # (2018-2022)" until 10 April 2022, "(2022-)" after): "<country> (<the table's regime>)" ->
        # the periods as (start, end, regime), ISO dates ("" open)
        self.regimes: dict[str, list[tuple[str, str, str]]] = {}
        for r in (cb.rows("acled/regimes") if "acled/regimes" in cb.tables else []):
            c = self.actors.countries.get(str(r["iso3"]))
            if c:
                cname = str(c.get("acled_name") or c.get("name", ""))
                key = f"of {cname} ({c.get('acled_regime', '')})"
                self.regimes.setdefault(key, []).append((str(r["start"] or ""), str(r["end"] or ""), f"of {cname} ({r['regime']})"))
        # a force that destroys or seizes drug crops or laboratories does so to a gang (lexicon drug_property_words)
        self.drug_property = _word_stems(lex.get("drug_property_words") or [], whole=False)
        hurt = lex.get("people_hurt") or {}
        self._hurt = _word_stems(hurt.get("hurt") or [], whole=False)
        self._hurt_people = _word_stems(hurt.get("people") or [], whole=True)  # not "many", "mention"
        self._unhurt = _word_stems(hurt.get("none") or [], whole=True)
        self.discards = _phrases(lex.get("discards") or [])
        self.discard_index = _by_first_word(self.discards)
        # modifier phrases by first word, per kind, so a window is scanned once per kind
        self.modifier_index: dict[str, tuple[int, dict[str, list[tuple[str, ...]]]]] = {}
        for kind, (window, phrases) in self.modifiers.items():
            self.modifier_index[kind] = (window, _by_first_word(phrases))
        self.modifier_first_words = {w for _, idx in self.modifier_index.values() for w in idx}
        self.grievance_roots = frozenset(str(r) for r in lex.get("grievance_roots") or [])
        self.modifier_reach = max((w for w, _ in self.modifier_index.values()), default=0)
        self.perpetrators = {str(w).lower() for w in lex.get("perpetrator_nouns") or []}
        self.armed_prefixes = {str(w).lower() for w in lex.get("armed_prefixes") or []}
        self.crowd_group_words = frozenset(str(w).lower() for w in lex.get("crowd_group_words") or [])
        self.shooting = _by_first_word(_phrases(lex.get("shooting_words") or []))
        self.civilian_roles = {str(w) for w in lex.get("civilian_target_roles") or []}
        self.civilian_prefixes = {str(w).lower() for w in lex.get("civilian_prefixes") or []}
        self.mutual_fight_words = frozenset(str(w).lower() for w in lex.get("mutual_fight_words") or [])
        self.gang_report = _word_stems(lex.get("gang_report_words") or [], whole=True)
        self.unidentified_names = {str(k): str(v) for k, v in (lex.get("unidentified_names") or {}).items()}
        self.state_first_clashes = frozenset(str(k) for k in lex.get("state_first_clashes") or [])
        sole = lex.get("sole_perpetrator") or {}
        self.sole_countries = frozenset(str(k) for k in sole.get("countries") or [])
        self.sole_nouns = frozenset(str(w).lower() for w in sole.get("nouns") or [])
        self.gang_style = _word_stems(lex.get("gang_style_words") or [], whole=True)
        self.admin1_names = {(str(iso), str(a1)): str(name) for iso, units in (lex.get("admin1_actor_names") or {}).items()
                             for a1, name in units.items()}
        self.no_fighting = [str(p).lower() for p in lex.get("no_fighting") or []]
        self.demonstration_words = [str(w).lower() for w in lex.get("demonstration_words") or []]
        # "clashed with each other during their demonstration": crowd violence at a demonstration
        during = lex.get("during_demonstration") or {}
        self.during_words = frozenset(str(w).lower() for w in during.get("before") or [])
        self.during_nouns = frozenset(str(w).lower() for w in during.get("nouns") or [])
        self.protest_toll_cut = _by_first_word(_phrases(lex.get("protest_grievance_words") or []))
        vocabulary |= {w for phs in self.protest_toll_cut.values() for ph in phs for w in ph}
        self.disappearance = [str(p).lower() for p in lex.get("disappearance_phrases") or []]
        self.armed_facilities = _by_first_word(_phrases(lex.get("armed_target_facilities") or []))
        vocabulary |= {w for phs in self.armed_facilities.values() for ph in phs for w in ph}
        at_protest = lex.get("arrests_at_protest") or {}
        self.arrest_background = _word_stems(at_protest.get("not_with") or [])
        self.arrest_crowd = _word_stems(at_protest.get("crowd") or [], whole=True, digits=True)
        clause = lex.get("new_clause_subject") or {}
        self.clause_finite = frozenset(str(w).lower() for w in clause.get("finite") or [])
        self.clause_adjectival = frozenset(str(w).lower() for w in clause.get("adjectival") or [])
        self.clause_bridge = frozenset(str(w).lower() for w in clause.get("bridge") or [])
        self.harmed_verbs = frozenset(str(w).lower() for w in lex.get("harmed_in_verbs") or [])
        self.harmed_links = frozenset(str(w).lower() for w in lex.get("harmed_in_links") or [])
        self.armed_victim_subjects = [str(p).lower() for p in lex.get("armed_victim_subjects") or []]
        # "not"/"never" negate the act only across auxiliaries and adverbs ("did not immediately attack")
        self.negation_particles = frozenset(str(w).lower() for w in lex.get("negation_particles") or [])
        self.negation_gap = frozenset(str(w).lower() for w in lex.get("negation_gap") or [])
        self.armed_victim_cues = [str(p).lower() for p in lex.get("armed_victim_cues") or []]
        # the words the coder ever compares lemmas with; tokens get lemmas from this vocabulary only
        vocabulary |= {w for _, idx in self.modifier_index.values() for phrases in idx.values()
                       for ph in phrases for w in ph}
        # the weapon named after a generic attack ("attacked the convoy with mines")
        self.instrument_words = frozenset(str(w) for w in lex.get("instrument_words") or [])
        self.instrument_from = frozenset(str(w) for w in lex.get("instrument_applies_to") or [])
        self.instruments: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for inst_mode, phrases in (lex.get("instrument_modes") or {}).items():
            for ph in _phrases(phrases):
                self.instruments.setdefault(ph[0], []).append((ph, str(inst_mode)))
        for lst in self.instruments.values():
            lst.sort(key=lambda x: -len(x[0]))  # "grenade launcher" before "grenade"
        self.small_arms = _by_first_word(_phrases(lex.get("instrument_small_arms") or []))
        # armed groups whose violence without firearms ACLED codes as rioters' (settlers)
        self.rioter_roles = frozenset(str(r) for r in lex.get("rioters_without_firearms") or [])
        # the weapons themselves ("small arms fire", "rifles"), not the word "clash"
        self.small_arms_fire = _by_first_word([p for p in _phrases(lex.get("instrument_small_arms") or [])
                                               if p != ("clash",)])
        # a crowd voicing a demand is a demonstration ("hundreds of residents demanded ...")
        crowd = lex.get("crowd_demands") or {}
        self.crowd_roots = frozenset(str(r) for r in crowd.get("roots") or [])
        self.crowd_words = frozenset(str(w).lower() for w in crowd.get("size_words") or [])
        self.gathering_roots = frozenset(str(r) for r in crowd.get("gathering_roots") or [])
        # "workers gathered outside the ministry to demand ...": the verbs of gathering count too
        self.gathering_words = frozenset(str(w).lower() for w in
                                         (crowd.get("gathering_nouns") or []) + (crowd.get("gathering_verbs") or []))
        self.speaker_roles = frozenset(str(w) for w in crowd.get("speaker_roles") or [])
        vocabulary |= set(_BE) | {"be", "get", "lose", "claim"} | set(DEATH_LEMMAS) | set(INJURY_LEMMAS)
        vocabulary |= {w for lst in self.instruments.values() for ph, _ in lst for w in ph}
        vocabulary |= {w for phs in self.small_arms.values() for ph in phs for w in ph}
        vocabulary |= self.instrument_words | self.crowd_words | self.harmed_verbs | self.gathering_words
        self.forms = Forms(vocabulary, self.inflections.forms)
        # past participles of the words patterns are anchored on: the passive test needs no others
        anchors = {w for pats in index.values() for p in pats for w in p.elements[p.anchor].words}
        participles = self.inflections.participles
        self.participles = {w: frozenset(participles(w)) for w in anchors if w.isalpha()}
        # words the inflection table lacks: `evcode codebook lint` names them
        self.missing_inflections: list[str] = sorted(self.inflections.missing)
        self.merge_rank: dict[str, int] = {m: i for i, m in enumerate(lex.get("merge_precedence") or [])}
        # an event's country is ACLED's name of it: back to the iso3 for the country's actor names
        self._iso_of_name: dict[str, str] = {
            str(c.get("acled_name") or c.get("name", "")): iso for iso, c in self.actors.countries.items()}
        # displacement: the displaced are civilians of the country they fled ("refugees from Ukraine
        # arrived in Slovakia" is Civilians (Ukraine)), by default of the event's (lexicon displacement_rules)
        self.displacement_rules = frozenset(str(r) for r in lex.get("displacement_rules") or [])
        origin_names: dict[str, str] = {}
        for c in self.actors.countries.values():
            acled_name = str(c.get("acled_name") or c.get("name", ""))
            for nm in (c.get("name", ""), c.get("acled_name", "")):
                if nm and len(nm) > 3:
                    origin_names[str(nm).lower()] = acled_name
        self._origin_names = origin_names
        self._from_country = re.compile(
            r"\bfrom (?:the )?(" + "|".join(re.escape(k) for k in sorted(origin_names, key=len, reverse=True)) + r")\b"
        ) if origin_names else None

    def __getstate__(self) -> dict[str, Any]:
        # the compiled coder is cached on disk; the raw tables are not needed to code
        state = attributes(self)
        state["codebook"] = None
        state["inflections"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            setattr(self, k, v)

    # -- helpers ----------------------------------------------------------------------------------
    @staticmethod
    def _phrase_at(tokens: Sequence[Token], i: int, phrase: tuple[str, ...]) -> bool:
        n = len(phrase)
        if i + n > len(tokens):
            return False
        for k in range(n):
            if phrase[k] not in tokens[i + k].lemmas:
                return False
        return True

    def _phrase_from(self, tokens: Sequence[Token], k: int, index: dict[str, list[tuple[str, ...]]]) -> bool:
        """Whether one of the phrases of a first-word index starts at token k (matched on lemmas)."""
        for lem in tokens[k].lemmas:
            phrases = index.get(lem)
            if phrases is not None:
                for ph in phrases:
                    if self._phrase_at(tokens, k, ph):
                        return True
        return False

    def _mentions(self, tokens: Sequence[Token], index: dict[str, list[tuple[str, ...]]]) -> bool:
        """Whether the sentence holds one of the phrases of a first-word index (matched on lemmas)."""
        for k in range(len(tokens)):
            if self._phrase_from(tokens, k, index):
                return True
        return False

    def _modifier(self, tokens: Sequence[Token], m: Match) -> str:
        """Which modifier governs the match: negation, threat, intention, conditional, report,
        grievance (what a protest is against) or ''."""
        forceful = self.rules[m.pattern.rule_index].cameo[:2] in self.grievance_roots
        start = m.start
        for kind in _MODIFIER_KINDS:
            if kind == "grievance" and not forceful:
                continue  # what a protest demands or a protest against a protest is still coded
            window, idx = self.modifier_index[kind]
            comma_stops = kind != "report" and kind != "negation"
            lo = max(0, start - window)
            for i in range(start - 1, lo - 1, -1):
                tok = tokens[i]
                low = tok.lower
                if low in CLAUSE or low in _MODIFIER_STOPS:
                    break
                if comma_stops and low == ",":
                    break
                for lem in tok.lemmas:
                    phrases = idx.get(lem)
                    if phrases is None:
                        continue
                    for ph in phrases:
                        if not self._phrase_at(tokens, i, ph) or i + len(ph) > m.anchor:
                            continue
                        if kind == "report":
                            # "accused X of shelling": needs of/for between the verb and the act (the
                            # phrase's own "that" counts: "denied that its soldiers had killed")
                            links = _CHARGE_LINKS if ph[0] == "charge" else _REPORT_LINKS  # "charged them with arson"
                            if not any(t.lower in links
                                       for t in tokens[i + (1 if ph[0] in ("deny", "denied") else len(ph)) : m.start + 1]):
                                continue
                        if kind == "grievance" and ph == ("against",) and m.start - i > 4:
                            continue  # a bare "against" governs only what follows it closely
                        if kind == "intention" and len(ph) == 1 and tok.text[:1].isupper():
                            continue  # "since 7 May", "We Will Stop Femicides": a month or a name, not a modal
                        if kind == "negation" and ph[0] == "no" and m.start - (i + len(ph)) > 1:
                            continue  # "no casualties were reported" does not cancel a separate act
                        if kind == "negation" and ph[0] in self.negation_particles and any(
                                t.lower not in self.negation_gap for t in tokens[i + len(ph) : m.start]):
                            continue  # "who did not survive the injuries blocked the road": another verb's "not"
                        return kind
        return ""

    def _discarded(self, tokens: Sequence[Token]) -> bool:
        idx = self.discard_index
        for i, tok in enumerate(tokens):
            for ph in idx.get(tok.lower, ()):
                # discards match words as written: "group stage" must not hit "groups staged"
                if i + len(ph) <= len(tokens):
                    for k in range(len(ph)):
                        if tokens[i + k].lower != ph[k]:
                            break
                    else:
                        return True
        return False

    @staticmethod
    def _group(actors: list[Actor], first: int, tokens: Sequence[Token]) -> list[Actor]:
        """The actor at `first` plus actors joined to it by 'and' / ',' ("troops and popular forces")."""
        out = [actors[first]]
        k = first + 1
        while k < len(actors):
            gap = tokens[out[-1].end : actors[k].start]
            words = [t.lower for t in gap if t.lower not in _GROUP_SKIP]
            if len(words) == 3 and words[2] == "of" and words[1] in _MEMBERS_OF:
                words = words[:1]  # "police and members of the EPL": the members are the group's
            if tuple(words) in _GROUP_JOINS:
                out.append(actors[k])
                k += 1
            else:
                break
        return out

    def _left(self, actors: list[Actor], tokens: Sequence[Token], m: Match, taken: set[int]) -> list[Actor]:
        clause_start = 0
        for i in range(m.start - 1, -1, -1):
            if tokens[i].lower in CLAUSE:
                clause_start = i + 1
                break
        for i in range(m.start - 1, clause_start - 1, -1):
            low = tokens[i].lower
            if low in _SUBORDINATE or (low == "that" and i and not tokens[i - 1].lemmas.isdisjoint(_SAY)):
                # "clashed after police launched a raid", "the ministry reported that Zorbat forces
                # fired": the subordinate or reported clause has its own subject
                # ... its subject right after the conjunction ("after their victories against
                # militants" has none: the militants are an object)
                j = i + 1
                while j < m.start and tokens[j].lower in ("the", "a", "an", "some", "its", "their"):
                    j += 1
                if any(a.start == j and a.end <= m.start and a.start not in taken for a in actors):
                    clause_start = i + 1
                break
        for k, a in enumerate(actors):
            if a.start >= clause_start and a.end <= m.start and a.start not in taken:
                group = self._group(actors, k, tokens)
                # "rebels killed two civilians, and the army shelled the town": after a verb, an
                # actor opening a new clause with "and" right before the act is its subject
                for j in range(len(actors) - 1, k, -1):
                    b = actors[j]
                    if (b.start <= group[-1].end or b.end > m.start or b.start in taken
                            or (b.kind == "country" and b.role == "GOV")):  # a capital: mostly a place
                        continue
                    if any(t.lower not in self.clause_bridge for t in tokens[b.end : m.start]):
                        continue  # not right before the act: an object in a list ("jets, and is expected to")
                    i = b.start - 1
                    while i > group[-1].end and tokens[i].lower in ("the", "a", "an"):
                        i -= 1
                    if tokens[i].lower == "and" and any(
                            t.lower in self.clause_finite or (t.lower.endswith("ed") and t.text.islower()
                                                              and t.lower not in self.clause_adjectival)
                            for t in tokens[group[-1].end : i]):
                        return self._group(actors, j, tokens)
                return group
        return []

    def _right(self, actors: list[Actor], tokens: Sequence[Token], m: Match, after: int | None = None) -> list[Actor]:
        pos = m.end if after is None else after
        limit = min(len(tokens), pos + 10)
        by_start = {a.start: k for k, a in enumerate(actors)}
        for i in range(pos, limit):
            if i in by_start:
                # "in northern Mali" is a place as much as "in Mali"
                before = [t.lower for t in tokens[max(pos, i - 3) : i] if t.lower not in ("the", "a", "an")
                          and t.lower not in _DIRECTIONS]
                if before and before[-1] in ("in", "at", "near", "from", "inside", "into"):
                    if before[-1] in ("at", "into") and self.rules[m.pattern.rule_index].mode in VIOLENT_MODES:
                        return self._group(actors, by_start[i], tokens)  # "fired mortars at Ukrainian positions"
                    return []  # "in the community of Uren" names a place, not the target
                return self._group(actors, by_start[i], tokens)
            low = tokens[i].lower
            if low in CLAUSE or low == "." or low == ";" or low in _SUBORDINATE:
                return []  # "clashed after police launched a raid": the police open another clause
            if low == "," and any(not t.lemmas.isdisjoint(_ATTRIBUTION) for t in tokens[i + 1 : i + 8]):
                return []  # "..., a spokesman told reporters", "..., according to police": who told it
        return []

    def _inside(self, actors: list[Actor], tokens: Sequence[Token], span: tuple[int, int]) -> list[Actor]:
        for k, a in enumerate(actors):
            if span[0] <= a.start < span[1]:
                return [x for x in self._group(actors, k, tokens) if x.start < span[1]]
        return []

    def _passive(self, tokens: Sequence[Token], m: Match, with_by: bool = False) -> bool:
        """Whether the match's verb is a passive participle ("were shelled"); a pattern that spells
        out its own "by {S}" is passive only when asked (`with_by`)."""
        if not with_by:
            for e in m.pattern.elements:
                if e.kind == "lit" and "by" in e.words:
                    return False
        a, k = m.anchor, m.pattern.anchor
        els = m.pattern.elements
        while (tokens[a].lower in _ADVERB_SKIP and a + 1 < m.end and k + 1 < len(els)
               and els[k + 1].kind == "lit"):
            a, k = a + 1, k + 1  # "were seriously injured" matched from the adverb: the verb decides
        tok = tokens[a]
        lit = els[k].words
        if not (tok.lower.endswith(("ed", "en")) or any(tok.lower in self.participles.get(w, ()) for w in lit)):
            return False
        i = a - 1
        steps = 0
        while i >= 0 and steps < 3 and tokens[i].lower in _ADVERB_SKIP:
            i -= 1
            steps += 1
        if i >= 0 and tokens[i].text == "IS" and (i == 0 or not tokens[i - 1].text.isupper()):
            return False  # "IS opened fire": the Islamic State, not the verb "is" (an all-capitals headline's is)
        return i >= 0 and bool(tokens[i].lemmas & _BE) and tokens[i].lower not in ("being",) or (
            i >= 0 and tokens[i].lower in ("been", "being", "got", "get", "gets", "getting")
        )

    # -- coding -----------------------------------------------------------------------------------
    def code_passage(self, passage: Passage, country: str | None = "", primary: bool = False) -> list[dict[str, Any]]:
        text = passage.text
        lower = text.lower()
        if len(lower) != len(text):  # a few Unicode letters change length when lowered
            lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        pdate = parse_date(passage.date) if not isinstance(passage.date, dt.date) else passage.date
        sentences = split_sentences(text)
        toks = [tokenize(text, s.start, s.end, self.forms) for s in sentences]
        raw_actors = [self.actors.raw_mentions(text, lower, t) for t in toks]
        # "Luhansk People's Militia", "Boko Haram": a place in a group's name is neither where the
        # event happened nor evidence of the passage's country
        # ... nor is a people's adjective right before a force ("Somali forces" is not Ethiopia's Somali Region)
        in_org: list[set[int]] = []
        for raw in raw_actors:
            skip: set[int] = set()
            starts = {s: ents for s, _, ents in raw}
            for s, e, ents in raw:
                if e - s > 1 and any(en.kind == "org" for en in ents):
                    skip.update(range(s, e))
                elif any(en.kind == "adj" for en in ents):
                    after = starts.get(e)
                    if after and any(en.kind == "agent" for en in after):
                        skip.update(range(s, e))
            in_org.append(skip)
        if self.organisation_heads:
            for tokens, skip in zip(toks, in_org):
                self._inside_names(tokens, skip)
        country, all_places = self.places.resolve_passage(
            text, fold(text), toks, country.upper() if country else "", self._actor_votes(raw_actors), in_org
        )
        heading_place: Place | None = None
        filed: Place | None = None
        events: list[dict[str, Any]] = []
        # The story's date and place carry over within a paragraph (a new line or heading starts another
        # item of a report): "On 4 May 2022, teachers protested in X. Two were arrested." dates the
        # arrests on 4 May, not on the publication date, and "in Suleja (Suleja, Niger), police
        # answered a call. Gunmen ambushed them." locates the ambush in Suleja
        narrative: tuple[dt.date, int] | None = None
        scene: list[Place] | None = None
        prev_end = 0
        # ... except in a wire story (it opens with a dateline: "KABUL, March 3 (Reuters) - "), whose
        # paragraphs go on telling the same story
        wire = bool(sentences) and sentences[0].heading and text[sentences[0].end : sentences[0].end + 3].lstrip()[:1] in (
            "-", "–", "—")
        for sent, tokens, places, raw in zip(sentences, toks, all_places, raw_actors):
            if not wire and "\n" in text[prev_end : sent.start]:
                narrative = scene = None
            prev_end = sent.end
            if not tokens:
                continue
            if sent.heading:
                if places and wire and sent.index == 0:
                    # where the story was filed: the place of a sentence that names none, but no
                    # bound on the places the story names ("KYIV - ... shelled Kharkiv")
                    filed = min(places, key=lambda p: p.rank)
                elif places:
                    heading_place = min(places, key=lambda p: p.rank)
                continue
            here = scene  # the paragraph's last places below country level (the best picked when needed)
            for p in places:
                if p.consistent and p.feature != "country":
                    scene = places
                    break
            if not self.matcher.may_match(tokens):
                continue  # no rule's key word at all: no actors to compose, no event
            actors = self.actors.actors(text, lower, tokens, country, raw)
            if actors:
                actors = [a for a in actors if not _locative(a, tokens) and not _inside_place(a, places)]
            actor_tok = {a.start: a.end for a in actors}
            matches = self.matcher.find(tokens, actor_tok)
            if matches:
                # a word inside a group's name is not an act: "Free Syrian Army", "Liberation Front"
                named = {k for a in actors if a.kind in ("org", "named") for k in range(a.start, a.end)
                         if tokens[k].text[:1].isupper()}
                named |= _in_proper_name(tokens)
                if named:
                    matches = [m for m in matches if m.anchor not in named]
            if matches and self._discarded(tokens):
                # discards ("attack on inflation", "earthquake hit") cancel conflict readings only;
                # aid for earthquake victims is still aid
                rules = self.rules
                matches = [m for m in matches if rules[m.pattern.rule_index].cameo[:2] < "10"
                           or rules[m.pattern.rule_index].cameo[:2] == "14"]
            if not matches:
                continue
            own = sentence_date(sent.text, pdate, tokens)
            if own is not None:
                narrative = own
            when = narrative or ((pdate, 1) if pdate else (None, None))
            head = heading_place if heading_place is not None or places else filed
            events.extend(self._sentence_events(passage, sent, tokens, actors, places, matches,
                                                country, head, text, when, here))
        self._escalate(events, pdate.isoformat() if pdate else "")
        self._arrests_at_protest(events, lower)
        self._disappeared(events, lower)
        self._exchange(events)
        self._no_demonstration(events, lower)
        self._at_demonstration(events, lower)
        self._calm(events, text, sentences)
        self._armed_victims(events, sentences)
        self._acled_actors(events, lower)
        events = self._restated(self._fold_harm(events))
        if primary and events:
            best = self._primary(events)
            if best["mode"] in VIOLENT_MODES:
                # one event stands for the report: its toll is the largest the report gives (the
                # deaths are often told in a later sentence: "... clashed. Four rebels were killed.")
                # Tolls are read in the order told: deaths told as more ("Another woman died later",
                # "two other people") add to the toll, the others restate it, so a later total ("3
                # fatalities.") is not added again. A party's claim ("claimed to have killed over 70")
                # counts only when nothing else is told, and then its lowest figure: ACLED takes the
                # most conservative report
                claimed = {x.index for x in sentences if _CLAIMED.search(x.text)}
                told, claim, zero = 0, 0, False
                demo = best["mode"] in _DEMO_MODES
                for sent, tokens in zip(sentences, toks):
                    if tokens and not sent.heading:  # "6 fatalities reported.", "The man died."
                        n = self._protest_deaths(sent.text, tokens) if demo else self.fatalities.count(sent.text, tokens)
                        zero = zero or bool(_NO_DEAD.search(sent.text))
                        if sent.index in claimed:
                            if n:
                                claim = min(claim, n) if claim else n
                        else:
                            told = told + (n or 0) if _MORE_DEAD.match(sent.text) else max(told, n or 0)
                toll = max([told] + [e["fatalities"] or 0 for e in events
                                     if e.get("_toll_sentence", e["sentence_index"]) not in claimed])
                if not toll and not zero:
                    toll = claim
                note = self.fatalities.noted(text)
                # "Unclear fatalities coded as 3."; "... killed, split between 2 events"
                best["fatalities"] = self.fatalities.shared(text, toll if note is None else note)
            events = [best]
        for k, ev in enumerate(events):
            ev["event_id"] = f"{passage.id}-{ev['sentence_index']:03d}-{k:03d}"
        return events

    def _inside_names(self, tokens: Sequence[Token], skip: set[int]) -> None:
        """Add to `skip` the words inside an organisation's name the dictionaries lack: a run of
        capitalised words ending in a head word ("the Arakan Liberation Party"), but its first word."""
        heads = self.organisation_heads
        for h in range(2, len(tokens)):
            if tokens[h].text not in heads:
                continue
            s = h
            while s > 0 and tokens[s - 1].text[:1].isupper() and tokens[s - 1].text.isalpha():
                s -= 1
            if tokens[s].lower in ("the", "a", "an"):
                s += 1  # a sentence's capitalised first article
            # the run's first word may name the place the organisation is of ("the Patras Bar
            # Association"); the words after it do not
            if s + 1 < h:
                skip.update(range(s + 1, h))

    def _actor_votes(self, raw_actors: list[list[Any]]) -> dict[str, float]:
        """Country evidence from actors: weak next to places ("Ukrainian citizens gathered in Milan")."""
        votes: defaultdict[str, float] = defaultdict(float)
        for raw in raw_actors:
            for s, e, ents in raw:
                for en in ents:
                    if en.kind in ("adj", "capital"):
                        votes[en.key] += 1.0
                    elif en.kind == "org":
                        iso = self.actors.orgs[en.key].get("country", "")
                        if iso:
                            votes[iso] += 1.5
        return dict(votes)

    def _select(self, tokens: Sequence[Token], matches: list[Match], starts: frozenset[int] = frozenset()) -> list[Match]:
        """Keep the most specific match per stretch of words; distinct acts stay separate."""
        rules = self.rules
        # most specific first; the position in `matches` last, as a stable sort would keep them
        order: list[tuple[int, int, int, int, int, int]] = []
        for n, m in enumerate(matches):
            r = rules[m.pattern.rule_index]
            order.append((-m.pattern.literals, -(m.end - m.start), -len(r.cameo), m.start, r.order, n))
        order.sort()
        chosen: list[Match] = []
        used: set[int] = set()
        for key in order:
            m = matches[key[5]]
            if self._adjectival(tokens, m, starts):
                continue
            lits = set(range(m.start, m.end))
            for a, b in m.slot_spans.values():
                lits.difference_update(range(a, b))
            if not lits.isdisjoint(used):
                continue
            used |= lits
            chosen.append(m)
        chosen.sort(key=lambda m: m.anchor)
        return chosen

    @staticmethod
    def _adjectival(tokens: Sequence[Token], m: Match, starts: frozenset[int] = frozenset()) -> bool:
        """'a liberated town', 'the besieged towns', 'newly-captured districts', 'armed individuals
        clashed': a participle used as an adjective reports no act of its own."""
        if m.start != m.anchor:
            return False
        els, k = m.pattern.elements, m.pattern.anchor
        if k + 1 < len(els) and els[k + 1].kind == "lit" and not els[k + 1].optional:
            return False  # the pattern names the noun the participle qualifies: "an armed confrontation"
        tok = tokens[m.anchor]
        # only an inflected verb form ("liberated" from "liberate"), not a noun that ends in -ed ("IED")
        if not (tok.lemmas - {tok.lower}) or not tok.lower.endswith(("ed", "en")) or m.end - m.start > 1 and tokens[m.anchor + 1].lower in ("by", "from", "to", "in", "on", "at", "with"):
            return False
        if (m.anchor + 1 in starts and not any(x < m.start for x in starts)
                and (m.start == 0 or tokens[m.start - 1].lower in (",", ";", "(", "and", "while", "when", "as", "of"))):
            # a participle before the first actor of the sentence: "armed men opened fire", "dozens of
            # demobilized militiamen blocked the road"
            return True
        if m.start == 0:
            return False
        prev = tokens[m.start - 1].lower
        return prev in ("a", "an", "the", "newly", "its", "their", "his", "her")

    def _sentence_events(
        self, passage: Passage, sent: Sentence, tokens: list[Token], actors: list[Actor], places: list[Place],
        matches: list[Match], country: str, heading_place: Place | None, text: str,
        when: tuple[dt.date | None, int | None] = (None, None), scene: list[Place] | None = None,
    ) -> list[dict[str, Any]]:
        # a negated or reported wording must not hide another reading of the same words
        present: set[str] = set()
        for t in tokens:
            present |= t.lemmas
        mods = {id(m): "" for m in matches}  # most sentences carry no modifier at all
        first = self.modifier_first_words
        if not present.isdisjoint(first):
            at = [i for i, t in enumerate(tokens) if not t.lemmas.isdisjoint(first)]
            reach = self.modifier_reach
            for m in matches:
                # a modifier word must stand within the widest window before the match
                if any(m.start - reach <= i < m.start for i in at):
                    mods[id(m)] = self._modifier(tokens, m)
        if "negation" in mods.values():
            # a reading inside a negated act's own words is negated with it: "has not carried out any
            # air strikes" (the bare "air strikes" is no act of its own)
            negated = [m for m in matches if mods[id(m)] == "negation"]
            for m in matches:
                if not mods[id(m)] and any(n.start <= m.start and m.end <= n.end for n in negated):
                    mods[id(m)] = "negation"
        live = [m for m in matches if mods[id(m)] not in ("negation", "report", "grievance")]
        # an act told in a relative clause ("relatives of a man who was imprisoned blocked the
        # road") is background when the sentence reports another act
        # ... but a crowd's violence is never background: "police fired tear gas at the cadres, who
        # pelted stones at the office" reports a violent demonstration
        rules = self.rules
        main = [m for m in live if mods[id(m)] != "relative"
                or rules[m.pattern.rule_index].mode in ("violent_demonstration", "riot")]
        chosen = self._select(tokens, main or live, frozenset(a.start for a in actors))
        if len(chosen) > 1:
            chosen = self._not_asked(tokens, chosen)
        out: list[dict[str, Any]] = []
        date, precision = when
        # count deaths only where an act of violence may be reported (a mode-less rule may get one
        # from the CAMEO->ACLED crosswalk below)
        modes = {rules[m.pattern.rule_index].mode for m in chosen}
        deaths = self.fatalities.count(sent.text, tokens) if modes & VIOLENT_MODES or "" in modes else None
        deaths_given = False
        told: list[tuple[Match, list[Actor], list[Actor]]] = []  # the acts so far, with their sides
        for m in chosen:
            rule = rules[m.pattern.rule_index]
            modifier = mods[id(m)]
            code = rule.cameo
            mode = rule.mode if rule.mode and rule.mode != "none" else ""  # "none": ACLED would not code it
            if modifier in ("threat", "intention", "attempt", "conditional"):
                table = self.threat_codes if modifier == "threat" else self.intention_codes
                new = table.get(code[:2], "")
                if modifier != "threat" and not new:
                    new = code if code[:2] in ("01", "02", "03", "10", "11", "12", "13", "14") else ""
                if not new:
                    continue
                if new != code or modifier != "attempt":
                    # an act threatened, intended or called for has not happened: no ACLED event
                    # ("the opposition urged supporters to protest on Friday")
                    code, mode = new, ""
            if code not in self.cameo:
                continue
            if not mode and not rule.mode:
                mode = self.resolver.mode_for_code(code) if not modifier else ""
                if mode in _CROWD_MODES and not self._crowd_named(text):
                    # CAMEO's repression (175) is ACLED's intervention in a protest only where the
                    # report has a crowd: "cracked down on independent media" is no ACLED event
                    mode = ""
            mode = self._instrument(tokens, m, mode)
            src, tgt = self._slots(tokens, actors, m)
            if src and code[:2] >= "14" and (self._commented(tokens, actors, m, src, chosen) or (
                    m.start >= 2 and tokens[m.start - 1].lower in ("the", "this", "these")
                    and tokens[m.start - 2].lower in _BACKGROUND and src[-1].end <= m.start - 2)):
                # ... nor has the act a clause names as its background ("refugees fled after the
                # fighting": the refugees did not fight)
                src = []
            if (src and m.start and tokens[m.start - 1].lower == "," and tokens[m.anchor].lower.endswith("ing")
                    and code[:2] in _FORCE_ROOTS):
                # "a bomb hit a police patrol, killing three officers": the clause after the comma
                # has the act's subject, not its object (the patrol killed no one)
                for o, o_src, o_tgt in told:
                    if (o.end <= m.start and rules[o.pattern.rule_index].cameo[:2] in _FORCE_ROOTS
                            and any(t.start == src[0].start for t in o_tgt)):
                        src = o_src
                        break
            told.append((m, src, tgt))
            if (src and places and not modifier and code[:2] in self.crowd_roots
                    and self._crowd(tokens, src[0])):
                # "several dozen supporters demanded his release": a crowd voicing a demand in a
                # place is a demonstration for ACLED; CAMEO still codes what it demanded
                mode = "protest"
            elif (not modifier and code[:2] in self.gathering_roots and not present.isdisjoint(self.gathering_words)
                  and (not src or (src[0].inter in ("", "5", "6", "7") and src[0].role not in self.speaker_roles))):
                # "several hundred residents in a rally asked for their elders' release": the rally is the event
                mode = "protest"
            loc = self._location(m, places, heading_place, tokens, country)
            if loc is None and scene:
                local = [p for p in scene if p.consistent and p.feature != "country"]
                loc = min(local, key=lambda p: (p.rank, p.start)) if local else None
            sources: list[Actor | None] = list(src) if src else [None]
            targets: list[Actor | None] = list(tgt) if tgt else [None]
            pairs = [(s, t) for s in sources for t in targets]
            for s_actor, t_actor in pairs:
                if s_actor is not None and t_actor is not None and s_actor.start == t_actor.start:
                    if len(pairs) > 1:
                        continue  # "Government and opposition delegations met": B is A's partner, not a third side
                    t_actor = None
                ev = self._record(passage, sent, tokens, m, rule, code, mode, modifier, s_actor, t_actor,
                                  loc, country, date, precision)
                if mode in VIOLENT_MODES and deaths and not deaths_given:
                    ev["fatalities"] = (self._protest_deaths(sent.text, tokens) or 0) if mode in _DEMO_MODES else deaths
                    deaths_given = True
                if modifier == "attempt" and not mode and rule.mode in VIOLENT_MODES:
                    ev["_attempted"] = rule.mode  # what was tried ("attempted to attack commuters")
                out.append(ev)
        # a plain statement beside a reported act is attribution ("..., the source said")
        if any(not e["cameo_code"].startswith("01") for e in out):
            out = [e for e in out if not e["cameo_code"].startswith("01") or e["mode"]]
        return _one_per_clause(self._merge(out, tokens))

    def _crowd_named(self, text: str) -> bool:
        """Whether a report names a demonstration or a crowd."""
        return _names_word_starting(text, tuple(self.demonstration_words) + ("crowd", "mob"))

    def _crowd(self, tokens: Sequence[Token], a: Actor) -> bool:
        """Whether the actor is a crowd: a size word or a number of ten or more just before it
        (the caller also wants a place named: a crowd gathers somewhere)."""
        if a.kind not in ("agent", "victim", "demonym") or a.inter not in ("", "5", "6", "7"):
            return False
        for t in tokens[max(0, a.start - 4) : a.start]:
            if not t.lemmas.isdisjoint(self.crowd_words):
                return True
            digits = t.lower.replace(",", "")
            if digits.isdigit() and int(digits) >= 10:
                return True
        return False

    def _instrument(self, tokens: Sequence[Token], m: Match, mode: str) -> str:
        """The specific mode a weapon named after a generic act gives it, or the mode unchanged."""
        if mode not in self.instrument_from or not self.instruments:
            return mode
        n = len(tokens)
        for i in range(m.anchor + 1, min(n, m.end + 12)):
            tok = tokens[i]
            if tok.lower in (".", ";") or tok.lower in CLAUSE:
                return mode
            if tok.lemmas.isdisjoint(self.instrument_words):
                continue
            for j in range(i + 1, min(n, i + 6)):
                for lem in tokens[j].lemmas:
                    for ph, inst_mode in self.instruments.get(lem, ()):
                        if self._phrase_at(tokens, j, ph):
                            own = range(j, j + len(ph))  # "heavy guns" is no small arm
                            if any(self._phrase_from(tokens, k, self.small_arms) for k in range(n) if k not in own):
                                return mode  # heavy and small arms together: an armed clash
                            return inst_mode
        return mode

    def _merge(self, events: list[dict[str, Any]], tokens: Sequence[Token] = ()) -> list[dict[str, Any]]:
        """One violent act per attacker and sentence: the highest-precedence mode wins, and it
        keeps the fatalities and a target found by the others ("airstrikes ..., killing seven").
        Explosives used together with small arms against armed forces ("attacked the soldiers with
        small arms fire and an IED") are the armed clash they were part of."""
        rank = self.merge_rank
        groups: dict[str, list[dict[str, Any]]] = {}
        for e in events:
            if e["mode"] in rank:
                groups.setdefault(e["actor1_code"] + "|" + e["actor1_text"], []).append(e)
        drop: set[int] = set()
        for group in groups.values():
            if len(group) < 2:
                continue
            # same mode: the most specific CAMEO code wins ("attacked ... and killed dozens ... a massacre"
            # is 202, "survived an assassination attempt when gunmen fired" is 185, not the generic 180)
            best = min(group, key=lambda e: (
                rank[e["mode"]], -len(e["cameo_code"]), e["cameo_code"].endswith("0"), e["_anchor"]))
            if best["mode"] in _EXPLOSIVE_MODES or best["mode"] in _REMOTE_FIRE:
                # ACLED: remote fire or explosives that are part of a ground engagement with small arms
                clash = [e for e in group if e["sub_event_type"] == "Armed clash"]
                if clash and self._mentions(tokens, self.small_arms_fire):
                    best = min(clash, key=lambda e: e["_anchor"])
            if tokens and self._adverbial(tokens, best["_anchor"]):
                # "killed a villager after exchanging fire with the PDF": the clause is background
                main = [e for e in group if not self._adverbial(tokens, e["_anchor"])]
                if main:
                    best = min(main, key=lambda e: (rank[e["mode"]], -len(e["cameo_code"]), e["_anchor"]))
            labelled = [e for e in group if e["_label"]]
            if labelled:
                best = labelled[0]  # the report's own heading ("Looting: ...") names the act
            for e in group:
                if e is best:
                    continue
                if not best["actor2_code"] and e["actor2_code"]:
                    for k in ("actor2", "actor2_code", "actor2_text", "inter2"):
                        best[k] = e[k]
                    res = self.resolver.resolve(best["mode"], str(best["inter1"] or ""), str(best["inter2"] or ""))
                    if res:
                        _set_type(best, res)
                        best["interaction"] = interaction(best["inter1"], best["inter2"])
                best["fatalities"] = max(best["fatalities"] or 0, e["fatalities"] or 0)
                drop.add(id(e))
        return [e for e in events if id(e) not in drop] if drop else events

    @staticmethod
    def _adverbial(tokens: Sequence[Token], a: int) -> bool:
        """The word at `a` opens an adverbial -ing clause ("after exchanging fire", "while fleeing")."""
        return (0 < a < len(tokens) and tokens[a].lower.endswith("ing")
                and tokens[a - 1].lower in ("after", "before", "while", "upon", "on", "when"))

    def _slots(self, tokens: list[Token], actors: list[Actor], m: Match) -> tuple[list[Actor], list[Actor]]:
        rule = self.rules[m.pattern.rule_index]
        if rule.label:
            # "Property destruction: On 3 May, soldiers burned down houses of villagers": the heading
            # names the act; the report after it names who did it, and to whom
            after = [k for k, a in enumerate(actors) if a.start >= m.end]
            if not after:
                return [], []
            src = self._group(actors, after[0], tokens)
            rest = [k for k in after if actors[k].start >= max(a.end for a in src)]
            return src, (self._group(actors, rest[0], tokens) if rest else [])
        slots: dict[str, list[Actor]] = {}
        for name, span in m.slot_spans.items():
            slots[name] = self._inside(actors, tokens, span)
        taken = {a.start for lst in slots.values() for a in lst}
        for name, side in m.edge_slots.items():
            if side == "left":
                # the act's word is itself the demonstrators ("police fired tear gas at protesters", "the
                # minister met protesters": the protest's source is the protesters, not the police)
                own = next((k for k, a in enumerate(actors) if a.start <= m.anchor < a.end and a.inter in ("5", "6")),
                           None) if name == "S" else None
                slots[name] = self._group(actors, own, tokens) if own is not None else self._left(actors, tokens, m, taken)
            else:
                slots[name] = self._right(actors, tokens, m)
        if not slots.get("S"):
            # the actor may be part of the pattern's own words ("gunmen opened fire on")
            # ... or the pattern starts inside it ("JNIM militants attacked": "militants attack" is a
            # pattern of its own, and its first word is the actor's last)
            inner = [k for k, a in enumerate(actors)
                     if (m.start <= a.start <= m.anchor or a.start < m.start < a.end) and a.start < m.end]
            if inner:
                slots["S"] = self._group(actors, inner[0], tokens)
        if (not slots.get("S") and ("S" not in m.pattern.slots or m.edge_slots.get("S") == "left")
                and m.end + 1 < len(tokens) and tokens[m.end].lower == "by"):
            # "a remote-controlled bomb by Al Shabaab fighters exploded", "a protest by teachers": the
            # agent after the act's noun
            agent_k = next((k for k, a in enumerate(actors) if a.start == m.end + 1), None)
            if agent_k is not None:
                slots["S"] = self._group(actors, agent_k, tokens)
        if "S" not in slots:
            slots["S"] = self._left(actors, tokens, m, {a.start for k in ("T", "W") for a in slots.get(k, [])})

        if not slots.get("T"):
            # the target may be part of the pattern's own words ("negotiate with ... rebels"),
            # else an object after the verb is the target
            inner = [k for k, a in enumerate(actors) if m.anchor < a.start < m.end
                     and a.start not in {x.start for x in slots.get("S", [])}]
            if inner:
                slots["T"] = self._group(actors, inner[0], tokens)
            elif "T" not in slots:
                slots["T"] = self._right(actors, tokens, m)
            s_starts = {a.start for a in slots.get("S", [])}
            if (m.edge_slots.get("S") == "right" and all(a.start in s_starts for a in slots.get("T", []))
                    and self._passive(tokens, m, with_by=True)):
                # "troops were attacked by rebels" matched as "attack by {S}": the target stands before
                slots["T"] = self._left(actors, tokens, m, s_starts)
        if self._passive(tokens, m):
            left = self._left(actors, tokens, m, set())
            by = next((i for i in range(m.end, min(len(tokens), m.end + 5)) if tokens[i].lower == "by"), None)
            agent = self._right(actors, tokens, m, by + 1) if by is not None else []
            return agent, left
        src, tgt = slots.get("S", []), slots.get("T", [])
        if src and not tgt and self._harmed_in(tokens, src[0], m):
            src, tgt = [], src[:1]  # "three civilians were killed in the shelling": its target
        if not tgt and len(src) >= 2 and (rule.mode == "armed_clash" or rule.cameo[:2] in ("04", "06")
                                          or rule.cameo.startswith("057")):
            # "A and B clashed / met / signed a deal": one event between the two, not two one-sided ones
            src, tgt = src[:1], src[1:2]
        return src, tgt

    def _not_asked(self, tokens: Sequence[Token], chosen: list[Match]) -> list[Match]:
        """Without the acts an appeal or demand asks for: "called on the Taliban to accept a ceasefire
        and join peace talks" is the appeal (02), coded once, by whoever made it; the talks and the
        ceasefire have not happened."""
        asks = [o for o in chosen if self.rules[o.pattern.rule_index].cameo[:2] in _ASKING_ROOTS]
        if not asks:
            return chosen
        keep: list[Match] = []
        for m in chosen:
            if self.rules[m.pattern.rule_index].cameo[:2] not in _ASKING_ROOTS and any(
                    o.end <= m.start and m.start - o.end <= 8
                    and any(t.lower in ("to", "that") for t in tokens[o.start : m.start])
                    and not any(t.lower in CLAUSE or t.lower in (".", ";") for t in tokens[o.end : m.start])
                    for o in asks):
                continue
            keep.append(m)
        return keep

    def _commented(self, tokens: Sequence[Token], actors: list[Actor], m: Match, src: list[Actor],
                   others: list[Match]) -> bool:
        """Whether the source before an act's noun is the subject of a verbal reaction right before it:
        "the minister condemned the air strike", "the UN welcomed the ceasefire" - the minister
        did not strike. Only a noun phrase ("the", "a", "this" ... before it), with no clause of its
        own ("said it had shelled" keeps the army as the shelling's source)."""
        if m.start == 0:
            return False
        if tokens[m.start - 1].lower not in _DETERMINERS and not (
                tokens[m.start].lower in ("'s", "’s") and not any(a.end == m.start for a in actors)):
            return False  # "Tuesday's bombing" is a noun phrase too; "Russia's bombing" names its source
        for o in others:
            if (o is m or o.end > m.start or o.start < src[-1].end or m.start - o.end > 3
                    or self.rules[o.pattern.rule_index].cameo[:2] not in _COMMENT_ROOTS):
                continue
            gap = range(o.end, m.start)
            if any(tokens[k].lower in _CLAUSE_OPENERS for k in gap) or any(a.start in gap for a in actors):
                continue
            return True
        return False

    def _harmed_in(self, tokens: Sequence[Token], a: Actor, m: Match) -> bool:
        """Whether the actor before the event's words was harmed in it: only a harm verb and its
        link words stand between them ("were killed in the", "died in an", "injured during")."""
        if not self.harmed_verbs or a.end > m.start or m.start - a.end > 6:
            return False
        gap = tokens[a.end : m.start]
        verb = next((k for k, t in enumerate(gap) if not t.lemmas.isdisjoint(self.harmed_verbs)), None)
        if verb is None:
            return False
        rest = [t.lower for t in gap[verb + 1 :]]
        return bool(rest) and rest[0] in self.harmed_links and all(
            w in self.harmed_links or w in ("the", "a", "an", "this", "that", "these", "those") for w in rest)

    def _location(self, m: Match, places: list[Place], heading_place: Place | None,
                  tokens: Sequence[Token] = (), country: str = "") -> Place | None:
        """The place of an event: the most specific place named after its words that agrees with
        the admin1 units the passage names; under a heading, places of the heading's admin1."""
        if tokens and heading_place is None:
            # "On 25 January 2022, in X, Y, journalists protested ... in Z": the place the report
            # opens with, before the act, is where it happened (ACLED's own template)
            for p0 in places:
                if p0.start >= m.start or p0.start > 8:
                    break
                opener = p0.start >= 2 and tokens[p0.start - 1].lower in _OPENERS and tokens[p0.start - 2].lower == ","
                if opener:
                    lead = [p for p in places if p0.start <= p.start < m.start and p.start <= p0.end + 6
                            and p.consistent and p.feature != "country"]
                    if lead:
                        return min(lead, key=lambda p: (p.rank, p.start))
                    break
        after = [p for p in places if p.start >= m.start]
        if heading_place is not None and not heading_place.admin1:
            heading_place = None if places else heading_place  # a country headline does not narrow places
        # places named after the event's words first, but a place below country level that agrees
        # with the passage beats a bare country named later ("in X township (Sagaing region),
        # villagers protested against the Myanmar coup") or a place of another admin1
        pool: list[Place] = []
        for tier in (
            [p for p in after if p.consistent and p.feature != "country"],
            [p for p in places if p.consistent and p.feature != "country"],
            [p for p in after if p.consistent],
            [p for p in places if p.consistent],
            after,
            places,
        ):
            if heading_place is not None:
                tier = [p for p in tier if p.admin1 == heading_place.admin1 or p.iso3 != heading_place.iso3]
            if tier:
                pool = tier
                break
        if not pool:
            return heading_place
        best = min(pool, key=lambda p: (p.rank, p.start))
        if best.feature == "country" and country and best.iso3 != country:
            # only countries named: the passage's own, not the one named first ("refugees from X
            # arrived in Y", "Y's army shelled positions in X": the passage's country is the one it
            # is placed in, whose towns and actors it names)
            own = [p for p in pool if p.feature == "country" and p.iso3 == country and p.rank == best.rank]
            if own:
                best = own[0]
        if heading_place is not None and best.rank > heading_place.rank and best.admin1 == heading_place.admin1:
            return heading_place
        return best

    def _record(
        self, passage: Passage, sent: Sentence, tokens: list[Token], m: Match, rule: Rule, code: str, mode: str,
        modifier: str, s: Actor | None, t: Actor | None, loc: Place | None, country: str,
        date: dt.date | None, precision: int | None,
    ) -> dict[str, Any]:
        row = self.cameo.get(code, {})
        a1 = _actor_fields(s)
        a2 = _actor_fields(t)
        if (s is not None and t is not None and s.inter in ("7", "") and s.role in self.civilian_roles
                and t.inter in ("1", "2", "3", "4", "8")
                and any(x.lower == "by" for x in tokens[max(0, t.start - 3) : t.start])):
            # "a man's body was found, killed by unknown gunmen": the armed actor after "by" did it
            s, t = t, s
            a1, a2 = _actor_fields(s), _actor_fields(t)
        if mode.startswith("territory") and t is not None and t.kind in ("agent", "victim") and t.inter == "7":
            mode = "abduction"  # "captured the rector": people are taken, not places
        if code[:2] < "14" or (not mode and code[:2] in ("16", "17")):
            # a state named by its country acts through its government when it speaks, negotiates,
            # vetoes or recalls an ambassador ("Russia vetoed", "Turkey recalled its ambassador"):
            # ACLED's military name is for its acts of force
            for fields, a in ((a1, s), (a2, t)):
                if a is not None and a.kind == "country" and fields["name"].startswith("Military Forces of "):
                    fields["name"] = "Government of " + fields["name"][len("Military Forces of "):]
        inter1, inter2 = a1["inter"], a2["inter"]
        where = (loc.iso3 if loc else "") or country
        # ACLED: state forces acting outside their own country are external forces (inter 8)
        if inter1 == "1" and s is not None and s.iso3 and where and s.iso3 != where:
            inter1 = "8"
        if inter2 == "1" and t is not None and t.iso3 and where and t.iso3 != where:
            inter2 = "8"
        violent = mode in VIOLENT_MODES and mode not in ("riot", "mob_violence", "violent_demonstration")
        # "clashed with", "a fight broke out between": both sides took part (rioters on both, for ACLED)
        mutual = False
        fight_words = self.mutual_fight_words
        for k in range(m.start, m.end):
            if not tokens[k].lemmas.isdisjoint(fight_words):
                mutual = True
                break
        if (violent and s is not None and s.inter == "7" and code.startswith("182") and mode != "sexual_violence"
                and not self._lone(s)):
            inter1 = "5"  # people beating someone up (no weapons named): ACLED's mob violence
        elif (violent and s is not None and s.role in self.rioter_roles and not code.startswith(("183", "19", "20"))
              and not self._mentions(tokens, self.small_arms_fire) and "shoot" not in rule.id):
            inter1 = "5"  # settlers beating or stoning people: ACLED's rioters; armed settlers stay
        elif (violent and s is not None and s.inter == "7" and not code.startswith(("183", "19", "20"))
              and self._in_group(s, tokens) and not self._mentions(tokens, self.small_arms_fire)
              and not self._mentions(tokens, self.shooting)):
            inter1 = "5"  # "a group of individuals attacked a man": several people, no firearm named, a crowd
        elif (violent and s is not None and s.inter == "7" and self._armed_person(s, tokens)
              and not (mutual and s.text.lower().split()[-1] in ("youth", "youths")
                       and not self._mentions(tokens, self.small_arms_fire))):
            # "two men opened fire", "unknown individuals": ACLED's unidentified armed group (but youths
            # who clash with youths, no firearm named, stay a crowd: rioters)
            s = None
            a1["name"], a1["code"] = "", a1["code"][:3] + "UAF" if a1["code"] else ""
        if mode in VIOLENT_MODES:
            unarmed_s = s is not None and (inter1 in ("", "7")) and s.role in self.civilian_roles
            # "clashing with Ukrainian units": a demonym before a noun, in a clash, names the forces
            force_demonym = (t is not None and t.kind == "demonym" and mode == "armed_clash" and t.end < len(tokens)
                             and tokens[t.end].text.isalpha() and tokens[t.end].text.islower())
            unarmed_t = t is not None and (
                (t.kind in ("agent", "victim") and t.role in self.civilian_roles)
                or (t.kind == "demonym" and not force_demonym)
                or self._off_duty(tokens, t)
            )
            if unarmed_s and unarmed_t:
                # party supporters or villagers fighting each other are rioters on both sides; the
                # one a crowd beats up or attacks is its civilian victim
                inter1 = "5"
                inter2 = "5" if mode == "armed_clash" or code.startswith("19") or mutual else "7"
            elif unarmed_s and not inter1:
                inter1 = "5"
            elif unarmed_t and violent:
                inter2 = "7"  # an unarmed official, party member or worker attacked is a civilian target
            if t is not None and t.kind == "demonym" and inter2 in ("1", "7") and not force_demonym:
                # "settlers attacked a Palestinian": people, not the state the word also names
                inter2 = "7"
                c = self.actors.countries.get(t.iso3, {})
                a2["name"] = f"Civilians ({c.get('acled_name') or c.get('name', '')})" if c else ""
            if (mode == "armed_clash" and t is not None and inter2 == "7"
                    and any(x.lower == "armed" for x in tokens[max(0, t.start - 2) : t.end])):
                inter2 = "3"  # "policemen clashed with armed individuals": an unidentified armed group
                c = self.actors.countries.get(where, {})
                a2["name"] = f"Unidentified Armed Group ({c.get('acled_name') or c.get('name', '')})" if c else ""
        elif mode in ("property_destruction", "looting") and t is not None and t.kind == "demonym":
            # "demolished two Palestinian homes": the owners are civilians, not the state
            inter2 = "7"
            c = self.actors.countries.get(t.iso3, {})
            a2["name"] = f"Civilians ({c.get('acled_name') or c.get('name', '')})" if c else ""
        if not s and mode in VIOLENT_MODES:
            # ACLED's default perpetrator: an unidentified armed group of the event's country
            inter1 = "3"
            c = self.actors.countries.get((loc.iso3 if loc else "") or country, {})
            if c:
                a1["name"] = f"Unidentified Armed Group ({c.get('acled_name') or c.get('name', '')})"
        if (mode == "attack" and t is None and inter1 in ("2", "3", "4", "8") and self.armed_facilities
                and self._facility_after(tokens, m.end)):
            # "militants attacked a customs station", "opened fire at Ranger Base 4914": a post of the
            # state's forces is an armed target, so ACLED codes a clash with the country's military
            mode, inter2 = "armed_clash", "1"
            c = self.actors.countries.get(where, {})
            a2["name"] = fill_template("Military Forces of {country} ({regime})", c) if c else ""
        # the acting source as resolved, before a demonstrators' template names it: ACLED's actor
        # conventions (`_acled_actors`) make it actor2 when it was a force acting on demonstrators
        force = {**a1, "inter": inter1}
        demo = self.demonstrators.get(mode)
        if demo:
            inter1 = demo
        # ACLED names rioters and protesters by country only ("Rioters (India)"), whoever they are
        # (a party's supporters, students, villagers): who they were stays in actor1_text and the code.
        # Protesters are of the country they protest in ("the Ukrainian community rallied in Chicago":
        # Protesters (United States)); rioters keep a nationality named ("Israeli settlers" in the West Bank)
        for fields, inter, actor in ((a1, inter1, s), (a2, inter2, t)):
            tmpl = self.demo_templates.get(inter, "")
            if tmpl and not (fields["name"].endswith("(International)") and fields["name"].startswith(tmpl.partition("(")[0])):
                # ("Civilians (International)": migrants of no country named, agents.csv's {country|International})
                own = actor.iso3 if actor and actor.iso3 and inter != "6" else ""
                c = self.actors.countries.get(own or (loc.iso3 if loc else "") or country, {})
                # with no country known, the bare kind ("Protesters"), never the name of whoever acted on them
                fields["name"] = tmpl.replace("{country}", c.get("acled_name") or c.get("name", "")) if c else tmpl.partition(" (")[0]
        res = self.resolver.resolve(mode, inter1, inter2) if mode else None
        iso = (loc.iso3 if loc else "") or country
        cinfo = self.actors.countries.get(iso, {})
        lat = lon = None
        geo = None
        if loc is not None:
            lat, lon = loc.latitude, loc.longitude
            geo = 2 if loc.near else (1 if loc.rank == 1 else (2 if loc.rank == 2 else 3))
        elif iso:
            lat, lon = self.places.country_point(iso)
            geo = 3 if lat is not None else None
        trigger_start = tokens[m.start].start
        trigger_end = tokens[m.end - 1].end
        ev: dict[str, Any] = {
            "event_id": "",
            "passage_id": passage.id,
            "sentence_index": sent.index,
            "span_start": sent.start,
            "span_end": sent.end,
            "event_date": date.isoformat() if date else "",
            "time_precision": precision if date else None,
            "cameo_code": code,
            "cameo_root": code[:2],
            "quad_class": int(row.get("quad_class") or 0) or None,
            "goldstein": float(row["goldstein"]) if row.get("goldstein") not in (None, "") else None,
            "disorder_type": res.disorder_type if res else "",
            "event_type": res.event_type if res else "",
            "sub_event_type": res.sub_event_type if res else "",
            "actor1": a1["name"], "actor1_code": a1["code"], "actor1_text": a1["text"], "inter1": _int(inter1),
            "actor2": a2["name"], "actor2_code": a2["code"], "actor2_text": a2["text"], "inter2": _int(inter2),
            "interaction": interaction(inter1, inter2) if inter1 else None,
            "civilian_targeting": "Civilian targeting" if res and (res.event_type == "Violence against civilians" or inter2 == "7" and mode in VIOLENT_MODES) else "",
            "country": (cinfo.get("acled_name") or cinfo.get("name", "")) if cinfo else "",
            "admin1": loc.admin1 if loc else "",
            "admin2": loc.admin2 if loc else "",
            "location": loc.name if loc else "",
            "latitude": lat,
            "longitude": lon,
            "geo_precision": geo,
            "fatalities": 0,
            "rule_id": rule.id,
            "codebook_version": self.version,
            "mode": mode,
            "trigger": passage.text[trigger_start:trigger_end],
            "modifier": modifier,
            "_anchor": m.anchor,
            "_force": force,
            "_label": rule.label,
            "_mutual": mutual,
            "_trigger_start": trigger_start,
        }
        return ev

    def _facility_after(self, tokens: Sequence[Token], end: int) -> bool:
        """A post of armed forces named within four words after the act ("attacked a customs station")."""
        for k in range(end, min(len(tokens), end + 5)):
            if tokens[k].lower in (".", ";", ","):
                return False
            if self._phrase_from(tokens, k, self.armed_facilities):
                return True
        return False

    def _protest_deaths(self, text: str, tokens: Sequence[Token]) -> int | None:
        """Deaths at a demonstration, not those it was about: the count stops at the first words of
        its grievance ("... blocked the road, demanding the arrest of those who killed three men")."""
        cut = next((k for k in range(len(tokens)) if self._phrase_from(tokens, k, self.protest_toll_cut)), len(tokens))
        return self.fatalities.count(text, tokens[:cut]) if cut else None

    def _off_duty(self, tokens: Sequence[Token], t: Actor) -> bool:
        """"an off-duty soldier", "a former member of the police", "a general (assumed off-duty)":
        no longer serving, so a civilian target."""
        if any(x.lower in self.civilian_prefixes for x in tokens[max(0, t.start - 5) : t.start + 1]):
            return True
        after = tokens[t.end : t.end + 5]
        return bool(after) and after[0].lower == "(" and any(x.lower in self.civilian_prefixes for x in after)

    def _lone(self, a: Actor) -> bool:
        """One attacker ("a man", "an individual") is not a mob (ACLED's sole perpetrator)."""
        words = a.text.lower().split()
        return bool(words) and words[-1] in self.perpetrators and words[-1] != "men" and not words[-1].endswith("s")

    def _in_group(self, a: Actor, tokens: Sequence[Token]) -> bool:
        """Named as a group of people: "a group of individuals", "a crowd of youths"."""
        words = [t.lower for t in tokens[max(0, a.start - 4) : a.start]] + a.text.lower().split()
        for k in range(len(words) - 1):
            if words[k + 1] == "of" and words[k] in self.crowd_group_words:
                return True
        return False

    def _armed_person(self, a: Actor, tokens: Sequence[Token]) -> bool:
        words = a.text.lower().split()
        if words and words[-1] in self.perpetrators:
            return True
        before = {t.lower for t in tokens[max(0, a.start - 2) : a.start]}
        return bool(self.armed_prefixes & (set(words[:-1]) | before))

    def _calm(self, events: list[dict[str, Any]], text: str, sentences: Sequence[Sentence]) -> None:
        """A takeover reported without fighting is a non-violent transfer of territory."""
        if not self.no_fighting:
            return
        for e in events:
            if not e["mode"].startswith("territory_") or e["mode"] == "territory_transfer":
                continue
            si = e["sentence_index"]
            near = " ".join(s.text.lower() for s in sentences[si : si + 2])
            if any(p in near for p in self.no_fighting):
                res = self.resolver.resolve("territory_transfer", str(e["inter1"] or ""), str(e["inter2"] or ""))
                if res:
                    e["mode"] = "territory_transfer"
                    _set_type(e, res)

    def _armed_victims(self, events: list[dict[str, Any]], sentences: Sequence[Sentence]) -> None:
        """ACLED codes a shooting of someone the report says belonged to an armed group ("The
        victim was a drug dealer", "a known gang member") as an armed clash between two armed
        sides, not as violence against civilians."""
        if not self.armed_victim_cues or not events:
            return
        last = -2  # the last sentence that says so (-1: none), looked for once, when first needed
        for e in events:
            if e["mode"] != "attack" or str(e["inter2"]) != "7" or e["sub_event_type"] != "Attack":
                continue
            if last == -2:
                last = -1
                for k in range(len(sentences) - 1, -1, -1):
                    low = sentences[k].text.lower()
                    if (any(c in low for c in self.armed_victim_cues)
                            and any(w in low for w in self.armed_victim_subjects)):
                        last = k
                        break
            if last < e["sentence_index"]:  # said in this sentence or a later one
                continue
            res = self.resolver.resolve("attack", str(e["inter1"] or ""), "3")
            if res is None or res.sub_event_type == e["sub_event_type"]:
                continue
            e["inter2"] = 3
            e["actor2"] = f"Unidentified Armed Group ({e['country']})" if e["country"] else ""
            e["interaction"] = interaction(e["inter1"], 3) if e["inter1"] else None
            _set_type(e, res)
            e["civilian_targeting"] = ""

    def _no_demonstration(self, events: list[dict[str, Any]], lower: str) -> None:
        """Violence by a crowd in a report that names no demonstration ("rioters attacked a man
        accused of theft", "a mob burnt two vehicles") is ACLED's mob violence."""
        if not self.demonstration_words or not any(e["sub_event_type"] == "Violent demonstration" for e in events):
            return
        if _has_word_starting(lower, tuple(self.demonstration_words)):
            return
        for e in events:
            if e["sub_event_type"] != "Violent demonstration":
                continue  # whatever the act: a riot, a mob's arson, a crowd's violence
            res = self.resolver.resolve("mob_violence", str(e["inter1"] or ""), str(e["inter2"] or ""))
            if res is not None:
                e["mode"] = "mob_violence"
                _set_type(e, res)

    def _at_demonstration(self, events: list[dict[str, Any]], lower: str) -> None:
        """Crowd violence the report places during a demonstration ("activists clashed with each
        other during their demonstration", "rioters clashed with soldiers during the march") is
        ACLED's violent demonstration, not mob violence."""
        if not self.during_nouns:
            return
        for e in events:
            if e["sub_event_type"] != "Mob violence":
                continue
            words = re.findall(r"[a-z][a-z-]*", lower[e["span_start"] : e["span_end"]])
            at = False
            for i, w in enumerate(words):
                # "during their demonstration", "amid a protest", "during the committee's weekly
                # anti-settlement demonstration": within eight words
                if w in self.during_words and any(x in self.during_nouns for x in words[i + 1 : i + 9]):
                    at = True
                    break
            if not at:
                continue
            res = self.resolver.resolve("violent_demonstration", str(e["inter1"] or ""), str(e["inter2"] or ""))
            if res is not None:
                e["mode"] = "violent_demonstration"
                _set_type(e, res)

    def _disappeared(self, events: list[dict[str, Any]], lower: str) -> None:
        """"Two former policemen were arrested by the Taliban. Their whereabouts remain unknown.":
        people held where no one may know is ACLED's forced disappearance, whoever held them."""
        if not self.disappearance or not any(e["mode"] == "arrest" for e in events):
            return
        if not any(ph in lower for ph in self.disappearance):
            return
        for e in events:
            if e["mode"] == "arrest" and not e["modifier"]:
                res = self.resolver.resolve("abduction", str(e["inter1"] or ""), str(e["inter2"] or ""))
                if res is not None:
                    e["mode"] = "abduction"
                    _set_type(e, res)

    def _arrests_at_protest(self, events: list[dict[str, Any]], lower: str) -> None:
        """"Activists staged a protest at the bank. Police arrested a number of them.": arrests told in
        the next two sentences, of a crowd or a number of people, are the protest's intervention (the
        codebook's `arrests_at_protest`); an arrest that is the grievance or background is not."""
        if self.arrest_crowd is None or not any(e["mode"] == "protest" for e in events):
            return
        for e in events:
            if e["mode"] != "protest" or e["modifier"]:
                continue
            si = e["sentence_index"]
            for x in _within(events, si + 1, si + 2):
                if x["mode"] != "arrest" or x["modifier"] or x["event_date"] != e["event_date"]:
                    continue
                sent = lower[x["span_start"] : x["span_end"]]
                if (self.arrest_background is not None and self.arrest_background.search(sent)) or _YEAR.search(sent):
                    continue
                if not self.arrest_crowd.search(sent):
                    continue
                res = self.resolver.resolve("protest_intervention", str(e["inter1"] or ""), str(e["inter2"] or ""))
                if res is not None:
                    e["mode"] = "protest_intervention"
                    _set_type(e, res)
                break

    def _exchange(self, events: list[dict[str, Any]]) -> None:
        """Fire answered by its target ("militants fired mortars at the base. The troops fired back")
        is an exchange: ACLED codes both sides' fire as an armed clash, not as remote violence."""
        for e in events:
            if e["mode"] not in _REMOTE_FIRE or not e["actor2_code"]:
                continue
            si = e["sentence_index"]
            answers = [x for x in _within(events, si, si + 1) if x is not e
                       and x["mode"] in _REMOTE_FIRE | {"armed_clash", "attack"}
                       and x["actor1_code"] == e["actor2_code"]
                       and x["actor2_code"] in ("", e["actor1_code"])]  # firing back, not at someone else
            if not answers:
                continue
            for x in [e] + answers:
                res = self.resolver.resolve("armed_clash", str(x["inter1"] or ""), str(x["inter2"] or ""))
                if res is not None and res.sub_event_type == "Armed clash":
                    x["mode"] = "armed_clash"
                    _set_type(x, res)

    def _escalate(self, events: list[dict[str, Any]], passage_date: str = "") -> None:
        """ACLED codes a protest (or a clash) by the strongest thing that happened to it in the same
        report: what the same or the next two sentences say happened next."""
        if not self.escalation:
            return
        for e in events:
            ups = self.escalation.get(e["mode"])
            if not ups:
                continue
            si = e["sentence_index"]
            if e["mode"] == "armed_clash":
                # a clash becomes a territorial event only if the same side takes the place next
                sides = {e["actor1_code"], e["actor2_code"]} - {""}
                near = {x["mode"] for x in _within(events, si, si + 1)
                        if sides & {x["actor1_code"], x["actor2_code"]}}
            elif e["mode"] in ("shelling", "missile", "air_strike"):
                # remote fire becomes a clash only when its target fights: the shooter going on alone
                # ("... fired mortars at DPR positions. Ukrainian forces destroyed a depot") stays remote
                shooter, target = e["actor1_code"], e["actor2_code"]
                near = {x["mode"] for x in _within(events, si, si + 1) if x is not e
                        and (target in (x["actor1_code"], x["actor2_code"]) if target
                             else shooter in (x["actor1_code"], x["actor2_code"]) and x["actor1_code"] != shooter)}
            elif e["mode"] == "arrest":
                # "detained and tortured a blogger": only what the same force did to them next
                near = {x["mode"] for x in _within(events, si, si + 1) if x is not e
                        and e["actor1_code"] and x["actor1_code"] == e["actor1_code"] and not x["modifier"]}
            else:
                # what a sentence dates to another day ("one of them was killed on 9 May") is another event
                near = {x["mode"] for x in _within(events, si, si + 2)
                        if x["event_date"] in (e["event_date"], passage_date)}
                if e["mode"] == "protest" and e["actor1_code"] and any(
                        (x["mode"] in ("property_destruction", "looting") and x["sub_event_type"] == "Violent demonstration"
                         or x.get("_attempted")) and x["actor1_code"] == e["actor1_code"]
                        for x in _within(events, si, si)):
                    # the demonstrators' own arson or looting ("protesters torched a police station"),
                    # or violence they tried ("... blocked the road and attempted to attack commuters")
                    near.add("violent_demonstration")
            # an entry "mob_violence>violent_demonstration": that mode nearby makes it the other
            pairs = [(u.partition(">")[0], u.partition(">")[2] or u) for u in ups]
            found = [(i, result) for i, (trigger, result) in enumerate(pairs) if trigger in near]
            if not found:
                continue
            new = max(found)[1]  # the escalation list is ordered weakest -> strongest
            res = self.resolver.resolve(new, str(e["inter1"] or ""), str(e["inter2"] or ""))
            if res:
                e["mode"] = new
                _set_type(e, res)

    @staticmethod
    def _fold_harm(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """"The army shelled X. Two civilians were killed.": the killing told after an act of force,
        with no one named as the killer, is that act's toll, not an attack of its own (which would
        count the dead twice in any sum of fatalities)."""
        drop: set[int] = set()
        for x in events:
            if x["mode"] not in ("attack", "kill") or x["modifier"]:
                continue
            si = x["sentence_index"]
            # "a civilian was killed in clashes between police and gunmen": the clash of the same
            # sentence is the event, the killing (or the bare "unknown gunmen") its toll
            clash = next((e for e in _within(events, si, si) if e["mode"] == "armed_clash"
                          and not e["modifier"] and e["actor1_text"] and e["actor2_text"]), None)
            if clash is not None and (not x["actor1_text"] or (
                    not x["actor2_text"] and x["actor1_text"] in (clash["actor1_text"], clash["actor2_text"]))):
                clash["fatalities"] = max(clash["fatalities"] or 0, x["fatalities"] or 0)
                drop.add(id(x))
                continue
            if x["actor1_text"]:
                continue
            acts = [e for e in _within(events, si - 2, si - 1) if e is not x and id(e) not in drop
                    and e["mode"] in VIOLENT_MODES and e["actor1_text"] and not e["modifier"]]
            if acts:
                act = max(acts, key=lambda e: (e["sentence_index"], e["_anchor"]))
                if (x["fatalities"] or 0) > (act["fatalities"] or 0):
                    act["fatalities"] = x["fatalities"]
                    act["_toll_sentence"] = si  # where the toll was told (a claim there is weighed so)
                drop.add(id(x))
        return [e for e in events if id(e) not in drop] if drop else events

    @staticmethod
    def _restated(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """"Gunmen abducted a priest. They demanded a ransom.": a row with no actor at all, of the
        same code as an act told with its actors in the two sentences before, retells that act."""
        drop: set[int] = set()
        for x in events:
            if x["actor1_text"] or x["actor2_text"] or x["modifier"]:
                continue
            si = x["sentence_index"]
            act = next((e for e in _within(events, si - 2, si - 1) if e is not x and id(e) not in drop
                        and e["cameo_code"] == x["cameo_code"] and e["mode"] == x["mode"] and not e["modifier"]
                        and (e["actor1_text"] or e["actor2_text"])), None)
            if act is not None:
                act["fatalities"] = max(act["fatalities"] or 0, x["fatalities"] or 0)
                drop.add(id(x))
        return [e for e in events if id(e) not in drop] if drop else events

    def _acled_actors(self, events: list[dict[str, Any]], lower: str = "") -> None:
        """ACLED's actors, once the sub-event type is known (the codebook's
        acled/actor_conventions.csv). Only the ACLED fields change (actor1/actor2 names, inter codes,
        interaction): actor1_code/actor2_code and the texts stay CAMEO's source and target of the
        CAMEO code. Demonstrators are actor1 under ACLED's name (Protesters or Rioters of the
        country); actor2 is the first step of the type's chain that finds one (see `_actor2`)."""
        # whether the report mentions a counter-protest: looked for once per passage, not per event
        # (a long passage has thousands of events)
        counter = bool(events) and any(w in lower for w in self.counter_protest_words)
        for e in events:
            conv = self.conventions.get(e["sub_event_type"])
            if conv is None:
                continue
            first, steps = conv
            name1, inter1 = str(e["actor1"] or ""), str(e["inter1"] or "")
            name2, inter2 = str(e["actor2"] or ""), str(e["inter2"] or "")
            if first in ("protesters", "rioters"):
                inter = "6" if first == "protesters" else "5"
                force: dict[str, str] = e.get("_force") or {}
                if str(force.get("inter") or "") in _ORGANISED and force.get("text") and e["cameo_root"] != "14":
                    # "police dispersed the students": the force acted on the demonstrators, who are
                    # ACLED's actor1; the force is actor2 (a protest's own source, whoever it is,
                    # stays the demonstrators: "soldiers' wives protested")
                    name2, inter2 = str(force.get("name") or ""), str(force.get("inter") or "")
                if inter1 != inter or not name1:
                    tmpl = self.demo_templates.get(inter, "")
                    if tmpl:
                        # with no country known, the bare kind: "police dispersed protesters" must not
                        # leave the police's name on the demonstrators' side
                        name1 = tmpl.replace("{country}", e["country"]) if e["country"] else tmpl.partition(" (")[0]
                    inter1 = inter
            elif first == "unidentified_if_none" and not inter1:
                # "Property destruction: ... someone smashed a shop window": ACLED's default perpetrator
                name1 = f"Unidentified Armed Group ({e['country']})" if e["country"] else ""
                inter1 = "3"
            name2, inter2 = self._actor2(events, e, steps, name1, (name2, inter2), counter, lower)
            if first == "rioters" and e.get("_mutual") and inter2 in ("", "7") and e["country"]:
                # a crowd that clashed or fought with unarmed people: rioters on both sides
                name2, inter2 = self.demo_templates.get("5", "").replace("{country}", e["country"]), "5"
            if e["country"]:
                # ACLED names every civilian, rioter and protester actor by the kind and a country: an
                # off-duty policeman or a mayor shot is "Civilians (country)" (the CAMEO code keeps the role)
                name1, name2 = self._by_inter(name1, inter1, e["country"]), self._by_inter(name2, inter2, e["country"])
            e["actor1"], e["inter1"], e["actor2"], e["inter2"] = name1, _int(inter1), name2, _int(inter2)
            e["interaction"] = interaction(inter1, inter2) if inter1 else None
        # ACLED's unit names (acled/unit_names.csv: the Russian Air Force's strikes in Ukraine), and in
        # a report about gangs or drug trafficking its unidentified armed actors are a gang
        gang: bool | None = None  # looked up once, when needed
        styled: bool | None = None
        for e in events:
            country = str(e["country"] or "")
            iso = self._iso_of_name.get(country, "")
            own = self.unidentified_names.get(iso)  # the country's own name for unidentified perpetrators
            region = self.admin1_names.get((iso, str(e["admin1"] or ""))) if self.admin1_names else None
            for k in ("actor1", "actor2"):
                name = str(e[k] or "")
                if self.unit_names and name.startswith("Military Forces of "):
                    unit = self.unit_names.get((iso, str(e["sub_event_type"] or ""), name))
                    if unit:
                        e[k] = unit
                if name.startswith("Unidentified Armed Group (") and self.gang_report is not None:
                    if gang is None:
                        gang = self.gang_report.search(lower) is not None
                    if not gang and not own and styled is None:
                        styled = self.gang_style is not None and self.gang_style.search(lower) is not None
                    if gang or (not own and styled):
                        e[k] = "Unidentified Gang (" + name[len("Unidentified Armed Group ("):]
                        continue
                if region and name.endswith(f"({country})"):
                    # "Protesters (Northern Ireland)": ACLED's generic actors of the unit carry its name
                    name = name[: -len(country) - 2] + f"({region})"
                    e[k] = name
                if (k == "actor1" and iso in self.sole_countries and name.startswith("Unidentified Armed Group (")
                        and str(e["actor1_text"] or "").lower().rpartition(" ")[2] in self.sole_nouns):
                    # "a man stabbed a nurse": one attacker, ACLED's "Sole Perpetrator (United States)"
                    e[k] = "Sole Perpetrator (" + name[len("Unidentified Armed Group ("):]
                    continue
                if own and k == "actor1" and name.startswith("Unidentified Armed Group (") and name != e["actor2"]:
                    # Brazil's "Unidentified Gang and/or Police Militia" (lexicon unidentified_names); as
                    # a target, and in a shoot-out between unknown shooters (both sides unidentified),
                    # ACLED keeps the plain unidentified armed group
                    e[k] = own
            if e["rule_id"] in self.displacement_rules and (not e["actor1"] or str(e["inter1"] or "") == "7"):
                m = self._from_country.search(lower) if self._from_country is not None else None
                fled = self._origin_names[m.group(1)] if m else country
                if fled:
                    # ... and ACLED names no second actor (whom they fled to stays in actor2_code/text)
                    e["actor1"], e["inter1"], e["actor2"], e["inter2"] = f"Civilians ({fled})", 7, "", None
                    e["interaction"] = interaction(7, None)
            if (self.drug_property is not None and e["sub_event_type"] == "Looting/property destruction"
                    and e["inter1"] == 1 and e["inter2"] in (7, None) and country
                    and self.drug_property.search(lower[e["span_start"] : e["span_end"]]) is not None):
                # "soldiers destroyed a poppy plantation", "seized a drug laboratory": the owners are a gang
                e["actor2"], e["inter2"] = f"Unidentified Gang ({country})", 3
                e["interaction"] = interaction(1, 3)
            if self.regimes and e["event_date"]:
                for k in ("actor1", "actor2"):
                    if e[k] and "(" in e[k]:
                        e[k] = self._regime(str(e[k]), str(e["event_date"]))
            if (iso in self.state_first_clashes and e.get("_mutual") and e["sub_event_type"] == "Armed clash"
                    and e["inter2"] == 1 and e["inter1"] != 1 and str(e["actor2"]).startswith("Military Forces of ")):
                # "a drug trafficker exchanged fire with military police": where ACLED lists the
                # military first in a mutual clash (lexicon state_first_clashes); the CAMEO fields keep the text's order
                e["actor1"], e["actor2"], e["inter1"], e["inter2"] = e["actor2"], e["actor1"], e["inter2"], e["inter1"]

    def _people_hurt(self, lower: str, start: int, end: int) -> bool:
        """Whether the event's sentence or the next few report people killed or hurt ("as a result of
        which 2 civilians were wounded", "The explosion injured two boys"), and not that no one was."""
        hurt, people = self._hurt, self._hurt_people
        if hurt is None or people is None or not lower:
            return False
        for sent in lower[start : end + _HURT_WINDOW].split(". "):
            if (hurt.search(sent) is not None and people.search(sent) is not None
                    and (self._unhurt is None or self._unhurt.search(sent) is None)):
                return True
        return False

    def _regime(self, name: str, date: str) -> str:
        """The actor's name with its country's regime at `date` (acled/regimes.csv)."""
        for key, periods in self.regimes.items():
            if key in name:
                for start, end, current in periods:
                    if (not start or start <= date) and (not end or date <= end):
                        return name.replace(key, current)
        return name

    def _by_inter(self, name: str, inter: str, country: str) -> str:
        tmpl = self.demo_templates.get(inter, "")
        if not tmpl or name.startswith(tmpl.partition("(")[0] + "("):
            return name
        return tmpl.replace("{country}", country)

    def _actor2(self, events: list[dict[str, Any]], e: dict[str, Any], steps: tuple[str, ...], name1: str,
                current: tuple[str, str], counter: bool, lower: str = "") -> tuple[str, str]:
        """ACLED's actor2 of an event: the first of `steps` that finds one.

        target: the actor2 the clause gives; organised: the same, if it is an armed or state actor;
        protesters: protesters the clause gives, or any when the report mentions a counter-protest;
        force: the force that acted in the same or the next two sentences; met: the same, or the armed
        target of the crowd's own violence there; partner: the other side, from another violent clause
        of the sentence; harmed_civilians: Civilians when the same or the next two sentences report
        people hurt by no one named; civilians / unidentified: Civilians / Unidentified Armed Group of the country;
        none: no actor2 (whom it was aimed at stays in actor2_code/actor2_text)."""
        name2, inter2 = current
        country = e["country"]
        for step in steps:
            found: tuple[str, str] | None = None
            if step == "target" and inter2 and e["cameo_root"] not in _ADDRESSED_ROOTS:
                found = (name2, inter2)
            elif step == "organised" and inter2 in _ORGANISED:
                found = (name2, inter2)
            elif step == "protesters":
                if inter2 == "6":
                    found = (name2, inter2)
                elif counter:
                    found = (name1, "6")  # "... while a smaller group staged a counter-protest"
            elif step in ("force", "met"):
                found = self._nearby_force(events, e, targets=step == "met")
            elif step == "partner":
                found = self._partner(events, e)
            elif step == "harmed_civilians":
                # "... shelled Zorbivka. A school was hit. Two civilians were killed.": the people a
                # report says were hurt, with no one else named as having hurt them
                si = e["sentence_index"]
                if any(x is not e and not x["actor1_text"]
                       and x["mode"] in ("attack", "kill") and str(x["inter2"] or "") == "7"
                       for x in _within(events, si, si + 2)) or self._people_hurt(lower, e["span_start"], e["span_end"]):
                    found = (f"Civilians ({country})" if country else "", "7")
            elif step == "host":
                # "Russian forces launched an offensive towards Zorbivka": a foreign force fights
                # the forces of the country it is in when the report names no other side
                if str(e["inter1"] or "") == "8" and country:
                    c = self.actors.countries.get(self._iso_of_name.get(country, ""), {})
                    if c:
                        found = (fill_template("Military Forces of {country} ({regime})", c), "1")
            elif step == "civilians":
                found = (f"Civilians ({country})" if country else "", "7")
            elif step == "unidentified":
                found = (f"Unidentified Armed Group ({country})" if country else "", "3")
            elif step == "none":
                found = ("", "")
            if found is not None:
                return found
        return name2, inter2

    @staticmethod
    def _partner(events: list[dict[str, Any]], e: dict[str, Any]) -> tuple[str, str] | None:
        """The other side of a fight told in two clauses of one sentence ("the attackers launched
        an assault ..., but were repelled by the defenders"): the actor of another violent
        event of the sentence that is not this one's actor."""
        own = e["actor1_code"]
        si = e["sentence_index"]
        for x in sorted(_within(events, si, si), key=lambda x: abs(x["_anchor"] - e["_anchor"])):
            if x is e or x["mode"] not in VIOLENT_MODES:
                continue
            for code, name, inter in ((x["actor1_code"], x["actor1"], x["inter1"]),
                                      (x["actor2_code"], x["actor2"], x["inter2"])):
                if code and code != own and inter not in (None, "") and str(inter) in _ORGANISED:
                    return str(name or ""), str(inter)
        return None

    @staticmethod
    def _nearby_force(events: list[dict[str, Any]], e: dict[str, Any], targets: bool = False) -> tuple[str, str] | None:
        """The force that acted in the same or the next two sentences ("... protested. Police fired
        tear gas and arrested five."): name and inter of the source of a coercion, an arrest or an
        act of violence; with `targets`, also the armed target of the crowd's own violence there
        ("the crowd then pelted the riot police with stones")."""
        si = e["sentence_index"]
        best: tuple[int, int] | None = None
        found: tuple[str, str] | None = None
        for x in _within(events, si, si + 2):
            if x is e:
                continue
            force = x.get("_force") or {}
            if (str(force.get("inter") or "") in _ORGANISED and force.get("text")
                    and (x["cameo_root"] in ("17", "18", "19", "20") or x["mode"] == "arrest")):
                hit = (str(force.get("name") or ""), str(force.get("inter") or ""))
            elif (targets and x["mode"] in ("violent_demonstration", "riot", "mob_violence")
                  and str(x["inter2"] or "") in _ORGANISED and x["actor2_text"]
                  and x["cameo_root"] not in _ADDRESSED_ROOTS):  # whom a demand addressed was not met
                hit = (str(x["actor2"] or ""), str(x["inter2"] or ""))
            else:
                continue
            rank = (x["sentence_index"] - si, x["_anchor"])
            if best is None or rank < best:
                best, found = rank, hit
        return found

    def _primary(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        """The event that represents the passage: the first reported act of its first eventful sentence,
        preferring acts ACLED codes over talk, and any act over a bare statement."""
        def rank(e: dict[str, Any]) -> tuple[Any, ...]:
            statement = e["cameo_code"].startswith("01")
            return (statement, e["sentence_index"], e["_anchor"])

        acts = [e for e in events if not e["cameo_code"].startswith("01")]
        pool = acts or events
        first_sentence = min(e["sentence_index"] for e in pool)
        in_first = [e for e in pool if e["sentence_index"] == first_sentence]
        best = min(in_first, key=rank)
        if best["modifier"] in ("intention", "attempt", "threat") and best["cameo_root"] == "13" and best["actor1_code"]:
            # "forces tried to advance ..., clashing with": the force the same actor used outranks the
            # force it only tried or threatened (coded as a threat, root 13)
            done = [e for e in in_first if e["mode"] in VIOLENT_MODES and not e["modifier"]
                    and e["actor1_code"] == best["actor1_code"]]
            if done:
                best = min(done, key=rank)
        if not best["mode"] and best["cameo_root"] in ("02", "04", "10", "11", "12", "13"):
            # an appeal or demand voiced at a protest is the protest's purpose, not the event
            # ... but only the protesters' own appeal: "the minister condemned the protest" stays verbal
            protests = [e for e in in_first if e["mode"] == "protest"
                        and (not best["actor1_text"] or best["actor1_text"] == e["actor1_text"])]
            if not protests and best["cameo_root"] in ("02", "04"):
                # "leaders gathered ... to demonstrate against", "called for ... and marched": an
                # appeal or a meeting beside a demonstration in the same sentence is the demonstration's
                protests = [e for e in in_first if e["mode"] == "protest"]
            if protests:
                best = min(protests, key=rank)
        # a fatality count reported elsewhere in a one-event report still belongs to it
        return best


_EXPLOSIVE_MODES = frozenset({"ied", "landmine", "grenade"})
_LOCATIVE_PREPS = frozenset({"in", "near", "across", "throughout", "inside", "outside", "at", "around", "outskirts", "vicinity"})
_OPENERS = frozenset({"in", "near", "around", "outside"})  # "On 3 May 2022, near X (Y), ..."


_DIRECTIONS = frozenset({"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
                         "northeastern", "northwestern", "southeastern", "southwestern", "north-eastern",
                         "north-western", "south-eastern", "south-western", "rural", "outskirts", "of"})
_ATTRIBUTION = frozenset({"say", "tell", "add", "according", "report", "state", "confirm"})
_SAY = frozenset({"say", "report", "claim", "state", "announce", "allege", "confirm", "tell", "add", "accuse"})
_SUBORDINATE = frozenset({"after", "before", "when", "because", "since", "until"})
_REPORT_LINKS = frozenset({"of", "for", "that", "over", "following", "after", "about", "in"})
_CHARGE_LINKS = _REPORT_LINKS | {"with"}
_FORCE_ROOTS = frozenset({"18", "19", "20"})
_BACKGROUND = frozenset({"after", "following", "amid", "during", "since", "before", "despite"})
_ASKING_ROOTS = frozenset({"02", "10"})  # appeals and demands
# verbal reactions to what someone else did (praise, condemn, reject); statements are left out: one
# announces or confirms one's own acts ("announced a hunger strike", "confirmed the arrest of")
_COMMENT_ROOTS = frozenset({"05", "11", "12"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "recent",
                          "latest", "last", "deadly", "weekend", "overnight"})
_CLAUSE_OPENERS = frozenset({"that", "after", "when", "because", "as", "and", ",", "while", "since", "before"})
_MEMBERS_OF = frozenset({"members", "fighters", "militants", "elements", "gunmen", "units", "cadres"})


_DEMO_MODES = frozenset({"protest", "protest_intervention", "violent_demonstration", "riot"})
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


# a party's claim or an unconfirmed report, and a report of no deaths at all
_CLAIMED = re.compile(r"\b(?:claim(?:s|ed|ing)?|unconfirmed|unverified)\b", re.I)
_NO_DEAD = re.compile(r"\b(?:no (?:casualties|fatalities|deaths|one was (?:killed|hurt|injured))|nobody was killed)\b",
                      re.I)
# a sentence that tells more dead: "Another soldier ... died", "Two other people were found killed"
_MORE_DEAD = re.compile(r"\W*(?:another\b|(?:\w+\s+)?others?\b(?!\s+(?:source|sources|report|reports|media)))", re.I)


def _one_per_clause(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per act: matches of one sentence that give the same code, mode, actors, place and
    date ("laid down arms and surrendered to the army", "fired tear gas and rubber bullets") are one
    event, and so is a mention with no actor at all beside one that names them ("nurses held a
    protest ...; the demonstration ended"). The row that names the actors, else the longest
    wording, stays; the largest toll is kept."""
    if len(events) < 2:
        return events

    def bare(e: dict[str, Any]) -> bool:
        return not (e["actor1_code"] or e["actor1_text"] or e["actor2_code"] or e["actor2_text"])

    kept: dict[tuple[Any, ...], dict[str, Any]] = {}
    for e in events:
        act = (e["cameo_code"], e["mode"], e["modifier"], e["location"], e["admin1"], e["event_date"])
        k = act + (e["actor1_code"], e["actor1_text"], e["actor2_code"], e["actor2_text"])
        at: tuple[Any, ...] | None = k if k in kept else None
        if at is None:
            # a bare mention joins the act's named row, and a named row takes a bare one's place
            at = next((kx for kx, x in kept.items() if kx[:6] == act and (bare(e) or bare(x))), None)
        if at is None:
            kept[k] = e
            continue
        first = kept[at]
        toll = max(first["fatalities"] or 0, e["fatalities"] or 0)
        if (bare(first) and not bare(e)) or (bare(first) == bare(e) and len(e["trigger"]) > len(first["trigger"])):
            e["_anchor"] = min(e["_anchor"], first["_anchor"])
            kept[at] = first = e  # in the first one's place in the order
        if toll:
            first["fatalities"] = toll
    return events if len(kept) == len(events) else list(kept.values())


def _sentence_of(e: dict[str, Any]) -> int:
    return int(e["sentence_index"])


def _within(events: list[dict[str, Any]], lo: int, hi: int) -> list[dict[str, Any]]:
    """The events of sentences lo..hi, in order (a passage's events are in sentence order): a look
    at the neighbouring sentences, not a scan of the whole passage for every event, which was
    quadratic in a long passage (a 5 MB text, 200,000 events: hours)."""
    if len(events) <= 32:  # a news report's handful: a plain pass is quicker than two bisections
        return [e for e in events if lo <= e["sentence_index"] <= hi]
    return events[bisect_left(events, lo, key=_sentence_of) : bisect_right(events, hi, key=_sentence_of)]


def _word_stems(words: Iterable[Any], whole: bool = False, digits: bool = False) -> re.Pattern[str] | None:
    """One regex for a lexicon list: words or phrases starting a word (stems) or, with `whole`,
    whole words; `digits` also accepts a number written in figures."""
    alts = [re.escape(str(w).lower()) for w in sorted(words, key=lambda w: -len(str(w)))]
    if digits:
        alts.append(r"\d+")
    if not alts:
        return None
    return re.compile(r"\b(?:" + "|".join(alts) + (r")\b" if whole else ")"))


def _inside_place(a: Actor, places: Sequence[Place]) -> bool:
    """A country's or capital's name inside a longer place's name: "in Ciudad Victoria" names no
    Victoria (Seychelles), "Guatemala City" no state."""
    if a.kind not in ("country", "capital"):
        return False
    for p in places:
        if p.start <= a.start and a.end <= p.end and p.end - p.start > a.end - a.start:
            return True
    return False


def _locative(a: Actor, tokens: Sequence[Token]) -> bool:
    """A country named as a place, not as an actor: "in Mexico", "in Zorbatlan, Mexico, a bus driver
    was shot dead" (the victim is not Mexico's state forces)."""
    if a.kind not in ("country", "capital") or a.start == 0:
        return False
    prev = tokens[a.start - 1].lower
    if prev in _LOCATIVE_PREPS:
        return True
    # "Town, Country": a capitalised place name and a comma right before it, after a locative word
    return (prev == "," and a.start >= 3 and tokens[a.start - 2].text[:1].isupper()
            and any(t.lower in _LOCATIVE_PREPS for t in tokens[max(0, a.start - 6) : a.start - 2]))


def _in_proper_name(tokens: Sequence[Token]) -> set[int]:
    """Capitalised words in a run of capitalised words mid-sentence ("Burnt Store Isles", "Free
    People's Organizations"): part of a name, not an act. Runs with an acronym or a number are
    weapon designations ("BM-21 Grad", "Vehicle-Borne IED", "Tochka U") and stay; title-case
    lines are left alone."""
    caps: list[bool] = []
    words = 0
    ncaps = 0
    for t in tokens:
        first = t.text[:1]
        up = first.isupper()
        caps.append(up)
        if up:
            ncaps += 1
        if first.isalpha():
            words += 1
    if not words or ncaps * 2 >= words:
        return set()
    out: set[int] = set()
    i, n = 1, len(tokens)
    while i < n:
        if not caps[i] or tokens[i - 1].lower in ('"', "'", "“", "‘", ":", "(", "-", "–"):
            i += 1
            continue
        j = i
        while j < n and caps[j]:
            j += 1
        run = tokens[i:j]
        if j - i >= 2 and not any(t.text.isupper() or any(c.isdigit() for c in t.text) for t in run):
            out.update(range(i, j))
        i = j
    return out


# how far past an event's sentence a report of people hurt is read (a few sentences of a note)
_HURT_WINDOW = 400


def _int(v: Any) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except ValueError:
        return None


# modes of fire at range: answered by its target, an exchange (`Coder._exchange`)
_REMOTE_FIRE = frozenset({"shelling", "missile"})


@lru_cache(maxsize=4)
def _names_word_starting(text: str, stems: tuple[str, ...]) -> bool:
    """`_has_word_starting` of a passage, once per passage however many events ask (a long passage
    has thousands; a string keeps its hash, so the look-up is quick)."""
    return _has_word_starting(text.lower(), stems)


def _has_word_starting(lower: str, stems: tuple[str, ...]) -> bool:
    """Whether a word of the (lower-cased) text starts with one of `stems`."""
    return any(w.startswith(stems) for w in re.findall(r"[a-z][a-z-]*", lower))


def _set_type(e: dict[str, Any], res: Any) -> None:
    """The ACLED type fields of an event whose mode or inter codes were resolved again."""
    e["event_type"], e["sub_event_type"], e["disorder_type"] = res.event_type, res.sub_event_type, res.disorder_type




_ORGANISED = frozenset({"1", "2", "3", "4", "8"})  # state forces, rebels, militias, external forces
_CROWD_MODES = frozenset({"protest_intervention", "excessive_force"})  # force used on a crowd
# CAMEO roots whose target is whom words were addressed to (appeals, demands, criticism): no victim
_ADDRESSED_ROOTS = frozenset({"02", "10", "11"})


def _actor_fields(a: Actor | None) -> dict[str, str]:
    if a is None:
        return {"name": "", "code": "", "text": "", "inter": ""}
    return {"name": a.name, "code": a.code, "text": a.text, "inter": a.inter or ""}


# -- compiled coder cache ----------------------------------------------------------------------
_CODERS: dict[str, Coder] = {}


def _cache_dir() -> Path:
    base = os.environ.get("EVCODE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "evcode"
    )
    return Path(base)


_CODE_FILES = ("coder.py", "rules.py", "actors.py", "places.py", "fatalities.py", "acled.py", "text.py", "dates.py",
               "inflections.py")


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A hash of the coder's own source: a cached compiled coder from older code is never reused."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _CODE_FILES:
        try:
            h.update((here / name).read_bytes())
        except OSError:  # a build that ships only the compiled modules: hash what stands in for it
            h.update(b"".join(p.read_bytes() for p in sorted(here.glob(Path(name).stem + ".*.so"))))
    # a coder pickled by the compiled (mypyc) build is not loaded by the pure-Python one, or back
    h.update(Path(__file__).suffix.encode())
    return h.hexdigest()


def _content_digest(extra: Iterable[Path | str] | None) -> str:
    return hashlib.sha256((codebook_digest(extra) + _code_digest()).encode()).hexdigest()


def _stat_signature(extra: Iterable[Path | str] | None) -> str:
    """Path, size and modification time (ns) of every codebook and coder source file."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    files = [p for _, p in codebook_files(extra)] + [here / n for n in _CODE_FILES]
    for p in files:
        st = p.stat()
        h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _cached_digest(extra: Iterable[Path | str] | None, use_disk_cache: bool) -> str:
    """The content digest, without reading every file when none changed since it was last computed
    (the test Python's own .pyc files use: size and modification time)."""
    if not use_disk_cache:
        return _content_digest(extra)
    index = _cache_dir() / "digests.json"
    sig = _stat_signature(extra)
    try:
        known: dict[str, str] = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if isinstance(known, dict) and isinstance(known.get(sig), str):
        return known[sig]
    digest = _content_digest(extra)
    if sig == _stat_signature(extra):  # nothing changed while we read
        known = {k: v for k, v in list(known.items())[-31:] if isinstance(v, str)} if isinstance(known, dict) else {}
        known[sig] = digest
        try:
            index.parent.mkdir(parents=True, exist_ok=True)
            tmp = index.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(known), encoding="utf-8")
            tmp.replace(index)
        except OSError:
            pass
    return digest


def wait_for_cache() -> None:
    """Wait until compiled coders being written to the disk cache are there (for other processes
    that start now, such as a local Dask cluster's workers)."""
    wait_background()


def _save_in_background(coder: Coder, path: Path) -> None:
    """Write the compiled coder to the cache from a forked child, so the caller codes at once
    instead of waiting ~0.15 s for 16 MB of pickle (the child runs on another core; the child
    pickles plain Python objects and arrays only). EVCODE_NO_FORK=1 writes in line."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # here: a cache folder removed later stays removed
    except OSError:
        return
    in_background(lambda: _save(coder, path))


def _save(coder: Coder, path: Path) -> None:
    try:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(coder, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for old in path.parent.glob("coder-*.pickle"):
            if old != path and old.stat().st_mtime < path.stat().st_mtime - 60:
                old.unlink(missing_ok=True)  # keep the cache from growing with every edit
    except OSError:
        pass


def get_coder(extra: Iterable[Path | str] | None = None, use_disk_cache: bool = True) -> Coder:
    """A compiled coder for the built-in codebook plus `extra` layers, cached by content hash."""
    reap()  # a cache writer forked by an earlier cold load
    digest = _cached_digest(extra, use_disk_cache)
    if digest in _CODERS:
        return _CODERS[digest]
    path = _cache_dir() / f"coder-{digest[:20]}.pickle"
    coder: Coder | None = None
    if use_disk_cache and path.is_file():
        # the collector would walk the half-built object graph again and again while it grows
        enabled = gc.isenabled()
        gc.disable()
        try:
            with path.open("rb") as fh:
                coder = pickle.load(fh)
        except Exception:  # a stale or partial cache is rebuilt, never fatal
            coder = None
        finally:
            if enabled:
                gc.enable()
    if coder is None:
        # compiling builds ~2 million objects that all live on: the collector would walk them again
        # and again while they grow (a fifth of the cold load), and finds no garbage among them
        enabled = gc.isenabled()
        gc.disable()
        try:
            # the tables are validated in a child process while this one compiles (a third of the
            # cold load otherwise); nothing compiled is used or saved unless they pass
            cb, check = load_codebook_validating(extra)
            try:
                coder = Coder(cb)
            finally:
                check()  # a table that fails validation is the error to report, even if compiling failed
            # save only if the files did not change while we read them (an editor saving mid-load)
            same = _content_digest(extra) == digest
            if use_disk_cache and same:
                _save_in_background(coder, path)
        finally:
            if enabled:
                gc.enable()
    # The coder's ~2 million objects live as long as the process. Left to the collector, the
    # first collections after loading walk all of them (tens of ms each, the first while the first
    # passage is coded); in the permanent generation they are never walked. Only reference
    # cycles that are already garbage at this point would then never be freed.
    gc.freeze()
    _CODERS[digest] = coder
    return coder


def strip_private(ev: dict[str, Any]) -> dict[str, Any]:
    return {k: ev.get(k) for k in EVENT_COLUMNS}


def code_text(text: str, date: str | None = None, country: str = "", primary: bool = False,
              passage_id: str = "text") -> list[dict[str, Any]]:
    """Convenience: code one string (the library's shortest path from text to event records)."""
    return list(code_stream([Passage(passage_id, text, date)], country=country, primary=primary))


def code_stream(
    passages: Iterable[Passage],
    *,
    country: str | None = "",
    primary: bool = False,
    codebooks: Iterable[Path | str] | None = None,
    workers: int | None = 1,
    chunk: int = 200,
) -> Iterator[dict[str, Any]]:
    """Code passages, yielding events in input order (deterministic).

    `workers` > 1 codes on that many processes (`None`: every core) with the same rows in the same
    order; see `coding.parallel.code_parallel`.
    """
    extra = tuple(str(p) for p in (codebooks or []))
    if workers is None or workers > 1:
        from coding.parallel import code_parallel

        yield from code_parallel(passages, country=country, primary=primary, codebooks=extra,
                                 workers=workers, chunk=chunk)
        return
    coder = get_coder(list(extra) or None)
    for p in passages:
        for ev in coder.code_passage(p, country=country, primary=primary):
            yield strip_private(ev)
