"""Coders' review: accept, reject, correct and add events; every decision kept in DuckDB.

A review imports passages into the store once, with the machine's events for each
(`review_machine`, coded when the passage is first seen, so a review is reproducible and
export/replay never re-run the coder). Each coder's decisions go to an append-only log
(`review_decisions`), one committed transaction per decision: a crash or Ctrl-C loses nothing.

Actions: `accept`, `reject`, `edit` (one field; the value is checked against the codebook and
the fields that follow from it are derived, e.g. event_type from sub_event_type), `add` (an event
the machine missed, from a chosen sentence), `skip` (come back to the passage later), `done`
(the passage is finished: every machine event must be decided) and `undo` (cancels this coder's
last decision still in force; rows are never deleted).

Each decision row stores `changes`, the JSON of every event field it set (derived fields
included), so `replay` is a pure data operation: machine events + the decisions in force ->
the coder's events, with no codebook needed. `review_events` and `review_progress` hold the
current state per coder (refreshed in the same transaction as each decision), for SQL and for
`export`.

    >>> s = ReviewSession.open("passages.csv", coder="ana", db="review.duckdb")   # doctest: +SKIP
    >>> pid = s.resume_at()                                                        # doctest: +SKIP
    >>> s.accept(pid, s.events(pid)[0].event_id)                                   # doctest: +SKIP
    >>> s.edit(pid, "p1-001-001", "sub_event_type", "Armed clash")                 # doctest: +SKIP
    >>> s.done(pid)                                                                # doctest: +SKIP
    >>> export_events("review.duckdb", "ana")                                      # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coding.errors import EvcodeError, InputError, StoreError, UsageError
from coding.record import EVENT_COLUMNS, Passage

ACTIONS = ("accept", "reject", "edit", "add", "undo", "skip", "done")
EVENT_ACTIONS = ("accept", "reject", "edit")
ADDED_RULE = "review:added"
LOCK_WAIT = 5.0  # seconds to wait for another process's write before reporting the file in use
CODER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@\-]{0,63}$")

#: Fields a coder may edit, with what a value must be (shown in the interface and in errors).
EDITABLE: dict[str, str] = {
    "cameo_code": "a CAMEO event code of the codebook, e.g. 190 (cameo_root, quad_class, goldstein follow)",
    "sub_event_type": "an ACLED sub-event type, e.g. Armed clash (event_type, disorder_type follow), or empty",
    "civilian_targeting": "'Civilian targeting' or empty",
    "actor1": "the ACLED actor name, e.g. Military Forces of Syria (2000-)",
    "actor1_code": "a CAMEO actor code of the dictionaries, e.g. SYRMIL, or empty",
    "actor1_text": "the words of the passage that name actor 1",
    "inter1": "an ACLED inter code 0-8, or empty",
    "actor2": "the ACLED actor name of actor 2, or empty",
    "actor2_code": "a CAMEO actor code of the dictionaries, e.g. SYRREB, or empty",
    "actor2_text": "the words of the passage that name actor 2",
    "inter2": "an ACLED inter code 0-8, or empty",
    "country": "a country of the codebook (name or ISO3)",
    "admin1": "an admin1 of the event's country, e.g. Aleppo, or empty",
    "location": "a gazetteer place (name or alias), in the event's country",
    "event_date": "a date YYYY-MM-DD, not in the future",
    "fatalities": "a whole number >= 0",
}
# fields an `add` may set, in the order they are applied (a place needs its country first)
ADD_ORDER = ("cameo_code", "country", "location", "admin1", "sub_event_type", "civilian_targeting",
             "actor1_code", "actor1", "actor1_text", "inter1", "actor2_code", "actor2", "actor2_text", "inter2",
             "event_date", "fatalities")
_INT_FIELDS = {"inter1", "inter2", "fatalities"}

REVIEW_TABLES: dict[str, dict[str, str]] = {
    "review_passages": {
        "passage_id": "VARCHAR NOT NULL", "position": "BIGINT", "text": "VARCHAR", "date": "VARCHAR",
        "source": "VARCHAR", "codebook_version": "VARCHAR", "coded_at": "TIMESTAMP",
    },
    "review_machine": {
        "passage_id": "VARCHAR NOT NULL", "event_id": "VARCHAR NOT NULL", "position": "INTEGER",
        "rule_id": "VARCHAR", "record": "VARCHAR",
    },
    "review_decisions": {
        "seq": "BIGINT NOT NULL", "coder": "VARCHAR NOT NULL", "passage_id": "VARCHAR", "event_id": "VARCHAR",
        "action": "VARCHAR NOT NULL", "field": "VARCHAR", "before": "VARCHAR", "after": "VARCHAR",
        "time": "TIMESTAMP", "undoes": "BIGINT", "changes": "VARCHAR", "origin": "VARCHAR",
    },
    "review_events": {
        "coder": "VARCHAR NOT NULL", "passage_id": "VARCHAR NOT NULL", "event_id": "VARCHAR NOT NULL",
        "position": "INTEGER", "origin": "VARCHAR", "status": "VARCHAR", "edited": "VARCHAR",
        "rule_id": "VARCHAR", "record": "VARCHAR",
    },
    "review_progress": {
        "coder": "VARCHAR NOT NULL", "passage_id": "VARCHAR NOT NULL", "status": "VARCHAR",
        "decisions": "INTEGER", "updated_at": "TIMESTAMP",
    },
}


class ReviewError(EvcodeError):
    """A decision that cannot be applied (unknown event, invalid value, undecided events...)."""

    reason = "review_invalid"

    def __init__(self, message: str, *, reason: str | None = None, field: str | None = None,
                 suggestions: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message, reason=reason)
        self.field = field
        self.suggestions = list(suggestions)


# ---------------------------------------------------------------------------------------------
# decisions and replay (pure data: no codebook, no database)


@dataclass
class Decision:
    """One row of `review_decisions`."""

    coder: str
    action: str
    passage_id: str | None = None
    event_id: str | None = None
    field: str | None = None
    before: str | None = None
    after: str | None = None
    changes: dict[str, Any] | None = None
    undoes: int | None = None
    seq: int = 0
    time: dt.datetime | None = None
    origin: str = ""


@dataclass
class EventState:
    """An event as the coder sees it now."""

    event_id: str
    passage_id: str
    origin: str  # machine | added
    record: dict[str, Any]
    order: tuple[int, int, int]
    kept: bool | None = None  # None: undecided
    edited: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """undecided | accepted | edited | rejected | added"""
        if self.kept is False:
            return "rejected"
        if self.origin == "added":
            return "added"
        if self.edited:
            return "edited"
        return "accepted" if self.kept else "undecided"

    @property
    def rule_id(self) -> str:
        return str(self.record.get("rule_id") or "")


@dataclass
class PassageState:
    """One passage for one coder: its events now and whether it is open, skipped or done."""

    passage_id: str
    events: list[EventState]
    status: str = "open"
    decisions: int = 0

    def event(self, event_id: str) -> EventState | None:
        return next((e for e in self.events if e.event_id == event_id), None)

    @property
    def undecided(self) -> list[EventState]:
        return [e for e in self.events if e.kept is None]

    def gold(self) -> list[dict[str, Any]]:
        """The kept events in event-table order (machine order per sentence, additions after)."""
        kept = sorted((e for e in self.events if e.kept), key=lambda e: e.order)
        return [{c: e.record.get(c) for c in EVENT_COLUMNS} for e in kept]


def in_force(decisions: Iterable[Decision]) -> list[Decision]:
    """The decisions that count: undo rows and the decisions they cancelled are left out."""
    rows = sorted(decisions, key=lambda d: d.seq)
    undone = {d.undoes for d in rows if d.action == "undo"}
    return [d for d in rows if d.action != "undo" and d.seq not in undone]


def replay_passage(passage_id: str, machine: Sequence[dict[str, Any]], decisions: Iterable[Decision]) -> PassageState:
    """Apply one coder's decisions (all of them; undo handled here) to a passage's machine events."""
    events = [EventState(str(e["event_id"]), passage_id, "machine", dict(e), (int(e.get("sentence_index") or 0), 0, k))
              for k, e in enumerate(machine)]
    by_id = {e.event_id: e for e in events}
    state = PassageState(passage_id, events)
    for d in in_force(d for d in decisions if d.passage_id == passage_id):
        state.decisions += 1
        if d.action in ("skip", "done"):
            if state.status != "done" or d.action == "done":
                state.status = "skipped" if d.action == "skip" else "done"
            continue
        if d.action == "add":
            rec = dict(d.changes or {})
            ev = EventState(str(d.event_id), passage_id, "added", rec,
                            (int(rec.get("sentence_index") or 0), 1, d.seq), kept=True)
            events.append(ev)
            by_id[ev.event_id] = ev
            continue
        ev = by_id.get(str(d.event_id))
        if ev is None:  # a decision about an event this passage does not have: ignored, as when written
            continue
        if d.action == "accept":
            ev.kept = True
        elif d.action == "reject":
            ev.kept = False
        elif d.action == "edit":
            ev.record.update(d.changes or {})
            ev.kept = True
            if d.field and d.field not in ev.edited:
                ev.edited.append(d.field)
    return state


def replay(machine: dict[str, Sequence[dict[str, Any]]], decisions: Iterable[Decision],
           passages: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The gold events of finished passages: machine events with one coder's decisions applied.

    `passages` gives the passage order (default: the order of `machine`). This is what
    `export_events` returns, recomputed from the log alone.
    """
    decisions = list(decisions)
    out: list[dict[str, Any]] = []
    for pid in passages if passages is not None else machine:
        st = replay_passage(pid, machine.get(pid, ()), decisions)
        if st.status == "done":
            out.extend(st.gold())
    return out


