"""The DuckDB store: loading (validate, map, replace in one transaction), locks, write_events, CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from coding.cli import app
from coding.errors import StoreError, UsageError
from coding.store import EVENTS_TABLE, connect, datasets, drop_dataset, load_file, write_events

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EVENTS = FIXTURES / "store_events.csv"
ACLED = FIXTURES / "store_acled.csv"
runner = CliRunner()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, codebook) -> Path:
    """A store with the events fixture as `evcode` and the ACLED fixture as `acled` (built once)."""
    db = tmp_path_factory.mktemp("store") / "fixture.duckdb"
    load_file(EVENTS, schema="events", dataset="evcode", db=db, codebook=codebook)
    load_file(ACLED, schema="auto", dataset="acled", db=db, codebook=codebook)
    return db


@pytest.fixture
def db(loaded: Path, tmp_path: Path) -> Path:
    """A private copy of the loaded store, for tests that change it."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(loaded, copy)
    return copy


def count(db: Path, where: str = "TRUE", params: list | None = None) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM events WHERE {where}", params or []).fetchone()[0]
    finally:
        con.close()


def test_load_counts_and_datasets(loaded: Path) -> None:
    ds = datasets(loaded).set_index("dataset")
    assert list(ds.index) == ["acled", "evcode"]
    assert ds.loc["evcode", "rows"] == 158 and ds.loc["acled", "rows"] == 40
    assert ds.loc["acled", "rejected"] == 2 and ds.loc["acled", "schema"] == "acled"
    assert str(ds.loc["evcode", "first_date"])[:10] == "2024-01-01"
    assert ds.loc["evcode", "countries"] == 4
    assert count(loaded) == 198


def test_table_shape_and_types(loaded: Path) -> None:
    con = duckdb.connect(str(loaded), read_only=True)
    cols = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_name = 'events'").fetchall())
    con.close()
    assert list(cols) == list(EVENTS_TABLE)
    assert cols["event_date"] == "DATE" and cols["fatalities"] == "INTEGER" and cols["goldstein"] == "DOUBLE"
    assert cols["cameo_code"] == "VARCHAR" and cols["extra"] == "JSON"


def test_missing_values_are_null_and_codes_keep_zeros(loaded: Path) -> None:
    assert count(loaded, "admin1 = '' OR actor2 = '' OR event_type = ''") == 0
    assert count(loaded, "dataset = 'evcode' AND cameo_code = '042'") > 0
    assert count(loaded, "dataset = 'acled' AND cameo_code IS NOT NULL") == 0


def test_acled_source_ids_and_extra_fields(loaded: Path) -> None:
    con = duckdb.connect(str(loaded), read_only=True)
    row = con.execute("SELECT event_id, source_event_id, extra FROM events WHERE dataset = 'acled' "
                      "ORDER BY source_event_id LIMIT 1").fetchone()
    notes = con.execute("SELECT count(*) FROM events WHERE dataset = 'acled' "
                        "AND extra->>'notes' LIKE 'Synthetic test event%'").fetchone()[0]
    con.close()
    assert row[0] == row[1]
    extra = json.loads(row[2])
    assert extra["source"] == "Test Wire" and extra["region"]
    assert "event_id_cnty" not in extra and "country" not in extra
    assert notes == 40


def test_reload_replaces_not_duplicates(db: Path, codebook) -> None:
    before = datasets(db).set_index("dataset")
    res = load_file(EVENTS, schema="events", dataset="evcode", db=db, codebook=codebook)
    assert res.rows == 158
    assert count(db, "dataset = 'evcode'") == 158
    assert count(db, "dataset = 'acled'") == 40
    after = datasets(db).set_index("dataset")
    assert after.loc["evcode", "loaded_at"] >= before.loc["evcode", "loaded_at"]
    assert len(after) == 2


def test_failure_half_way_keeps_previous_state(db: Path, codebook, monkeypatch: pytest.MonkeyPatch) -> None:
    import coding.store as store

    def boom(con, frame, dataset, extra_cols):  # type: ignore[no-untyped-def]
        con.execute("INSERT INTO events (dataset, event_id) VALUES ('evcode', 'half-written')")
        con.execute("SELECT CAST('x' AS INTEGER)")  # a DuckDB error after rows went in

    monkeypatch.setattr(store, "_insert_frame", boom)
    with pytest.raises(StoreError, match="nothing changed"):
        load_file(EVENTS, schema="events", dataset="evcode", db=db, codebook=codebook)
    assert count(db, "dataset = 'evcode'") == 158
    assert count(db, "event_id = 'half-written'") == 0


