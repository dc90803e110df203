"""Property: replaying the stored decisions on the stored machine output reproduces the exported gold.

Random sequences of decisions (valid or not: refused ones store nothing) go through a session;
then the export (read from the state tables the session keeps) must equal `replay` over the raw
log, and equal what the session itself holds. One database serves every example: each example
is a new coder, as in double coding.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_fixtures import write_passages

from coding.review import ReviewError, ReviewSession, export_events, load_log, replay

PIDS = ["rv1", "rv2", "rv3", "rv4"]
EDITS = [("fatalities", "2"), ("fatalities", "x"), ("sub_event_type", "Attack"), ("sub_event_type", "Riot"),
         ("cameo_code", "190"), ("cameo_code", "9999"), ("admin1", "Aleppo"), ("actor1_code", "SYRMIL"),
         ("actor2_code", ""), ("event_date", "2024-03-01"), ("location", "Homs")]

action = st.one_of(
    st.tuples(st.sampled_from(["accept", "reject"]), st.sampled_from(PIDS), st.integers(0, 4)),
    st.tuples(st.just("edit"), st.sampled_from(PIDS), st.integers(0, 4), st.sampled_from(EDITS)),
    st.tuples(st.just("add"), st.sampled_from(PIDS), st.integers(0, 3), st.sampled_from(["190", "0233", "1"])),
    st.tuples(st.sampled_from(["done", "skip", "accept_all"]), st.sampled_from(PIDS)),
    st.tuples(st.just("undo")),
)

_counter = itertools.count()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    d = tmp_path_factory.mktemp("review_prop")
    passages = write_passages(d / "passages.csv")
    db = d / "review.duckdb"
    ReviewSession.open(passages, "setup", db)
    return passages, db


def _apply(s: ReviewSession, step: tuple) -> None:
    kind = step[0]
    if kind == "undo":
        s.undo()
        return
    pid = step[1]
    events = s.events(pid)
    if kind in ("done", "skip"):
        s.decide(kind, passage_id=pid)
    elif kind == "accept_all":
        for e in events:
            if e.kept is None:
                s.accept(pid, e.event_id)
    elif kind == "add":
        s.add(pid, step[2], {"cameo_code": step[3]})
    elif events:
        e = events[step[2] % len(events)]
        if kind == "edit":
            s.edit(pid, e.event_id, *step[3])
        else:
            s.decide(kind, passage_id=pid, event_id=e.event_id)


@settings(max_examples=25)
@given(steps=st.lists(action, max_size=12))
def test_replaying_the_log_reproduces_the_export(store, steps):
    _, db = store
    coder = f"p{next(_counter)}"
    s = ReviewSession(db, coder, passage_ids=PIDS)
    for step in steps:
        try:
            _apply(s, step)
        except ReviewError:
            pass  # refused: nothing stored
    gold = export_events(db, coder) if s.decisions else []
    machine, decisions, order = load_log(db, coder)
    assert len(decisions) == len(s.decisions)
    assert replay(machine, decisions, order) == gold
    held = [e for pid in PIDS if s.status(pid) == "done" for e in s.state(pid).gold()]
    assert held == gold
    again = ReviewSession(db, coder, passage_ids=PIDS)  # reopening sees the same review
    assert [again.status(p) for p in PIDS] == [s.status(p) for p in PIDS]
    assert again.resume_at() == s.resume_at()