# ---------------------------------------------------------------------------------------------
# the codebook side: what a value may be, what follows from it, and search by words


def _text_value(v: Any) -> str:
    return "" if v is None else str(v)


def _words(query: str) -> list[str]:
    return [w for w in re.split(r"\s+", query.lower().strip()) if w]


class Vocabulary:
    """Checks an edited value against the codebook and derives the fields that follow from it.

    Built from a compiled coder (CAMEO table, actor dictionaries, gazetteer, ACLED resolution), so
    it costs nothing beyond the coder the review already loads.
    """

    def __init__(self, coder: Any) -> None:
        self.coder = coder
        self.cameo: dict[str, dict[str, str]] = coder.cameo
        res = coder.resolver
        self.subtypes: dict[str, str] = dict(res.subtypes)
        self.disorder: dict[str, str] = {}
        for rows in res.rows.values():
            for _, _, r in rows:
                if r.disorder_type:
                    self.disorder.setdefault(r.sub_event_type, r.disorder_type)
        acts = coder.actors
        self.countries: dict[str, dict[str, str]] = acts.countries
        self.country_key: dict[str, str] = {}
        for iso, r in acts.countries.items():
            for k in (iso, r.get("name", ""), r.get("acled_name", ""), r.get("cameo", "")):
                if k:
                    self.country_key.setdefault(k.lower(), iso)
        self.country_cameo = {r.get("cameo") or iso for iso, r in acts.countries.items()}
        self.roles: dict[str, str] = acts.roles  # actor type code -> inter
        self.orgs: dict[str, list[dict[str, str]]] = {}
        for r in acts.orgs.values():
            if r.get("cameo"):
                self.orgs.setdefault(r["cameo"], []).append(r)
        self.role_template: dict[str, str] = {}
        for r in acts.agents.values():
            if r.get("acled_template"):
                self.role_template.setdefault(r["cameo_role"], r["acled_template"])
        self.places = coder.places

    # -- single values --------------------------------------------------------------------------
    def actor_code_ok(self, code: str) -> bool:
        if code in self.orgs:
            return True
        if not code or len(code) % 3:
            return False
        parts = [code[i : i + 3] for i in range(0, len(code), 3)]
        return (parts[0] in self.country_cameo or parts[0] in self.roles) and all(p in self.roles for p in parts[1:])

    def iso3(self, country: str) -> str:
        return self.country_key.get(country.strip().lower(), "")

    def admin1s(self, iso3: str) -> dict[str, str]:
        """admin1 (lower case) -> its spelling, for one country."""
        return {k[1]: self.places.name[r] for k, r in self.places.admin1_rows.items() if k[0] == iso3}

    def place_rows(self, name: str) -> list[int]:
        return self.places.rows(name)

    def actor_name(self, code: str, iso3: str) -> str:
        orgs = self.orgs.get(code, [])
        if len(orgs) == 1:
            return orgs[0].get("acled_name") or orgs[0]["name"]
        country = next((r for r in self.countries.values() if (r.get("cameo") or "") == code[:3]), None)
        if country is None and iso3:
            country = self.countries.get(iso3)
        template = self.role_template.get(code[3:6], "") if len(code) >= 6 else ""
        if template and country:
            from coding.actors import fill_template

            return fill_template(template, country)
        return ""

    # -- an edit --------------------------------------------------------------------------------
    def set_field(self, record: dict[str, Any], name: str, value: Any, passage_text: str) -> dict[str, Any]:
        """The fields that change when `name` is set to `value` (derived ones included).

        Raises `ReviewError` naming the field, what a valid value is and suggestions.
        """
        if name not in EDITABLE:
            derived = {"event_type": "sub_event_type", "disorder_type": "sub_event_type", "cameo_root": "cameo_code",
                       "quad_class": "cameo_code", "goldstein": "cameo_code", "interaction": "inter1/inter2",
                       "latitude": "location", "longitude": "location", "admin2": "location",
                       "geo_precision": "location"}
            hint = (f"; it follows from {derived[name]}: edit that instead" if name in derived
                    else f"; editable fields: {', '.join(EDITABLE)}")
            raise ReviewError(f"field {name!r} cannot be edited{hint}", reason="review_not_editable", field=name)
        raw = _text_value(value).strip()
        out: dict[str, Any] = {}
        rec = dict(record)

        def bad(what: str, query: str | None = None) -> ReviewError:
            sugg = self.suggest(name, query if query is not None else raw, rec)[:8]
            extra = f"; did you mean: {', '.join(v for v, _ in sugg[:5])}" if sugg else ""
            return ReviewError(f"{name}: {raw!r} {what}; expected {EDITABLE[name]}{extra}",
                               reason="review_invalid_value", field=name, suggestions=sugg)

        if name == "cameo_code":
            code = raw
            if code.isdigit() and code not in self.cameo and len(code) < 3 and code.zfill(3) in self.cameo:
                code = code.zfill(3)  # "42" typed for "042": CAMEO codes keep their leading zero
            row = self.cameo.get(code)
            if row is None:
                raise bad("is not a CAMEO event code (type words to search, e.g. 'shell')")
            out = {"cameo_code": code, "cameo_root": code[:2],
                   "quad_class": int(row.get("quad_class") or 0) or None,
                   "goldstein": float(row["goldstein"]) if row.get("goldstein") not in (None, "") else None}
        elif name == "sub_event_type":
            if raw == "":
                out = {"sub_event_type": "", "event_type": "", "disorder_type": "", "civilian_targeting": ""}
            else:
                sub = next((s for s in self.subtypes if s.lower() == raw.lower()), None)
                if sub is None:
                    raise bad("is not an ACLED sub-event type")
                et = self.subtypes[sub]
                out = {"sub_event_type": sub, "event_type": et, "disorder_type": self.disorder.get(sub, "")}
                if et == "Violence against civilians":
                    out["civilian_targeting"] = "Civilian targeting"
        elif name == "civilian_targeting":
            if raw.lower() not in ("", "civilian targeting"):
                raise bad("is not allowed")
            out = {"civilian_targeting": "Civilian targeting" if raw else ""}
        elif name in ("actor1_code", "actor2_code"):
            n = name[5]
            code = raw.upper()
            if not code:
                out = {f"actor{n}": "", f"actor{n}_code": "", f"actor{n}_text": "", f"inter{n}": None}
            else:
                if not self.actor_code_ok(code):
                    raise bad("is not an actor code of the dictionaries (a country or organisation code "
                              "followed by actor-type codes)")
                iso = self.iso3(str(rec.get("country") or ""))
                out = {f"actor{n}_code": code}
                name_ = self.actor_name(code, iso) or str(rec.get(f"actor{n}") or "") or str(
                    rec.get(f"actor{n}_text") or "") or code
                out[f"actor{n}"] = name_
                orgs = self.orgs.get(code, [])
                inter = orgs[0].get("inter", "") if len(orgs) == 1 else ""
                if not inter and len(code) >= 6:
                    inter = self.roles.get(code[-3:], "")
                if not inter and code[:3] in self.country_cameo and len(code) == 3:
                    inter = "1"
                if inter:
                    out[f"inter{n}"] = int(inter)
        elif name in ("actor1", "actor2"):
            n = name[5]
            if not raw and rec.get(f"actor{n}_code"):
                raise bad(f"would leave actor{n}_code {rec.get(f'actor{n}_code')!r} without a name; "
                          f"clear actor{n}_code instead")
            out = {name: raw}
        elif name in ("actor1_text", "actor2_text"):
            if raw and raw not in passage_text:
                raise bad("is not in the passage (copy the words as written)", query="")
            out = {name: raw}
        elif name in ("inter1", "inter2"):
            if raw not in ("", *map(str, range(9))):
                raise bad("is not an inter code")
            n = name[5]
            if raw not in ("", "0") and not rec.get(f"actor{n}") and n == "2":
                raise bad("needs an actor 2 (set actor2_code first)", query="")
            out = {name: int(raw) if raw else None}
        elif name == "country":
            iso = self.iso3(raw)
            if not iso:
                raise bad("is not a country of the codebook")
            c = self.countries[iso]
            lat, lon = self.places.country_point(iso)
            out = {"country": c.get("acled_name") or c.get("name", ""), "admin1": "", "admin2": "", "location": "",
                   "latitude": lat, "longitude": lon, "geo_precision": 3 if lat is not None else None}
        elif name == "admin1":
            iso = self.iso3(str(rec.get("country") or ""))
            if raw == "":
                out = {"admin1": ""}
            elif not iso:
                raise bad("needs the event's country (set country first)", query="")
            else:
                spelled = self.admin1s(iso).get(raw.lower())
                if spelled is None:
                    raise bad(f"is not an admin1 of {rec.get('country')}")
                out = {"admin1": spelled}
        elif name == "location":
            iso = self.iso3(str(rec.get("country") or ""))
            g = self.places
            if raw == "":
                lat, lon = g.country_point(iso) if iso else (None, None)
                if rec.get("admin1") and iso:
                    alat, alon = g.admin1_point(iso, str(rec["admin1"]))
                    if alat is not None:
                        lat, lon = alat, alon
                out = {"location": "", "admin2": "", "latitude": lat, "longitude": lon,
                       "geo_precision": (2 if rec.get("admin1") else 3) if lat is not None else None}
            else:
                rows = [r for r in self.place_rows(raw) if not iso or g.iso3[r] == iso]
                if not rows:
                    raise bad("is not a gazetteer place" + (f" in {rec.get('country')}" if iso else ""))
                admin1 = str(rec.get("admin1") or "").lower()
                r = min(rows, key=lambda r: (g.admin1[r].lower() != admin1 if admin1 else 0,
                                             g.feature[r] in ("country", "admin1"), -g.pop[r], r))
                feat = g.feature[r]
                c = self.countries.get(g.iso3[r], {})
                out = {"location": g.name[r], "admin1": g.name[r] if feat == "admin1" else g.admin1[r],
                       "admin2": g.admin2(r), "latitude": g.point(r)[0], "longitude": g.point(r)[1],
                       "geo_precision": 3 if feat == "country" else 2 if feat in ("admin1", "admin2", "region") else 1}
                if c:
                    out["country"] = c.get("acled_name") or c.get("name", "")
        elif name == "event_date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise bad("is not a date", query="")
            try:
                d = dt.date.fromisoformat(raw)
            except ValueError:
                raise bad("is not a real date", query="") from None
            if d > dt.date.today():
                raise bad("is in the future", query="")
            out = {"event_date": raw, "time_precision": record.get("time_precision") or 1}
        elif name == "fatalities":
            if not raw.isdigit():
                raise bad("is not a whole number >= 0", query="")
            out = {"fatalities": int(raw)}
        rec.update(out)
        if any(k in out for k in ("inter1", "inter2", "actor1_code", "actor2_code")):
            from coding.acled import interaction

            out["interaction"] = interaction(rec.get("inter1"), rec.get("inter2")) if rec.get("inter1") is not None else None
        return {k: v for k, v in out.items() if record.get(k) != v or k == name}

    # -- search by words ------------------------------------------------------------------------
    def suggest(self, name: str, query: str, record: dict[str, Any] | None = None, limit: int = 12) -> list[tuple[str, str]]:
        """Values for field `name` matching the words of `query`: (value, label) pairs.

        CAMEO codes by code prefix or words of their name (and the rules a phrase hits, as
        `evcode codebook search` shows them); actor codes from the actors a phrase names and
        from organisation names; sub-event types, countries, admin1s and places by their words.
        """
        words = _words(query)
        record = record or {}
        out: list[tuple[str, str]] = []

        def add(value: str, label: str) -> None:
            if (value, label) not in out and len(out) < limit:
                out.append((value, label))

        def hit(text: str) -> bool:
            t = text.lower()
            return bool(words) and all(w in t for w in words)

        if name == "cameo_code":
            q = query.strip()
            if q.isdigit():
                for code, r in self.cameo.items():
                    if code.startswith(q):
                        add(code, r["name"])
            else:
                for code, r in self.cameo.items():
                    if hit(r.get("name", "")):
                        add(code, r["name"])
                if words:
                    for h in self._search(query):
                        if h.kind == "rule":
                            code = h.detail.split()[0]
                            add(code, f"{self.cameo.get(code, {}).get('name', '')} (rule {h.what} on {h.text!r})")
        elif name == "sub_event_type":
            for sub, et in self.subtypes.items():
                if not words or hit(f"{sub} {et}"):
                    add(sub, et)
        elif name == "civilian_targeting":
            add("Civilian targeting", "the event targets civilians")
            add("", "(empty)")
        elif name in ("actor1_code", "actor2_code", "actor1", "actor2"):
            if words:
                for h in self._search(query):
                    if h.kind == "actor" and self.actor_code_ok(h.what):
                        add(h.what, f"{h.text}: {h.detail}")
                for code, rows in self.orgs.items():
                    for r in rows:
                        if hit(f"{r.get('name', '')}|{r.get('acled_name', '')}|{r.get('aliases', '')}"):
                            add(code, r.get("acled_name") or r["name"])
                for iso, r in self.countries.items():
                    if hit(r.get("name", "")):
                        add(r.get("cameo") or iso, r.get("name", ""))
                up = query.strip().upper()
                for role, inter in self.roles.items():
                    if up and role.startswith(up[-3:]) and len(up) >= 3 and self.actor_code_ok(up[:-3] + role):
                        add(up[:-3] + role, f"inter {inter or '-'}")
            if name in ("actor1", "actor2"):
                out = [(self.actor_name(v, "") or lab, lab) for v, lab in out]
        elif name in ("inter1", "inter2"):
            from coding.acled import interaction  # noqa: F401  (labels live in the codebook table)

            for code in map(str, range(9)):
                add(code, f"inter {code}")
        elif name == "country":
            for iso, r in self.countries.items():
                if hit(f"{iso} {r.get('name', '')} {r.get('acled_name', '')}"):
                    add(r.get("acled_name") or r.get("name", ""), iso)
        elif name == "admin1":
            iso = self.iso3(str(record.get("country") or ""))
            for low, spelled in sorted(self.admin1s(iso).items()):
                if not words or all(w in low for w in words):
                    add(spelled, str(record.get("country") or ""))
        elif name == "location" and words:
            iso = self.iso3(str(record.get("country") or ""))
            g = self.places
            rows = self.place_rows(query)
            if not rows:
                rows = [r for r in (self._places_by_words(words, iso)) if r is not None]
            rows = [r for r in rows if not iso or g.iso3[r] == iso]
            rows.sort(key=lambda r: -g.pop[r])
            for r in rows:
                add(g.name[r], f"{g.feature[r]}, {g.admin1[r] or '-'}, {g.iso3[r]}")
        return out

    def _places_by_words(self, words: list[str], iso: str) -> list[int]:
        g = self.places
        rows = [r for r in range(len(g.name)) if (not iso or g.iso3[r] == iso) and all(w in g.name[r].lower() for w in words)]
        return rows[:200]

    def _search(self, query: str) -> list[Any]:
        from coding.taxonomy import search

        try:
            return search(query, self.coder)
        except Exception:  # noqa: BLE001  (search is a convenience: a phrase it cannot tokenise suggests nothing)
            return []