def test_no_valid_rows_keeps_dataset(db: Path, tmp_path: Path, codebook) -> None:
    bad = tmp_path / "bad.csv"
    df = pd.read_csv(EVENTS, dtype=str, keep_default_na=False).head(3)
    df["cameo_code"] = "999"
    df.to_csv(bad, index=False)
    with pytest.raises(StoreError, match="no valid rows"):
        load_file(bad, schema="events", dataset="evcode", db=db, codebook=codebook)
    assert count(db, "dataset = 'evcode'") == 158


def test_write_events_replaces_and_rolls_back(tmp_path: Path) -> None:
    rows = pd.read_csv(EVENTS, dtype=str, keep_default_na=False).head(5).to_dict("records")
    target = tmp_path / "coded.duckdb"
    assert write_events(iter(rows), db=target, dataset="coded") == 5
    assert write_events(rows[:3], db=target, dataset="coded") == 3
    assert count(target, "dataset = 'coded'") == 3
    assert count(target, "source_event_id = event_id") == 3

    def broken():  # the coder fails after two events: nothing of the new run is kept
        yield rows[0]
        yield rows[1]
        raise RuntimeError("coder crashed")

    with pytest.raises(RuntimeError):
        write_events(broken(), db=target, dataset="coded")
    assert count(target, "dataset = 'coded'") == 3


def test_drop_dataset(db: Path) -> None:
    assert drop_dataset("acled", db) == 40
    assert list(datasets(db)["dataset"]) == ["evcode"]
    with pytest.raises(StoreError, match="no dataset 'acled'"):
        drop_dataset("acled", db)


