"""The review interface driven headlessly through a whole review: every key press lands in the store."""

from __future__ import annotations

import asyncio

import duckdb
from review_fixtures import write_passages

from coding.review import ReviewSession, export_events
from coding.review_app import HELP, ReviewApp


def _machine_value(db, event_id, field):
    import json

    con = duckdb.connect(str(db), read_only=True)
    try:
        for (rec,) in con.execute("SELECT record FROM review_machine").fetchall():
            rec = json.loads(rec) if isinstance(rec, str) else rec
            if rec.get("event_id") == event_id:
                return rec.get(field)
    finally:
        con.close()
    return None


def _rows(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT seq, coder, passage_id, event_id, action, field, before, after, undoes "
                           "FROM review_decisions ORDER BY seq").fetchall()
    finally:
        con.close()


def _text(widget) -> str:
    return str(widget.render())


def test_a_whole_review_through_the_interface(tmp_path):
    passages = write_passages(tmp_path / "passages.csv")
    db = tmp_path / "review.duckdb"

    async def first_sitting() -> None:
        app = ReviewApp(ReviewSession.open(passages, "ana", db))
        async with app.run_test(size=(140, 50)) as pilot:
            assert HELP in _text(app.query_one("#help"))
            assert "passage 1/4 rv1" in _text(app.query_one("#head"))
            assert "rv1-000-000" in _text(app.query_one("#detail"))
            await pilot.press("a")  # accept rv1-000-000; the cursor moves to the next undecided event
            assert "accepted rv1-000-000" in app.message
            # edit rv1-001-001: sub_event_type, an invalid value first
            await pilot.press("e", "down", "enter")
            await pilot.press(*"Shootout", "enter")
            modal = app.screen
            assert "sub_event_type: 'Shootout' is not an ACLED sub-event type" in _text(modal.query_one("#error"))
            assert len(_rows(db)) == 1  # shown, nothing stored
            modal.query_one("#value").value = ""
            await pilot.press(*"Armed clash", "enter")
            await pilot.pause()
            assert app.screen is not modal
            assert "sub_event_type set to 'Armed clash'" in app.message
            await pilot.press("down", "x")  # reject rv1-001-002
            await pilot.press("x")  # ... and rv1-002-003, now selected
            # add an event the machine missed, from sentence 2, by searching words of the CAMEO name
            await pilot.press("n", "down", "down", "enter")
            await pilot.press(*"0233", "enter")
            await pilot.pause()
            assert "added rv1-002-add01" in app.message
            await pilot.press("u")  # undo the addition
            assert "undone: add rv1-002-add01" in app.message
            await pilot.press("d")  # rv1 done
            assert "rv1 done" in app.message
            assert "passage 2/4 rv2" in _text(app.query_one("#head"))
            await pilot.press("a")  # accept rv2-000-000, then quit in the middle of rv2
            await pilot.press("q")

    asyncio.run(first_sitting())
    rows = _rows(db)
    got = [r[4:] for r in rows]
    machine = _machine_value(db, rows[1][3], "sub_event_type")  # what the coder proposed
    assert got == [
        ("accept", None, None, None, None),
        ("edit", "sub_event_type", machine, "Armed clash", None),
        ("reject", None, None, None, None),
        ("reject", None, None, None, None),
        ("add", None, None, '{"cameo_code": "0233"}', None),
        ("undo", None, "add", None, 5),
        ("done", None, None, None, None),
        ("accept", None, None, None, None),
    ]
    assert [r[3] for r in _rows(db)][:4] == ["rv1-000-000", "rv1-001-001", "rv1-001-002", "rv1-002-003"]
    assert {r[1] for r in _rows(db)} == {"ana"}

    async def second_sitting() -> None:
        app = ReviewApp(ReviewSession.open(passages, "ana", db))
        async with app.run_test(size=(140, 50)) as pilot:
            # resumes at the first passage not finished, with what was decided there
            assert "passage 2/4 rv2" in _text(app.query_one("#head"))
            events = _text(app.query_one("#events"))
            assert "accepted" in events and "undecided" in events
            await pilot.press("d")  # refused: an event is undecided
            assert "undecided event(s) rv2-001-001" in app.message
            await pilot.press("down", "x", "d")
            assert "rv2 done" in app.message
            await pilot.press("q")

    asyncio.run(second_sitting())
    gold = export_events(db, "ana")
    assert [e["event_id"] for e in gold] == ["rv1-000-000", "rv1-001-001", "rv2-000-000"]
    assert gold[1]["sub_event_type"] == "Armed clash" and gold[1]["event_type"] == "Battles"