# ---------------------------------------------------------------------------------------------
# the store


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ensure_review_tables(con: Any) -> None:
    """Create the review tables (and columns a newer evcode added) in an open store connection."""
    for table, cols in REVIEW_TABLES.items():
        have = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main'",
            [table]).fetchall()}
        if not have:
            con.execute(f"CREATE TABLE {table} ({', '.join(f'{_q(c)} {t}' for c, t in cols.items())})")
            continue
        for c, t in cols.items():
            if c not in have:
                con.execute(f"ALTER TABLE {table} ADD COLUMN {_q(c)} {t.replace(' NOT NULL', '')}")


@contextlib.contextmanager
def _connect(db: str | Path | None, *, read_only: bool = False, wait: float | None = None) -> Iterator[Any]:
    """A store connection with the review tables; waits a little while another coder writes."""
    from coding.store import connect, db_path

    deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
    while True:
        try:
            if read_only:
                path = db_path(db)
                if not path.exists():
                    raise StoreError(f"{path}: no database here; start a review first (evcode review INPUT "
                                     "--coder NAME) or pass --db / set EVCODE_DB", reason="store_missing")
                import duckdb

                try:
                    con = duckdb.connect(str(path), read_only=True)
                except (duckdb.Error, OSError) as err:
                    from coding.store import _store_error

                    raise _store_error(err, path) from None
                try:
                    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE "
                                       "table_name = 'review_decisions'").fetchone()[0]:
                        raise StoreError(f"{path}: no review here yet; start one with evcode review INPUT "
                                         "--coder NAME", reason="review_missing")
                    yield con
                finally:
                    con.close()
                return
            with connect(db) as con:
                ensure_review_tables(con)
                yield con
            return
        except StoreError as err:
            if err.reason != "store_locked" or time.monotonic() > deadline:
                raise
            time.sleep(0.1)  # another coder's decision is being written: it takes milliseconds


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=False)


