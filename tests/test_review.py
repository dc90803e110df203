"""`evcode review`: the decision log, validation against the codebook, undo, resume, batch, export, stats."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import duckdb
import pytest
from review_fixtures import write_passages
from typer.testing import CliRunner

from coding import review
from coding.cli import app
from coding.record import EVENT_COLUMNS
from coding.review import (
    ReviewError,
    ReviewSession,
    export_events,
    load_log,
    replay,
    review_stats,
)

runner = CliRunner()


@pytest.fixture
def passages(tmp_path):
    return write_passages(tmp_path / "passages.csv")


@pytest.fixture
def db(tmp_path):
    return tmp_path / "review.duckdb"


def rows(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def decisions_file(path, lines):
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return path


def test_open_stores_passages_and_machine_events_once(passages, db):
    s = ReviewSession.open(passages, "ana", db)
    assert s.passage_ids == ["rv1", "rv2", "rv3", "rv4"]
    assert s.resume_at() == "rv1"
    assert [e.status for e in s.events("rv1")] == ["undecided"] * 4
    n = rows(db, "SELECT count(*) FROM review_machine")[0][0]
    assert n == 8
    ReviewSession.open(passages, "ben", db)  # a second coder: nothing coded again
    assert rows(db, "SELECT count(*) FROM review_machine")[0][0] == n
    assert rows(db, "SELECT count(*) FROM review_passages")[0][0] == 4
    rec = json.loads(rows(db, "SELECT record FROM review_machine WHERE event_id = 'rv1-000-000'")[0][0])
    assert list(rec) == list(EVENT_COLUMNS) and rec["rule_id"] == "fight.shelling"


def test_changed_passage_text_is_refused(tmp_path, passages, db):
    ReviewSession.open(passages, "ana", db)
    other = tmp_path / "other.csv"
    other.write_text("id,text\nrv1,A different text about the army.\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="rv1.*different text; give it another id or use another --db"):
        ReviewSession.open(other, "ana", db)


def test_decisions_are_stored_at_once_and_validated(passages, db):
    s = ReviewSession.open(passages, "ana", db)
    s.accept("rv1", "rv1-000-000")
    assert rows(db, "SELECT action, event_id FROM review_decisions") == [("accept", "rv1-000-000")]
    with pytest.raises(ReviewError) as err:
        s.edit("rv1", "rv1-001-001", "sub_event_type", "Shootout")
    assert "sub_event_type: 'Shootout' is not an ACLED sub-event type" in str(err.value)
    assert err.value.field == "sub_event_type"
    assert rows(db, "SELECT count(*) FROM review_decisions")[0][0] == 1  # nothing stored
    s.edit("rv1", "rv1-001-001", "sub_event_type", "armed clash")  # any case; event_type follows
    ev = s.state("rv1").event("rv1-001-001")
    assert (ev.record["event_type"], ev.record["sub_event_type"], ev.record["disorder_type"]) == (
        "Battles", "Armed clash", "Political violence")
    assert ev.status == "edited"
    s.edit("rv1", "rv1-001-001", "cameo_code", "42")  # CAMEO codes keep their leading zero
    ev = s.state("rv1").event("rv1-001-001")
    assert (ev.record["cameo_code"], ev.record["cameo_root"]) == ("042", "04")
    for field, value, words in [
        ("cameo_code", "999", "is not a CAMEO event code"),
        ("actor1_code", "XYZABC", "is not an actor code"),
        ("event_date", "2024-02-30", "is not a real date"),
        ("event_date", "5 March", "is not a date"),
        ("fatalities", "-1", "is not a whole number"),
        ("admin1", "Atlantis", "is not an admin1 of Syria"),
        ("actor2_text", "the navy", "is not in the passage"),
        ("event_type", "Battles", "follows from sub_event_type"),
    ]:
        with pytest.raises(ReviewError, match=words):
            s.edit("rv1", "rv1-000-000", field, value)
    last = rows(db, "SELECT action, field, before, after, changes FROM review_decisions ORDER BY seq DESC LIMIT 1")[0]
    assert last[:4] == ("edit", "cameo_code", "180", "042")
    assert json.loads(last[4])["cameo_root"] == "04"


def test_actor_and_place_edits_derive_their_fields(passages, db):
    s = ReviewSession.open(passages, "ana", db)
    s.edit("rv3", "rv3-000-000", "actor1_code", "syrreb")
    rec = s.state("rv3").event("rv3-000-000").record
    assert rec["actor1_code"] == "SYRREB" and rec["inter1"] == 2 and rec["interaction"] == 12
    s.edit("rv3", "rv3-000-000", "location", "Homs")
    rec = s.state("rv3").event("rv3-000-000").record
    assert (rec["location"], rec["admin1"], rec["country"]) == ("Homs", "Homs", "Syria")
    assert rec["latitude"] is not None and rec["geo_precision"] == 1
    s.edit("rv3", "rv3-000-000", "actor2_code", "")
    rec = s.state("rv3").event("rv3-000-000").record
    assert (rec["actor2"], rec["inter2"], rec["interaction"]) == ("", None, 20)


def test_search_by_words_suggests_codebook_values(passages, db):
    v = ReviewSession.open(passages, "ana", db).vocabulary
    assert ("194", "fight with artillery and tanks (rule fight.shelling on 'shelled')") in v.suggest("cameo_code", "shelled") \
        or any(code == "194" for code, _ in v.suggest("cameo_code", "shelled"))
    assert any(code == "SYRMIL" for code, _ in v.suggest("actor1_code", "Syrian army"))
    assert [x for x, _ in v.suggest("sub_event_type", "clash")] == ["Armed clash"]
    assert any(x == "Aleppo" for x, _ in v.suggest("admin1", "alep", {"country": "Syria"}))


def test_done_needs_every_event_decided_and_undo_reopens(passages, db):
    s = ReviewSession.open(passages, "ana", db)
    with pytest.raises(ReviewError, match="undecided event\\(s\\) rv2-000-000, rv2-001-001"):
        s.done("rv2")
    s.accept("rv2", "rv2-000-000")
    s.reject("rv2", "rv2-001-001")
    s.done("rv2")
    assert s.status("rv2") == "done"
    d = s.undo()
    assert (d.action, d.before, d.undoes) == ("undo", "done", 3)
    assert s.status("rv2") == "open"
    s.undo()
    assert s.state("rv2").event("rv2-001-001").status == "undecided"
    assert rows(db, "SELECT count(*) FROM review_decisions")[0][0] == 5  # undo rows kept; nothing deleted
    s.undo()
    with pytest.raises(ReviewError, match="nothing to undo"):
        s.undo()


def test_resume_skip_and_double_coding(passages, db):
    s = ReviewSession.open(passages, "ana", db)
    s.skip("rv1")
    s.done("rv4")  # no machine event: done at once
    again = ReviewSession.open(passages, "ana", db)
    assert again.queue() == ["rv2", "rv3", "rv1"]  # skipped passages come back last
    assert again.resume_at() == "rv2"
    ben = ReviewSession.open(passages, "ben", db)
    assert ben.resume_at() == "rv1" and ben.status("rv4") == "open"
    ben.reject("rv3", "rv3-001-001")
    assert again.state("rv3").event("rv3-001-001").status == "undecided"


def test_add_an_event_from_a_sentence(passages, db):
    s = ReviewSession.open(passages, "ana", db)
    d = s.add("rv1", 2, {"cameo_code": "0233", "actor1_text": "governor"})
    assert d.event_id == "rv1-002-add01"
    ev = s.state("rv1").event(d.event_id)
    assert ev.status == "added" and ev.rule_id == review.ADDED_RULE
    assert (ev.record["span_start"], ev.record["country"]) == (
        s.sentences("rv1")[2].start, "Syria")
    with pytest.raises(ReviewError, match="sentence_index, a number from 0 to 2"):
        s.add("rv1", 7, {"cameo_code": "190"})
    with pytest.raises(ReviewError, match="needs fields.cameo_code"):
        s.add("rv1", 0, {})


def _review_everything(s):
    s.accept("rv1", "rv1-000-000")
    s.edit("rv1", "rv1-001-001", "fatalities", "3")
    s.reject("rv1", "rv1-001-002")
    s.reject("rv1", "rv1-002-003")
    s.add("rv1", 2, {"cameo_code": "0233"})
    s.done("rv1")
    s.accept("rv2", "rv2-000-000")
    s.edit("rv2", "rv2-001-001", "sub_event_type", "Arrests")
    s.done("rv2")
    s.accept("rv3", "rv3-000-000")  # rv3 not finished: not exported


def test_export_is_the_replayed_log_and_valid_event_data(passages, db, tmp_path):
    s = ReviewSession.open(passages, "ana", db)
    _review_everything(s)
    gold = export_events(db, "ana")
    assert [e["event_id"] for e in gold] == ["rv1-000-000", "rv1-001-001", "rv1-002-add01", "rv2-000-000",
                                             "rv2-001-001"]
    assert gold[1]["fatalities"] == 3 and gold[4]["event_type"] == "Strategic developments"
    assert replay(*load_log(db, "ana")) == gold
    out = tmp_path / "gold.csv"
    res = runner.invoke(app, ["review", "export", "--coder", "ana", "--db", str(db), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "5 event(s) exported for coder ana" in res.output
    from coding.validate import validate_file

    result = validate_file(out)
    assert result.schema == "events" and len(result.rejects) == 0 and len(result.valid) == 5


def test_export_feeds_agree_and_evaluate(passages, db, tmp_path):
    _review_everything(ReviewSession.open(passages, "ana", db))
    ben = ReviewSession.open(passages, "ben", db)
    ben.accept("rv1", "rv1-000-000")
    for e in ("rv1-001-001", "rv1-001-002", "rv1-002-003"):
        ben.reject("rv1", e)
    ben.done("rv1")
    ben.reject("rv2", "rv2-000-000")
    ben.accept("rv2", "rv2-001-001")
    ben.done("rv2")
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for coder, path in (("ana", a), ("ben", b)):
        assert runner.invoke(app, ["review", "export", "--coder", coder, "--db", str(db), "-o", str(path)]).exit_code == 0
    res = runner.invoke(app, ["agree", str(a), str(b)])
    assert res.exit_code == 0, res.output
    assert "sub_event_type" in res.output
    p = tmp_path / "passages_gold.csv"
    res = runner.invoke(app, ["review", "export", "--coder", "ana", "--db", str(db), "--passages", "-o", str(p)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["evaluate", str(p), "--label-column", "sub_event_type", "--field", "sub_event_type"])
    assert res.exit_code == 0, res.output
    assert "sub_event_type: n=2" in res.output


def test_batch_decisions_all_or_nothing(passages, db, tmp_path):
    good = decisions_file(tmp_path / "ana.jsonl", [
        {"action": "accept", "event_id": "rv2-000-000"},
        {"action": "edit", "event_id": "rv2-001-001", "field": "sub_event_type", "value": "Arrests"},
        {"action": "done", "passage_id": "rv2"},
        {"action": "add", "passage_id": "rv3", "sentence_index": 0, "fields": {"cameo_code": "183"}},
        {"action": "undo"},
        {"action": "skip", "passage_id": "rv3"},
    ])
    res = runner.invoke(app, ["review", str(passages), "--coder", "ana", "--db", str(db), "--decisions", str(good)])
    assert res.exit_code == 0, res.output
    assert "6 decision(s) applied for coder ana; 1/4 passage(s) done" in res.output
    got = rows(db, "SELECT seq, action, undoes, origin FROM review_decisions ORDER BY seq")
    assert got[4] == (5, "undo", 4, "ana.jsonl:5")
    bad = decisions_file(tmp_path / "bad.jsonl", [
        {"action": "accept", "event_id": "rv3-000-000"},
        {"action": "edit", "event_id": "rv3-001-001", "field": "fatalities", "value": "many"},
    ])
    res = runner.invoke(app, ["review", str(passages), "--coder", "ana", "--db", str(db), "--decisions", str(bad)])
    assert res.exit_code == 1
    assert res.output.strip().splitlines() == [
        f"Error: {bad} line 2: fatalities: 'many' is not a whole number >= 0; expected a whole number >= 0"]
    assert rows(db, "SELECT count(*) FROM review_decisions")[0][0] == 6  # nothing of bad.jsonl stored


@pytest.mark.parametrize("line, message", [
    ('{"action": "accept", "event_id": "rv1-000-000"', "line 1: invalid JSON"),
    ('{"action": "accept", "event_id": "rv1-009-000"}', "line 1: no event 'rv1-009-000' under review"),
    ('{"action": "accept", "passage_id": "rv1", "event_id": "rv1-009-000"}',
     "line 1: no event 'rv1-009-000' in passage 'rv1' (its events: rv1-000-000, rv1-001-001"),
    ('{"action": "approve", "event_id": "rv1-000-000"}', "line 1: unknown action 'approve'"),
    ('{"action": "accept", "event": "rv1-000-000"}', "line 1: unknown key(s) event"),
    ('{"action": "done", "passage_id": "rv1", "coder": "ben"}', "line 1: coder 'ben' is not --coder 'ana'"),
])
def test_batch_bad_lines_name_the_line_and_the_fix(passages, db, tmp_path, line, message):
    f = tmp_path / "d.jsonl"
    f.write_text(line + "\n", encoding="utf-8")
    res = runner.invoke(app, ["review", str(passages), "--coder", "ana", "--db", str(db), "--decisions", str(f)])
    assert res.exit_code == 1
    assert message in res.output
    assert len(res.output.strip().splitlines()) == 1 and "Traceback" not in res.output


def test_cli_errors_are_one_line(passages, db, tmp_path):
    res = runner.invoke(app, ["review", str(tmp_path / "missing.csv"), "--coder", "ana", "--db", str(db)])
    assert res.exit_code == 1 and "missing.csv: no such file or directory" in res.output
    res = runner.invoke(app, ["review", str(passages), "--coder", "ana", "--db", str(db)])
    assert res.exit_code == 2 and "needs a terminal" in res.output
    res = runner.invoke(app, ["review", "export", "--coder", "zoe", "--db", str(db)])
    assert res.exit_code == 1 and "no decisions by coder 'zoe'" in res.output
    res = runner.invoke(app, ["review", "stats", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 1 and "no database here" in res.output
    res = runner.invoke(app, ["review", str(passages), "--coder", "a b", "--db", str(db), "--decisions", "x.jsonl"])
    assert res.exit_code == 2 and "--coder 'a b' is not a usable name" in res.output


def test_a_locked_database_is_one_line(passages, db, monkeypatch):
    ReviewSession.open(passages, "ana", db)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(db)!r})
        print("locked", flush=True)
        time.sleep(30)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(review, "LOCK_WAIT", 0.2)
        res = runner.invoke(app, ["review", "stats", "--db", str(db)])
        assert res.exit_code == 1
        assert "the database is in use by another process" in res.output
    finally:
        holder.kill()
        holder.wait()


def test_stats_rules_to_fix_first_and_added_events(passages, db):
    _review_everything(ReviewSession.open(passages, "ana", db))
    s = review_stats(db)
    assert s.progress[0]["coder"] == "ana" and s.progress[0]["done"] == 2 and s.progress[0]["passages"] == 4
    by_rule = {r["rule_id"]: r for r in s.rules}
    assert by_rule["fight.shelling"]["rejected"] == 1 and by_rule["fight.shelling"]["accepted"] == 1
    assert by_rule["assault.kill"]["fields"] == "fatalities x1"
    assert s.rules[0]["rejected"] + s.rules[0]["edited"] >= s.rules[-1]["rejected"] + s.rules[-1]["edited"]
    assert s.added[0]["event_id"] == "rv1-002-add01"
    assert s.added[0]["sentence"] == "The governor said he would rebuild the market."
    res = runner.invoke(app, ["review", "stats", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "fight.shelling" in res.output and "rv1-002-add01 by ana" in res.output
    res = runner.invoke(app, ["review", "stats", "--db", str(db), "--format", "json"])
    assert json.loads(res.output)["progress"][0]["coder"] == "ana"


def test_stats_for_one_coder(passages, db):
    """--coder filters both queries; the events query must not break the $coder parameter."""
    _review_everything(ReviewSession.open(passages, "ana", db))
    s2 = ReviewSession.open(passages, "ben", db)
    s2.reject("rv2", "rv2-000-000")
    s = review_stats(db, coder="ana")
    assert [p["coder"] for p in s.progress] == ["ana"]
    assert s.added[0]["event_id"] == "rv1-002-add01"
    assert all(r["rejected"] + r["accepted"] + r["edited"] == r["events"] for r in s.rules)
    assert sum(r["events"] for r in s.rules) == 7  # ana decided 7 machine events; ben 1 more
    assert sum(r["events"] for r in review_stats(db).rules) == 8
    res = runner.invoke(app, ["review", "stats", "--db", str(db), "--coder", "ana"])
    assert res.exit_code == 0, res.output
    assert "rv1-002-add01 by ana" in res.output and "ben" not in res.output
    res = runner.invoke(app, ["review", "stats", "--db", str(db), "--coder", "ben", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert [p["coder"] for p in out["progress"]] == ["ben"] and out["added"] == []
    assert sum(r["rejected"] for r in out["rules"]) == 1


def test_readme_review_examples_run_as_shown(tmp_path, monkeypatch):
    """The README's review section: its decisions file is the example file, and its commands print what it shows."""
    import re
    import shlex
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Reviewing the machine's events: `evcode review`", 1)[1].split("\n### ", 1)[0]
    shown = re.findall(r"```json\n(.*?)```", section, re.DOTALL)[0]
    assert shown == (root / "examples" / "review_ana.jsonl").read_text(encoding="utf-8")
    (tmp_path / "examples").symlink_to(root / "examples")
    monkeypatch.chdir(tmp_path)
    for block in re.findall(r"```console\n(.*?)```", section, re.DOTALL):
        for cmd, expected in re.findall(r"^\$ (.*)\n((?:(?!\$ ).*\n)*)", block, re.MULTILINE):
            args = shlex.split(cmd)
            assert args[0] == "evcode"
            res = runner.invoke(app, args[1:])
            assert res.exit_code == 0, (cmd, res.output)
            want = expected.rstrip("\n").split("\n...")[0]
            assert res.output.rstrip("\n").startswith(want), (cmd, res.output)