def test_bad_dataset_name(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not allowed"):
        write_events([], db=tmp_path / "x.duckdb", dataset="a b; drop")


def test_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database here"):
        datasets(tmp_path / "none.duckdb")
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database file at all" * 200)
    with pytest.raises(StoreError) as err:
        with connect(junk):
            pass
    assert "junk.duckdb" in str(err.value)
    assert junk.read_bytes().startswith(b"this is not")  # left alone


HOLDER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
""")


def test_second_process_gets_clear_error(db: Path, codebook) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="in use by another process") as err:
            load_file(EVENTS, schema="events", dataset="evcode", db=db, codebook=codebook)
        assert err.value.reason == "store_locked"
        result = runner.invoke(app, ["datasets", "--db", str(db)])
        assert result.exit_code == 1
        assert "in use by another process" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    finally:
        holder.stdin.close()
        holder.wait(timeout=20)
    assert count(db, "dataset = 'evcode'") == 158  # the file is intact


# ---------------------------------------------------------------------------------------------
# CLI


def test_cli_load_and_datasets(tmp_path: Path) -> None:
    target = tmp_path / "cli.duckdb"
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(app, ["load", str(ACLED), "--dataset", "acled", "--db", str(target),
                                 "--rejects", str(rejects)])
    assert result.exit_code == 0, result.output
    assert "Loaded 40 rows" in result.stderr and "schema acled" in result.stderr
    assert "2 rows rejected" in result.stderr
    rej = pd.read_csv(rejects, dtype=str)
    assert list(rej["event_id_cnty"]) == ["BAD0001", "BAD0002"] and "reason" in rej.columns

    result = runner.invoke(app, ["datasets"], env={"EVCODE_DB": str(target)})
    assert result.exit_code == 0
    assert "acled" in result.stdout and "40" in result.stdout and "2024-01-01" in result.stdout

    result = runner.invoke(app, ["datasets", "--db", str(target), "-f", "jsonl"])
    rec = json.loads(result.stdout.splitlines()[0])
    assert rec["dataset"] == "acled" and rec["rows"] == 40 and rec["first_date"] == "2024-01-01"


def test_cli_load_default_name_and_errors(tmp_path: Path) -> None:
    target = tmp_path / "cli.duckdb"
    result = runner.invoke(app, ["load", str(EVENTS), "--db", str(target), "-q"])
    assert result.exit_code == 0 and result.stderr == ""
    assert list(datasets(target)["dataset"]) == ["store_events"]

    result = runner.invoke(app, ["load", str(tmp_path / "missing.csv"), "--db", str(target)])
    assert result.exit_code == 1 and "no such file" in result.stderr

    result = runner.invoke(app, ["load", str(EVENTS), "--db", str(target), "--dataset", "two words"])
    assert result.exit_code == 2 and "not allowed" in result.stderr

    result = runner.invoke(app, ["datasets", "--db", str(tmp_path / "nothing.duckdb")])
    assert result.exit_code == 1 and "load data first" in result.stderr


def _with_fatalities(src: Path, dst: Path, values: list[str]) -> Path:
    """The first len(values) rows of a fixture with these fatalities (the rest dropped)."""
    df = pd.read_csv(src, dtype=str, keep_default_na=False).head(len(values))
    df["fatalities"] = values
    df.to_csv(dst, index=False)
    return dst


@pytest.mark.parametrize("src", [ACLED, EVENTS], ids=["acled", "events"])
def test_integers_beyond_the_store_column_are_rejected_not_crashed(src: Path, tmp_path: Path) -> None:
    # INTEGER holds up to 2147483647: a bigger count must be a rejected row, not a crash or a NULL
    path = _with_fatalities(src, tmp_path / "big.csv", ["2", "3000000000", "99999999999999999999"])
    res = runner.invoke(app, ["validate", str(path)])
    assert res.exit_code == 1
    assert "3 rows, 1 valid, 2 rejected" in res.stderr and "fatalities" in res.stderr
    rejects = tmp_path / "rej.csv"
    res = runner.invoke(app, ["load", str(path), "--dataset", "big", "--db", str(tmp_path / "s.duckdb"),
                              "--rejects", str(rejects)])
    assert res.exit_code == 0, res.output
    assert "Loaded 1 rows" in res.stderr and "2 rows rejected" in res.stderr
    assert list(pd.read_csv(rejects, dtype=str)["fatalities"]) == ["3000000000", "99999999999999999999"]
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
        assert con.execute("SELECT fatalities FROM events").fetchall() == [(2,)]
    res = runner.invoke(app, ["compare", str(path), str(path)])
    assert res.exit_code == 0, res.output
    assert "(1 events)" in res.stdout


# ---------------------------------------------------------------------------------------------
# DuckDB's spill files: a private folder of the temporary directory, removed on close


_BIG_SORT = "-- big_sort: more than the tight memory limit below.\nSELECT i FROM range(4000000) t(i) ORDER BY hash(i)\n"


def _zorbat_store(tmp_path: Path) -> Path:
    target = tmp_path / "data" / "zorbat.duckdb"
    target.parent.mkdir()
    write_events([{"event_id": "zb-1", "event_date": "2024-05-01", "actor1": "Kelan Front", "country": "Zorbat"}],
                 db=target, dataset="zorbat")
    return target


@pytest.fixture
def system_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system temporary directory, made private to the test so leftovers can be counted."""
    import tempfile

    folder = tmp_path / "system_tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_spill_files_go_to_a_private_folder_removed_on_close(tmp_path: Path, system_tmp: Path) -> None:
    from coding.store import connect_parquet

    target = _zorbat_store(tmp_path)
    with connect(target, read_only=True) as con:
        spill = Path(con.execute("SELECT current_setting('temp_directory')").fetchone()[0])
        assert spill.parent == system_tmp and spill.is_dir()
        con.execute("SET memory_limit = '30MB'")
        con.execute("SET threads = 1")
        assert len(con.execute(_BIG_SORT).fetchmany(10)) == 10
        assert any(p.suffix == ".tmp" for p in spill.iterdir())  # the sort's runs are on disk, here
    assert not spill.exists() and list(system_tmp.iterdir()) == []
    assert sorted(p.name for p in target.parent.iterdir()) == ["zorbat.duckdb"]  # no zorbat.duckdb.tmp

    parquet = tmp_path / "events.parquet"
    pd.DataFrame({"event_id": ["zb-1"], "event_date": ["2024-05-01"]}).to_parquet(parquet)
    with connect_parquet([parquet]) as con:
        assert Path(con.execute("SELECT current_setting('temp_directory')").fetchone()[0]).parent == system_tmp
    assert list(system_tmp.iterdir()) == []


def test_a_query_out_of_memory_is_one_line_and_leaves_no_spill(tmp_path: Path, system_tmp: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib

    import coding.store

    real = coding.store.connect

    @contextlib.contextmanager
    def tight(db, *, read_only=False):  # type: ignore[no-untyped-def]
        with real(db, read_only=read_only) as con:
            con.execute("SET memory_limit = '20MB'")
            con.execute("SET max_temp_directory_size = '4MB'")
            con.execute("SET threads = 1")
            yield con

    monkeypatch.setattr(coding.store, "connect", tight)
    target = _zorbat_store(tmp_path)
    query = tmp_path / "big_sort.sql"
    query.write_text(_BIG_SORT, encoding="utf-8")
    result = runner.invoke(app, ["sql", "--file", str(query), "--db", str(target)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: query big_sort ran out of memory"), result.stderr
    assert "TMPDIR" in lines[0]
    assert list(system_tmp.iterdir()) == []
    assert sorted(p.name for p in target.parent.iterdir()) == ["zorbat.duckdb"]


def test_out_of_memory_names_the_narrowing_parameters() -> None:
    from coding.queries import _out_of_memory, get_query

    msg = str(_out_of_memory(get_query("duplicate_candidates"), MemoryError("Out of Memory Error: x")))
    assert msg.startswith("query duplicate_candidates ran out of memory (Out of Memory Error: x); narrow it with "
                          "--param start=YYYY-MM-DD, --param end=YYYY-MM-DD")
    assert "--param max_per_event=1" in msg


def test_a_killed_query_leaves_nothing_beside_the_database(tmp_path: Path) -> None:
    """The reported failure: a process killed while DuckDB spills (the kernel's OOM killer, kill -9)
    left GBs in `<db>.tmp` beside the data. Now what it leaves is in $TMPDIR."""
    import os
    import signal

    target = _zorbat_store(tmp_path)
    system_tmp = tmp_path / "system_tmp"
    system_tmp.mkdir()
    child = textwrap.dedent(f"""
        import sys, time
        from coding.store import connect
        with connect(sys.argv[1], read_only=True) as con:
            con.execute("SET memory_limit = '30MB'")
            con.execute("SET threads = 1")
            con.execute({_BIG_SORT!r}).fetchmany(10)  # sorted: the runs are on disk
            print("spilled", flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", child, str(target)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(system_tmp)})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "spilled"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert sorted(p.name for p in target.parent.iterdir()) == ["zorbat.duckdb"]
    assert [p.name[:13] for p in system_tmp.iterdir()] == ["evcode-duckdb"]  # the system cleans it


def test_ctrl_c_during_a_query_is_an_interruption_and_leaves_no_spill(tmp_path: Path) -> None:
    import os
    import signal
    import time

    target = _zorbat_store(tmp_path)
    system_tmp = tmp_path / "system_tmp"
    system_tmp.mkdir()
    slow = tmp_path / "slow.sql"
    slow.write_text("-- slow: a long count.\nSELECT count(*) AS n FROM range(100000000000) t(i) WHERE i % 7 = 1\n",
                    encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "coding", "sql", "--file", str(slow), "--db", str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(system_tmp)})
    try:
        deadline = time.monotonic() + 60
        while not any(system_tmp.iterdir()) and time.monotonic() < deadline:  # connected: the query starts
            time.sleep(0.05)
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130 and err.strip() == "Interrupted.", err
    assert list(system_tmp.iterdir()) == []
    assert sorted(p.name for p in target.parent.iterdir()) == ["zorbat.duckdb"]


def test_duckdb_interrupt_anywhere_in_a_command_is_an_interruption(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import coding.queries

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("Query interrupted")  # what DuckDB raises on Ctrl-C, outside run_query too

    monkeypatch.setattr(coding.queries, "run_query", interrupted)
    result = runner.invoke(app, ["sql", "counts_by_type", "--db", str(_zorbat_store(tmp_path))])
    assert result.exit_code == 130 and result.stderr.strip() == "Interrupted."