def _row_to_decision(r: Sequence[Any]) -> Decision:
    seq, coder, pid, eid, action, fld, before, after, when, undoes, changes, origin = r
    return Decision(coder=coder, action=action, passage_id=pid, event_id=eid, field=fld, before=before, after=after,
                    changes=json.loads(changes) if changes else None, undoes=undoes, seq=int(seq), time=when,
                    origin=origin or "")


_DECISION_COLS = "seq, coder, passage_id, event_id, action, field, before, after, time, undoes, changes, origin"


def check_coder(coder: str) -> str:
    if not CODER_NAME.match(coder or ""):
        raise UsageError(f"--coder {coder!r} is not a usable name; use letters, digits, '_', '-', '.' or '@' "
                         "(at most 64, starting with a letter or digit)")
    return coder


@dataclass
class PassageInfo:
    passage_id: str
    text: str
    date: str | None
    position: int
    codebook_version: str


# ---------------------------------------------------------------------------------------------
# the session


class ReviewSession:
    """One coder reviewing passages stored in one DuckDB file.

    Every decision method validates, then writes one committed transaction (the decision row and
    the refreshed current state), then updates the in-memory state. Nothing is written when a
    decision is refused (`ReviewError`).
    """

    def __init__(self, db: str | Path | None, coder: str, *, coder_obj: Any = None,
                 codebooks: Iterable[Path | str] | None = None, passage_ids: Sequence[str] | None = None) -> None:
        from coding.store import db_path

        self.db = db_path(db)
        self.coder = check_coder(coder)
        self.codebooks = [str(p) for p in (codebooks or [])]
        self._coder_obj = coder_obj
        self._vocab: Vocabulary | None = None
        with _connect(self.db) as con:
            prow = con.execute("SELECT passage_id, text, date, position, codebook_version FROM review_passages "
                               "ORDER BY position").fetchall()
            mrows = con.execute("SELECT passage_id, record FROM review_machine ORDER BY passage_id, position").fetchall()
            drows = con.execute(f"SELECT {_DECISION_COLS} FROM review_decisions WHERE coder = ? ORDER BY seq",
                                [self.coder]).fetchall()
        self.infos: dict[str, PassageInfo] = {r[0]: PassageInfo(r[0], r[1], r[2], int(r[3]), r[4] or "") for r in prow}
        self.machine: dict[str, list[dict[str, Any]]] = {pid: [] for pid in self.infos}
        for pid, rec in mrows:
            self.machine.setdefault(pid, []).append(json.loads(rec))
        self.decisions: list[Decision] = [_row_to_decision(r) for r in drows]
        self.passage_ids: list[str] = list(passage_ids) if passage_ids is not None else list(self.infos)
        for pid in self.passage_ids:
            if pid not in self.infos:
                raise ReviewError(f"passage {pid!r} is not in {self.db}; open the review with its input file",
                                  reason="review_unknown_passage")
        self._states: dict[str, PassageState] = {}

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, source: str | Path | Iterable[Passage], coder: str, db: str | Path | None = None, *,
             codebooks: Iterable[Path | str] | None = None, **read_options: Any) -> ReviewSession:
        """Import the passages of `source` (machine events coded on first sight) and start a session.

        `source` is what `evcode code` reads (a file, folder, table) or an iterable of `Passage`.
        A passage id already in the store must have the same text (else `ReviewError`).
        """
        from coding.coder import get_coder, strip_private
        from coding.io import read_passages

        check_coder(coder)
        if isinstance(source, (str, Path)):
            if str(source) == "-":
                raise UsageError("evcode review reads passages from a file, not stdin; save them to a file first")
            # reviewers see every passage, whatever its language
            passages = list(read_passages(source, **{"any_language": True, **read_options}))
            src = str(source)
        else:
            passages = list(source)
            src = "python"
        if not passages:
            raise InputError(f"{src}: no passages to review; check the file and its text column")
        seen: set[str] = set()
        for p in passages:
            if p.id in seen:
                raise InputError(f"{src}: passage id {p.id!r} appears twice; give every passage its own id")
            seen.add(p.id)
        coder_obj = get_coder(codebooks)
        with _connect(db) as con:
            have = {r[0]: r[1] for r in con.execute("SELECT passage_id, text FROM review_passages").fetchall()}
            new = []
            for p in passages:
                if p.id in have:
                    if have[p.id] != p.text:
                        raise ReviewError(
                            f"{src}: passage {p.id!r} is already under review in {Path(str(db or '')) or 'the store'} "
                            "with a different text; give it another id or use another --db",
                            reason="review_passage_changed")
                    continue
                new.append(p)
            if new:
                pos = con.execute("SELECT coalesce(max(position), -1) FROM review_passages").fetchone()[0]
                now = _now()
                prow, mrow = [], []
                for p in new:
                    pos += 1
                    date = p.date.isoformat() if hasattr(p.date, "isoformat") else (str(p.date) if p.date else None)
                    prow.append([p.id, pos, p.text, date, src, coder_obj.version, now])
                    for k, ev in enumerate(coder_obj.code_passage(p)):
                        rec = strip_private(ev)
                        mrow.append([p.id, rec["event_id"], k, rec["rule_id"], _dumps(rec)])
                con.execute("BEGIN TRANSACTION")
                try:
                    con.executemany("INSERT INTO review_passages VALUES (?, ?, ?, ?, ?, ?, ?)", prow)
                    if mrow:
                        con.executemany("INSERT INTO review_machine VALUES (?, ?, ?, ?, ?)", mrow)
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
        return cls(db, coder, coder_obj=coder_obj, codebooks=codebooks, passage_ids=[p.id for p in passages])

    # -- reading ------------------------------------------------------------------------------
    @property
    def vocabulary(self) -> Vocabulary:
        if self._vocab is None:
            if self._coder_obj is None:
                from coding.coder import get_coder

                self._coder_obj = get_coder(self.codebooks or None)
            self._vocab = Vocabulary(self._coder_obj)
        return self._vocab

    def state(self, passage_id: str) -> PassageState:
        if passage_id not in self.infos:
            raise ReviewError(f"no passage {passage_id!r} under review in {self.db}; check passage_id",
                              reason="review_unknown_passage")
        if passage_id not in self._states:
            self._states[passage_id] = replay_passage(passage_id, self.machine.get(passage_id, []),
                                                      [d for d in self.decisions if d.passage_id == passage_id])
        return self._states[passage_id]

    def events(self, passage_id: str) -> list[EventState]:
        return sorted(self.state(passage_id).events, key=lambda e: e.order)

    def status(self, passage_id: str) -> str:
        return self.state(passage_id).status

    def sentences(self, passage_id: str) -> list[Any]:
        from coding.text import split_sentences

        return split_sentences(self.infos[passage_id].text)

    def queue(self) -> list[str]:
        """Passages still to do, in order: open ones first, then the skipped ones."""
        open_ = [p for p in self.passage_ids if self.status(p) == "open"]
        return open_ + [p for p in self.passage_ids if self.status(p) == "skipped"]

    def resume_at(self) -> str | None:
        """The first passage this coder has not finished (skipped ones come back last)."""
        q = self.queue()
        return q[0] if q else None

    def progress(self) -> tuple[int, int]:
        """(passages done, passages in this session)."""
        return sum(1 for p in self.passage_ids if self.status(p) == "done"), len(self.passage_ids)

    # -- deciding -----------------------------------------------------------------------------
    def accept(self, passage_id: str, event_id: str) -> Decision:
        return self.decide("accept", passage_id=passage_id, event_id=event_id)

    def reject(self, passage_id: str, event_id: str) -> Decision:
        return self.decide("reject", passage_id=passage_id, event_id=event_id)

    def edit(self, passage_id: str, event_id: str, field: str, value: Any) -> Decision:
        return self.decide("edit", passage_id=passage_id, event_id=event_id, field=field, value=value)

    def add(self, passage_id: str, sentence_index: int, fields: dict[str, Any]) -> Decision:
        return self.decide("add", passage_id=passage_id, sentence_index=sentence_index, fields=fields)

    def skip(self, passage_id: str) -> Decision:
        return self.decide("skip", passage_id=passage_id)

    def done(self, passage_id: str) -> Decision:
        return self.decide("done", passage_id=passage_id)

    def undo(self) -> Decision:
        return self.decide("undo")

    def decide(self, action: str, *, passage_id: str | None = None, event_id: str | None = None,
               field: str | None = None, value: Any = None, sentence_index: int | None = None,
               fields: dict[str, Any] | None = None, origin: str = "api") -> Decision:
        """Validate one decision and store it at once; returns the stored row."""
        d = self.plan(action, passage_id=passage_id, event_id=event_id, field=field, value=value,
                      sentence_index=sentence_index, fields=fields, origin=origin)
        self._commit([d])
        return d

    def plan(self, action: str, *, passage_id: str | None = None, event_id: str | None = None,
             field: str | None = None, value: Any = None, sentence_index: int | None = None,
             fields: dict[str, Any] | None = None, origin: str = "api") -> Decision:
        """The decision row `decide` would store (validated; nothing written)."""
        if action not in ACTIONS:
            raise ReviewError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}", reason="review_action")
        base = Decision(coder=self.coder, action=action, origin=origin)
        if action == "undo":
            live = in_force(self.decisions)
            if not live:
                raise ReviewError(f"nothing to undo: coder {self.coder!r} has no decision in force",
                                  reason="review_nothing_to_undo")
            last = live[-1]
            base.passage_id, base.event_id, base.undoes = last.passage_id, last.event_id, last.seq
            base.field, base.before = last.field, last.action
            return base
        if event_id and not passage_id:
            passage_id = next((p for p, evs in self.machine.items() if any(e["event_id"] == event_id for e in evs)), None)
            if passage_id is None:
                passage_id = next((p for p in self.infos if self.state(p).event(event_id)), None)
            if passage_id is None:
                raise ReviewError(f"no event {event_id!r} under review; check event_id against the passage's events",
                                  reason="review_unknown_event")
        if not passage_id:
            raise ReviewError(f"{action} needs passage_id", reason="review_missing_passage")
        st = self.state(passage_id)
        base.passage_id = passage_id
        if action in ("skip", "done"):
            if action == "skip" and st.status == "done":
                raise ReviewError(f"passage {passage_id!r} is already done; undo 'done' to reopen it",
                                  reason="review_passage_done")
            if action == "done" and st.undecided:
                ids = ", ".join(e.event_id for e in st.undecided)
                raise ReviewError(f"passage {passage_id!r} has undecided event(s) {ids}; accept, edit or reject "
                                  "each before done", reason="review_undecided")
            return base
        if action == "add":
            return self._plan_add(base, st, sentence_index, fields or {})
        if not event_id:
            raise ReviewError(f"{action} needs event_id", reason="review_missing_event")
        ev = st.event(event_id)
        if ev is None:
            ids = ", ".join(e.event_id for e in self.events(passage_id)) or "none"
            raise ReviewError(f"no event {event_id!r} in passage {passage_id!r} (its events: {ids}); check event_id",
                              reason="review_unknown_event")
        base.event_id = event_id
        if action == "edit":
            if ev.kept is False:
                raise ReviewError(f"event {event_id!r} is rejected; accept it (or undo) before editing it",
                                  reason="review_rejected")
            if not field:
                raise ReviewError(f"edit needs a field; editable fields: {', '.join(EDITABLE)}",
                                  reason="review_missing_field")
            changes = self.vocabulary.set_field(ev.record, field, value, self.infos[passage_id].text)
            if changes.get(field) == ev.record.get(field) and len(changes) == 1:
                raise ReviewError(f"{field} is already {_text_value(ev.record.get(field))!r}; nothing to change",
                                  reason="review_unchanged", field=field)
            base.field = field
            base.before = _text_value(ev.record.get(field))
            base.after = _text_value(changes.get(field))
            base.changes = changes
        return base

    def _plan_add(self, base: Decision, st: PassageState, sentence_index: int | None,
                  fields: dict[str, Any]) -> Decision:
        pid = st.passage_id
        sents = self.sentences(pid)
        if sentence_index is None or not isinstance(sentence_index, int) or not 0 <= sentence_index < len(sents):
            raise ReviewError(f"add needs sentence_index, a number from 0 to {len(sents) - 1} "
                              f"(passage {pid!r} has {len(sents)} sentence(s))", reason="review_bad_sentence")
        if not str(fields.get("cameo_code") or "").strip():
            raise ReviewError("add needs fields.cameo_code (a CAMEO event code, e.g. 190)",
                              reason="review_invalid_value", field="cameo_code")
        unknown = [k for k in fields if k not in EDITABLE]
        if unknown:
            raise ReviewError(f"add cannot set {', '.join(unknown)}; fields an added event may set: "
                              f"{', '.join(ADD_ORDER)}", reason="review_not_editable", field=unknown[0])
        sent = sents[sentence_index]
        info = self.infos[pid]
        n = sum(1 for d in self.decisions if d.passage_id == pid and d.action == "add") + 1
        eid = f"{pid}-{sentence_index:03d}-add{n:02d}"
        while st.event(eid) is not None:
            n += 1
            eid = f"{pid}-{sentence_index:03d}-add{n:02d}"
        rec: dict[str, Any] = {c: "" for c in EVENT_COLUMNS}
        for c in ("time_precision", "quad_class", "goldstein", "inter1", "inter2", "interaction",
                  "latitude", "longitude", "geo_precision"):
            rec[c] = None
        # where and when: what the machine found for this sentence (else the passage), as a start
        machine = self.machine.get(pid, [])
        near = next((e for e in machine if e.get("sentence_index") == sentence_index), machine[0] if machine else None)
        if near is not None:
            for c in ("event_date", "time_precision", "country", "admin1", "admin2", "location", "latitude",
                      "longitude", "geo_precision"):
                rec[c] = near.get(c)
        elif info.date:
            rec["event_date"], rec["time_precision"] = info.date, 1
        rec.update(event_id=eid, passage_id=pid, sentence_index=sentence_index, span_start=sent.start,
                   span_end=sent.end, fatalities=0, rule_id=ADDED_RULE,
                   codebook_version=info.codebook_version or self.vocabulary.coder.version)
        for k in sorted(fields, key=lambda k: ADD_ORDER.index(k) if k in ADD_ORDER else 99):
            if fields[k] is None:
                continue
            rec.update(self.vocabulary.set_field(rec, k, fields[k], info.text))
        base.event_id = eid
        base.after = _dumps({k: fields[k] for k in fields})
        base.changes = rec
        return base

    def _commit(self, rows: list[Decision]) -> None:
        """Write decision rows and the refreshed state of the passages they touch, in one transaction."""
        if not rows:
            return
        touched = []
        decisions = list(self.decisions)
        with _connect(self.db) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                seq = int(con.execute("SELECT coalesce(max(seq), 0) FROM review_decisions").fetchone()[0])
                now = _now()
                renumbered: dict[int, int] = {}  # provisional seq of a planned batch row -> stored seq
                for d in rows:
                    seq += 1
                    if d.seq:
                        renumbered[d.seq] = seq
                    if d.undoes in renumbered:
                        d.undoes = renumbered[d.undoes]
                    d.seq, d.time = seq, now
                    con.execute(f"INSERT INTO review_decisions ({_DECISION_COLS}) VALUES "
                                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                [d.seq, d.coder, d.passage_id, d.event_id, d.action, d.field, d.before, d.after,
                                 d.time, d.undoes, _dumps(d.changes) if d.changes is not None else None, d.origin])
                    decisions.append(d)
                    if d.passage_id and d.passage_id not in touched:
                        touched.append(d.passage_id)
                states = {}
                for pid in touched:
                    states[pid] = replay_passage(pid, self.machine.get(pid, []),
                                                 [d for d in decisions if d.passage_id == pid])
                    self._write_state(con, states[pid], now)
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(Exception):
                    con.execute("ROLLBACK")
                for d in rows:
                    d.seq = 0
                raise
        self.decisions = decisions
        self._states.update(states)

    def _write_state(self, con: Any, st: PassageState, now: dt.datetime) -> None:
        con.execute("DELETE FROM review_events WHERE coder = ? AND passage_id = ?", [self.coder, st.passage_id])
        con.execute("DELETE FROM review_progress WHERE coder = ? AND passage_id = ?", [self.coder, st.passage_id])
        rows = [[self.coder, st.passage_id, e.event_id, i, e.origin, e.status, ",".join(e.edited), e.rule_id,
                 _dumps({c: e.record.get(c) for c in EVENT_COLUMNS})]
                for i, e in enumerate(sorted(st.events, key=lambda e: e.order))]
        if rows:
            con.executemany("INSERT INTO review_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("INSERT INTO review_progress VALUES (?, ?, ?, ?, ?)",
                    [self.coder, st.passage_id, st.status, st.decisions, now])

    # -- batch --------------------------------------------------------------------------------
    def apply_decisions(self, path: str | Path) -> list[Decision]:
        """Apply a decisions file (JSON lines) all or nothing; returns the stored rows.

        Every line is validated as the interface validates a key press, against the state the
        lines before it left; the first bad line raises `ReviewError` naming the file, the line
        and the fix, and nothing is stored.
        """
        path = Path(path)
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except FileNotFoundError:
            raise InputError(f"{path}: no such file; check the path of --decisions") from None
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"{path}: cannot read ({err}); save it as UTF-8 JSON lines") from None
        saved_decisions, saved_states = list(self.decisions), dict(self._states)
        planned: list[Decision] = []
        try:
            for i, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                where = f"{path} line {i}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as err:
                    raise ReviewError(f"{where}: invalid JSON ({err.msg}); one JSON object per line, e.g. "
                                      '{"action": "accept", "event_id": "p1-000-000"}', reason="review_bad_line") from None
                if not isinstance(obj, dict):
                    raise ReviewError(f"{where}: expected a JSON object with an action", reason="review_bad_line")
                known = {"action", "passage_id", "event_id", "field", "value", "sentence_index", "fields", "coder", "note"}
                extra = sorted(set(obj) - known)
                if extra:
                    raise ReviewError(f"{where}: unknown key(s) {', '.join(extra)}; keys are {', '.join(sorted(known))}",
                                      reason="review_bad_line")
                if obj.get("coder") not in (None, self.coder):
                    raise ReviewError(f"{where}: coder {obj['coder']!r} is not --coder {self.coder!r}; one file per "
                                      "coder, or drop the coder key", reason="review_bad_line")
                try:
                    si = obj.get("sentence_index")
                    if si is not None and not isinstance(si, int):
                        raise ReviewError("sentence_index must be a whole number", reason="review_bad_sentence")
                    fields = obj.get("fields")
                    if fields is not None and not isinstance(fields, dict):
                        raise ReviewError('fields must be an object, e.g. {"cameo_code": "190"}', reason="review_bad_line")
                    d = self.plan(str(obj.get("action") or ""), passage_id=obj.get("passage_id"),
                                  event_id=obj.get("event_id"), field=obj.get("field"), value=obj.get("value"),
                                  sentence_index=si, fields=fields, origin=f"{path.name}:{i}")
                    if obj.get("passage_id") and d.passage_id != obj["passage_id"]:
                        raise ReviewError(f"event {obj.get('event_id')!r} is not in passage {obj['passage_id']!r}",
                                          reason="review_unknown_event")
                except ReviewError as err:
                    raise ReviewError(f"{where}: {err}", reason=err.reason, field=err.field,
                                      suggestions=err.suggestions) from None
                # apply in memory so the next line sees it (seq numbers are provisional)
                d.seq = (self.decisions[-1].seq if self.decisions else 0) + 1
                self.decisions = self.decisions + [d]
                if d.passage_id:
                    self._states.pop(d.passage_id, None)
                planned.append(d)
        finally:
            self.decisions, self._states = saved_decisions, saved_states
        self._commit(planned)
        return planned


