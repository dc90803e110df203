"""Named queries: golden results on the fixture datasets, headers, parameters, transpiling, CLI, plot."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from coding.cli import app
from coding.errors import QueryError, UsageError
from coding.queries import (
    bind, get_query, list_queries, parse_params, parse_query, query_from_file, run_query, transpile,
)

GOLDEN = Path(__file__).resolve().parent / "golden"
REQUIRED_QUERIES = {
    "counts_by_type", "weekly_counts", "top_dyads", "fatalities_by_admin1", "duplicate_candidates",
    "quality_summary", "cameo_quad_series", "type_distribution_vs", "spikes",
}
QUERY_NAMES = [q.name for q in list_queries()]
runner = CliRunner()


def _regen():
    spec = importlib.util.spec_from_file_location("golden_regen", GOLDEN / "regen.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


regen = _regen()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return regen.build_db(tmp_path_factory.mktemp("sql") / "golden.duckdb")


def test_the_issue_queries_exist() -> None:
    assert REQUIRED_QUERIES <= set(QUERY_NAMES)


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_golden(db: Path, name: str) -> None:
    expected = (GOLDEN / f"{name}.csv").read_text(encoding="utf-8")
    assert regen.render(name, db) == expected, f"rerun tests/golden/regen.py if {name} changed on purpose"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_header_documents_purpose_and_parameters(name: str) -> None:
    q = get_query(name)
    assert q.purpose and q.columns
    for p in q.params:
        assert p.help and "not described" not in p.help, f"{name}: ${p.name} is not in the header"


@pytest.mark.parametrize("name", QUERY_NAMES)
@pytest.mark.parametrize("dialect", ["spark", "bigquery", "postgres"])
def test_every_query_transpiles(name: str, dialect: str) -> None:
    out = transpile(get_query(name).sql, dialect)
    body = "\n".join(line for line in out.splitlines() if not line.startswith("--"))
    assert body.strip().upper().startswith(("SELECT", "WITH"))
    assert "$" not in body  # DuckDB's $name became the dialect's own parameter form
    if dialect == "bigquery":
        assert "@" in body


def test_result_columns_match_headers(db: Path) -> None:
    for q in list_queries():
        header = (GOLDEN / f"{q.name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == q.columns, q.name


def test_filters(db: Path) -> None:
    acled = run_query("counts_by_type", {"dataset": "acled"}, db=db)
    assert set(acled["dataset"]) == {"acled"} and acled["events"].sum() == 40
    window = run_query("weekly_counts", {"start": "2024-02-05", "end": "2024-02-11"}, db=db)
    assert set(window["week"].dt.strftime("%Y-%m-%d")) == {"2024-02-05"}
    syria = run_query("fatalities_by_admin1", {"country": "Syria"}, db=db)
    assert set(syria["country"]) == {"Syria"}
    top = run_query("top_dyads", {"limit": "3"}, db=db)
    assert len(top) == 3 and top["events"].is_monotonic_decreasing


def test_planted_spike_and_duplicate_are_found(db: Path) -> None:
    spikes = run_query("spikes", {}, db=db)
    idleb = spikes[(spikes["admin1"] == "Idleb") & (spikes["dataset"] == "evcode")]
    assert list(idleb["week"].dt.strftime("%Y-%m-%d")) == ["2024-03-04"]
    dups = run_query("duplicate_candidates", {"dataset": "evcode"}, db=db)
    assert "fx-dup-01" in set(dups["event_id_b"])
    assert set(run_query("spikes", {"z": "100"}, db=db)["admin1"]) == set()


def test_missing_and_unknown_parameters_are_named() -> None:
    q = get_query("type_distribution_vs")
    with pytest.raises(QueryError, match=r"needs parameters \$a, \$b"):
        bind(q, {})
    with pytest.raises(QueryError, match=r"no parameter \$bogus.*\$a"):
        bind(q, {"a": "x", "b": "y", "bogus": "1"})
    spikes = bind(get_query("spikes"), {"z": "2"})
    assert spikes["z"] == "2" and spikes["weeks"] == "8" and spikes["dataset"] is None


def test_bad_parameter_value_is_a_query_error(db: Path) -> None:
    with pytest.raises(QueryError, match="query weekly_counts failed"):
        run_query("weekly_counts", {"start": "last tuesday"}, db=db)


def test_unknown_query_suggests() -> None:
    with pytest.raises(QueryError, match="did you mean spikes"):
        get_query("spikez")


def test_parse_params() -> None:
    assert parse_params(["dataset=acled", "$start=2024-01-01", "q=a=b"]) == {
        "dataset": "acled", "start": "2024-01-01", "q": "a=b"}
    with pytest.raises(UsageError):
        parse_params(["dataset"])


def test_header_parsing_of_a_user_file(tmp_path: Path) -> None:
    text = ("-- mine: events per country.\n-- It's mine.\n-- $min (default 2): smallest count\n"
            "SELECT country, count(*) AS n FROM events WHERE event_id <> '$notaparam' -- $nor_this\n"
            "GROUP BY country HAVING count(*) >= CAST($min AS INTEGER) AND $extra IS NULL\n")
    q = parse_query(text, "mine")
    assert q.purpose == "events per country." and q.notes == "It's mine."
    assert [p.name for p in q.params] == ["min", "extra"]
    assert q.params[0].default == "2" and not q.params[0].required and q.params[1].required
    f = tmp_path / "empty.sql"
    f.write_text("-- nothing here\n")
    with pytest.raises(QueryError, match="no SQL"):
        query_from_file(f)


# ---------------------------------------------------------------------------------------------
# CLI


def test_cli_list_and_show() -> None:
    result = runner.invoke(app, ["sql", "--list"])
    assert result.exit_code == 0
    for name in REQUIRED_QUERIES:
        assert name in result.stdout
    assert "$a $b" in result.stdout  # type_distribution_vs's required parameters

    result = runner.invoke(app, ["sql", "--show", "spikes"])
    assert result.exit_code == 0
    assert result.stdout == get_query("spikes").sql
    result = runner.invoke(app, ["sql", "--show", "spikes", "--dialect", "bigquery"])
    assert result.exit_code == 0 and "@weeks" in result.stdout and "transpiled" in result.stdout
    result = runner.invoke(app, ["sql", "--show", "spikes", "--dialect", "cobol"])
    assert result.exit_code == 2 and "unknown dialect" in result.stderr


def test_cli_run_formats(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["sql", "counts_by_type", "--db", str(db), "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / "counts_by_type.csv").read_text(encoding="utf-8")

    result = runner.invoke(app, ["sql", "top_dyads", "--db", str(db), "-p", "limit=2", "-f", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2 and rows[0]["first_date"] == "2024-01-03"

    result = runner.invoke(app, ["sql", "counts_by_type", "--db", str(db), "-p", "dataset=acled"])
    assert result.exit_code == 0 and "Violent demonstration" in result.stdout and "evcode" not in result.stdout

    out = tmp_path / "weekly.parquet"
    result = runner.invoke(app, ["sql", "weekly_counts", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0 and "101 rows written" in result.stderr
    back = pd.read_parquet(out)
    assert len(back) == 101 and str(back["week"].iloc[0]) == "2024-01-01"


def test_cli_user_file(db: Path, tmp_path: Path) -> None:
    f = tmp_path / "per_country.sql"
    f.write_text("-- per_country: events per country.\n-- $ds: dataset\n"
                 "SELECT country, count(*) AS events FROM events WHERE dataset = $ds GROUP BY country ORDER BY country\n")
    result = runner.invoke(app, ["sql", "--file", str(f), "--db", str(db), "-p", "ds=acled", "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "country,events" and "Syria," in result.stdout
    result = runner.invoke(app, ["sql", "--file", str(f), "--db", str(db)])
    assert result.exit_code == 1 and "needs parameter $ds" in result.stderr


def test_cli_errors(db: Path) -> None:
    result = runner.invoke(app, ["sql", "type_distribution_vs", "--db", str(db)])
    assert result.exit_code == 1
    assert "needs parameters $a, $b" in result.stderr and "--param a=VALUE" in result.stderr
    result = runner.invoke(app, ["sql", "nope", "--db", str(db)])
    assert result.exit_code == 1 and "no named query 'nope'" in result.stderr
    result = runner.invoke(app, ["sql", "spikes", "--db", str(db), "--param", "weeks"])
    assert result.exit_code == 2 and "name=value" in result.stderr
    result = runner.invoke(app, ["sql", "--db", str(db)])
    assert result.exit_code == 2 and "evcode sql --list" in result.stderr


def test_cli_plot(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.png"
    result = runner.invoke(app, ["plot", "--db", str(db), "-o", str(out), "-p", "dataset=evcode"])
    assert result.exit_code == 0, result.output
    assert "written to" in result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    svg = tmp_path / "weekly.svg"
    result = runner.invoke(app, ["plot", "weekly_counts", "--db", str(db), "-o", str(svg), "--by", "country"])
    assert result.exit_code == 0 and svg.read_text().lstrip().startswith("<?xml")

    result = runner.invoke(app, ["plot", "counts_by_type", "--db", str(db), "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 1 and "no date column" in result.stderr
    result = runner.invoke(app, ["plot", "--db", str(db), "-o", str(tmp_path / "x.gif")])
    assert result.exit_code == 2 and ".png" in result.stderr


def test_output_onto_the_query_file_is_refused(tmp_path: Path) -> None:
    q = tmp_path / "q.sql"
    q.write_text("SELECT 1 AS a\n", encoding="utf-8")
    r = runner.invoke(app, ["sql", "--file", str(q), "-o", str(q)])
    assert r.exit_code == 2 and f"-o {q} is the --file query; write the output elsewhere" in r.stderr
    assert q.read_text(encoding="utf-8") == "SELECT 1 AS a\n"


def test_output_into_a_missing_folder_names_it(tmp_path: Path) -> None:
    q = tmp_path / "q.sql"
    q.write_text("SELECT 1 AS a\n", encoding="utf-8")
    out = tmp_path / "nodir" / "x.csv"
    for extra in ([], ["--show"]):
        r = runner.invoke(app, ["sql", "--file", str(q), "-o", str(out), *extra])
        assert r.exit_code == 1, r.output
        assert f"the folder {tmp_path / 'nodir'} does not exist" in r.stderr and "None" not in r.stderr


# ---------------------------------------------------------------------------------------------
# duplicate_candidates on crowded days: bounded output, nothing silently dropped


def _zorbat(event_id: str, location: str = "Kelan", actor1: str | None = "Military Forces of Zorbat",
            actor2: str | None = "Kelan Liberation Front", kind: str = "Armed clash",
            date: str = "2024-05-01") -> dict:
    return {"event_id": event_id, "event_date": date, "event_type": "Battles", "sub_event_type": kind,
            "actor1": actor1, "actor2": actor2, "country": "Zorbat", "admin1": "Kelan Province",
            "location": location, "fatalities": 1}


def _store(tmp_path: Path, events: list[dict]) -> Path:
    from coding.store import write_events

    db = tmp_path / "zorbat.duckdb"
    write_events(events, db=db, dataset="zorbat")
    return db


def test_duplicate_candidates_is_linear_on_a_crowded_day(tmp_path: Path) -> None:
    n = 3000  # one place, type and day: 4.5 million pairs before the cap
    crowd = [_zorbat(f"zb-{i:05d}") for i in range(n)]
    pair = [_zorbat("zb-orvost-1", "Orvost"), _zorbat("zb-orvost-2", "Orvost", actor1="Orvost Militia")]
    db = _store(tmp_path, crowd + pair)
    dups = run_query("duplicate_candidates", {}, db=db)
    crowded = dups[dups["location"] == "Kelan"]
    assert len(crowded) == sum(min(i, 10) for i in range(n))  # at most 10 a day per event, the default
    assert crowded.groupby("event_id_b").size().max() == 10
    last = crowded[crowded["event_id_b"] == f"zb-{n - 1:05d}"]
    assert list(last["event_id_a"]) == [f"zb-{i:05d}" for i in range(10)]  # the lowest event_ids
    assert set(last["candidates_b"]) == {n - 1}  # every earlier event is counted, listed or not
    # a small group keeps its one pair, as before the cap
    orvost = dups[dups["location"] == "Orvost"]
    assert list(zip(orvost["event_id_a"], orvost["event_id_b"], orvost["candidates_b"])) == [
        ("zb-orvost-1", "zb-orvost-2", 1)]

    one = run_query("duplicate_candidates", {"max_per_event": "1"}, db=db)
    crowd_one = one[one["location"] == "Kelan"]
    assert len(crowd_one) == n - 1 and set(crowd_one["event_id_a"]) == {"zb-00000"}  # the representative


def _expected_pairs(events: list[dict], cap: int) -> Counter:
    """The answer worked out the slow way: compare every two events, then keep each event's `cap`
    earliest partners. Rows as (date, location, event_id_a, event_id_b, actor1_b, actor2_b, candidates_b)."""
    def group(e: dict) -> tuple:
        return (e["event_date"], e["sub_event_type"], e["location"])

    def actors(e: dict) -> set:
        return {a for a in (e["actor1"], e["actor2"]) if a is not None}

    out: Counter = Counter()
    for b in events:
        earlier = sorted(a["event_id"] for a in events if group(a) == group(b) and a["event_id"] < b["event_id"]
                         and actors(a) & actors(b))
        for a_id in earlier[:cap]:
            out[(b["event_date"], b["location"], a_id, b["event_id"], b["actor1"], b["actor2"], len(earlier))] += 1
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_duplicate_candidates_matches_every_pair_compared(tmp_path: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)
    names = ["Zorbat Army", "Kelan Front", "Orvost Militia", None]
    events = [_zorbat(f"zb-{rng.randrange(150):03d}",  # some event_ids repeat, as in messy data
                      location=rng.choice(["Kelan", "Orvost"]), actor1=rng.choice(names),
                      actor2=rng.choice(names), kind=rng.choice(["Armed clash", "Attack"]),
                      date=rng.choice(["2024-05-01", "2024-05-02"]))
              for _ in range(120)]
    db = _store(tmp_path, events)
    for cap in (1, 3, 1000):
        got = run_query("duplicate_candidates", {"max_per_event": str(cap)}, db=db)
        rows = Counter(zip(got["event_date"].dt.strftime("%Y-%m-%d"), got["location"], got["event_id_a"],
                           got["event_id_b"], got["actor1_b"].replace({np.nan: None}),
                           got["actor2_b"].replace({np.nan: None}), got["candidates_b"]))
        expected = _expected_pairs(events, cap)
        assert expected and rows == expected, cap
        order = list(zip(got["event_date"], got["event_id_a"], got["event_id_b"]))
        assert order == sorted(order)
