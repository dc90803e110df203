"""Scale: --workers (same rows, same order, bounded read-ahead, clean errors), --partition-by,
`evcode sql --parquet`, and coding on Dask (a LocalCluster)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from coding.cli import app
from coding.coder import Coder, code_stream
from coding.errors import EvcodeError
from coding.io import PartitionedEventWriter, read_events, read_passages
from coding.parallel import code_parallel, default_workers
from coding.queries import list_queries
from coding.record import Passage
from strategies import SCALE_SENTENCES

runner = CliRunner()

SENTENCES = SCALE_SENTENCES  # our own sentences (tests/strategies.py)


def passage_rows(n: int) -> list[dict[str, str]]:
    rows = []
    for i in range(n):
        text = " ".join(SENTENCES[(i * 5 + j) % len(SENTENCES)] for j in range(1 + i % 3))
        # every seventh passage has no date: its events have no event_date (a NULL partition)
        date = "" if i % 7 == 3 else f"2021-03-{1 + i % 9:02d}"
        rows.append({"id": f"p{i:03d}", "text": text, "date": date})
    return rows


def passages(n: int) -> list[Passage]:
    return [Passage(r["id"], r["text"], r["date"] or None) for r in passage_rows(n)]


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "passages.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for r in passage_rows(120):
            fh.write(json.dumps(r) + "\n")
    return path


def run(args):
    return runner.invoke(app, [str(a) for a in args])


# -- --workers ----------------------------------------------------------------------------------


def test_two_workers_give_the_rows_of_one_in_order():
    ps = passages(90)
    one = list(code_stream(ps, workers=1))
    two = list(code_stream(ps, workers=2, chunk=7))  # 13 chunks: the pool is really used
    assert len(one) > 90
    assert two == one


def test_default_is_every_core_and_matches(jsonl, tmp_path):
    assert default_workers() == len(os.sched_getaffinity(0))
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run(["code", jsonl, "-o", a, "-q", "--workers", "1"]).exit_code == 0
    assert run(["code", jsonl, "-o", b, "-q"]).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_the_pool_reads_ahead_a_bounded_number_of_chunks():
    pulled = 0

    def source():
        nonlocal pulled
        for p in passages(2_000):
            pulled += 1
            yield p

    events = code_parallel(source(), workers=2, chunk=10)
    next(events)
    # 2 workers x 2 chunks in flight, plus the chunk being handed over: never the whole input
    assert pulled <= 6 * 10
    events.close()


def test_a_worker_failure_is_one_error_naming_the_passage(monkeypatch):
    real = Coder.code_passage

    def flaky(self, p, **kw):
        if p.id == "p013":
            raise ValueError("boom")
        return real(self, p, **kw)

    monkeypatch.setattr(Coder, "code_passage", flaky)  # inherited by the forked workers
    with pytest.raises(EvcodeError, match=r"passage 'p013': the coder failed \(ValueError: boom\)"):
        list(code_parallel(passages(60), workers=2, chunk=5))


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")
def test_ctrl_c_exits_cleanly(tmp_path):
    src = tmp_path / "big.jsonl"
    rows = passage_rows(60)
    with src.open("w", encoding="utf-8") as fh:
        # ~72,000 passages: many seconds of coding, even compiled (with ~18,000 the compiled coder had
        # written its output by the time the partial file reached 20 KB, and the signal came too late)
        for i in range(1200):
            for r in rows:
                fh.write(json.dumps({**r, "id": f"{r['id']}-{i}"}) + "\n")
    out = tmp_path / "out.csv"
    partial = tmp_path / ".out.csv.partial"  # the output's name until the run succeeds
    proc = subprocess.Popen([sys.executable, "-c", "from coding.cli import main; main()", "code", str(src), "-o", str(out), "--workers", "2"],
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and (not partial.exists() or partial.stat().st_size < 20_000) and proc.poll() is None:
        time.sleep(0.1)
    assert proc.poll() is None, "finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: the whole foreground group
    _, err = proc.communicate(timeout=30)
    text = err.decode()
    assert proc.returncode == 130, text
    assert text.strip().splitlines()[-1] == "Interrupted."
    assert "Traceback" not in text
    assert list(tmp_path.iterdir()) == [src]  # no output that looks complete


# -- --partition-by -------------------------------------------------------------------------------


def _canon(df: pd.DataFrame) -> pd.DataFrame:
    df = df[[c for c in df.columns if c not in ("year", "month")]]
    df = df.astype(object).where(df.notna(), None)
    return df.sort_values("event_id").reset_index(drop=True)


def test_partitioned_output_of_a_failed_run_is_removed(tmp_path):
    src = tmp_path / "in.jsonl"
    good = {"id": "a", "text": "Syrian troops shelled rebel positions near Hama.", "date": "2021-03-10"}
    bad = {"id": "b", "text": "Rebels attacked a checkpoint near Idlib.", "date": "2021-99-10"}
    rows = [dict(good, id=f"a{i}") for i in range(30)] + [bad]  # own ids: a repeated one stops the run first
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "parts"
    w = PartitionedEventWriter(out, ["event_date"], batch=5)
    for _ in range(12):  # a few files written before the failure
        w.write({"event_id": "x", "event_date": "2021-03-10"})
    assert w.files >= 2 and any(out.rglob("*.parquet"))
    w.abort()
    assert not out.exists()  # the folder was new: nothing is left
    res = run(["code", src, "-f", "parquet", "-o", out, "--partition-by", "event_date", "--workers", "1"])
    assert res.exit_code == 1 and "malformed date" in res.output
    assert not out.exists()


@pytest.mark.parametrize("keys", ["event_date", "country,year", "month"])
def test_partitioned_output_holds_the_unpartitioned_rows(jsonl, tmp_path, keys):
    flat, parts = tmp_path / "flat.parquet", tmp_path / "parts"
    assert run(["code", jsonl, "-f", "parquet", "-o", flat, "-q"]).exit_code == 0
    res = run(["code", jsonl, "-f", "parquet", "-o", parts, "--partition-by", keys, "-q", "--workers", "2"])
    assert res.exit_code == 0, res.output
    a, b = read_events(flat), read_events(parts)
    assert list(b.columns[: len(a.columns)]) == list(a.columns)
    pd.testing.assert_frame_equal(_canon(a), _canon(b))
    # Hive folders DuckDB reads, and rows in input order inside each partition
    n = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{parts}/**/*.parquet', hive_partitioning = true)").fetchone()[0]
    assert n == len(a)
    for f in parts.rglob("*.parquet"):
        ids = list(pd.read_parquet(f)["event_id"])
        kept = set(ids)
        assert ids == [e for e in a["event_id"] if e in kept]


def test_event_date_partitions_are_days_and_missing_dates_the_hive_default(jsonl, tmp_path):
    parts = tmp_path / "parts"
    assert run(["code", jsonl, "-f", "parquet", "-o", parts, "--partition-by", "event_date", "-q"]).exit_code == 0
    names = sorted(p.name for p in parts.iterdir())
    assert "event_date=__HIVE_DEFAULT_PARTITION__" in names
    assert "event_date=2021-03-01" in names
    assert (parts / "event_date=2021-03-01" / "part-00000.parquet").is_file()
    assert "event_date" not in pd.read_parquet(parts / "event_date=2021-03-01" / "part-00000.parquet").columns
    nulls = duckdb.connect().execute(f"SELECT count(*) FILTER (WHERE event_date IS NULL), typeof(any_value(event_date)) "
                       f"FROM read_parquet('{parts}/**/*.parquet', hive_partitioning = true)").fetchone()
    assert nulls[0] > 0 and nulls[1] == "DATE"


def test_partitions_are_written_in_batches(tmp_path):
    from coding.io import PartitionedEventWriter

    w = PartitionedEventWriter(tmp_path / "out", ["event_date"], batch=40)
    rows = list(code_stream(passages(60)))
    for r in rows:
        w.write(r)
    w.close()
    files = list((tmp_path / "out").rglob("*.parquet"))
    assert w.files == len(files) > len({f.parent for f in files})  # more than one batch per folder
    assert len(read_events(tmp_path / "out")) == len(rows)


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--partition-by", "event_date", "-o", "OUT"], 2, "--partition-by writes Parquet: add --format parquet"),
    (["--partition-by", "event_date", "-f", "parquet"], 2, "--partition-by writes a directory of Parquet files: pass -o DIR"),
    (["--partition-by", "day", "-f", "parquet", "-o", "OUT"], 2, "--partition-by 'day': choose from event_date, year, month, country"),
    (["--partition-by", "event_date,month", "-f", "parquet", "-o", "OUT"], 2, "event_date already fixes the year and month"),
    (["--partition-by", "event_date", "-f", "parquet", "-o", "FULL"], 1, "directory is not empty"),
    (["--partition-by", "event_date", "-f", "parquet", "-o", "FILE"], 2, "is a file; --partition-by needs a directory"),
    (["--scheduler", "local", "-o", "OUT"], 2, "--scheduler writes Parquet: add --format parquet"),
    (["--workers", "0"], 2, ""),
])
def test_bad_option_combinations_are_one_line(jsonl, tmp_path, args, code, message):
    (tmp_path / "FULL").mkdir()
    (tmp_path / "FULL" / "x.parquet").write_text("old")
    (tmp_path / "FILE").write_text("a file")
    args = [str(tmp_path / a) if a in ("OUT", "FULL", "FILE") else a for a in args]
    res = run(["code", jsonl, *args])
    assert res.exit_code == code, res.output
    if message:
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], res.stderr
    assert "Traceback" not in res.output


# -- evcode sql --parquet -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def coded(jsonl, tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("coded")
    out = {"flat": d / "flat.parquet", "parts": d / "parts", "db": d / "store.duckdb"}
    assert run(["code", jsonl, "-f", "parquet", "-o", out["flat"], "-q"]).exit_code == 0
    assert run(["code", jsonl, "-f", "parquet", "-o", out["parts"], "--partition-by", "event_date", "-q"]).exit_code == 0
    assert run(["code", jsonl, "-f", "duckdb", "--db", out["db"], "--dataset", "x", "-q"]).exit_code == 0
    return out


@pytest.mark.parametrize("query", [q.name for q in list_queries()])
@pytest.mark.parametrize("source", ["flat", "parts"])
def test_named_queries_on_parquet_equal_the_store(coded, query, source):
    from coding.queries import get_query, run_query

    q = get_query(query)
    params = {p.name: "x" for p in q.params if p.required}
    stored = run_query(q, params, db=coded["db"])
    direct = run_query(q, params, parquet=[f"x={coded[source]}"])
    pd.testing.assert_frame_equal(stored, direct, check_dtype=False)


def test_sql_parquet_from_the_cli(coded):
    res = run(["sql", "counts_by_type", "--parquet", coded["parts"], "-f", "csv"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(pd.io.common.StringIO(res.stdout))
    assert set(df.dataset) == {"parts"}
    assert df.events.sum() == len(read_events(coded["flat"]))


def test_plot_parquet(coded, tmp_path):
    chart = tmp_path / "chart.png"
    res = run(["plot", "--parquet", coded["parts"], "-o", chart, "-q"])
    assert res.exit_code == 0, res.output
    assert chart.stat().st_size > 1000


def test_sql_parquet_errors_are_one_line(coded, tmp_path):
    res = run(["sql", "counts_by_type", "--parquet", tmp_path / "nowhere.parquet"])
    assert res.exit_code == 1 and "no such Parquet file or folder" in res.stderr
    res = run(["sql", "counts_by_type", "--parquet", coded["flat"], "--db", coded["db"]])
    assert res.exit_code == 2 and "--parquet queries files in place" in res.stderr
    res = run(["sql", "counts_by_type", "--parquet", coded["flat"], "--parquet", coded["flat"]])
    assert res.exit_code == 2 and "name them: --parquet NAME=PATH" in res.stderr


# -- Dask -----------------------------------------------------------------------------------------

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as lc, distributed.Client(lc) as client:
        yield client


def test_code_dask_equals_code_stream(cluster):
    from coding.distributed import code_dask

    frame = pd.DataFrame(passage_rows(80))
    events = code_dask(frame.iloc[::-1].reset_index(drop=True))  # any order in: events follow the input
    got = events.compute()
    got = got.astype(object).where(got.notna(), None).to_dict("records")
    expected = list(code_stream(reversed(passages(80))))
    assert got == expected


def test_code_to_parquet_on_the_cluster_equals_local_partitions(cluster, jsonl, tmp_path):
    import dask.dataframe as dd

    from coding.distributed import code_to_parquet

    frame = dd.from_pandas(pd.read_json(jsonl, lines=True, dtype=False), npartitions=3, sort=False)
    res = code_to_parquet(frame, tmp_path / "dask", partition_by=["event_date"])
    assert res.partitions == 3 and res.passages == 120
    local = tmp_path / "local"
    assert run(["code", jsonl, "-f", "parquet", "-o", local, "--partition-by", "event_date", "-q"]).exit_code == 0
    pd.testing.assert_frame_equal(_canon(read_events(local)), _canon(read_events(tmp_path / "dask")))
    assert res.events == len(read_events(local))
    assert sorted(p.name for p in (tmp_path / "dask" / "event_date=2021-03-01").iterdir()) == [
        "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]


def test_cli_scheduler_local(jsonl, tmp_path):
    out = tmp_path / "events"
    res = run(["code", jsonl, "-f", "parquet", "-o", out, "--scheduler", "local", "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert "written to" in res.stderr and "local Dask cluster of 1 worker" in res.stderr
    flat = list(code_stream(read_passages(jsonl)))
    assert len(read_events(out)) == len(flat)


def test_missing_dask_is_one_line(jsonl, tmp_path, monkeypatch):
    for name in list(sys.modules):
        if name in ("dask", "distributed") or name.startswith(("dask.", "distributed.")):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "dask", None)  # import dask -> ImportError, as without the extra
    res = run(["code", jsonl, "-f", "parquet", "-o", tmp_path / "o", "--scheduler", "local"])
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [
        "Error: Dask is not installed; install it with: pip install 'evcode[dask]'"]


def test_the_readme_scale_examples_run(tmp_path, monkeypatch):
    import re
    import shlex
    import shutil

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Scale:", 1)[1].split("\n## ", 1)[0]
    commands = [line for block in re.findall(r"```bash\n(.*?)```", section, re.DOTALL)
                for line in block.splitlines() if line.startswith("evcode ")]
    assert len(commands) >= 3
    shutil.copytree(root / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for line in commands:
        res = runner.invoke(app, shlex.split(line)[1:])
        assert res.exit_code == 0, (line, res.output)
    assert (tmp_path / "coded" / "event_date=2016-12-07").is_dir()


def test_dask_named_id_or_date_column_must_exist(tmp_path):
    pytest.importorskip("dask.dataframe")
    from coding.distributed import code_to_parquet

    frame = pd.DataFrame({"doc": ["z1"], "text": ["Rebels attacked an army checkpoint in Idlib."]})
    for opt, kw in (("--id-column", {"id_column": "nope"}), ("--date-column", {"date_column": "nope"})):
        out = tmp_path / opt.strip("-")
        with pytest.raises(EvcodeError, match=rf"no column 'nope' for {opt} \(columns: doc, text\); pass {opt} NAME"):
            code_to_parquet(frame, out, **kw)
        assert not out.exists()  # nothing written: no empty folder left behind