# ---------------------------------------------------------------------------------------------
# export and stats


def coders(db: str | Path | None = None) -> list[str]:
    """Coders with at least one decision in the store."""
    with _connect(db, read_only=True) as con:
        return [r[0] for r in con.execute("SELECT DISTINCT coder FROM review_decisions ORDER BY coder").fetchall()]


def _check_known_coder(con: Any, coder: str, db: Any) -> None:
    if not con.execute("SELECT count(*) FROM review_decisions WHERE coder = ?", [coder]).fetchone()[0]:
        names = [r[0] for r in con.execute("SELECT DISTINCT coder FROM review_decisions ORDER BY coder").fetchall()]
        from coding.store import db_path

        raise ReviewError(f"no decisions by coder {coder!r} in {db_path(db)}; coders here: "
                          f"{', '.join(names) or 'none'}", reason="review_unknown_coder")


def export_events(db: str | Path | None, coder: str, *, include_open: bool = False) -> list[dict[str, Any]]:
    """The coder's gold events: passages the coder finished ('done'), events kept (accepted,
    edited, added), in passage order, with the columns of `evcode code` output.

    `include_open=True` also exports passages not finished, with their undecided machine events
    left out (a partial view, not gold).
    """
    check_coder(coder)
    with _connect(db, read_only=True) as con:
        _check_known_coder(con, coder, db)
        statuses = ("done", "open", "skipped") if include_open else ("done",)
        rows = con.execute(f"""
            SELECT e.record FROM review_events e
            JOIN review_progress g USING (coder, passage_id)
            JOIN review_passages p USING (passage_id)
            WHERE e.coder = ? AND e.status IN ('accepted', 'edited', 'added')
              AND g.status IN ({', '.join('?' for _ in statuses)})
            ORDER BY p.position, e.position""", [coder, *statuses]).fetchall()
    return [json.loads(r[0]) for r in rows]


