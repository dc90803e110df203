"""`evcode validate`: real files, every input kind, reports, outputs, exit codes and the words users see."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from coding.cli import app
from coding.schemas import CANONICAL_COLUMNS
from coding.sources import module
from coding.validate import validate_file, validate_frame

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def run(*args: str):  # noqa: ANN201 - typer's Result
    return runner.invoke(app, ["validate", *args])


def read_str(path: Path, **kw) -> pd.DataFrame:  # noqa: ANN003
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kw)


@pytest.fixture(scope="module")
def acled_dev(shared_data: Path) -> Path:
    return shared_data / "acled" / "acled_2022_sample_dev.csv"


@pytest.fixture(scope="module")
def icews_sample(shared_data: Path) -> Path:
    return shared_data / "icews" / "icews_events.2018.sample.tab"


# ---------------------------------------------------------------------------------- real data


def test_acled_dev_file_fails_only_on_misspelled_disorder_type(acled_dev: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    valid, rejects = tmp_path / "valid.csv", tmp_path / "rejects.csv"
    res = run(str(acled_dev), "-o", str(valid), "--rejects", str(rejects), "--report", str(report))
    assert res.exit_code == 1
    assert "schema acled (detected from the header); 6000 rows, 2688 valid, 3312 rejected." in res.output
    assert "disorder_type_valid" in res.output and "'Demostrations'" in res.output
    assert "Error: 3312 of 6000 rows failed the acled schema" in res.output
    doc = json.loads(report.read_text())
    assert [s["check"] for s in doc["summary"]] == ["disorder_type_valid"]
    assert {f["value"] for f in doc["failures"]} == {"Demostrations"}
    source = read_str(acled_dev)
    good, bad = read_str(valid), read_str(rejects)
    assert len(good) + len(bad) == len(source) == 6000
    # every demonstration row is flagged; nothing else; empty civilian_targeting is fine
    assert set(bad["event_type"]) == {"Protests", "Riots"}
    assert (bad["disorder_type"] == "Demostrations").all()
    assert (good["civilian_targeting"] == "").all()
    # rejected rows are unchanged, plus the reason
    pd.testing.assert_frame_equal(bad.drop(columns="reason"), source[source["disorder_type"] == "Demostrations"]
                                  .reset_index(drop=True))
    assert bad["reason"].str.startswith("disorder_type_valid").all()


def test_acled_dev_file_valid_once_spelling_fixed(acled_dev: Path) -> None:
    df = read_str(acled_dev)
    df["disorder_type"] = df["disorder_type"].replace("Demostrations", "Demonstrations")
    result = validate_frame(df, "acled")
    # Excessive force against protesters is "Political violence; Demonstrations" in ACLED's codebook
    assert set(result.failures["check"]) <= {"disorder_type_matches"}
    assert set(result.rejects["sub_event_type"]) <= {"Excessive force against protesters"}


def test_acled_export_without_2023_columns_and_with_2024_labels(shared_data: Path, codebook) -> None:  # noqa: ANN001
    df = read_str(shared_data / "acled" / "acled_2022_argentina.csv")
    old = df.drop(columns=["disorder_type", "civilian_targeting"])
    assert validate_frame(old, "acled").ok
    labels = dict(zip(codebook.table("acled/inter_codes")["inter"], codebook.table("acled/inter_codes")["label_2024"]))
    new = old.copy()
    new["inter1"] = new["inter1"].map(labels)
    new["inter2"] = new["inter2"].map(labels)
    two = new["inter2"] != ""
    a, b = old["inter1"].astype(int), old["inter2"].astype(int)
    lo = pd.concat([a, b], axis=1).min(axis=1).astype(str).map(labels)
    hi = pd.concat([a, b], axis=1).max(axis=1).astype(str).map(labels)
    new["interaction"] = (new["inter1"] + " only").where(~two, lo + "-" + hi)
    assert validate_frame(new, "acled").ok
    new.loc[0, "interaction"] = "Rioters only"
    assert list(validate_frame(new, "acled").failures["check"]) == ["interaction_rule"]


def test_icews_sample_is_clean(icews_sample: Path) -> None:
    res = run(str(icews_sample))
    assert res.exit_code == 0, res.output
    assert "schema icews (detected from the header); 3705 rows, 3705 valid, 0 rejected." in res.output
    assert "All rows pass." in res.output


def test_icews_code_without_leading_zero_is_flagged(icews_sample: Path, tmp_path: Path) -> None:
    lines = icews_sample.read_text(encoding="utf-8").splitlines()[:6]
    cells = lines[1].split("\t")
    assert cells[6] == "040"
    cells[6] = "40"
    lines[1] = "\t".join(cells)
    bad = tmp_path / "icews.tab"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "valid.tsv"
    res = run(str(bad), "--schema", "icews", "-o", str(out))
    assert res.exit_code == 1
    assert "cameo_code_valid" in res.output and "CAMEO Code = '40'" in res.output
    assert "with its leading zero" in res.output
    kept = read_str(out, sep="\t")
    assert len(kept) == 4 and kept["CAMEO Code"].str.len().ge(3).all()


def test_to_canonical_of_real_files(acled_dev: Path, icews_sample: Path) -> None:
    for path, name in ((acled_dev, "acled"), (icews_sample, "icews")):
        result = validate_file(path)
        canon = module(name).to_canonical(result.valid)
        assert list(canon.columns) == list(CANONICAL_COLUMNS)
        assert len(canon) == len(result.valid)
        assert (canon["dataset"] == name).all()
        assert canon["event_date"].notna().all()
    icews = module("icews").to_canonical(validate_file(icews_sample).valid)
    assert icews["cameo_code"].str.len().ge(3).all() and icews["quad_class"].notna().all()


# ------------------------------------------------------------------------- GDELT, events, kinds


def gdelt_line(version: int, event_id: int, code: str = "042", base: str = "042", root: str = "04",
               quad: str = "1", goldstein: str = "1.9") -> str:
    cols = module(f"gdelt{version}").COLUMNS
    row = dict.fromkeys(cols, "")
    row.update({
        "GLOBALEVENTID": str(event_id), "SQLDATE": "20190305", "MonthYear": "201903", "Year": "2019",
        "FractionDate": "2019.1808", "Actor1Code": "USAGOV", "Actor1Name": "UNITED STATES",
        "IsRootEvent": "1", "EventCode": code, "EventBaseCode": base, "EventRootCode": root,
        "QuadClass": quad, "GoldsteinScale": goldstein, "NumMentions": "4", "NumSources": "1",
        "NumArticles": "4", "AvgTone": "-2.5", "ActionGeo_Type": "1", "ActionGeo_Lat": "38.0",
        "ActionGeo_Long": "-97.0", "DATEADDED": "20190305" + ("" if version == 1 else "120000"),
        "SOURCEURL": "https://example.org/story",
    })
    return "\t".join(row[c] for c in cols)


@pytest.mark.parametrize("version", [1, 2])
def test_gdelt_headerless_tsv_detected_by_column_count(version: int, tmp_path: Path) -> None:
    path = tmp_path / "20190305.export.CSV"
    path.write_text(gdelt_line(version, 1) + "\n" + gdelt_line(version, 2, "190", "190", "19", "4", "-10.0")
                    + "\n", encoding="utf-8")
    out = tmp_path / "valid.tsv"
    res = run(str(path), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert f"schema gdelt{version} (detected from the column count); 2 rows, 2 valid" in res.output
    first = out.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert first[0] == "1" and "042" in first  # headerless in, headerless out; codes keep zeros
    canon = module(f"gdelt{version}").to_canonical(validate_file(path).valid)
    assert list(canon.columns) == list(CANONICAL_COLUMNS)
    assert canon["cameo_code"].tolist() == ["042", "190"] and canon["quad_class"].tolist() == [1, 4]
    assert (canon["dataset"] == f"gdelt{version}").all()


def test_gdelt_code_consistency_failures(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("\n".join([
        gdelt_line(2, 1),
        gdelt_line(2, 2, base="043"),
        gdelt_line(2, 3, quad="4"),
        gdelt_line(2, 4, goldstein="5.0"),
        gdelt_line(2, 5, code="42", base="42", root="42"),
    ]) + "\n", encoding="utf-8")
    report = tmp_path / "r.csv"
    res = run(str(path), "--schema", "gdelt2", "--report", str(report))
    assert res.exit_code == 1
    rep = read_str(report)
    assert list(rep.columns) == ["row", "key", "column", "check", "value", "message"]
    by_row = rep.groupby("row")["check"].apply(set).to_dict()
    assert by_row["2"] == {"event_base_code_matches"}
    assert by_row["3"] == {"quad_class_matches"}
    assert by_row["4"] == {"goldstein_matches"}
    assert "event_code_valid" in by_row["5"]
    assert "1" not in by_row


def events_frame(codebook) -> pd.DataFrame:  # noqa: ANN001
    """Five evcode records written by hand (a verbal event, a clash, a protest, ...)."""
    base = {
        "passage_id": "p1", "sentence_index": "0", "span_start": "0", "span_end": "40",
        "event_date": "2023-03-04", "time_precision": "1", "disorder_type": "", "event_type": "",
        "sub_event_type": "", "actor1": "Military Forces of Syria (2000-)", "actor1_code": "SYRMIL",
        "actor1_text": "Syrian troops", "inter1": "", "actor2": "", "actor2_code": "",
        "actor2_text": "", "inter2": "", "interaction": "", "civilian_targeting": "",
        "country": "Syria", "admin1": "Idleb", "admin2": "", "location": "Ariha",
        "latitude": "35.8137", "longitude": "36.6087", "geo_precision": "1", "fatalities": "",
        "rule_id": "test.rule", "codebook_version": codebook.version, "passage_length": "120",
    }
    cameo = codebook.cameo
    rows = []
    for i, (code, extra) in enumerate([
        ("010", {}),
        ("190", {"event_type": "Battles", "sub_event_type": "Armed clash", "disorder_type": "Political violence",
                 "inter1": "1", "inter2": "2", "interaction": "12", "actor2": "Hayat Tahrir al-Sham",
                 "fatalities": "3"}),
        ("141", {"event_type": "Protests", "sub_event_type": "Peaceful protest", "disorder_type": "Demonstrations",
                 "inter1": "6", "inter2": "0", "interaction": "60", "actor1": "Protesters (Syria)",
                 "fatalities": "0"}),
        ("1823", {"event_type": "Violence against civilians", "sub_event_type": "Attack",
                  "disorder_type": "Political violence", "inter1": "3", "inter2": "7", "interaction": "37",
                  "actor2": "Civilians (Syria)", "civilian_targeting": "Civilian targeting", "fatalities": "1"}),
        ("042", {"latitude": "", "longitude": "", "geo_precision": ""}),
    ]):
        row = dict(base, event_id=f"e{i}", cameo_code=code, cameo_root=code[:2],
                   quad_class=cameo[code]["quad_class"], goldstein=cameo[code]["goldstein"])
        row.update(extra)
        rows.append(row)
    return pd.DataFrame(rows, dtype=str)


def test_events_schema_on_hand_written_records(codebook, tmp_path: Path) -> None:  # noqa: ANN001
    df = events_frame(codebook)
    assert validate_frame(df, "events").ok
    df.loc[1, "interaction"] = "21"
    df.loc[2, "latitude"] = "48.85"  # Paris, not Syria
    df.loc[3, "span_end"] = "500"  # beyond passage_length
    df.loc[4, "sub_event_type"] = "Armed clash"  # without an event_type
    result = validate_frame(df, "events")
    assert dict(zip(result.failures["row"], result.failures["check"])) == {
        2: "interaction_rule", 3: "coordinates_in_country", 4: "span_valid", 5: "acled_fields_empty_together"}
    canon = module("events").to_canonical(validate_frame(events_frame(codebook), "events").valid)
    assert list(canon.columns) == list(CANONICAL_COLUMNS) and (canon["dataset"] == "evcode").all()


@pytest.mark.parametrize("kind", ["csv", "tsv", "jsonl", "parquet"])
def test_events_in_every_file_kind(kind: str, codebook, tmp_path: Path) -> None:  # noqa: ANN001
    df = events_frame(codebook)
    path = tmp_path / f"events.{kind}"
    if kind == "parquet":
        df.to_parquet(path, index=False)
    elif kind == "jsonl":
        df.to_json(path, orient="records", lines=True)
    else:
        df.to_csv(path, index=False, sep="\t" if kind == "tsv" else ",")
    res = run(str(path))
    assert res.exit_code == 0, res.output
    assert "schema events (detected from the header); 5 rows, 5 valid, 0 rejected." in res.output


def test_jsonl_numeric_code_loses_its_zero_and_is_flagged(codebook, tmp_path: Path) -> None:  # noqa: ANN001
    df = events_frame(codebook)
    path = tmp_path / "events.jsonl"
    lines = df.to_json(orient="records", lines=True).splitlines()
    lines[4] = lines[4].replace('"cameo_code":"042"', '"cameo_code":42')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = run(str(path), "--schema", "events")
    assert res.exit_code == 1
    assert "row 5 (e4) cameo_code = '42': cameo_code_valid" in res.output


def test_gzip_and_bom(icews_sample: Path, acled_dev: Path, tmp_path: Path) -> None:
    import gzip

    gz = tmp_path / "icews.tab.gz"
    gz.write_bytes(gzip.compress(icews_sample.read_bytes()))
    res = run(str(gz))
    assert res.exit_code == 0 and "schema icews (detected from the header); 3705 rows" in res.output
    bom = tmp_path / "excel.csv"
    lines = acled_dev.read_text(encoding="utf-8").splitlines(keepends=True)[:3]
    bom.write_text("\ufeff" + "".join(lines), encoding="utf-8")
    res = run(str(bom))
    assert "schema acled (detected from the header); 2 rows" in res.output


def test_stdin_and_stdout(acled_dev: Path) -> None:
    lines = acled_dev.read_text(encoding="utf-8").splitlines(keepends=True)[:6]
    n_good = sum(",Demostrations," not in line for line in lines[1:])
    res = runner.invoke(app, ["validate", "-", "-o", "-", "--quiet"], input="".join(lines))
    assert res.exit_code == 1  # row 2 is a protest ("Demostrations")
    assert res.stdout.startswith("event_id_cnty,")
    assert len(res.stdout.strip().splitlines()) == 1 + n_good < 6


def test_docs_example_runs_as_documented(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = (ROOT / "docs" / "cli" / "validate.md").read_text(encoding="utf-8")
    csv_text = re.search(r"```csv\n(.*?)```", doc, re.S).group(1)
    console = re.search(r"```console\n(.*?)```", doc, re.S).group(1).splitlines()
    (tmp_path / "acled_small.csv").write_text(csv_text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = console[0].removeprefix("$ evcode ").split()
    res = runner.invoke(app, args)
    assert res.exit_code == 1
    assert res.output.splitlines() == console[1:]
    assert read_str(tmp_path / "valid.csv")["event_id_cnty"].tolist() == ["SYR1001"]
    assert read_str(tmp_path / "rejects.csv")["reason"].tolist() == [
        "disorder_type_valid (disorder_type='Demostrations')", "interaction_rule (interaction='71')"]


# ----------------------------------------------------------------------- files that cannot be read


def one_line_error(res, *words: str) -> None:  # noqa: ANN001
    assert res.exit_code == 1, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.output
    assert "Traceback" not in res.output
    for w in words:
        assert w in lines[0], lines[0]


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    one_line_error(run(str(path)), "events.csv", "binary data, not text")


def test_semicolon_delimited_file(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    path.write_text("event_id_cnty;event_date;year\nSYR1;2023-01-01;2023\n", encoding="utf-8")
    one_line_error(run(str(path)), "acled.csv", "separated by ';'", "save the file as CSV")


def test_truncated_in_a_quoted_field(acled_dev: Path, tmp_path: Path) -> None:
    data = acled_dev.read_bytes()[:5000]
    cut = data.rfind(b',"On ') + 10  # inside a notes field
    path = tmp_path / "cut.csv"
    path.write_bytes(data[:cut])
    one_line_error(run(str(path)), "cut.csv", "truncated")


def test_truncated_mid_row(acled_dev: Path, tmp_path: Path) -> None:
    lines = acled_dev.read_text(encoding="utf-8").splitlines(keepends=True)[:3]
    path = tmp_path / "cut.csv"
    path.write_text("".join(lines) + lines[1][:40], encoding="utf-8")
    one_line_error(run(str(path)), "cut.csv", "truncated", "line 4")


def test_unknown_header(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    one_line_error(run(str(path)), "cannot tell the format", "--schema")


def test_wrong_schema_suggests_the_right_one(icews_sample: Path) -> None:
    one_line_error(run(str(icews_sample), "--schema", "acled"), "required by the acled schema",
                   "try --schema icews")


# ------------------------------------------------------------------------------- usage, help


def test_usage_errors_exit_2(icews_sample: Path, tmp_path: Path) -> None:
    res = run(str(icews_sample), "--schema", "acleed")
    assert res.exit_code == 2 and "unknown schema 'acleed'" in res.output
    res = run(str(tmp_path / "missing.csv"))
    assert res.exit_code == 2 and "no such file" in res.output
    res = run(str(icews_sample), "-o", "-", "--rejects", "-")
    assert res.exit_code == 2 and "only one of" in res.output
    res = run(str(icews_sample), "-o", str(tmp_path / "v.out"), "--format", "xlsx")
    assert res.exit_code == 2 and "unknown format 'xlsx'" in res.output


def test_help_has_example_and_exit_codes() -> None:
    res = runner.invoke(app, ["validate", "--help"])
    assert res.exit_code == 0
    for words in ("Exit status", "--rejects", "--report", "--schema", "evcode validate"):
        assert words in res.output


# ------------------------------------------------------------- outputs that would replace inputs

SMALL_ACLED = ROOT / "tests" / "fixtures" / "store_acled.csv"


def test_output_onto_the_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    src = tmp_path / "s.csv"
    src.write_text("".join(SMALL_ACLED.read_text(encoding="utf-8").splitlines(True)[:4]), encoding="utf-8")
    before = src.read_bytes()
    res = run(str(src), "-o", str(tmp_path / "." / "s.csv"))
    assert res.exit_code == 2 and "is the input file; write the output elsewhere" in res.stderr
    res = run(str(src), "--rejects", str(src))
    assert res.exit_code == 2 and f"--rejects {src} is the input file" in res.stderr
    out = tmp_path / "out.csv"
    res = run(str(src), "-o", str(out), "--rejects", str(out))
    assert res.exit_code == 2 and "are the same file; give each its own name" in res.stderr
    assert src.read_bytes() == before and not out.exists()
    assert "Traceback" not in res.output


# ------------------------------------------------------------------------------- TSV round trip


def test_tsv_output_reads_back_cell_for_cell(codebook, tmp_path: Path) -> None:  # noqa: ANN001
    from coding.sources import read_table

    df = events_frame(codebook)
    df.loc[0, "actor1_text"] = 'soldiers "of" http://a"b'  # quotes are data in TSV
    df.loc[1, "actor1_text"] = "C:\\path\\n not a newline"  # backslashes too
    df.loc[2, "actor1_text"] = '"leading quote'
    df.loc[3, "actor1_text"] = "plain words"
    src = tmp_path / "events.tsv"
    df.to_csv(src, sep="\t", index=False, quoting=3)
    first, second = tmp_path / "ok1.tsv", tmp_path / "ok2.tsv"
    res = run(str(src), "-o", str(first), "-q")
    assert res.exit_code == 0, res.output
    res = run(str(first), "-o", str(second), "-q")  # the output validates again, unchanged
    assert res.exit_code == 0, res.output
    assert first.read_bytes() == second.read_bytes()
    back = read_table(first).frame
    assert list(back["actor1_text"]) == list(df["actor1_text"])
    pd.testing.assert_frame_equal(back.astype(object), df.astype(object), check_dtype=False)


def test_tsv_output_with_a_line_break_is_refused(codebook, tmp_path: Path) -> None:  # noqa: ANN001
    df = events_frame(codebook)
    df.loc[2, "actor1_text"] = "two\nlines"  # CSV can hold it, unquoted TSV cannot
    src = tmp_path / "events.csv"
    df.to_csv(src, index=False)
    out = tmp_path / "ok.tsv"
    res = run(str(src), "-o", str(out), "-q")
    one_line_error(res, "ok.tsv", "data row 3", "column actor1_text", "tab or line break", "CSV")
    res = run(str(src), "-o", str(tmp_path / "ok.csv"), "-q")
    assert res.exit_code == 0
    assert list(read_str(tmp_path / "ok.csv")["actor1_text"]) == list(df["actor1_text"])


@pytest.mark.parametrize("sep", [",", "\t"])
def test_repeated_column_name_is_refused(sep: str, codebook, tmp_path: Path) -> None:  # noqa: ANN001
    df = events_frame(codebook)
    df["fatalities_again"] = df["fatalities"]
    path = tmp_path / ("events.tsv" if sep == "\t" else "events.csv")
    df.to_csv(path, index=False, sep=sep)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("fatalities_again", "fatalities", 1), encoding="utf-8")
    out = tmp_path / "valid.csv"
    res = run(str(path), "-o", str(out))
    one_line_error(res, path.name, "column 'fatalities' appears twice in the header", "rename or remove one")
    assert not out.exists()