def load_log(db: str | Path | None, coder: str) -> tuple[dict[str, list[dict[str, Any]]], list[Decision], list[str]]:
    """(machine events per passage, the coder's decisions, passage order) as stored: what `replay` needs."""
    with _connect(db, read_only=True) as con:
        order = [r[0] for r in con.execute("SELECT passage_id FROM review_passages ORDER BY position").fetchall()]
        machine: dict[str, list[dict[str, Any]]] = {p: [] for p in order}
        for pid, rec in con.execute("SELECT passage_id, record FROM review_machine ORDER BY passage_id, position").fetchall():
            machine[pid].append(json.loads(rec))
        decisions = [_row_to_decision(r) for r in con.execute(
            f"SELECT {_DECISION_COLS} FROM review_decisions WHERE coder = ? ORDER BY seq", [coder]).fetchall()]
    return machine, decisions, order


def export_passages(db: str | Path | None, coder: str) -> list[dict[str, Any]]:
    """One row per finished passage: id, text, date and the coder's main event's fields.

    For `evcode evaluate FILE --label-column sub_event_type`: the labels a coder gave each
    passage. The main event is the first kept act (not a CAMEO 01 statement) by sentence, else
    the first kept event; a passage whose events were all rejected has empty labels.
    """
    events = export_events(db, coder)
    by_pid: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        by_pid.setdefault(e["passage_id"], []).append(e)
    with _connect(db, read_only=True) as con:
        rows = con.execute("""
            SELECT p.passage_id, p.text, p.date FROM review_passages p JOIN review_progress g USING (passage_id)
            WHERE g.coder = ? AND g.status = 'done' ORDER BY p.position""", [coder]).fetchall()
    out = []
    for pid, text, date in rows:
        evs = by_pid.get(pid, [])
        acts = [e for e in evs if not str(e.get("cameo_code") or "").startswith("01")] or evs
        main = min(acts, key=lambda e: int(e.get("sentence_index") or 0)) if acts else {}
        row: dict[str, Any] = {"id": pid, "text": text, "date": date or "", "events": len(evs)}
        for c in ("event_id", "cameo_code", "cameo_root", "event_type", "sub_event_type", "actor1_code",
                  "actor2_code", "country", "admin1", "location", "fatalities"):
            v = main.get(c)
            row[c] = "" if v is None else v
        out.append(row)
    return out


@dataclass
class ReviewStats:
    """`progress`: per coder; `rules`: per codebook rule, what coders did with its events (worst
    first); `added`: events coders added that no rule produced."""

    progress: list[dict[str, Any]]
    rules: list[dict[str, Any]]
    added: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {"progress": self.progress, "rules": self.rules, "added": self.added}


def review_stats(db: str | Path | None = None, coder: str | None = None) -> ReviewStats:
    """Per-coder progress, per-rule accept/correct/reject counts with examples, and added events."""
    with _connect(db, read_only=True) as con:
        if coder is not None:
            _check_known_coder(con, coder, db)
        # one filter per query, each naming its own column: the events query joins two tables
        who = "" if coder is None else " AND coder = $coder"
        who_e = "" if coder is None else " AND e.coder = $coder"
        params = {} if coder is None else {"coder": coder}
        total = int(con.execute("SELECT count(*) FROM review_passages").fetchone()[0])
        progress = con.execute(f"""
            WITH c AS (SELECT DISTINCT coder FROM review_decisions WHERE true{who}),
            g AS (SELECT coder, count(*) FILTER (WHERE status = 'done') AS done,
                         count(*) FILTER (WHERE status = 'skipped') AS skipped
                  FROM review_progress GROUP BY coder),
            d AS (SELECT coder, count(*) AS decisions, count(*) FILTER (WHERE action = 'undo') AS undos,
                         max(time) AS last_decision FROM review_decisions GROUP BY coder),
            e AS (SELECT coder, count(*) FILTER (WHERE status = 'accepted') AS accepted,
                         count(*) FILTER (WHERE status = 'edited') AS edited,
                         count(*) FILTER (WHERE status = 'rejected') AS rejected,
                         count(*) FILTER (WHERE status = 'added') AS added
                  FROM review_events GROUP BY coder)
            SELECT c.coder, coalesce(g.done, 0), coalesce(g.skipped, 0), d.decisions, d.undos,
                   coalesce(e.accepted, 0), coalesce(e.edited, 0), coalesce(e.rejected, 0), coalesce(e.added, 0),
                   CAST(d.last_decision AS VARCHAR)
            FROM c LEFT JOIN g USING (coder) LEFT JOIN d USING (coder) LEFT JOIN e USING (coder)
            ORDER BY c.coder""", params).fetchall()
        prog = [{"coder": r[0], "passages": total, "done": int(r[1]), "skipped": int(r[2]),
                 "open": total - int(r[1]) - int(r[2]), "decisions": int(r[3]), "undos": int(r[4]),
                 "accepted": int(r[5]), "edited": int(r[6]), "rejected": int(r[7]), "added": int(r[8]),
                 "last_decision": r[9]} for r in progress]
        ev = con.execute(f"""
            SELECT e.rule_id, e.status, e.edited, e.event_id, e.coder, e.record, p.text
            FROM review_events e JOIN review_passages p USING (passage_id)
            WHERE e.status <> 'undecided'{who_e}
            ORDER BY p.position, e.position, e.coder""", params).fetchall()
    rules: dict[str, dict[str, Any]] = {}
    added = []
    for rule_id, status, edited, eid, who_, rec_json, text in ev:
        rec = json.loads(rec_json)
        sentence = text[int(rec.get("span_start") or 0) : int(rec.get("span_end") or 0)].strip()
        if status == "added":
            added.append({"coder": who_, "passage_id": rec.get("passage_id"), "event_id": eid,
                          "cameo_code": rec.get("cameo_code"), "sub_event_type": rec.get("sub_event_type") or "",
                          "sentence": sentence})
            continue
        r = rules.setdefault(rule_id, {"rule_id": rule_id, "events": 0, "accepted": 0, "edited": 0, "rejected": 0,
                                       "fields": {}, "example": "", "example_event": ""})
        r["events"] += 1
        r[status] += 1
        for f in filter(None, (edited or "").split(",")):
            r["fields"][f] = r["fields"].get(f, 0) + 1
        if status != "accepted" and (not r["example"] or status == "rejected" and r.get("_example_status") != "rejected"):
            r["example"], r["example_event"], r["_example_status"] = sentence, f"{eid} ({status} by {who_})", status
    out = []
    for r in rules.values():
        r.pop("_example_status", None)
        n = r["events"]
        r["reject_rate"] = round(r["rejected"] / n, 3)
        r["correct_rate"] = round(r["edited"] / n, 3)
        r["fields"] = ", ".join(f"{k} x{v}" for k, v in sorted(r["fields"].items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(r)
    out.sort(key=lambda r: (-(r["rejected"] + r["edited"]), -r["rejected"], -r["events"], r["rule_id"]))
    return ReviewStats(prog, out, added)


__all__ = ["ACTIONS", "ADDED_RULE", "EDITABLE", "REVIEW_TABLES", "Decision", "EventState", "PassageState",
           "ReviewError", "ReviewSession", "ReviewStats", "Vocabulary", "coders", "export_events",
           "export_passages", "in_force", "load_log", "replay", "replay_passage", "review_stats"]
